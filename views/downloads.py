"""Serving stored files: always as attachments, with a safe type and the Vietnamese name."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from services import audit
from storage.db import get_session
from storage.models import StoredFile
from storage.uploads import name_for_type

# Types a browser may display inline without risk are still sent as attachments: an
# uploaded file must never run in our origin.
_SAFE_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
}


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_bytes(content: bytes, filename: str, mime_type: str) -> Response:
    mime = mime_type if mime_type in _SAFE_TYPES else "application/octet-stream"
    response = Response(content, mimetype=mime)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_stored_file(stored: StoredFile) -> Response:
    # Offered under its real type's extension, files stored before names followed it too.
    return send_bytes(
        stored.content, name_for_type(stored.original_name, stored.mime_type), stored.mime_type
    )


def send_audited(
    stored: StoredFile, action: str, *, object_type: str, object_id: object, detail: dict
) -> Response:
    """Record in the audit log who downloads ``stored`` (committed), then send it."""
    session = get_session()
    audit.record(session, action, object_type=object_type, object_id=object_id, detail=detail)
    session.commit()
    return send_stored_file(stored)
