"""Sổ văn bản đến: vào sổ, tìm, giao xử lý, tình trạng, gộp bản trùng, xóa, xuất Excel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from forms.incoming import AssignForm
from forms.incoming import EntryForm
from forms.incoming import MergeForm
from forms.incoming import RemoveForm
from forms.incoming import StatusForm
from services import incoming_signatures as signatures
from services.incoming import book
from services.incoming import columns
from services.incoming import corrections
from services.incoming import entries
from services.incoming import handling
from services.incoming import listing
from services.incoming import registration
from services.incoming import suggestions
from services.incoming.duplicates import Duplicate
from services.incoming.duplicates import find_duplicates
from services.pagination import page_request
from services.signatures import state_label as signature_state_label
from storage.db import get_session
from storage.db import real_app
from storage.models import ENTRY_STATUS_LABELS
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from storage.models import Organization
from storage.models import User
from views.access import get_in_org
from views.auth import clerk_required
from views.auth import login_required
from views.downloads import send_bytes

bp = Blueprint("incoming", __name__, url_prefix="/so-van-ban-den")


def _entry(entry_id: int) -> IncomingEntry:
    return get_in_org(IncomingEntry, entry_id)


def _visible_entry(entry_id: int) -> IncomingEntry:
    """A line of the user's organization that a clerk, or one of its handlers, may open."""
    entry = _entry(entry_id)
    if not g.user.is_clerk and not handling.is_handler(entry, g.user.id):
        abort(403)
    return entry


def _year() -> int:
    try:
        return int(request.args.get("year") or date.today().year)
    except ValueError:
        abort(404)


@bp.route("/")
@clerk_required
def index() -> ResponseReturnValue:
    session = get_session()
    organization_id = g.user.organization_id
    year = _year()
    query = (request.args.get("q") or "").strip()[:200]
    status = request.args.get("status") or ""
    if status not in ENTRY_STATUS_LABELS:
        status = ""
    years = sorted({*listing.register_years(session, organization_id), date.today().year, year})
    number, size = page_request(request.args)
    page = listing.register_page(
        session, organization_id, year, number=number, size=size, query=query, status=status
    )
    return render_template(
        "incoming/index.html",
        year=year,
        years=sorted(years, reverse=True),
        query=query,
        status=status,
        page=page,
        entries=page.items,
        waiting=registration.unregistered_plans(session, organization_id),
        labels=ENTRY_STATUS_LABELS,
        channels=entries.CHANNELS,
        title_of=columns.entry_title,
        book_columns=[name for name, _width in book.BOOK_COLUMNS],
        handed_on=columns.handed_on,
        receipt=columns.handler_receipt,
        signature_label=signature_state_label,
        today=date.today(),
    )


@bp.route("/duoc-giao")
@login_required
def mine() -> ResponseReturnValue:
    return render_template(
        "incoming/mine.html",
        entries=listing.assigned_to(get_session(), g.user.id),
        labels=ENTRY_STATUS_LABELS,
        title_of=columns.entry_title,
        today=date.today(),
    )


def _plan_source(plan_id: str | int | None) -> IncomingDocument | None:
    if not plan_id:
        return None
    try:
        return get_in_org(IncomingDocument, int(plan_id))
    except ValueError:
        abort(404)


@bp.route("/vao-so", methods=["GET", "POST"])
@clerk_required
def new() -> ResponseReturnValue:
    session = get_session()
    form = EntryForm()
    plan = _plan_source(request.args.get("plan") or form.plan_id.data)
    registered = registration.registered_entry(session, plan.id) if plan is not None else None
    if registered is not None:
        flash(entries.AlreadyRegistered(registered).message, "info")
        return redirect(url_for("incoming.detail", entry_id=registered.id))
    if request.method == "GET":
        if plan is not None:
            form.fill(suggestions.suggestion_from_plan(plan, date.today()))
        else:
            form.received_date.data = date.today()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return _render_new(form, plan), status
    received = form.received_date.data  # required: set once the form validated
    base = suggestions.suggestion_from_plan(plan, received) if plan and received else None
    data = form.entry_data(base)
    duplicates = find_duplicates(session, g.user.organization_id, data)
    if duplicates and not form.not_duplicate.data:
        return _render_new(form, plan, duplicates), 409
    try:
        entry = registration.register(
            session, organization_id=g.user.organization_id, user_id=g.user.id, data=data
        )
    except entries.AlreadyRegistered as exc:
        session.rollback()
        flash(exc.message, "info")
        return redirect(url_for("incoming.detail", entry_id=exc.entry_id))
    except entries.IncomingError as exc:
        session.rollback()
        form.summary.errors = [exc.message]
        return _render_new(form, plan), 400
    session.commit()
    flash(f"Đã vào sổ văn bản đến: số đến {entry.number:02d}/{entry.year}.", "success")
    return redirect(url_for("incoming.detail", entry_id=entry.id))


def _render_new(
    form: EntryForm, plan: IncomingDocument | None, duplicates: list[Duplicate] | None = None
) -> str:
    return render_template(
        "incoming/new.html",
        form=form,
        plan=plan,
        duplicates=duplicates or [],
        merge_form=MergeForm(formdata=None),
        title_of=columns.entry_title,
    )


@bp.route("/vao-so/gop", methods=["POST"])
@clerk_required
def add_copy() -> ResponseReturnValue:
    """A new arrival is a copy of a registered line: note it there, take no number."""
    session = get_session()
    form = EntryForm()
    merge = MergeForm()
    plan = _plan_source(form.plan_id.data)
    if not form.validate() or not merge.validate():
        flash("Không gộp được: thông tin văn bản chưa hợp lệ.", "error")
        return redirect(url_for("incoming.new", plan=plan.id if plan else None))
    into = _entry(_int(merge.into.data))
    received = form.received_date.data  # required: set once the form validated
    base = suggestions.suggestion_from_plan(plan, received) if plan and received else None
    return _apply(
        into,
        lambda: corrections.add_copy(session, into, form.entry_data(base), user_id=g.user.id),
        f"Đã gộp vào số đến {into.number:02d}/{into.year}; không cấp số mới.",
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        abort(404)


def _handler_choices() -> list[tuple[int, str]]:
    users = get_session().scalars(
        select(User)
        .where(User.organization_id == g.user.organization_id, User.active.is_(True))
        .order_by(User.full_name)
    )
    return [(u.id, f"{u.full_name} — {u.unit}" if u.unit else u.full_name) for u in users]


@bp.route("/<int:entry_id>")
@login_required
def detail(entry_id: int) -> ResponseReturnValue:
    return _render_detail(_visible_entry(entry_id))


def _render_detail(entry: IncomingEntry, **forms: Any) -> str:
    session = get_session()
    assign_form = forms.get("assign_form") or AssignForm(
        formdata=None, handlers=[h.user_id for h in entry.handlers], deadline=entry.deadline
    )
    assign_form.handlers.choices = _handler_choices()
    duplicates = []
    if g.user.is_clerk and entry.removed_at is None:
        duplicates = find_duplicates(
            session, entry.organization_id, _as_data(entry), exclude_id=entry.id
        )
    plan = session.get(IncomingDocument, entry.plan_id) if entry.plan_id else None
    return render_template(
        "incoming/detail.html",
        entry=entry,
        plan=plan,
        merged_into=session.get(IncomingEntry, entry.merged_into_id)
        if entry.merged_into_id
        else None,
        duplicates=duplicates,
        assign_form=assign_form,
        status_form=forms.get("status_form") or StatusForm(formdata=None, status=entry.status),
        remove_form=forms.get("remove_form") or RemoveForm(formdata=None),
        merge_form=MergeForm(formdata=None),
        labels=ENTRY_STATUS_LABELS,
        channels=entries.CHANNELS,
        title_of=columns.entry_title,
        receipt=columns.handler_receipt(entry),
        handed_on=columns.handed_on(entry),
        signature_label=signature_state_label,
        signature_lines=signatures.lines(plan) if plan is not None else [],
    )


def _as_data(entry: IncomingEntry) -> entries.EntryData:
    return entries.EntryData(
        received_date=entry.received_date,
        issuer=entry.issuer,
        reference=entry.reference,
        doc_date=entry.doc_date,
        text=entry.text_key,
        plan_id=entry.plan_id,
        file_sha256=entry.file_sha256,
    )


@bp.route("/<int:entry_id>/kiem-tra-chu-ky", methods=["POST"])
@clerk_required
def verify_signatures(entry_id: int) -> ResponseReturnValue:
    """Check the upload's digital signatures again (in the worker) with today's roots."""
    entry = _entry(entry_id)
    if entry.plan_id is None:
        flash("Dòng này không có tệp điện tử để kiểm tra chữ ký số.", "error")
        return redirect(url_for("incoming.detail", entry_id=entry.id))
    session = get_session()
    signatures.request_verification(
        session,
        real_app(),
        entry.organization_id,
        user_id=g.user.id,
        incoming_id=entry.plan_id,
    )
    session.commit()
    flash("Đã gửi yêu cầu kiểm tra lại chữ ký số; tải lại trang sau ít giây.", "success")
    return redirect(url_for("incoming.detail", entry_id=entry.id))


@bp.route("/<int:entry_id>/sua", methods=["GET", "POST"])
@clerk_required
def edit(entry_id: int) -> ResponseReturnValue:
    entry = _entry(entry_id)
    if entry.removed_at is not None:
        flash("Dòng này đã bị xóa hoặc gộp, không sửa được.", "error")
        return redirect(url_for("incoming.detail", entry_id=entry.id))
    form = EntryForm(obj=entry if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _render_edit(entry, form), 400 if request.method == "POST" else 200
    data = form.entry_data(_as_data(entry))
    try:
        registration.update_entry(get_session(), entry, data)
    except entries.IncomingError as exc:
        form.received_date.errors = [exc.message]
        return _render_edit(entry, form), 400
    get_session().commit()
    flash("Đã lưu các chỉnh sửa.", "success")
    return redirect(url_for("incoming.detail", entry_id=entry.id))


def _render_edit(entry: IncomingEntry, form: EntryForm) -> str:
    return render_template("incoming/edit.html", entry=entry, form=form)


@bp.route("/<int:entry_id>/giao", methods=["POST"])
@clerk_required
def assign(entry_id: int) -> ResponseReturnValue:
    entry = _entry(entry_id)
    form = AssignForm()
    form.handlers.choices = _handler_choices()
    if not form.validate_on_submit():
        return _render_detail(entry, assign_form=form), 400
    try:
        handling.assign(
            get_session(),
            entry,
            user_ids=form.handlers.data or [],
            deadline=form.deadline.data,
            assigned_by_id=g.user.id,
        )
    except entries.IncomingError as exc:
        form.handlers.errors = [exc.message]
        return _render_detail(entry, assign_form=form), 400
    get_session().commit()
    flash("Đã giao xử lý.", "success")
    return redirect(url_for("incoming.detail", entry_id=entry.id))


@bp.route("/<int:entry_id>/tinh-trang", methods=["POST"])
@login_required
def status(entry_id: int) -> ResponseReturnValue:
    entry = _visible_entry(entry_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render_detail(entry, status_form=form), 400
    return _apply(
        entry,
        lambda: handling.set_status(get_session(), entry, form.status.data, user_id=g.user.id),
        f"Tình trạng: {ENTRY_STATUS_LABELS[form.status.data].lower()}.",
    )


@bp.route("/<int:entry_id>/xoa", methods=["POST"])
@clerk_required
def remove(entry_id: int) -> ResponseReturnValue:
    entry = _entry(entry_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        return _render_detail(entry, remove_form=form), 400
    return _apply(
        entry,
        lambda: corrections.remove(
            get_session(), entry, user_id=g.user.id, reason=form.reason.data or ""
        ),
        f"Đã xóa số đến {entry.number:02d}/{entry.year} khỏi sổ (số không cấp lại).",
        url_for("incoming.index", year=entry.year),
    )


@bp.route("/<int:entry_id>/gop", methods=["POST"])
@clerk_required
def merge(entry_id: int) -> ResponseReturnValue:
    entry = _entry(entry_id)
    form = MergeForm()
    if not form.validate_on_submit():
        flash("Hãy chọn dòng để gộp vào.", "error")
        return redirect(url_for("incoming.detail", entry_id=entry.id))
    into = _entry(_int(form.into.data))
    return _apply(
        entry,
        lambda: corrections.merge(get_session(), entry, into, user_id=g.user.id),
        f"Đã gộp số đến {entry.number:02d} vào số đến {into.number:02d}.",
        url_for("incoming.detail", entry_id=into.id),
    )


def _apply(
    entry: IncomingEntry, change: Callable[[], None], done: str, target: str = ""
) -> ResponseReturnValue:
    """Make a change to a line and commit; a refusal goes back to the line's page."""
    try:
        change()
    except entries.IncomingError as exc:
        get_session().rollback()
        flash(exc.message, "error")
        return redirect(url_for("incoming.detail", entry_id=entry.id))
    get_session().commit()
    flash(done, "success")
    return redirect(target or url_for("incoming.detail", entry_id=entry.id))


@bp.route("/xuat-excel")
@clerk_required
def export() -> ResponseReturnValue:
    session = get_session()
    year = _year()
    organization = session.get_one(Organization, g.user.organization_id)
    content = book.export_register(
        listing.register_entries(session, g.user.organization_id, year), year, organization.name
    )
    return send_bytes(
        content,
        f"Sổ văn bản đến {year}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
