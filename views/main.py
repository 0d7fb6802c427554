"""The start page: what the signed-in user can do now."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask import g
from flask import render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func
from sqlalchemy import select

from services import submissions
from storage.db import get_session
from storage.models import Round
from storage.models import Submission
from views.auth import login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    session = get_session()
    rounds = session.scalars(
        select(Round)
        .where(Round.organization_id == g.user.organization_id)
        .order_by(Round.reference_date.desc())
    ).all()
    mine = session.scalars(
        select(Submission)
        .where(Submission.created_by_id == g.user.id)
        .order_by(Submission.updated_at.desc(), Submission.id.desc())
        .limit(10)
    ).all()
    counts = {}
    if g.user.is_clerk:
        counts = dict(
            session.execute(
                select(Submission.status, func.count())
                .where(Submission.organization_id == g.user.organization_id)
                .group_by(Submission.status)
            ).all()
        )
    return render_template(
        "main/index.html",
        rounds=rounds,
        mine=mine,
        counts=counts,
        today=date.today(),
        for_me=submissions.made_for_user(session, g.user),
        duplicates=submissions.duplicates(session, list(mine)),
    )
