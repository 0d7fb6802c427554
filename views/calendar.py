"""Lịch hạn công việc và lịch .ics."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask import Response
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from forms.plans import AssignForm
from forms.plans import DoneForm
from services import calendar as svc
from services.ics import build_calendar
from storage.db import get_session
from storage.models import Deadline
from storage.models import Organization
from views.access import get_in_org
from views.auth import clerk_required
from views.auth import login_required

bp = Blueprint("calendar", __name__)

MINE = "cua-toi"


def _assign_form(deadline: Deadline, users: list) -> AssignForm:  # type: ignore[type-arg]
    form = AssignForm(prefix=f"d{deadline.id}", data={"assignee": str(deadline.assignee_id or "")})
    form.assignee.choices = [("", "(chưa giao)")] + [(str(u.id), u.full_name) for u in users]
    return form


@bp.route("/lich-han/")
@login_required
def index():  # type: ignore[no-untyped-def]
    session = get_session()
    mine = request.args.get("loc") == MINE
    view = svc.calendar_view(
        session,
        g.user.organization_id,
        date.today(),
        assignee_id=g.user.id if mine else None,
    )
    users = svc.assignable_users(session, g.user.organization_id) if g.user.is_clerk else []
    feed = svc.feed_of(session, g.user.id)
    return render_template(
        "calendar/index.html",
        view=view,
        mine=mine,
        mine_value=MINE,
        users=users,
        assign_form=lambda d: _assign_form(d, users),
        done_form=DoneForm(),
        feed_url=url_for("calendar.feed", token=feed.token, _external=True) if feed else None,
        today=date.today(),
        source_title=svc.source_title,
    )


def _back() -> Response:
    target = url_for("calendar.index", loc=request.args.get("loc") or None)
    return redirect(target)  # type: ignore[return-value]


@bp.route("/lich-han/<int:deadline_id>/xong", methods=["POST"])
@clerk_required
def toggle_done(deadline_id: int):  # type: ignore[no-untyped-def]
    deadline = get_in_org(Deadline, deadline_id)
    form = DoneForm()
    if not form.validate_on_submit():
        abort(400)
    done = form.done.data != "0"
    svc.set_done(deadline, done=done, user_id=g.user.id)
    get_session().commit()
    flash(
        f"Đã đánh dấu xong: {deadline.what}" if done else f"Đã mở lại: {deadline.what}", "success"
    )
    return _back()


@bp.route("/lich-han/<int:deadline_id>/giao", methods=["POST"])
@clerk_required
def assign(deadline_id: int):  # type: ignore[no-untyped-def]
    deadline = get_in_org(Deadline, deadline_id)
    session = get_session()
    users = svc.assignable_users(session, g.user.organization_id)
    form = AssignForm(prefix=f"d{deadline.id}")
    form.assignee.choices = [("", "(chưa giao)")] + [(str(u.id), u.full_name) for u in users]
    if not form.validate_on_submit():
        flash("Người được giao không hợp lệ.", "error")
        return _back()
    value = form.assignee.data
    deadline.assignee_id = int(value) if value else None
    session.commit()
    who = next((u.full_name for u in users if str(u.id) == value), None)
    flash(f"Đã giao “{deadline.what}” cho {who}." if who else "Đã bỏ giao việc.", "success")
    return _back()


@bp.route("/lich-han/lien-ket-lich", methods=["POST"])
@login_required
def regenerate_feed():  # type: ignore[no-untyped-def]
    if not DoneForm().validate_on_submit():
        abort(400)
    svc.regenerate_feed(get_session(), g.user)
    get_session().commit()
    flash("Đã tạo liên kết lịch mới; liên kết cũ (nếu có) không còn dùng được.", "success")
    return redirect(url_for("calendar.index"))


@bp.route("/lich/<token>.ics")
def feed(token: str):  # type: ignore[no-untyped-def]
    """The iCalendar feed: no session (calendar apps subscribe), the token is the secret."""
    session = get_session()
    user = svc.user_for_token(session, token)
    if user is None:
        abort(404)
    org = session.get(Organization, user.organization_id)
    events = svc.feed_events(
        session,
        org,
        host=request.host.split(":")[0] or "vanthu",
        link=lambda d: url_for("calendar.index", _external=True) + (f"#han-{d.id}" if d.id else ""),
    )
    body = build_calendar(events, name=f"Lịch hạn - {org.name}")
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="lich-han.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
