"""The file store: content in the database, addressed by generated ids.

Original names are kept (NFC) only as metadata to show and to offer on download; no path
is ever built from them.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Column
from sqlalchemy import delete
from sqlalchemy.orm import Session

from domain.text import display_filename
from storage.models import NOT_A_REFERENCE
from storage.models import Base
from storage.models import DerivedFile
from storage.models import Job
from storage.models import JobFile
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
    derived_from: str | None = None,
) -> StoredFile:
    """Add a file to the session and return it (flushed, so its id is known).

    ``file_id``: an id chosen by the caller (a file derived from another one, found again
    by its id), instead of a new random one; ``derived_from``: that other file, which the
    new one then lives as long as (:class:`~storage.models.DerivedFile`).
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
    if derived_from is not None:
        session.add(DerivedFile(file_id=stored.id, source_id=derived_from))
        session.flush()
    return stored


def keep_for_job(session: Session, job_id: str | None, file_ids: list[str]) -> bool:
    """Record ``file_ids`` as the files job ``job_id`` made (its result names them), so that
    they are kept while the job is. They replace those of an earlier run of the job (a try
    before a transient failure), which its result no longer names: the storage sweep takes
    them. False, and nothing kept, when there is no such job row (a job function called
    directly)."""
    if not job_id or session.get(Job, job_id) is None:
        return False
    session.execute(
        delete(JobFile).where(JobFile.job_id == job_id).execution_options(synchronize_session=False)
    )
    session.add_all(JobFile(job_id=job_id, file_id=file_id) for file_id in file_ids)
    session.flush()
    return True


def file_references() -> list[Column[str]]:
    """Every column whose rows keep a file alive: each foreign key to ``files.id`` in the
    models, except those marked :data:`~storage.models.NOT_A_REFERENCE` (a derived file's
    link to its source). Read from the metadata, so a table added later is covered by the
    storage sweep and by :func:`services.renders.referenced_files` without changing them."""
    files = StoredFile.__table__
    return [
        fk.parent
        for table in Base.metadata.sorted_tables
        for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
        if fk.column.table is files and not fk.parent.info.get(NOT_A_REFERENCE)
    ]
