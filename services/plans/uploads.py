"""Uploads of văn bản cấp trên: a file (judged by its content) or pasted text accepted, an
earlier upload of the same bytes found, the file stored and its parse queued (the job is
:func:`worker.jobs.plans.parse_incoming`), and the organization's uploads listed a page
at a time.
"""

from __future__ import annotations

import hashlib
from datetime import UTC
from datetime import datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from domain.text import nfc
from outbox.queues import create_job
from services.pagination import Page
from services.pagination import paginate
from storage.files import save_file
from storage.models import IncomingDocument
from storage.models import IncomingStatus
from storage.models import StoredFile
from storage.uploads import CheckedUpload
from storage.uploads import UploadRejected
from storage.uploads import sniff

PASTED_NAME = "Văn bản dán"


def check_plan_upload(filename: str, content: bytes) -> CheckedUpload:
    """Accept a PDF, DOCX, DOC or plain-text file, judged by content (libmagic).

    Raises:
        UploadRejected: empty file, or a type the parser cannot read (an executable
            renamed ``.pdf``, an image, a spreadsheet...), with a Vietnamese message.
    """
    from ingest.detect import detect_kind
    from ingest.errors import IngestError

    name = nfc(filename).strip() or "tệp không tên"
    try:
        detect_kind(content)
    except IngestError as exc:
        raise UploadRejected(f"Tệp “{name}”: {exc.message}") from exc
    return CheckedUpload(name, sniff(content), content)


def pasted_upload(text: str, now: datetime | None = None) -> CheckedUpload:
    """Pasted text stored as a UTF-8 ``.txt`` file, named after its time of pasting."""
    now = now or datetime.now(UTC)
    content = nfc(text).replace("\r\n", "\n").strip().encode("utf-8") + b"\n"
    return CheckedUpload(
        f"{PASTED_NAME} {now.strftime('%Y-%m-%d %H%M%S')}.txt", "text/plain", content
    )


def find_duplicate(
    session: Session, organization_id: int, content: bytes
) -> IncomingDocument | None:
    """The organization's earlier upload of exactly these bytes (same SHA-256), if any."""
    digest = hashlib.sha256(content).hexdigest()
    return session.scalar(
        select(IncomingDocument)
        .join(StoredFile, StoredFile.id == IncomingDocument.file_id)
        .where(IncomingDocument.organization_id == organization_id, StoredFile.sha256 == digest)
        .order_by(IncomingDocument.created_at)
        .limit(1)
    )


def create_incoming(
    session: Session, app: Flask, *, organization_id: int, user_id: int, upload: CheckedUpload
) -> IncomingDocument:
    """Store the upload and queue its parse (enqueued when the session commits)."""
    stored = save_file(
        session,
        organization_id=organization_id,
        content=upload.content,
        original_name=upload.filename,
        mime_type=upload.mime_type,
        created_by_id=user_id,
    )
    incoming = IncomingDocument(
        organization_id=organization_id,
        file_id=stored.id,
        created_by_id=user_id,
        status=IncomingStatus.QUEUED.value,
        extracted={},
        corrections={},
    )
    session.add(incoming)
    session.flush()
    start_parse(session, app, incoming, user_id=user_id)
    return incoming


def start_parse(session: Session, app: Flask, incoming: IncomingDocument, *, user_id: int) -> str:
    """Queue (again) the parse of ``incoming``; returns the job id."""
    job = create_job(
        session,
        app,
        function="parse_incoming",
        kind="Đọc văn bản cấp trên",
        args={"incoming_id": incoming.id},
        organization_id=incoming.organization_id,
        created_by_id=user_id,
    )
    incoming.job_id = job.id
    incoming.status = IncomingStatus.QUEUED.value
    incoming.error = ""
    return job.id


def uploads_page(
    session: Session, organization_id: int, *, number: int, size: int
) -> Page[IncomingDocument]:
    """One page of the organization's uploads, newest first (ix_incoming_documents_list),
    with each file's name but never its content."""
    query = (
        select(IncomingDocument)
        .where(IncomingDocument.organization_id == organization_id)
        .order_by(IncomingDocument.created_at.desc(), IncomingDocument.id.desc())
    )
    loads = selectinload(IncomingDocument.file).load_only(StoredFile.id, StoredFile.original_name)
    return paginate(session, query, IncomingDocument, number=number, size=size, options=[loads])
