"""Báo cáo thành tích written by the teacher it is about (issue 9, item 5).

A staff member writes the report of a nomination they sent or one that names them; clerks
and admins may open any of their organization's. The form is the manifest-built document
form; the report is a draft document of the nomination (``services.reports``), rendered by
the worker, downloadable here by whoever may write it.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forms.documents import DocumentForm
from forms.documents import document_form
from render.manifest import load_manifest
from services import reports
from storage.db import get_session
from storage.models import DOCUMENT_STATUS_LABELS
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import Job
from storage.models import Submission
from views.access import get_in_org
from views.auth import login_required
from views.document_forms import send_document_file
from views.document_forms import validate
from views.document_forms import wants_rows
from views.formatting import VIETNAM
from views.formatting import vn_date

bp = Blueprint("reports", __name__)


def _today() -> date:
    return datetime.now(VIETNAM).date()


def _submission(submission_id: int) -> Submission:
    """The submission whose report the user may write; 404 otherwise, so that a colleague's
    nomination (or another organization's) is not even confirmed to exist."""
    submission = get_in_org(Submission, submission_id)
    if not reports.may_write(g.user, submission):
        abort(404)
    return submission


@bp.app_template_global("report_link")
def report_link(submission: Submission) -> dict[str, str] | None:
    """The link to the submission's report for the signed-in user, or None when they may
    not write it (used on the submission's page)."""
    user = g.get("user")
    if user is None or not reports.may_write(user, submission):
        return None
    document = reports.report_of(get_session(), submission)
    if document is None:
        label = "Viết báo cáo thành tích"
    elif document.status == DocumentStatus.DRAFT:
        label = "Sửa báo cáo thành tích"
    else:
        label = "Xem báo cáo thành tích"
    return {"url": url_for("reports.edit", submission_id=submission.id), "label": label}


@bp.route("/bao-cao-thanh-tich")
@login_required
def mine() -> ResponseReturnValue:
    """The nominations the user may write a report for: sent by them or naming them."""
    session = get_session()
    items = reports.writable_submissions(session, g.user)
    found = {s.id: reports.report_of(session, s) for s in items}
    # Drafts by last change: the report's own, else the nomination's.
    items.sort(
        key=lambda s: max(s.updated_at, r.updated_at if (r := found[s.id]) else s.updated_at),
        reverse=True,
    )
    return render_template(
        "reports/mine.html", items=items, found=found, status_labels=DOCUMENT_STATUS_LABELS
    )


@bp.route("/ho-so/<int:submission_id>/bao-cao-thanh-tich", methods=["GET", "POST"])
@login_required
def edit(submission_id: int) -> ResponseReturnValue:
    submission = _submission(submission_id)
    session = get_session()
    document = reports.report_of(session, submission)
    # An existing report keeps its kind even if the nomination was changed since.
    kind = document.kind if document is not None else reports.report_kind(submission)
    if kind is None:  # pragma: no cover - may_write checked that it takes a report
        abort(404)
    if document is not None and document.status != DocumentStatus.DRAFT:
        if request.method == "POST":
            flash("Báo cáo đã phát hành nên không sửa được nữa.", "error")
            return redirect(url_for("reports.edit", submission_id=submission.id), code=303)
        return _render(submission, document, None)
    hints: list[str] = []
    if request.method == "GET":
        if document is not None:
            form = document_form(kind, header=document.header_fields, body=document.body_fields)
        else:
            start = reports.prefill(session, submission, g.user.organization, _today())
            form = document_form(kind, header=start.header, body=start.body)
            hints = start.hints
        return _render(submission, document, form, hints)
    form = document_form(kind, formdata=request.form)
    if document is None:
        # Shown again after a refused save too: the year-only hint is still true.
        hints = reports.prefill(session, submission, g.user.organization, _today()).hints
    if wants_rows(form):
        return _render(submission, document, form, hints)
    if not validate(form, g.user.organization):
        return _render(submission, document, form, hints), 400
    try:
        document = reports.save_report(
            session,
            current_app,
            submission,
            user=g.user,
            header_fields=form.header_values(),
            body_fields=form.body_values(),
        )
    except reports.ReportLocked:
        # Issued by a clerk between loading the form and saving it.
        session.rollback()
        flash("Báo cáo đã phát hành nên không sửa được nữa.", "error")
        return redirect(url_for("reports.edit", submission_id=submission.id), code=303)
    session.commit()
    flash("Đã lưu báo cáo thành tích; văn bản đang được soạn.", "success")
    return redirect(url_for("reports.edit", submission_id=submission.id))


def _render(
    submission: Submission,
    document: Document | None,
    form: DocumentForm | None,
    hints: list[str] | None = None,
) -> str:
    session = get_session()
    job = session.get(Job, document.job_id) if document is not None and document.job_id else None
    kind = document.kind if document is not None else reports.report_kind(submission)
    return render_template(
        "reports/edit.html",
        s=submission,
        d=document,
        form=form,
        hints=hints or [],
        manifest=load_manifest(kind or ""),
        job=job,
        # The job's progress is readable by whoever queued it (or a clerk); others reload.
        poll=job is not None and (g.user.is_clerk or job.created_by_id == g.user.id),
        status_labels=DOCUMENT_STATUS_LABELS,
        can_see_submission=g.user.is_clerk or submission.created_by_id == g.user.id,
        read_only_fields=_read_only_fields(document) if form is None and document else [],
    )


def _read_only_fields(document: Document) -> list[tuple[str, Any]]:
    """(label, value) of the issued report's one-line and multi-line fields, for display."""
    manifest = load_manifest(document.kind)
    values = document.body_fields or {}
    shown = []
    for spec in manifest.fields:
        value = values.get(spec.name)
        if spec.type == "list" or value in (None, ""):
            continue
        if spec.type == "date":
            try:
                value = vn_date(date.fromisoformat(str(value)))
            except ValueError:
                pass  # shown as stored
        shown.append((spec.label, value))
    return shown


@bp.route("/ho-so/<int:submission_id>/bao-cao-thanh-tich/tai/<fmt>")
@login_required
def download(submission_id: int, fmt: str) -> ResponseReturnValue:
    submission = _submission(submission_id)
    document = reports.report_of(get_session(), submission)
    if document is None:
        abort(404)
    return send_document_file(document, fmt)
