"""Văn bản của cấp trên: tải lên, đọc, rà soát, lập kế hoạch."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from forms.plans import ReviewForm
from forms.plans import UploadForm
from forms.plans import review_data
from forms.plans import review_values
from services import audit
from services import incoming_signatures
from services.pagination import page_request
from services.plans.drafting import Schedule
from services.plans.drafting import citation_line
from services.plans.drafting import create_draft_plan
from services.plans.drafting import draft_schedule
from services.plans.drafting import lead_days
from services.plans.fields import confirmed_fields
from services.plans.fields import field_sources
from services.plans.parse_results import page_png
from services.plans.review import ENCODING_LABELS
from services.plans.review import save_review
from services.plans.uploads import check_plan_upload
from services.plans.uploads import create_incoming
from services.plans.uploads import find_duplicate
from services.plans.uploads import pasted_upload
from services.plans.uploads import start_parse
from services.plans.uploads import uploads_page
from services.signatures import state_label as signature_state_label
from storage.db import get_session
from storage.db import real_app
from storage.models import INCOMING_STATUS_LABELS
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import IncomingStatus
from storage.models import Job
from storage.models import Organization
from storage.uploads import CheckedUpload
from storage.uploads import UploadRejected
from views.access import get_in_org
from views.api import json_error
from views.auth import clerk_required
from views.document_forms import audit_names
from views.downloads import send_audited
from views.downloads import send_bytes
from views.formatting import vn_date

bp = Blueprint("plans", __name__)


def _incoming(incoming_id: int) -> IncomingDocument:
    return get_in_org(IncomingDocument, incoming_id)


def _render_index(form: UploadForm, duplicate: IncomingDocument | None = None) -> str:
    number, size = page_request(request.args)
    page = uploads_page(get_session(), g.user.organization_id, number=number, size=size)
    return render_template(
        "plans/index.html",
        form=form,
        page=page,
        items=page.items,
        duplicate=duplicate,
        labels=INCOMING_STATUS_LABELS,
        max_pages=current_app.config["INGEST_MAX_PAGES"],
        max_mb=current_app.config["MAX_UPLOAD_MB"],
    )


@bp.route("/van-ban-den/")
@clerk_required
def index() -> ResponseReturnValue:
    return _render_index(UploadForm())


def _checked_upload(file: FileStorage | None, text: str | None) -> CheckedUpload:
    if file is not None and file.filename:
        return check_plan_upload(file.filename, file.read())
    if text and text.strip():
        return pasted_upload(text)
    raise UploadRejected("Hãy chọn một tệp hoặc dán nội dung văn bản.")


@bp.route("/van-ban-den/tai-len", methods=["POST"])
@clerk_required
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_index(form), 400
    try:
        checked = _checked_upload(form.file.data, form.text.data)
    except UploadRejected as exc:
        form.file.errors = [str(exc)]
        return _render_index(form), 400
    session = get_session()
    duplicate = find_duplicate(session, g.user.organization_id, checked.content)
    if duplicate is not None:
        return _render_index(UploadForm(formdata=None), duplicate)
    incoming = _accept(session, checked)
    return redirect(url_for("plans.detail", incoming_id=incoming.id))


def _accept(session: Session, checked: CheckedUpload) -> IncomingDocument:
    """Store a checked new upload, queue its parse and audit it (committed)."""
    incoming = create_incoming(
        session,
        real_app(),
        organization_id=g.user.organization_id,
        user_id=g.user.id,
        upload=checked,
    )
    audit.record(
        session,
        "incoming.upload",
        object_type="incoming",
        object_id=incoming.id,
        detail={"name": checked.filename},
    )
    session.commit()
    return incoming


@bp.route("/van-ban-den/<int:incoming_id>")
@clerk_required
def detail(incoming_id: int) -> ResponseReturnValue:
    incoming = _incoming(incoming_id)
    form = None
    if incoming.status in (IncomingStatus.PARSED, IncomingStatus.CONFIRMED):
        form = ReviewForm(data=review_data(confirmed_fields(incoming)))
    return _render_detail(incoming, form)


def _render_detail(incoming: IncomingDocument, form: ReviewForm | None) -> str:
    session = get_session()
    job = session.get(Job, incoming.job_id) if incoming.job_id else None
    extracted = incoming.extracted or {}
    fields = confirmed_fields(incoming) if extracted else {}
    lines = extracted.get("text") or []
    return render_template(
        "plans/detail.html",
        incoming=incoming,
        form=form,
        job=job,
        labels=INCOMING_STATUS_LABELS,
        sources=field_sources(extracted),
        corrections=incoming.corrections or {},
        pages=list(incoming.pages),
        lines_by_page=_lines_by_page(lines),
        citation=citation_line(fields) if fields else "",
        encoding=ENCODING_LABELS.get(str(extracted.get("encoding") or "")),
        deadline_count=len(fields.get("deadlines") or []) if fields else 0,
        schedule=_schedule(incoming, fields),
        signature_label=signature_state_label,
        signature_lines=incoming_signatures.lines(incoming),
    )


def _schedule(incoming: IncomingDocument, fields: dict[str, Any]) -> Schedule | None:
    """The responding plan's Tiến độ as it would be drafted today (with notes)."""
    if not fields:
        return None
    org = get_session().get_one(Organization, incoming.organization_id)
    lead = lead_days(real_app(), org)
    return draft_schedule(fields, lead, date.today())


def _lines_by_page(lines: list[dict[str, Any]]) -> list[tuple[int, list[dict[str, Any]]]]:
    pages: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        pages.setdefault(int(line.get("page") or 1), []).append(line)
    return sorted(pages.items())


@bp.route("/van-ban-den/<int:incoming_id>/ra-soat", methods=["POST"])
@clerk_required
def review(incoming_id: int) -> ResponseReturnValue:
    incoming = _incoming(incoming_id)
    if incoming.status not in (IncomingStatus.PARSED, IncomingStatus.CONFIRMED):
        flash("Văn bản chưa đọc xong nên chưa rà soát được.", "error")
        return redirect(url_for("plans.detail", incoming_id=incoming.id))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_detail(incoming, form), 400
    confirm = bool(form.confirm.data)
    was_confirmed = incoming.status == IncomingStatus.CONFIRMED
    save_review(get_session(), incoming, review_values(form), confirm=confirm, user_id=g.user.id)
    if confirm:
        audit.record(
            get_session(), "incoming.confirm", object_type="incoming", object_id=incoming.id
        )
    get_session().commit()
    if confirm or was_confirmed:
        flash("Đã xác nhận văn bản; các thời hạn đã được đưa vào lịch hạn.", "success")
    else:
        flash("Đã lưu các chỉnh sửa (chưa xác nhận).", "success")
    return redirect(url_for("plans.detail", incoming_id=incoming.id))


@bp.route("/van-ban-den/<int:incoming_id>/trang-<int:page>.png")
@clerk_required
def page_image(incoming_id: int, page: int) -> ResponseReturnValue:
    incoming = _incoming(incoming_id)
    row = get_session().scalar(
        select(IncomingPage).where(
            IncomingPage.incoming_id == incoming.id, IncomingPage.page == page
        )
    )
    if row is None:
        return render_template(
            "error.html", title="Không tìm thấy", message="Trang này không có ảnh."
        ), 404
    # Drawn the first time it is asked for (in a limited child: the bytes are a user's);
    # kept for every upload of the same bytes, so committed here. A page that cannot be
    # drawn answers PageDrawFailed's message (503) through the app's handler.
    config = current_app.config
    png = page_png(
        get_session(),
        row,
        memory_mb=int(config["PAGE_IMAGE_MEMORY_MB"]),
        timeout=float(config["PAGE_IMAGE_TIMEOUT"]),
    )
    get_session().commit()
    return send_bytes(png, f"trang-{page}.png", "image/png")


@bp.route("/van-ban-den/<int:incoming_id>/tep")
@clerk_required
def download(incoming_id: int) -> ResponseReturnValue:
    incoming = _incoming(incoming_id)
    return send_audited(
        incoming.file,
        "incoming.download",
        object_type="incoming",
        object_id=incoming.id,
        detail={"name": incoming.file.original_name, "file": incoming.file_id},
    )


@bp.route("/van-ban-den/<int:incoming_id>/doc-lai", methods=["POST"])
@clerk_required
def reparse(incoming_id: int) -> ResponseReturnValue:
    incoming = _incoming(incoming_id)
    if incoming.status in (IncomingStatus.QUEUED, IncomingStatus.PARSING):
        flash("Văn bản đang được đọc.", "info")
    elif incoming.status == IncomingStatus.CONFIRMED:
        flash("Văn bản đã xác nhận; không đọc lại để khỏi mất phần đã rà soát.", "error")
    else:
        start_parse(
            get_session(),
            real_app(),
            incoming,
            user_id=g.user.id,
        )
        get_session().commit()
        flash("Đã xếp lịch đọc lại văn bản.", "info")
    return redirect(url_for("plans.detail", incoming_id=incoming.id))


@bp.route("/van-ban-den/<int:incoming_id>/lap-ke-hoach", methods=["POST"])
@clerk_required
def draft(incoming_id: int) -> ResponseReturnValue:
    incoming = _incoming(incoming_id)
    if incoming.status != IncomingStatus.CONFIRMED:
        flash("Hãy rà soát và xác nhận văn bản trước khi lập kế hoạch.", "error")
        return redirect(url_for("plans.detail", incoming_id=incoming.id))
    session = get_session()
    document, job_id, notes = create_draft_plan(
        session,
        real_app(),
        incoming,
        user_id=g.user.id,
    )
    audit.record(
        session,
        "document.create",
        object_type="document",
        object_id=document.id,
        detail=audit_names(document),
    )
    session.commit()
    flash("Đã lập dự thảo kế hoạch; văn bản đang được soạn.", "success")
    if notes:  # items left out or without their full lead: the clerk decides
        flash("Cần xem lại phần Tiến độ: " + " ".join(notes), "info")
    if "documents.detail" in current_app.view_functions:
        return redirect(url_for("documents.detail", document_id=document.id))
    return redirect(url_for("jobs.job_page", job_id=job_id))


# -- JSON API ------------------------------------------------------------------------------


def _api_view(incoming: IncomingDocument) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": incoming.id,
        "status": incoming.status,
        "status_label": INCOMING_STATUS_LABELS.get(incoming.status, incoming.status),
        "error": incoming.error or None,
        "filename": incoming.file.original_name,
        "uploaded_at": incoming.created_at.isoformat(),
        "url": url_for("plans.detail", incoming_id=incoming.id, _external=True),
        "api_url": url_for("plans.api_detail", incoming_id=incoming.id, _external=True),
        "job": incoming.job_id,
        "status_url": url_for("jobs.job_status", job_id=incoming.job_id, _external=True)
        if incoming.job_id
        else None,
    }
    if incoming.extracted:
        body["fields"] = confirmed_fields(incoming)
        body["corrections"] = incoming.corrections or {}
    return body


@bp.route("/api/van-ban-den", methods=["POST"])
@clerk_required
def api_upload() -> ResponseReturnValue:
    """Upload a plan: multipart ``file`` or ``text``, or JSON ``{"text": "…"}``; 202 with
    ``Location`` = the record's API resource (its status while the parser works)."""
    if request.is_json:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            return json_error(
                400,
                "Nội dung JSON phải là một đối tượng có trường “text” là chuỗi văn bản, "
                'ví dụ {"text": "…"}; tệp thì gửi dạng multipart/form-data, trường “file”.',
            )
        text: str | None = payload["text"]
    else:
        text = request.form.get("text")
    checked = _checked_upload(request.files.get("file"), text)  # UploadRejected: 400, web.py
    session = get_session()
    duplicate = find_duplicate(session, g.user.organization_id, checked.content)
    if duplicate is not None:
        body = _api_view(duplicate)
        body["duplicate"] = True
        body["message"] = (
            f"Văn bản này đã được tải lên ngày {vn_date(duplicate.created_at)}; không đọc lại."
        )
        return jsonify(body), 200
    incoming = _accept(session, checked)
    body = _api_view(incoming)
    body["duplicate"] = False
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = body["api_url"]
    return response


@bp.route("/api/van-ban-den/<int:incoming_id>")
@clerk_required
def api_detail(incoming_id: int) -> ResponseReturnValue:
    return jsonify(_api_view(_incoming(incoming_id)))
