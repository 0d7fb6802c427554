"""Hồ sơ khen thưởng của đợt thi đua (một bước): từ các hồ sơ được công nhận đến biên bản,
danh sách, tờ trình, quyết định và giấy khen."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.routing import BuildError

from domain.text import clean_line
from forms.dossier import DossierForm
from render.context import as_lines
from services import dossier as svc
from services.documents import kind_label
from storage.db import get_session
from storage.models import Document
from storage.models import Job
from storage.models import Round
from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionStatus
from views.access import get_in_org
from views.auth import clerk_required
from views.downloads import send_stored_file
from worker.queues import create_job

bp = Blueprint("dossier", __name__)

RENDER_LABELS = {
    "": "Chưa soạn",
    "queued": "Đang chờ soạn",
    "running": "Đang soạn",
    "done": "Đã soạn xong",
    "failed": "Lỗi",
}


@bp.route("/ho-so-khen-thuong/")
@clerk_required
def index():  # type: ignore[no-untyped-def]
    session = get_session()
    rounds = session.scalars(
        select(Round)
        .where(Round.organization_id == g.user.organization_id)
        .order_by(Round.reference_date.desc(), Round.id.desc())
    ).all()
    approved = dict(
        session.execute(
            select(Submission.round_id, func.count())
            .where(
                Submission.organization_id == g.user.organization_id,
                Submission.status == SubmissionStatus.APPROVED.value,
                Submission.title_code != "",
            )
            .group_by(Submission.round_id)
        ).all()
    )
    made = {r.id: len(svc.round_dossiers(session, r)) for r in rounds}
    return render_template("dossier/index.html", rounds=rounds, approved=approved, made=made)


@bp.route("/dot/<int:round_id>/ho-so-khen-thuong", methods=["GET"])
@clerk_required
def round_page(round_id: int):  # type: ignore[no-untyped-def]
    round_ = get_in_org(Round, round_id)
    defaults = svc.default_input(g.user.organization, date.today())
    try:
        # Everyone present is the usual case; the clerk corrects it when someone was absent.
        defaults["members_present"] = svc.council_size(svc.approved_nominees(get_session(), round_))
    except svc.DossierError:
        pass  # the page explains what is missing
    form = DossierForm(data=defaults)
    return _render_round(round_, form)


@bp.route("/dot/<int:round_id>/ho-so-khen-thuong", methods=["POST"])
@clerk_required
def create(round_id: int):  # type: ignore[no-untyped-def]
    round_ = get_in_org(Round, round_id)
    form = DossierForm()
    if not form.validate_on_submit():
        return _render_round(round_, form), 400
    session = get_session()
    try:
        made = svc.create_dossier(
            session,
            current_app._get_current_object(),  # type: ignore[attr-defined]
            org=g.user.organization,
            round_=round_,
            user_id=g.user.id,
            data=_input(form),
        )
    except svc.DossierError as exc:
        session.rollback()
        return _render_round(round_, form, error=exc.message), 400
    session.commit()
    flash("Đã lập hồ sơ khen thưởng: 4 văn bản dự thảo và giấy khen đang được soạn.", "success")
    return redirect(url_for("dossier.detail", dossier_id=made.id))


def _input(form: DossierForm) -> svc.DossierInput:
    return svc.DossierInput(
        issued_on=form.issued_on.data,
        org_name=form.org_name.data,
        authority=form.authority.data,
        kinh_gui=as_lines(form.kinh_gui.data),
        recipients=as_lines(form.recipients.data),
        meeting_date=form.meeting_date.data,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        place=form.place.data,
        chair=form.chair.data,
        chair_position=form.chair_position.data,
        secretary=form.secretary.data,
        secretary_position=form.secretary_position.data,
        members_present=form.members_present.data,
        absent=clean_line(form.absent.data),
        agenda=form.agenda.data,
    )


def _render_round(round_: Round, form: DossierForm, error: str = ""):  # type: ignore[no-untyped-def]
    session = get_session()
    nominees: list[svc.Nominee] = []
    problem = ""
    try:
        nominees = svc.approved_nominees(session, round_)
    except svc.DossierError as exc:
        problem = exc.message
    if error == problem:
        error = ""  # shown once, with the approved list
    return render_template(
        "dossier/round.html",
        show_form=not problem or request.method == "POST",
        round=round_,
        form=form,
        nominees=nominees,
        council=svc.council_size(nominees) if nominees else None,
        problem=problem,
        error=error,
        dossiers=svc.round_dossiers(session, round_),
    )


def _dossier(dossier_id: str) -> svc.Dossier:
    found = svc.load_dossier(get_session(), g.user.organization_id, dossier_id)
    if found is None:
        abort(404)
    return found


@bp.route("/ho-so-khen-thuong/<dossier_id>")
@clerk_required
def detail(dossier_id: str):  # type: ignore[no-untyped-def]
    found = _dossier(dossier_id)
    session = get_session()
    round_ = get_in_org(Round, found.round_id)
    rows = []
    for document in found.documents:
        job = session.get(Job, document.job_id) if document.job_id else None
        rows.append(
            {
                "document": document,
                "label": kind_label(document.kind),
                "status": RENDER_LABELS.get(document.render_status, document.render_status),
                "job": job,
                "detail_url": _document_page(document),
            }
        )
    job = found.certificates_job
    busy = [r["job"] for r in rows if r["job"] and r["job"].status in ("queued", "running")]
    return render_template(
        "dossier/detail.html",
        dossier=found,
        round=round_,
        rows=rows,
        certificates=job,
        busy=busy,
        count=len(job.args.get("submission_ids", [])) if job else 0,
    )


def _document_page(document: Document) -> str | None:
    """The documents page of a draft, once that blueprint offers one."""
    if "documents.detail" not in current_app.view_functions:
        return None
    try:
        return url_for("documents.detail", document_id=document.id)
    except BuildError:
        return None


@bp.route("/ho-so-khen-thuong/<dossier_id>/van-ban/<int:document_id>.<fmt>")
@clerk_required
def document_file(dossier_id: str, document_id: int, fmt: str):  # type: ignore[no-untyped-def]
    document = get_in_org(Document, document_id)
    if document.dossier_id != dossier_id or fmt not in ("docx", "pdf"):
        abort(404)
    file_id = document.docx_file_id if fmt == "docx" else document.pdf_file_id
    if not file_id:
        abort(404)
    return send_stored_file(get_in_org(StoredFile, file_id))


@bp.route("/ho-so-khen-thuong/<dossier_id>/giay-khen.<fmt>")
@clerk_required
def certificates_file(dossier_id: str, fmt: str):  # type: ignore[no-untyped-def]
    job = _dossier(dossier_id).certificates_job
    key = {"zip": "zip_file_id", "docx": "docx_file_id"}.get(fmt)
    if job is None or key is None or not job.result.get(key):
        abort(404)
    return send_stored_file(get_in_org(StoredFile, job.result[key]))


@bp.route("/ho-so-khen-thuong/<dossier_id>/in-lai-giay-khen", methods=["POST"])
@clerk_required
def reprint(dossier_id: str):  # type: ignore[no-untyped-def]
    """Print the certificates again, e.g. once the decision has its number."""
    found = _dossier(dossier_id)
    previous = found.certificates_job
    if previous is None:
        abort(404)
    if previous.status in ("queued", "running"):
        flash("Giấy khen đang được in; hãy chờ xong rồi in lại.", "info")
        return redirect(url_for("dossier.detail", dossier_id=dossier_id))
    session = get_session()
    args = dict(previous.args)
    create_job(
        session,
        current_app._get_current_object(),  # type: ignore[attr-defined]
        function=svc.CERTIFICATES_FUNCTION,
        kind=svc.CERTIFICATES_KIND,
        args=args,
        organization_id=g.user.organization_id,
        created_by_id=g.user.id,
    )
    session.commit()
    flash("Đã xếp lịch in lại giấy khen.", "success")
    return redirect(url_for("dossier.detail", dossier_id=dossier_id))
