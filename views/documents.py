"""Văn bản đi, sổ đăng ký văn bản đi: drafts from the manifests' forms, rendering in the
worker, issuing with a register number, withdrawing, the register and its export."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from forms.dates import INVALID as DATE_INVALID
from forms.dates import format_day_first
from forms.dates import parse_day_first
from forms.documents import document_form
from forms.documents import initial_header
from render.manifest import KINDS
from render.manifest import load_manifest
from render.preview import MAX_PREVIEW_PAGES
from services import attachments
from services import audit
from services import document_signing
from services import documents as svc
from services import dossier as dossier_svc
from services import register
from services import renders
from services.pagination import page_request
from storage.db import get_session
from storage.models import DOCUMENT_STATUS_LABELS
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import Job
from storage.models import RenderStatus
from views.access import get_in_org
from views.auth import clerk_required
from views.document_forms import audit_names
from views.document_forms import send_document_file
from views.document_forms import validate
from views.document_forms import wants_rows
from views.downloads import send_bytes
from views.formatting import VIETNAM

HOW_TO_TYPE = "Hãy nhập theo dạng ngày/tháng/năm, ví dụ 12/07/2026."

bp = Blueprint("documents", __name__, url_prefix="/van-ban")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REASON = register.MAX_REASON


def _today() -> date:
    return datetime.now(VIETNAM).date()


def _kinds() -> list[tuple[str, str, str]]:
    """(kind, label, description) of every template kind, in the manifests' order."""
    return [(k, load_manifest(k).label, load_manifest(k).description) for k in KINDS]


def _document(document_id: int) -> Document:
    return get_in_org(Document, document_id)


# -- list, new, edit ------------------------------------------------------------------


@bp.route("/")
@clerk_required
def index() -> ResponseReturnValue:
    args = request.args
    kind = args.get("kind", "") if args.get("kind", "") in KINDS else ""
    status = args.get("status", "") if args.get("status", "") in DOCUMENT_STATUS_LABELS else ""
    year_text = args.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    q = args.get("q", "").strip()[:200]
    number, size = page_request(args)
    session = get_session()
    page = svc.list_page(
        session, g.user.organization_id, number=number, size=size,
        kind=kind, status=status, year=year, q=q,
    )  # fmt: skip
    return render_template(
        "documents/index.html",
        page=page,
        items=page.items,
        kinds=_kinds(),
        criteria={"kind": kind, "status": status, "year": year_text if year else "", "q": q},
        years=svc.document_years(session, g.user.organization_id, _today()),
        **_helpers(),
    )


@bp.route("/moi")
@clerk_required
def choose_kind() -> ResponseReturnValue:
    return render_template("documents/choose.html", kinds=_kinds())


@bp.route("/moi/<kind>", methods=["GET", "POST"])
@clerk_required
def create(kind: str) -> ResponseReturnValue:
    if kind not in KINDS:
        abort(404)
    org = g.user.organization
    if request.method == "GET":
        form = document_form(kind, header=initial_header(kind, org))
        return _render_form(form, kind)
    form = document_form(kind, formdata=request.form)
    if wants_rows(form):
        return _render_form(form, kind)
    if not validate(form, org):
        return _render_form(form, kind), 400
    session = get_session()
    document = svc.create_document(
        session,
        organization_id=org.id,
        created_by_id=g.user.id,
        kind=kind,
        header_fields=form.header_values(),
        body_fields=form.body_values(),
    )
    svc.request_render(session, current_app, document, user_id=g.user.id)
    audit.record(
        session,
        "document.create",
        object_type="document",
        object_id=document.id,
        detail=audit_names(document),
    )
    session.commit()
    flash("Đã lưu dự thảo; văn bản đang được soạn.", "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.route("/<int:document_id>/sua", methods=["GET", "POST"])
@clerk_required
def edit(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    if document.status != DocumentStatus.DRAFT:
        flash("Văn bản đã phát hành không sửa được; hãy soạn văn bản mới.", "error")
        return redirect(url_for("documents.detail", document_id=document.id))
    if request.method == "GET":
        form = document_form(
            document.kind, header=document.header_fields, body=document.body_fields
        )
        return _render_form(form, document.kind, document)
    form = document_form(document.kind, formdata=request.form)
    if wants_rows(form):
        return _render_form(form, document.kind, document)
    if not validate(form, g.user.organization):
        return _render_form(form, document.kind, document), 400
    session = get_session()
    try:
        svc.update_draft(
            document, header_fields=form.header_values(), body_fields=form.body_values()
        )
    except svc.DraftError as exc:
        # Issued meanwhile: nothing saved, and the form keeps what the clerk typed.
        flash(exc.message, "error")
        return _render_form(form, document.kind, document), 409
    svc.request_render(session, current_app, document, user_id=g.user.id)
    session.commit()
    flash("Đã lưu dự thảo; văn bản đang được soạn lại.", "success")
    return redirect(url_for("documents.detail", document_id=document.id))


def _render_form(form: FlaskForm, kind: str, document: Document | None = None) -> str:
    return render_template(
        "documents/form.html", form=form, manifest=load_manifest(kind), document=document
    )


# -- one document -----------------------------------------------------------------------


@bp.route("/<int:document_id>")
@clerk_required
def detail(document_id: int) -> ResponseReturnValue:
    return render_detail(_document(document_id))


def render_detail(
    document: Document,
    *,
    issue_error: str = "",
    withdraw_error: str = "",
    delete_error: str = "",
    sign_error: str = "",
    sign_step: str = "",
    attachment_error: str = "",
    attachment_signing: int | None = None,
) -> str:
    session = get_session()
    job = session.get(Job, document.job_id) if document.job_id else None
    kem_theo = attachments.attachments_of(session, document)
    return render_template(
        "documents/detail.html",
        d=document,
        signatures=document_signing.signatures_of(session, document),
        step_labels=document_signing.STEP_LABELS,
        level_note=document_signing.level_note,
        has_signature_image=document_signing.signature_image(session, g.user) is not None,
        is_signer=document_signing.is_signer(g.user, document),
        has_seal=document_signing.seal_image(session, document.organization_id) is not None,
        sign_error=sign_error,
        sign_step=sign_step,
        attachments=kem_theo,
        attachment_states=attachments.states(session, kem_theo),
        attachment_error=attachment_error,
        attachment_signing=attachment_signing,
        max_attachment_mb=attachments.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        manifest=load_manifest(document.kind),
        job=job,
        numbered=register.is_numbered(document.kind),
        today=_today().isoformat(),
        issue_error=issue_error,
        withdraw_error=withdraw_error,
        delete_error=delete_error,
        issue_date=request.form.get("issued_on", "") or format_day_first(_today()),
        reason=request.form.get("reason", ""),
        **_helpers(),
    )


@bp.route("/<int:document_id>/soan-lai", methods=["POST"])
@clerk_required
def rerender(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    if document_signing.is_signed(get_session(), document):
        # Signed means final: a change is a văn bản thay thế, never a new render.
        flash("Văn bản đã ký số nên không soạn lại được.", "error")
    elif document.render_status in (RenderStatus.QUEUED, RenderStatus.RUNNING):
        flash("Văn bản đang được soạn; vui lòng chờ.", "info")
    else:
        session = get_session()
        svc.request_render(session, current_app, document, user_id=g.user.id)
        session.commit()
        flash("Đã gửi yêu cầu soạn lại văn bản.", "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.route("/<int:document_id>/phat-hanh", methods=["POST"])
@clerk_required
def issue(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    typed = request.form.get("issued_on", "")
    try:
        issued_on = parse_day_first(typed)  # dd/mm/yyyy (or ISO), whatever the browser
    except ValueError as exc:
        try:  # an ISO date of a year parse_day_first refuses: the register says why
            issued_on = date.fromisoformat(typed.strip())
        except ValueError:
            detail = HOW_TO_TYPE if str(exc) == DATE_INVALID else str(exc)
            message = f"Ngày phát hành không hợp lệ. {detail}"
            return render_detail(document, issue_error=message), 400
    if issued_on > _today():
        return render_detail(
            document, issue_error="Ngày phát hành không được sau ngày hôm nay."
        ), 400
    session = get_session()
    # Nothing has been written in this request yet: the register's allocation is the
    # transaction's first write (see services.register).
    try:
        register.issue_document(session, document, user_id=g.user.id, issued_on=issued_on)
    except register.RegisterError as exc:
        session.rollback()
        return render_detail(document, issue_error=exc.message), 400
    svc.request_render(session, current_app, document, user_id=g.user.id)
    dossier_note = _refresh_dossier(session, document)
    audit.record(
        session,
        "document.issue",
        object_type="document",
        object_id=document.id,
        detail={
            "number": document.number,
            "year": document.year,
            "symbol": document.symbol,
            "issued_date": issued_on.isoformat(),
            **audit_names(document),
        },
    )
    session.commit()
    flash(
        f"Đã phát hành: số {svc.number_label(document)} ngày {issued_on:%d/%m/%Y}; "
        "văn bản đang được soạn lại với số và ngày.",
        "success",
    )
    if dossier_note:
        flash(dossier_note, "info")
    return redirect(url_for("documents.detail", document_id=document.id))


def _refresh_dossier(session: Session, document: Document) -> str:
    """A dossier part was issued: the drafts that cite it are rendered again with its
    number (a Danh sách with its Tờ trình's). The issue stands even if that fails."""
    try:
        changed = dossier_svc.refresh_after_issue(session, current_app, document, user_id=g.user.id)
    except dossier_svc.DossierError as exc:
        return f"Chưa cập nhật được các dự thảo khác của hồ sơ khen thưởng: {exc.message}"
    if not changed:
        return ""
    return (
        f"Đã soạn lại {len(changed)} dự thảo của hồ sơ khen thưởng trích dẫn văn bản này "
        "(số và ngày mới)."
    )


@bp.route("/<int:document_id>/thu-hoi", methods=["POST"])
@clerk_required
def withdraw(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    session = get_session()
    try:
        register.withdraw_document(
            session, document, user_id=g.user.id, reason=request.form.get("reason", "")
        )
    except register.RegisterError as exc:
        session.rollback()
        return render_detail(document, withdraw_error=exc.message), 400
    audit.record(
        session,
        "document.withdraw",
        object_type="document",
        object_id=document.id,
        detail={
            "number": document.number,
            "reason": document.withdraw_reason,
            **audit_names(document),
        },
    )
    session.commit()
    flash("Đã thu hồi văn bản; số của văn bản không được dùng lại.", "success")
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.route("/<int:document_id>/xoa", methods=["POST"])
@clerk_required
def delete(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    # A deletion cannot be undone: the clerk ticks a box, not only presses a button.
    if request.form.get("confirm") != "yes":
        return render_detail(
            document, delete_error="Hãy đánh dấu ô xác nhận trước khi xóa dự thảo."
        ), 400
    name = f"{svc.kind_label(document.kind)} “{document.summary}”"
    session = get_session()
    try:
        svc.delete_draft(session, document, user_id=g.user.id)
    except svc.DraftError as exc:
        session.rollback()
        return render_detail(_document(document_id), delete_error=exc.message), 400
    session.commit()
    flash(f"Đã xóa dự thảo {name}.", "success")
    return redirect(url_for("documents.index"))


@bp.route("/<int:document_id>/tai/<fmt>")
@clerk_required
def download(document_id: int, fmt: str) -> ResponseReturnValue:
    return send_document_file(_document(document_id), fmt)


@bp.route("/<int:document_id>/xem-truoc.png")
@clerk_required
def preview(document_id: int) -> ResponseReturnValue:
    """Page 1 of the last render's preview, or page ``?trang=N`` (up to MAX_PREVIEW_PAGES),
    drawn from the document's PDF the first time it is asked for."""
    document = _document(document_id)
    page = request.args.get("trang", 1, type=int)
    image = renders.preview_page(get_session(), document, page)
    if image is None:
        abort(404)
    # Our own PNG, drawn from our own PDF: safe to show inline.
    response = Response(image, mimetype="image/png")
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_global()
def document_preview_pages(document: Document) -> list[int]:
    """The page numbers of the document's preview (``[1]`` for a one-page render, ``[]``
    before any): every page of the current render up to MAX_PREVIEW_PAGES."""
    return renders.preview_pages(get_session(), document)


@bp.app_template_global()
def max_preview_pages() -> int:
    """How many pages a document's page previews at most."""
    return MAX_PREVIEW_PAGES


# -- the register ---------------------------------------------------------------------


def _register_year() -> int:
    text = request.args.get("year", "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else _today().year


# The nav names the endpoint "documents.register"; the function has another name so that
# it does not shadow the services.register module.
@bp.route("/so-van-ban-di", endpoint="register")
@clerk_required
def register_page() -> ResponseReturnValue:
    year = _register_year()
    session = get_session()
    entries = register.register_entries(session, g.user.organization_id, year)
    years = sorted({*register.register_years(session, g.user.organization_id), year,
                    _today().year}, reverse=True)  # fmt: skip
    notes = document_signing.signing_notes(session, [d.id for d in entries])
    return render_template(
        "documents/register.html",
        entries=entries,
        year=year,
        years=years,
        signing_notes=notes,
        **_helpers(),
    )


@bp.route("/so-van-ban-di/xuat-excel")
@clerk_required
def register_export() -> ResponseReturnValue:
    year = _register_year()
    session = get_session()
    entries = register.register_entries(session, g.user.organization_id, year)
    notes = document_signing.signing_notes(session, [d.id for d in entries])
    content = register.export_register(entries, year, g.user.organization, notes)
    return send_bytes(content, f"Sổ văn bản đi năm {year}.xlsx", XLSX)


def _helpers() -> dict:
    return {
        "status_labels": DOCUMENT_STATUS_LABELS,
        "kind_label": lambda kind: load_manifest(kind).label if kind in KINDS else kind,
        "number_label": svc.number_label,
        "signer_of": register.signer_of,
    }
