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

Only PDF is taken. Evidence files in .doc/.odt are converted by the worker for viewing,
but an attachment's PDF is what the organization signs and sends: the clerk exports it
from the office program, checks it, and uploads that.
"""

from __future__ import annotations

import io
from datetime import UTC
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import attachment_signing
from services import audit
from services import signing
from services.document_signing import _names_organization
from services.document_signing import document_detail
from services.documents import number_label
from services.signing import SigningError
from storage.files import save_file
from storage.models import Document
from storage.models import DocumentAttachment
from storage.models import DocumentStatus
from storage.models import Organization
from storage.models import StoredFile
from storage.models import User
from storage.uploads import UploadRejected
from storage.uploads import check_upload

PDF = {"application/pdf": "PDF"}
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
    session: Session, document: Document, user: User, filename: str, content: bytes
) -> DocumentAttachment:
    """Keep an uploaded PDF as a văn bản kèm theo of the issued ``document``.

    Raises:
        SigningError: the document is not issued, or has too many attachments.
        UploadRejected: not a PDF by its content, too large, damaged or encrypted.
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
    checked = check_upload(filename, content, PDF)
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
    session.delete(row)
    session.flush()
    if stored is not None:
        session.delete(stored)
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
    credential_file: bytes,
    passphrase: str,
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
    credential = signing.load_credential(credential_file, passphrase)
    if not _names_organization(credential.subject, organization):
        raise SigningError(
            f"Chứng thư số là của “{credential.subject}”, không phải của {organization.name}."
        )
    original = session.get(StoredFile, row.file_id)
    if original is None:
        raise SigningError("Không tìm thấy tệp của văn bản kèm theo.")
    pdf = attachment_signing.sign_attachment(
        original.content,
        credential,
        so_ky_hieu=number_label(document),
        organization_name=organization.name,
        timestamp_url=timestamp_url,
    )
    stem = original.original_name.removesuffix(".pdf").removesuffix(".PDF")
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


def file_of(session: Session, row: DocumentAttachment) -> StoredFile:
    """What a download gives: the signed PDF once signed, the upload before."""
    stored = session.get(StoredFile, row.signed_file_id or row.file_id)
    assert stored is not None  # foreign keys
    return stored
