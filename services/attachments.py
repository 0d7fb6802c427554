"""Văn bản kèm theo of an issued document, each in a PDF of its own, and their signing by
the organization (issue 17; NĐ 30/2020 Phụ lục I for electronic documents).

An attachment that is not in the document's own file is signed by the Văn thư with the
organization's certificate, not by the person who signed the document: so here a clerk
(or admin) uploads the PDF on the issued document's page and signs it with the
organization's PKCS#12 and passphrase (used for that request only, never stored), the
certificate naming the organization as the document's organization step requires. The
stamp on its first page carries the main document's số/ký hiệu as registered, so an
attachment is added and signed only while its document is issued (not withdrawn). A signed
attachment never changes: it cannot be removed, signed again or replaced; downloads are
audited. Attachments inside the document's own file are covered by its own signatures.

A PDF is kept as it is. A .docx/.doc/.odt is kept as uploaded and turned into a PDF by
the worker's conversion job, the one that shows evidence files as PDF
(:mod:`worker.jobs.evidence`, LibreOffice, stored under :func:`services.submissions.preview_id`
of the upload): that PDF is what is shown, checked by the clerk and signed; until it
exists the attachment cannot be signed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import attachment_signing
from services import audit
from services import signing
from services.document_signing import document_detail
from services.document_signing import organization_credential
from services.documents import number_label
from services.incoming_signatures import root_ders
from services.signing import SigningError
from services.submissions import PREVIEW_JOB
from services.submissions import preview_id
from services.submissions import request_previews
from storage.files import save_file
from storage.models import Document
from storage.models import DocumentAttachment
from storage.models import DocumentStatus
from storage.models import Job
from storage.models import JobStatus
from storage.models import Organization
from storage.models import StoredFile
from storage.models import User
from storage.uploads import DOC
from storage.uploads import DOCX
from storage.uploads import ODT
from storage.uploads import UploadRejected
from storage.uploads import check_upload

PDF_MIME = "application/pdf"
ACCEPTED = {
    PDF_MIME: "PDF",
    DOCX: "Word (.docx, .doc)",
    DOC: "Word (.docx, .doc)",
    ODT: "OpenDocument (.odt)",
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 20


def attachments_of(session: Session, document: Document) -> list[DocumentAttachment]:
    return list(
        session.scalars(
            select(DocumentAttachment)
            .where(DocumentAttachment.document_id == document.id)
            .order_by(DocumentAttachment.id)
        )
    )


def get_attachment(session: Session, document: Document, attachment_id: int) -> DocumentAttachment:
    """The attachment ``attachment_id`` of ``document`` (LookupError: none such)."""
    row = session.get(DocumentAttachment, attachment_id)
    if row is None or row.document_id != document.id:
        raise LookupError(attachment_id)
    return row


def names(session: Session, rows: list[DocumentAttachment]) -> dict[int, str]:
    """Each attachment's file name as uploaded (NFC), by the attachment's id."""
    ids = {row.file_id: row.id for row in rows}
    if not ids:
        return {}
    found = session.execute(
        select(StoredFile.id, StoredFile.original_name).where(StoredFile.id.in_(ids))
    )
    return {ids[file_id]: name for file_id, name in found}


def _require_issued(document: Document, doing: str) -> None:
    if document.status != DocumentStatus.ISSUED.value or document.number is None:
        raise SigningError(
            f"Chỉ {doing} văn bản kèm theo của văn bản đã phát hành (đã có số) và chưa thu hồi."
        )


def _check_pdf(content: bytes, name: str) -> None:
    """A PDF that opens, has a first page the stamp can sit on, and can take an
    incremental signature (not encrypted)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        attachment_signing.first_page(content)
    except SigningError as exc:
        raise UploadRejected(f"Tệp “{name}”: {exc.message}") from exc
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        encrypted = writer.prev.encrypted
    except Exception as exc:  # pyHanko wraps many parser errors
        raise UploadRejected(f"Tệp “{name}” bị hỏng; không ký số được.") from exc
    if encrypted:
        raise UploadRejected(
            f"Tệp “{name}” được mã hóa (đặt mật khẩu hoặc khóa quyền), nên không thêm chữ ký "
            "số được. Hãy xuất lại tệp PDF không đặt mật khẩu rồi tải lên lại."
        )


def add_attachment(
    session: Session,
    app: Any,
    document: Document,
    user: User,
    filename: str,
    content: bytes,
) -> DocumentAttachment:
    """Keep an uploaded file as a văn bản kèm theo of the issued ``document``; a Word or
    OpenDocument file gets its PDF made by the worker (queued here, after the commit).

    Raises:
        SigningError: the document is not issued, or has too many attachments.
        UploadRejected: not a PDF/Word/OpenDocument file by its content, macros, too large,
            a damaged or encrypted PDF.
    """
    _require_issued(document, "thêm")
    count = session.scalar(
        select(func.count())
        .select_from(DocumentAttachment)
        .where(DocumentAttachment.document_id == document.id)
    )
    if (count or 0) >= MAX_ATTACHMENTS:
        raise SigningError(f"Mỗi văn bản có tối đa {MAX_ATTACHMENTS} văn bản kèm theo.")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise UploadRejected(
            f"Tệp “{filename}” lớn hơn {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB; hãy giảm "
            "dung lượng (ví dụ xuất lại PDF với ảnh nén) rồi tải lên lại."
        )
    checked = check_upload(filename, content, ACCEPTED)
    if checked.mime_type == PDF_MIME:
        _check_pdf(checked.content, checked.filename)
    stored = save_file(
        session,
        organization_id=document.organization_id,
        content=checked.content,
        original_name=checked.filename,
        mime_type=checked.mime_type,
        created_by_id=user.id,
    )
    row = DocumentAttachment(
        document_id=document.id,
        organization_id=document.organization_id,
        file_id=stored.id,
        created_by_id=user.id,
    )
    session.add(row)
    session.flush()
    if checked.mime_type != PDF_MIME:
        request_previews(session, app, [stored.id], document.organization_id, user.id)
    audit.record(
        session,
        "document.attachment_add",
        object_type="document",
        object_id=document.id,
        detail={**document_detail(document), "name": stored.original_name},
    )
    return row


def remove_attachment(session: Session, document: Document, row: DocumentAttachment) -> str:
    """Remove an unsigned attachment (a wrong file); a signed one is part of the record."""
    if row.signed_file_id:
        raise SigningError("Văn bản kèm theo đã ký số thì không gỡ được.")
    stored = session.get(StoredFile, row.file_id)
    name = stored.original_name if stored else ""
    converted = session.get(StoredFile, preview_id(row.file_id))
    session.delete(row)
    session.flush()
    for gone in (stored, converted):
        if gone is not None:
            session.delete(gone)
    audit.record(
        session,
        "document.attachment_remove",
        object_type="document",
        object_id=document.id,
        detail={**document_detail(document), "name": name},
    )
    return name


def sign_attachment(
    session: Session,
    document: Document,
    row: DocumentAttachment,
    user: User,
    source: signing.CredentialSource,
    *,
    timestamp_url: str | None = None,
) -> DocumentAttachment:
    """The organization's signature on attachment ``row``: the main document's số/ký hiệu
    and the signing time at the top right of its first page, no image."""
    if row.signed_file_id:
        raise SigningError("Văn bản kèm theo này đã được ký số.")
    _require_issued(document, "ký số")
    organization = session.get(Organization, document.organization_id)
    assert organization is not None  # a foreign key
    original = session.get(StoredFile, row.file_id)
    unsigned = pdf_of(session, row)
    if original is None or unsigned is None:
        raise SigningError(
            "Bản PDF của văn bản kèm theo chưa chuyển xong; hãy chờ, xem lại bản PDF rồi ký số."
        )
    with organization_credential(source, organization) as credential:
        pdf = attachment_signing.sign_attachment(
            unsigned.content,
            credential,
            so_ky_hieu=number_label(document),
            organization_name=organization.name,
            timestamp_url=timestamp_url,
            trust_roots=root_ders(session, document.organization_id),
        )
    stem = original.original_name.rsplit(".", 1)[0] or "van-ban-kem-theo"
    stored = save_file(
        session,
        organization_id=document.organization_id,
        content=pdf,
        original_name=f"{stem}-ky-so.pdf",
        mime_type="application/pdf",
        created_by_id=user.id,
    )
    row.signed_file_id = stored.id
    row.signed_by_id = user.id
    row.signed_at = datetime.now(UTC)
    row.subject = credential.subject[:255]
    level = signing.level_of(pdf, attachment_signing.ATTACHMENT_FIELD)
    row.level, row.revocation_embedded = level.level, level.revocation_embedded
    session.flush()
    audit.record(
        session,
        "document.attachment_sign",
        object_type="document",
        object_id=document.id,
        detail={
            **document_detail(document),
            "name": original.original_name,
            "certificate": credential.subject,
        },
    )
    return row


def pdf_of(session: Session, row: DocumentAttachment) -> StoredFile | None:
    """The PDF that is shown and signed: the upload itself, or the worker's conversion of
    it (None until the worker has made it)."""
    stored = session.get(StoredFile, row.file_id)
    if stored is not None and stored.mime_type == PDF_MIME:
        return stored
    return session.get(StoredFile, preview_id(row.file_id))


def file_of(session: Session, row: DocumentAttachment, *, original: bool = False) -> StoredFile:
    """What a download gives: the signed PDF once signed, else the PDF (the conversion of
    a Word file once made), else — or when ``original`` is asked — the upload."""
    if not original:
        if row.signed_file_id:
            signed = session.get(StoredFile, row.signed_file_id)
            assert signed is not None  # a foreign key
            return signed
        pdf = pdf_of(session, row)
        if pdf is not None:
            return pdf
    stored = session.get(StoredFile, row.file_id)
    assert stored is not None  # a foreign key
    return stored


@dataclass(frozen=True)
class State:
    """Where an attachment stands, for its line on the document's page."""

    name: str  # as uploaded (NFC)
    converted: bool  # uploaded as Word/OpenDocument, shown and signed as its PDF
    pdf_ready: bool
    failed: str = ""  # the conversion's reason, when it failed


def states(session: Session, rows: list[DocumentAttachment]) -> dict[int, State]:
    """Each attachment's :class:`State`, by its id."""
    if not rows:
        return {}
    files = {
        file_id: (name, mime)
        for file_id, name, mime in session.execute(
            select(StoredFile.id, StoredFile.original_name, StoredFile.mime_type).where(
                StoredFile.id.in_([row.file_id for row in rows])
            )
        )
    }
    converted = [row.file_id for row in rows if files.get(row.file_id, ("", ""))[1] != PDF_MIME]
    ready = set(
        session.scalars(
            select(StoredFile.id).where(StoredFile.id.in_([preview_id(f) for f in converted]))
        )
    )
    failures: dict[str, str] = {}
    if converted:
        since = min(row.created_at for row in rows)
        for job in session.scalars(
            select(Job)
            .where(
                Job.organization_id == rows[0].organization_id,
                Job.function.endswith(PREVIEW_JOB),
                Job.created_at >= since,
            )
            .order_by(Job.created_at)
        ):
            file_id = (job.args or {}).get("file_id")
            if file_id in converted:  # the latest try counts
                failures[file_id] = job.error if job.status == JobStatus.FAILED else ""
    found = {}
    for row in rows:
        name, mime = files.get(row.file_id, ("", ""))
        is_converted = mime != PDF_MIME
        found[row.id] = State(
            name=name,
            converted=is_converted,
            pdf_ready=not is_converted or preview_id(row.file_id) in ready,
            failed=failures.get(row.file_id, "") if is_converted else "",
        )
    return found
