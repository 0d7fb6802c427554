"""The file store: content in the database, addressed by generated ids.

Original names are kept (NFC) only as metadata to show and to offer on download; no path
is ever built from them.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from domain.text import display_filename
from storage.models import StoredFile


def save_file(
    session: Session,
    *,
    organization_id: int,
    content: bytes,
    original_name: str,
    mime_type: str,
    created_by_id: int | None = None,
    file_id: str | None = None,
) -> StoredFile:
    """Add a file to the session and return it (flushed, so its id is known).

    ``file_id``: an id chosen by the caller (a file derived from another one, found again
    by its id), instead of a new random one.
    """
    stored = StoredFile(
        **({"id": file_id} if file_id else {}),
        organization_id=organization_id,
        original_name=display_filename(original_name),
        mime_type=mime_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_by_id=created_by_id,
    )
    session.add(stored)
    session.flush()
    return stored
