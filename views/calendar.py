"""Lịch hạn công việc và lịch .ics."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

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
UID_FALLBACK = "vanthu.invalid"


def _public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL at PUBLIC_URL, or at the request's own address when it is unset."""
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _uid_domain() -> str:
    """The UIDs' host: PUBLIC_URL's, never the request's (UIDs must not change with it)."""
    base = str(current_app.config.get("PUBLIC_URL") or "")
    return urlsplit(base if "//" in base else "//" + base).hostname or UID_FALLBACK


def _month(value: str | None) -> date | None:
    """``2026-03`` → 1 March 2026; None when absent or malformed."""
    try:
        return date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def _assign_form(deadline: Deadline, users: list) -> AssignForm:
    form = AssignForm(prefix=f"d{deadline.id}", data={"assignee": str(deadline.assignee_id or "")})
    form.assignee.choices = [("", "(chưa giao)")] + [(str(u.id), u.full_name) for u in users]
    return form


@bp.route("/lich-han/")
@login_required
def index() -> ResponseReturnValue:
    session = get_session()
    mine = request.args.get("loc") == MINE
    today = date.today()
    assignee_id = g.user.id if mine else None
    month = _month(request.args.get("thang"))
    view = month_view = None
    if month is not None:
        month_view = svc.month_view(
            session, g.user.organization_id, month, today, assignee_id=assignee_id, viewer=g.user
        )
    else:
        view = svc.calendar_view(
            session, g.user.organization_id, today, assignee_id=assignee_id, viewer=g.user
        )
    users = svc.assignable_users(session, g.user.organization_id) if g.user.is_clerk else []
    feed = svc.feed_of(session, g.user.id)
    return render_template(
        "calendar/index.html",
        view=view,
        month_view=month_view,
        this_month=today.replace(day=1),
        mine=mine,
        mine_value=MINE,
        users=users,
        assign_form=lambda d: _assign_form(d, users),
        done_form=DoneForm(),
        feed_url=_public_url("calendar.feed", token=feed.token) if feed else None,
        public_url_set=bool(current_app.config.get("PUBLIC_URL")),
        today=today,
        source_title=svc.source_title,
    )


def _back() -> ResponseReturnValue:
    target = url_for(
        "calendar.index",
        loc=request.args.get("loc") or None,
        thang=request.args.get("thang") or None,
    )
    return redirect(target)


@bp.route("/lich-han/<int:deadline_id>/xong", methods=["POST"])
@clerk_required
def toggle_done(deadline_id: int) -> ResponseReturnValue:
    deadline = get_in_org(Deadline, deadline_id)
    form = DoneForm()
    if not form.validate_on_submit():
        abort(400)
    done = form.done.data != "0"
    day = form.day.data
    label = deadline.what
    if day and deadline.recurrence:  # one occurrence: the rest of the series stays open
        if not svc.set_occurrence_done(deadline, day, done=done, user_id=g.user.id):
            abort(400)
        label += f" (ngày {day:%d/%m/%Y})"
    else:
        svc.set_done(deadline, done=done, user_id=g.user.id)
    get_session().commit()
    flash(f"Đã đánh dấu xong: {label}" if done else f"Đã mở lại: {label}", "success")
    return _back()


@bp.route("/lich-han/<int:deadline_id>/giao", methods=["POST"])
@clerk_required
def assign(deadline_id: int) -> ResponseReturnValue:
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
def regenerate_feed() -> ResponseReturnValue:
    if not DoneForm().validate_on_submit():
        abort(400)
    svc.regenerate_feed(get_session(), g.user)
    get_session().commit()
    flash("Đã tạo liên kết lịch mới; liên kết cũ (nếu có) không còn dùng được.", "success")
    return redirect(url_for("calendar.index"))


@bp.route("/lich/<token>.ics")
def feed(token: str) -> ResponseReturnValue:
    """The iCalendar feed: no session (calendar apps subscribe), the token is the secret."""
    session = get_session()
    user = svc.user_for_token(session, token)
    if user is None:
        abort(404)
    org = session.get_one(Organization, user.organization_id)
    page = _public_url("calendar.index")
    events = svc.feed_events(
        session,
        org,
        uid_domain=_uid_domain(),
        link=lambda anchor: page + (f"#{anchor}" if anchor else ""),
        viewer=user,
    )
    body = build_calendar(events, name=f"Lịch hạn - {org.name}")
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="lich-han.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
