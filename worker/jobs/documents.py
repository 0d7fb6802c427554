"""Rendering outgoing documents: docx from the template, then PDF and page previews."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from domain.text import display_filename
from domain.text import nfc
from render.context import build_context
from render.errors import RenderError
from render.pdf import get_converter
from render.pdf_errors import PdfConversionError
from render.preview import PreviewError
from render.preview import page_file_id
from render.preview import render_preview_pages
from services.documents import DOCX_MIME
from services.documents import org_context
from services.documents import template_bytes
from storage.db import get_db
from storage.files import save_file
from storage.models import Document
from storage.models import Organization
from storage.models import RenderStatus
from storage.models import StoredFile
from worker.errors import JobError
from worker.render_sandbox import render_docx_sandboxed
from worker.runner import Progress

__all__ = ["render_document"]

log = logging.getLogger(__name__)


def render_document(progress: Progress, *, document_id: int) -> dict[str, Any]:
    """Render document ``document_id`` and store its .docx, .pdf and a .png of each page.

    Each database step is its own short transaction, and none is open while another one
    writes: on SQLite a session holding the write lock while a second one waits for it
    would block the job for the whole busy timeout (on PostgreSQL, for ever).
    """
    job_id = getattr(progress, "job_id", None)
    try:
        return _render(progress, document_id, job_id)
    except JobError:
        raise
    except Exception as exc:
        # The document must not stay "running" forever; the runner records the job's error.
        _fail(document_id, job_id, f"Lỗi hệ thống khi soạn văn bản ({type(exc).__name__}).")
        raise


def _render(progress: Progress, document_id: int, job_id: str | None) -> dict[str, Any]:
    database = get_db()
    with database.session() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise JobError("Văn bản không còn tồn tại.")
        if _superseded(document, job_id):
            return {"document_id": document_id, "superseded": True}
        document.render_status = RenderStatus.RUNNING.value
    problem = ""
    with database.session() as session:
        document = session.get(Document, document_id)
        org = session.get(Organization, document.organization_id)
        header = dict(document.header_fields)
        if document.number is not None:
            header["number"] = document.number
            header["date"] = document.issued_date
            # The register's ký hiệu is final: a later change of the organization's
            # abbreviation must not alter an issued document.
            header["symbol"] = document.symbol
        try:
            context = build_context(
                document.kind,
                header,
                document.body_fields,
                org_context(org, unit_abbrev=str(header.get("unit_abbrev") or "")),
            )
            template, template_id = template_bytes(session, org.id, document.kind)
        except RenderError as exc:
            problem = exc.message
        name = download_stem(document)
    if problem:
        _fail(document_id, job_id, problem)
        raise JobError(problem)
    progress(1, 4, "Đang điền mẫu văn bản")
    try:
        docx = render_docx_sandboxed(template, context)
    except RenderError as exc:
        _fail(document_id, job_id, exc.message)
        raise JobError(exc.message) from exc
    progress(2, 4, "Đang chuyển sang PDF")
    pdf = None
    pages: list[bytes] = []
    pdf_error = ""
    try:
        pdf = get_converter().convert_docx_to_pdf(docx)
        progress(3, 4, "Đang tạo ảnh xem trước")
        pages, _ = render_preview_pages(pdf, width_px=900)
    except PdfConversionError as exc:
        pdf_error = f"Đã tạo .docx nhưng chưa chuyển được sang PDF: {exc.message}"
    except PreviewError as exc:
        log.warning("preview of document %s failed: %s", document_id, exc)
    with database.session() as session:
        document = session.get(Document, document_id)
        if document is None or _superseded(document, job_id):
            # Edited or issued meanwhile: a newer render is queued; never overwrite its
            # output (e.g. the numbered document) with this older one.
            return {"document_id": document_id, "superseded": True}
        owner = dict(organization_id=document.organization_id, created_by_id=None)
        document.docx_file_id = save_file(
            session, content=docx, original_name=f"{name}.docx", mime_type=DOCX_MIME, **owner
        ).id
        document.pdf_file_id = (
            save_file(
                session,
                content=pdf,
                original_name=f"{name}.pdf",
                mime_type="application/pdf",
                **owner,
            ).id
            if pdf
            else None
        )
        document.preview_file_id = _save_previews(session, pages, name, owner)
        document.template_id = template_id
        document.render_status = (RenderStatus.FAILED if pdf_error else RenderStatus.DONE).value
        document.render_error = pdf_error
    if pdf_error:
        # The .docx is kept and offered; the job reports why the PDF is missing.
        raise JobError(pdf_error)
    progress(4, 4, "Đã tạo xong văn bản")
    return {"document_id": document_id}


def _save_previews(session, pages: list[bytes], name: str, owner: dict) -> str | None:
    """Store the page images; return the id of page 1's, from which the others' derive."""
    if not pages:
        return None
    first = save_file(
        session, content=pages[0], original_name=f"{name}.png", mime_type="image/png",
        **owner,
    )  # fmt: skip
    for number, content in enumerate(pages[1:], start=2):
        session.add(
            StoredFile(
                id=page_file_id(first.id, number),
                organization_id=owner["organization_id"],
                original_name=display_filename(f"{name} - trang {number}.png"),
                mime_type="image/png",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            )
        )
    return first.id


def _superseded(document: Document, job_id: str | None) -> bool:
    """A newer render of the document was requested after this job."""
    return job_id is not None and document.job_id is not None and document.job_id != job_id


def download_stem(document: Document) -> str:
    """A Vietnamese file name: "Kế hoạch 05-KH-THCSMT" or "Dự thảo Kế hoạch <trích yếu>"."""
    from services.documents import kind_label

    label = kind_label(document.kind)
    if document.number is not None:
        stem = f"{label} {document.number:02d}-{document.symbol}"
    else:
        stem = f"Dự thảo {label} {document.summary[:60]}"
    cleaned = "".join(" " if c in '\\/:*?"<>|\r\n\t' else c for c in nfc(stem))
    return " ".join(cleaned.split())[:120]


def _fail(document_id: int, job_id: str | None, message: str) -> None:
    with get_db().session() as session:
        document = session.get(Document, document_id)
        if document is not None and not _superseded(document, job_id):
            document.render_status = RenderStatus.FAILED.value
            document.render_error = message
