"""People management and notifications: accounts made in bulk from the staff directory,
the outbox of e-mail letters (Hộp thư đi), and each user's choice of a daily digest."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forms.account import BulkAccountsForm
from forms.account import NotificationPrefsForm
from services import accounts
from services import notifications
from services.pagination import page_request
from storage.db import get_session
from storage.models import NOTIFICATION_STATUS_LABELS
from storage.models import User
from views.auth import admin_required
from views.auth import login_required
from views.auth import password_link

bp = Blueprint("accounts", __name__)


def _invite_link(user: User) -> str:
    return password_link(user, "invite")


@bp.route("/quan-tri/tao-tai-khoan", methods=["GET", "POST"])
@admin_required
def bulk() -> ResponseReturnValue:
    """Tick people of the staff directory without an account; each gets one, in this
    organization, with the role chosen, a first password and an invitation letter."""
    session = get_session()
    org_id = g.user.organization_id
    form = BulkAccountsForm()
    if form.validate_on_submit():
        chosen = [int(v) for v in request.form.getlist("person") if v.isdigit()]
        if not chosen:
            flash("Hãy chọn ít nhất một người trong danh sách.", "error")
        else:
            made = accounts.create_accounts(
                session,
                organization_id=org_id,
                person_ids=chosen,
                role=form.role.data,
                invite_link=_invite_link,
                by_user_id=g.user.id,
            )
            session.commit()
            page = render_template("accounts/bulk_done.html", made=made)
            return page, 200, {"Cache-Control": "no-store"}
    return render_template(
        "accounts/bulk.html", form=form, candidates=accounts.candidates(session, org_id)
    )


@bp.route("/quan-tri/hop-thu-di")
@admin_required
def outbox() -> ResponseReturnValue:
    """The organization's letters and where each stands (all of them when no SMTP server
    is set: they are kept here only)."""

    session = get_session()
    org_id = g.user.organization_id
    number, size = page_request(request.args)
    status = request.args.get("status", "")
    page = notifications.outbox_page(session, org_id, number=number, size=size, status=status)
    return render_template(
        "accounts/outbox.html",
        page=page,
        status=status,
        counts=notifications.counts(session, org_id),
        labels=NOTIFICATION_STATUS_LABELS,
        kinds=notifications.KIND_LABELS,
        smtp=bool(current_app.config.get("SMTP_HOST")),
    )


@bp.route("/tai-khoan/thong-bao", methods=["GET", "POST"])
@login_required
def prefs() -> ResponseReturnValue:
    form = NotificationPrefsForm(data={"digest": g.user.notify_digest})
    if form.validate_on_submit():
        g.user.notify_digest = bool(form.digest.data)
        get_session().commit()
        flash("Đã lưu cách nhận thông báo.", "success")
        return redirect(url_for("accounts.prefs"))
    return render_template("accounts/prefs.html", form=form)
