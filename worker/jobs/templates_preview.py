"""Previewing a template: the kind's sample data rendered with it → PDF → page-1 PNG.

Runs in the worker because neither a template (it is code) nor LibreOffice has a place on
the request path. It is also the trial render of every uploaded version: the sample is
rendered in a limited child process (:mod:`worker.render_sandbox`); a template that fails
there (an error, or too much memory, time or output) fails the job with the reason, and a
version uploaded with "activate" is activated only once its sample has rendered. The
sample's header is shown with the organization's own name and place, so the admin sees the
page as their documents will look.
"""

from __future__ import annotations

from typing import Any

from render.context import build_context
from render.errors import RenderError
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import template_path
from render.pdf import get_converter
from render.pdf_errors import PdfConversionError
from render.preview import PreviewError
from render.preview import render_preview_png
from services.doc_templates import SAMPLE_FAILED
from services.doc_templates import activate_after_trial
from services.doc_templates import store_preview
from services.documents import org_context
from storage.db import get_db
from storage.models import DocumentTemplate
from storage.models import Job
from storage.models import Organization
from worker.errors import JobError
from worker.render_sandbox import render_docx_sandboxed
from worker.runner import Progress

__all__ = ["preview_template"]

PREVIEW_WIDTH_PX = 900


def preview_template(
    progress: Progress,
    *,
    organization_id: int,
    kind: str,
    template_id: int | None = None,
    activate: bool = False,
    active_before: int | None = None,
) -> dict[str, Any]:
    """Render the sample of ``kind`` with version ``template_id`` (None: the built-in).

    With ``activate``, the version is made the one in use once its sample has rendered,
    unless the version in use is no longer ``active_before``.
    """
    if kind not in KINDS:
        raise JobError(f"Không có loại mẫu văn bản “{kind}”.")
    manifest = load_manifest(kind)
    with get_db().session() as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise JobError("Cơ quan không còn tồn tại.")
        if template_id is None:
            template = template_path(kind).read_bytes()
            name = f"Xem trước mẫu gốc {manifest.label}"
        else:
            custom = session.get(DocumentTemplate, template_id)
            if custom is None or custom.organization_id != organization_id or custom.kind != kind:
                raise JobError("Phiên bản mẫu không còn tồn tại.")
            template = custom.file.content
            name = f"Xem trước mẫu {manifest.label} phiên bản {custom.version}"
        sample = manifest.sample
        own = {k: v for k, v in org_context(org).items() if v}
        org_values = {**sample.get("org", {}), **own}
    progress(1, 4, "Đang điền dữ liệu mẫu")
    try:
        context = build_context(
            kind, sample.get("header", {}), sample.get("body", {}), org_values, manifest=manifest
        )
    except RenderError as exc:
        raise JobError(f"Không tạo được văn bản mẫu: {exc.message}") from exc
    try:
        docx = render_docx_sandboxed(template, context, check_opens=True)
    except RenderError as exc:
        raise JobError(f"{SAMPLE_FAILED}: {exc.message}") from exc
    activated = False
    if activate and template_id is not None:
        with get_db().session() as session:
            custom = session.get(DocumentTemplate, template_id)
            job = session.get(Job, getattr(progress, "job_id", ""))
            if custom is not None:
                activated = activate_after_trial(
                    session,
                    custom,
                    active_before=active_before,
                    user_id=job.created_by_id if job is not None else None,
                )
    progress(2, 4, "Đang chuyển sang PDF")
    try:
        pdf = get_converter().convert_docx_to_pdf(docx)
        progress(3, 4, "Đang tạo ảnh trang 1")
        png = render_preview_png(pdf, width_px=PREVIEW_WIDTH_PX)
    except PdfConversionError as exc:
        raise JobError(f"Không chuyển được văn bản mẫu sang PDF: {exc.message}") from exc
    except PreviewError as exc:
        raise JobError(exc.message) from exc
    with get_db().session() as session:
        ids = store_preview(
            session,
            job_id=getattr(progress, "job_id", None),
            organization_id=organization_id,
            kind=kind,
            template_id=template_id,
            name=name,
            png=png,
            pdf=pdf,
        )
    progress(4, 4, "Đã tạo ảnh xem trước")
    return {"kind": kind, "template_id": template_id, "activated": activated, **ids}
