"""Rendering outgoing documents: docx from the template, then PDF and page previews."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask import has_app_context

from domain.text import nfc
from render.context import build_context
from render.errors import RenderError
from render.pdf import get_converter
from render.pdf_errors import PdfConversionError
from render.preview import PreviewError
from render.preview import render_preview_pages
from services.documents import kind_label
from services.documents import org_context
from services.documents import template_bytes
from services.renders import PREVIEW_WIDTH_PX
from services.renders import store_render
from storage.db import get_db
from storage.models import Document
from storage.models import Organization
from storage.models import RenderStatus
from worker.errors import JobError
from worker.render_sandbox import render_docx_sandboxed
from worker.runner import Progress

__all__ = ["render_document"]

log = logging.getLogger(__name__)


def render_document(progress: Progress, *, document_id: int) -> dict[str, Any]:
    """Render document ``document_id`` and store its .docx, .pdf and page 1's .png (further
    pages are drawn when first viewed), deleting the files it supersedes.

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
        document = session.get_one(Document, document_id)
        org = session.get_one(Organization, document.organization_id)
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
        number = document.number
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
    page_count = None
    pdf_error = ""
    try:
        pdf = get_converter().convert_docx_to_pdf(docx)
        progress(3, 4, "Đang tạo ảnh xem trước")
        pages, page_count = render_preview_pages(pdf, width_px=PREVIEW_WIDTH_PX, max_pages=1)
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
        store_render(
            session,
            document,
            name=name,
            docx=docx,
            pdf=pdf,
            first_page=pages[0] if pages else None,
            page_count=page_count,
            number=number,
            keep=_history_keep(),
        )
        document.template_id = template_id
        document.render_status = (RenderStatus.FAILED if pdf_error else RenderStatus.DONE).value
        document.render_error = pdf_error
    if pdf_error:
        # The .docx is kept and offered; the job reports why the PDF is missing.
        raise JobError(pdf_error)
    progress(4, 4, "Đã tạo xong văn bản")
    return {"document_id": document_id}


def _history_keep() -> int:
    """Previous renders of a draft kept (``RENDER_HISTORY_KEEP``)."""
    return int(current_app.config.get("RENDER_HISTORY_KEEP", 0)) if has_app_context() else 0


def _superseded(document: Document, job_id: str | None) -> bool:
    """A newer render of the document was requested after this job."""
    return job_id is not None and document.job_id is not None and document.job_id != job_id


def download_stem(document: Document) -> str:
    """A Vietnamese file name: "Kế hoạch 05-KH-THCSMT" or "Dự thảo Kế hoạch <trích yếu>"."""

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
