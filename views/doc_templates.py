"""Mẫu văn bản riêng của cơ quan: versions per kind, checked uploads, activation, previews.

Admins only. Nothing here runs a template: an upload is checked without running it, and
its trial render with the sample data is a preview job (a template is code, LibreOffice is
slow: neither belongs in a web request); the page polls the job and shows page 1 as an
image when it is done, or why the template failed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from forms.doc_templates import ActionForm
from forms.doc_templates import TemplateUploadForm
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import template_path
from render.validate import allowed_variables
from services import audit
from services import doc_templates as service
from services.documents import DOCX_MIME
from storage.db import get_session
from storage.db import real_app
from storage.models import DocumentTemplate
from storage.models import Job
from storage.models import JobStatus
from storage.models import StoredFile
from storage.models import User
from views.access import get_in_org
from views.auth import admin_required
from views.downloads import send_bytes
from views.downloads import send_stored_file

bp = Blueprint("doc_templates", __name__, url_prefix="/quan-tri/mau-van-ban")


def _kind_or_404(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


def _version_or_404(kind: str, template_id: int) -> DocumentTemplate:
    template = get_in_org(DocumentTemplate, template_id)
    if template.kind != kind:
        abort(404)
    return template


@bp.route("/")
@admin_required
def index() -> ResponseReturnValue:
    summary = service.summary_by_kind(get_session(), g.user.organization_id)
    kinds = [(kind, load_manifest(kind).label, *summary[kind]) for kind in KINDS]
    return render_template("doc_templates/index.html", kinds=kinds)


@bp.route("/<kind>", methods=["GET", "POST"])
@admin_required
def kind_page(kind: str) -> ResponseReturnValue:
    _kind_or_404(kind)
    session = get_session()
    form = TemplateUploadForm()
    reasons: list[str] = []
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            reasons = ["Vui lòng chọn tệp mẫu .docx."]
        else:
            outcome = service.add_version(
                session,
                organization_id=g.user.organization_id,
                user_id=g.user.id,
                kind=kind,
                content=upload.read(),
                filename=upload.filename,
                note=form.note.data or "",
                activate=bool(form.activate.data),
                app=real_app(),
            )
            if outcome.template is not None:
                audit.record(
                    session,
                    "template.upload",
                    object_type="template",
                    object_id=outcome.template.id,
                    detail={"kind": kind, "version": outcome.template.version},
                )
                session.commit()
                version = outcome.template.version
                state = "; mẫu sẽ được dùng ngay khi thử thành công" if form.activate.data else ""
                flash(
                    f"Đã lưu mẫu phiên bản {version}. Đang thử tạo văn bản với dữ liệu mẫu"
                    f"{state}; kết quả hiện ở phần Xem trước.",
                    "success",
                )
                return redirect(url_for("doc_templates.kind_page", kind=kind) + "#xem-truoc")
            reasons = outcome.reasons
        status = 422
    return render_template("doc_templates/kind.html", **_kind_context(kind, form, reasons)), status


def _kind_context(kind: str, form: TemplateUploadForm, reasons: list[str]) -> dict[str, Any]:
    session = get_session()
    org_id = g.user.organization_id
    versions = service.versions(session, org_id, kind)
    author_ids = {v.created_by_id for v in versions if v.created_by_id}
    authors = (
        dict(session.execute(select(User.id, User.full_name).where(User.id.in_(author_ids))).all())
        if author_ids
        else {}
    )
    previews = service.latest_previews(session, org_id, kind)
    latest = max(previews.values(), key=lambda job: job.created_at, default=None)
    manifest = load_manifest(kind)
    labels = {f.name: f.label for f in (*manifest.header_fields, *manifest.fields)}
    variables = sorted(allowed_variables(kind))
    return {
        "kind": kind,
        "label": manifest.label,
        "versions": versions,
        "authors": authors,
        "builtin_active": not any(v.active for v in versions),
        "previews": previews,
        "latest_preview": latest,
        "preview_version": _preview_version(latest, versions),
        "form": form,
        "action_form": ActionForm(),
        "reasons": reasons,
        "variables": [(name, labels.get(name, "")) for name in variables],
    }


def _preview_version(job: Job | None, versions: list[DocumentTemplate]) -> str:
    if job is None:
        return ""
    template_id = job.args.get("template_id")
    if template_id is None:
        return "mẫu gốc"
    for version in versions:
        if version.id == template_id:
            return f"phiên bản {version.version}"
    return "phiên bản đã chọn"


@bp.route("/<kind>/<int:template_id>/kich-hoat", methods=["POST"])
@admin_required
def activate(kind: str, template_id: int) -> ResponseReturnValue:
    template = _version_or_404(_kind_or_404(kind), template_id)
    if ActionForm().validate_on_submit():
        session = get_session()
        failure = service.trial_failure(session, template)
        if failure:
            flash(
                f"Chưa dùng được phiên bản {template.version}: {failure} Hãy sửa mẫu và tải "
                "lên phiên bản mới.",
                "error",
            )
            return redirect(url_for("doc_templates.kind_page", kind=kind))
        service.activate_version(session, template)
        audit.record(
            session,
            "template.activate",
            object_type="template",
            object_id=template.id,
            detail={"kind": kind, "version": template.version},
        )
        session.commit()
        flash(f"Văn bản mới sẽ dùng mẫu phiên bản {template.version}.", "success")
    return redirect(url_for("doc_templates.kind_page", kind=kind))


@bp.route("/<kind>/dung-mau-goc", methods=["POST"])
@admin_required
def use_builtin(kind: str) -> ResponseReturnValue:
    _kind_or_404(kind)
    if ActionForm().validate_on_submit():
        session = get_session()
        service.use_builtin(session, g.user.organization_id, kind)
        audit.record(
            session,
            "template.activate",
            object_type="template",
            detail={"kind": kind, "version": "gốc"},
        )
        session.commit()
        flash("Văn bản mới sẽ dùng mẫu gốc của hệ thống.", "success")
    return redirect(url_for("doc_templates.kind_page", kind=kind))


@bp.route("/<kind>/mau-goc.docx")
@admin_required
def download_builtin(kind: str) -> ResponseReturnValue:
    _kind_or_404(kind)
    label = load_manifest(kind).label
    return send_bytes(template_path(kind).read_bytes(), f"Mẫu gốc {label}.docx", DOCX_MIME)


@bp.route("/<kind>/<int:template_id>/tai-ve")
@admin_required
def download(kind: str, template_id: int) -> ResponseReturnValue:
    template = _version_or_404(_kind_or_404(kind), template_id)
    label = load_manifest(kind).label
    content = template.file.content
    return send_bytes(content, f"Mẫu {label} phiên bản {template.version}.docx", DOCX_MIME)


@bp.route("/<kind>/xem-truoc", methods=["POST"])
@bp.route("/<kind>/<int:template_id>/xem-truoc", methods=["POST"])
@admin_required
def preview(kind: str, template_id: int | None = None) -> ResponseReturnValue:
    _kind_or_404(kind)
    if template_id is not None:
        _version_or_404(kind, template_id)
    if ActionForm().validate_on_submit():
        session = get_session()
        service.request_preview(
            session,
            real_app(),
            organization_id=g.user.organization_id,
            user_id=g.user.id,
            kind=kind,
            template_id=template_id,
        )
        session.commit()
        flash("Đang tạo ảnh xem trước với dữ liệu mẫu; trang sẽ tự cập nhật.", "info")
    return redirect(url_for("doc_templates.kind_page", kind=kind) + "#xem-truoc")


@bp.route("/xem-truoc/<job_id>/<any(png, pdf):fmt>")
@admin_required
def preview_file(job_id: str, fmt: str) -> ResponseReturnValue:
    job = get_in_org(Job, job_id)
    if job.function != f"worker.jobs.{service.PREVIEW_FUNCTION}" or job.status != JobStatus.DONE:
        abort(404)
    file_id = job.result.get("preview_file_id" if fmt == "png" else "pdf_file_id")
    stored = get_in_org(StoredFile, file_id) if file_id else abort(404)
    return send_stored_file(stored)
