"""The clerk's side: list, filter, search, record facts and council votes, decide, export."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.base import options
from forms.review import DecisionForm
from forms.review import FactsForm
from forms.review import FilterForm
from services import decisions
from services import dossier as dossier_svc
from services import eligibility
from services import submissions as svc
from services.pagination import page_request
from services.spreadsheets import export_submissions
from storage.db import get_session
from storage.models import STATUS_LABELS
from storage.models import SUBMISSION_KIND_LABELS
from storage.models import Round
from storage.models import Submission
from views.access import get_in_org
from views.auth import clerk_required
from views.downloads import send_bytes

bp = Blueprint("review", __name__, url_prefix="/xet-duyet")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_form() -> tuple[FilterForm, dict]:
    session = get_session()
    form = FilterForm(request.args)
    rounds = session.scalars(
        select(Round)
        .where(Round.organization_id == g.user.organization_id)
        .order_by(Round.reference_date.desc())
    ).all()
    units = svc.units(session, g.user.organization_id)
    form.round.choices = options([("", "Tất cả các đợt")] + [(str(r.id), r.name) for r in rounds])
    form.kind.choices = options([("", "Tất cả"), *SUBMISSION_KIND_LABELS.items()])
    form.status.choices = options([("", "Tất cả"), *STATUS_LABELS.items()])
    form.unit_choices = units
    criteria = {
        "round_id": int(form.round.data) if (form.round.data or "").isdigit() else None,
        "kind": form.kind.data or "",
        "unit": form.unit.data or "",
        "status": form.status.data or "",
        "q": form.q.data or "",
    }
    return form, criteria


@bp.route("/")
@clerk_required
def index() -> ResponseReturnValue:
    form, criteria = _filter_form()
    number, size = page_request(request.args)
    session = get_session()
    page = svc.review_page(session, g.user.organization_id, number=number, size=size, **criteria)
    return render_template(
        "review/index.html",
        form=form,
        page=page,
        items=page.items,
        args=request.args,
        duplicates=svc.duplicates(session, list(page.items)),
    )


@bp.route("/xuat-excel")
@clerk_required
def export() -> ResponseReturnValue:
    _form, criteria = _filter_form()
    items = get_session().scalars(svc.filtered_query(g.user.organization_id, **criteria)).all()
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    content = export_submissions(items, g.user.organization)
    return send_bytes(content, f"Danh sách hồ sơ thi đua {stamp}.xlsx", XLSX)


def _submission(submission_id: int) -> Submission:
    return get_in_org(Submission, submission_id)


@bp.route("/<int:submission_id>", methods=["GET"])
@clerk_required
def detail(submission_id: int) -> ResponseReturnValue:
    submission = _submission(submission_id)
    facts_form = FactsForm(data=submission.facts, prefix="facts")
    decision_form = DecisionForm(
        data={
            "votes_for": submission.votes_for,
            "council_total": submission.council_total,
            "decision": submission.status,
            "note": submission.decision_note,
            # Pre-filled so re-saving a kept result (e.g. to edit the note) keeps its reason.
            "override_reason": submission.vote_override,
        },
        prefix="decision",
    )
    return _render_detail(submission, facts_form, decision_form)


def _render_detail(
    submission: Submission,
    facts_form: FactsForm,
    decision_form: DecisionForm,
    decision_error: str = "",
) -> str:
    session = get_session()
    approved = eligibility.approved_counts(session, submission.round_id)
    report = eligibility.review(submission, submission.round, g.user.organization, approved)
    issued = [
        (document, decisions.document_label(document))
        for document in decisions.issued_documents(session, submission)
    ]
    return render_template(
        "review/detail.html",
        s=submission,
        facts_form=facts_form,
        decision_form=decision_form,
        report=report,
        issued=issued,
        decision_error=decision_error,
    )


@bp.route("/<int:submission_id>/thong-tin", methods=["POST"])
@clerk_required
def save_facts(submission_id: int) -> ResponseReturnValue:
    submission = _submission(submission_id)
    form = FactsForm(prefix="facts")
    if not form.validate_on_submit():
        return _render_detail(submission, form, DecisionForm(prefix="decision")), 400
    facts = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    submission.facts = {k: v for k, v in facts.items() if v not in (None, "")}
    get_session().commit()
    flash("Đã lưu thông tin xét duyệt.", "success")
    return redirect(url_for("review.detail", submission_id=submission.id))


@bp.route("/<int:submission_id>/ket-qua", methods=["POST"])
@clerk_required
def decide(submission_id: int) -> ResponseReturnValue:
    submission = _submission(submission_id)
    form = DecisionForm(prefix="decision")
    if not form.validate_on_submit():
        return _render_detail(
            submission, FactsForm(data=submission.facts, prefix="facts"), form
        ), 400
    session = get_session()
    try:
        outcome = decisions.record_result(
            session,
            submission,
            org=g.user.organization,
            votes_for=form.votes_for.data,
            council_total=form.council_total.data,
            status=form.decision.data,
            note=form.note.data or "",
            override_reason=form.override_reason.data or "",
            redo_reason=form.redo_reason.data or "",
            user_id=g.user.id,
        )
    except decisions.DecisionError as exc:
        session.rollback()
        facts_form = FactsForm(data=submission.facts, prefix="facts")
        return _render_detail(submission, facts_form, form, decision_error=exc.message), 400
    replaced = _replace_withdrawn(session, submission, outcome)
    session.commit()
    flash(_decided_message(outcome) + replaced, "success")
    return redirect(url_for("review.detail", submission_id=submission.id))


def _replace_withdrawn(session: Session, submission: Submission, outcome: decisions.Outcome) -> str:
    """A redo withdrew issued documents: make the round's dossier again at once, so each
    gets a replacement draft that cites it. The new result stands even if that fails."""
    if not outcome.withdrawn:
        return ""
    # Every check of the rebuild comes before its first write, so a refusal leaves the
    # session with only the new result and the withdrawals, which are committed.
    try:
        result = dossier_svc.rebuild_after_change(
            session, current_app, org=g.user.organization, round_=submission.round,
            user_id=g.user.id,
        )  # fmt: skip
    except dossier_svc.DossierError as exc:
        return f" Chưa lập được văn bản thay thế: {exc.message}"
    if result is None:
        return " Hãy lập lại hồ sơ khen thưởng để có văn bản thay thế."
    return f" Đã lập {len(result.created)} văn bản dự thảo thay thế trong hồ sơ khen thưởng."


def _decided_message(outcome: decisions.Outcome) -> str:
    message = "Đã ghi kết quả của Hội đồng."
    if outcome.overridden:
        message += " Kết quả được giữ dù chưa đạt ngưỡng biểu quyết; lý do đã được lưu."
    if outcome.withdrawn:
        labels = "; ".join(decisions.document_label(d) for d in outcome.withdrawn)
        message += f" Đã thu hồi để thay thế: {labels}."
    return message
