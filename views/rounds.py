"""A round's summary by title and unit (page and .xlsx), next year's copy, closing.

The summary is read by the round's own clerks and, read-only, by the admins of the
organizations above it (a Phòng reading its school's round); copying and closing are the
round's own admins' only.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue

from services import organizations as org_service
from services import rounds as svc
from services.spreadsheets import export_round_summary
from storage.db import get_session
from storage.models import Organization
from storage.models import Round
from storage.uploads import XLSX
from views.access import get_in_org
from views.auth import admin_required
from views.auth import login_required
from views.downloads import send_bytes

bp = Blueprint("rounds", __name__, url_prefix="/dot-thi-dua")


def _readable(round_id: int) -> Round:
    """A round the user may read: their own organization's (clerks), or one below it
    (admins); staff of the organization get 403, anyone else 404."""
    session = get_session()
    round_ = session.get(Round, round_id)
    if round_ is None:
        abort(404)
    if round_.organization_id == g.user.organization_id and not g.user.is_clerk:
        abort(403)
    if not org_service.can_read(session, g.user, round_.organization_id):
        abort(404)
    return round_


@bp.route("/<int:round_id>/tong-hop")
@login_required
def summary(round_id: int) -> ResponseReturnValue:
    round_ = _readable(round_id)
    session = get_session()
    own = round_.organization_id == g.user.organization_id
    return render_template(
        "rounds/summary.html",
        round=round_,
        org=session.get(Organization, round_.organization_id),
        own=own,
        status=svc.status_label(round_, date.today()),
        summary=svc.summary(session, round_),
        documents=org_service.issued_dossier_documents(session, round_),
    )


@bp.route("/<int:round_id>/tong-hop.xlsx")
@login_required
def summary_export(round_id: int) -> ResponseReturnValue:
    round_ = _readable(round_id)
    session = get_session()
    org = session.get(Organization, round_.organization_id)
    content = export_round_summary(svc.summary(session, round_), round_, org)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return send_bytes(content, f"Tổng hợp {round_.name} {stamp}.xlsx", XLSX)


@bp.route("/<int:round_id>/sao-chep", methods=["POST"])
@admin_required
def copy(round_id: int) -> ResponseReturnValue:
    """Next year's round from this one; the admin then checks its dates on the form."""
    previous = get_in_org(Round, round_id)
    try:
        new = svc.copy_round(previous)
    except LookupError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.index"))
    session = get_session()
    session.add(new)
    session.commit()
    flash(f"Đã tạo “{new.name}” từ “{previous.name}”; hãy kiểm tra lại các mốc ngày.", "success")
    return redirect(url_for("admin.round_new", round_id=new.id))


@bp.route("/<int:round_id>/dong", methods=["POST"])
@admin_required
def close(round_id: int) -> ResponseReturnValue:
    return _set_closed(round_id, closed=True)


@bp.route("/<int:round_id>/mo-lai", methods=["POST"])
@admin_required
def reopen(round_id: int) -> ResponseReturnValue:
    return _set_closed(round_id, closed=False)


def _set_closed(round_id: int, *, closed: bool) -> ResponseReturnValue:
    round_ = get_in_org(Round, round_id)
    if closed:
        svc.close_round(round_)
        message = f"Đã đóng “{round_.name}”: không nhận thêm đăng ký, đề nghị."
    else:
        svc.reopen_round(round_)
        message = f"Đã mở lại “{round_.name}” (theo các mốc ngày của đợt)."
    get_session().commit()
    flash(message, "success")
    return redirect(url_for("rounds.summary", round_id=round_.id))
