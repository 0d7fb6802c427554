"""Hồ sơ khen thưởng của đợt thi đua: one dossier per round, split by who decides each
title (the head's own Quyết định, one Tờ trình + Danh sách per other decision maker), kept
consistent as parts are issued and results change."""

from __future__ import annotations

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
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import clean_line
from forms.dossier import DossierForm
from render.context import as_lines
from services import dossier as svc
from services.documents import kind_label
from services.documents import number_label
from services.dossier.store import dossier_documents
from services.dossier.store import live_documents
from services.dossier.store import preview
from services.reports import reports_for_round
from storage.db import get_session
from storage.db import real_app
from storage.models import DOCUMENT_STATUS_LABELS
from storage.models import Document
from storage.models import DocumentSubject
from storage.models import Dossier
from storage.models import Job
from storage.models import Round
from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionStatus
from views.access import get_in_org
from views.auth import clerk_required
from views.document_forms import send_document_file
from views.downloads import send_audited

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
def index() -> ResponseReturnValue:
    session = get_session()
    org_id = g.user.organization_id
    rounds = session.scalars(
        select(Round)
        .where(Round.organization_id == org_id)
        .order_by(Round.reference_date.desc(), Round.id.desc())
    ).all()
    approved = dict(
        session.execute(
            select(Submission.round_id, func.count())
            .where(
                Submission.organization_id == org_id,
                Submission.status == SubmissionStatus.APPROVED.value,
            )
            .group_by(Submission.round_id)
        ).all()
    )
    made = {r.id: svc.round_dossier(session, org_id, r.id) for r in rounds}
    return render_template("dossier/index.html", rounds=rounds, approved=approved, made=made)


@bp.route("/dot/<int:round_id>/ho-so-khen-thuong", methods=["GET"])
@clerk_required
def round_page(round_id: int) -> ResponseReturnValue:
    round_ = get_in_org(Round, round_id)
    session = get_session()
    defaults = svc.default_input(session, g.user.organization, round_, date.today())
    form = DossierForm(data=defaults)
    return _render_round(round_, form)


@bp.route("/dot/<int:round_id>/ho-so-khen-thuong", methods=["POST"])
@clerk_required
def create(round_id: int) -> ResponseReturnValue:
    round_ = get_in_org(Round, round_id)
    form = DossierForm()
    if not form.validate_on_submit():
        return _render_round(round_, form), 400
    session = get_session()
    try:
        result = svc.build_dossier(
            session,
            real_app(),
            org=g.user.organization,
            round_=round_,
            user_id=g.user.id,
            data=_input(form),
        )
    except svc.DossierError as exc:
        session.rollback()
        return _render_round(round_, form, error=exc.message), 400
    session.commit()
    flash(_summary(result), "success")
    for document in result.stale:
        flash(
            f"{kind_label(document.kind)} số {number_label(document)} đã phát hành nhưng danh "
            "sách người có tên đã thay đổi: hãy thu hồi và lập văn bản thay thế ở trang Xét "
            "duyệt (Làm lại) hoặc trang văn bản.",
            "error",
        )
    return redirect(url_for("dossier.detail", dossier_id=result.dossier.id))


def _summary(result: svc.BuildResult) -> str:
    parts = []
    if result.created:
        parts.append(f"lập mới {len(result.created)} văn bản dự thảo")
    if result.updated:
        parts.append(f"cập nhật {len(result.updated)} dự thảo")
    if result.deleted:
        parts.append(
            f"xóa {len(result.deleted)} dự thảo không còn cần ({', '.join(result.deleted)})"
        )
    if result.certificates_job is not None:
        parts.append("xếp lịch in giấy khen")
    done = "; ".join(parts) or "không có gì thay đổi"
    return f"Hồ sơ khen thưởng: {done}."


def _input(form: DossierForm) -> svc.DossierInput:
    # The validated values, by field (WTForms' stubs type each field's .data as optional).
    value: dict[str, Any] = form.data
    return svc.DossierInput(
        issued_on=value["issued_on"],
        org_name=value["org_name"],
        authority=value["authority"],
        kinh_gui=as_lines(value["kinh_gui"]),
        recipients=as_lines(value["recipients"]),
        meeting_date=value["meeting_date"],
        start_time=value["start_time"],
        end_time=value["end_time"],
        place=value["place"],
        chair=value["chair"],
        chair_position=value["chair_position"],
        secretary=value["secretary"],
        secretary_position=value["secretary_position"],
        members_present=value["members_present"],
        absent=clean_line(value["absent"]),
        agenda=value["agenda"],
    )


def _render_round(round_: Round, form: DossierForm, error: str = "") -> str:
    session = get_session()
    org = g.user.organization
    parts = []
    problem = ""
    issued_on = form.issued_on.data if form.issued_on.data else date.today()
    try:
        data = svc.DossierInput(
            issued_on=issued_on, org_name="", authority="", kinh_gui=as_lines(form.kinh_gui.data),
            meeting_date=issued_on, start_time="", end_time="", place="", chair="",
            chair_position="", secretary="", secretary_position="", members_present=0,
        )  # fmt: skip
        parts = preview(session, org, round_, data)
    except svc.DossierError as exc:
        problem = exc.message
    if error == problem:
        error = ""  # shown once, with the list
    return render_template(
        "dossier/round.html",
        show_form=not problem or request.method == "POST",
        round=round_,
        form=form,
        parts=parts,
        part_label=part_label,
        problem=problem,
        error=error,
        dossier=svc.round_dossier(session, org.id, round_.id),
    )


def part_label(part_key: str, kind: str, decider_name: str = "") -> str:
    """What a part is, in a clerk's words."""
    if part_key == "bien_ban":
        return "Biên bản họp Hội đồng Thi đua - Khen thưởng"
    if part_key == "quyet_dinh:HEAD":
        return "Quyết định của thủ trưởng đơn vị (khen thưởng thuộc thẩm quyền đơn vị)"
    if part_key == "quyet_dinh:SANG_KIEN":
        return "Quyết định công nhận sáng kiến cấp cơ sở"
    if part_key == "to_trinh:SANG_KIEN":
        return "Tờ trình đề nghị công nhận sáng kiến"
    if part_key == "danh_sach:DIEN_HINH":
        return "Danh sách điển hình tiên tiến"
    if kind == "to_trinh":
        return f"Tờ trình đề nghị {decider_name} quyết định" if decider_name else "Tờ trình"
    if kind == "danh_sach":
        return (
            f"Danh sách kèm theo tờ trình đề nghị {decider_name}" if decider_name else ("Danh sách")
        )
    return kind_label(kind)


def _dossier(dossier_id: str) -> Dossier:
    found = get_session().get(Dossier, dossier_id)
    if found is None or found.organization_id != g.user.organization_id:
        abort(404)
    return found


@bp.route("/ho-so-khen-thuong/<dossier_id>")
@clerk_required
def detail(dossier_id: str) -> ResponseReturnValue:
    session = get_session()
    dossier = _dossier(dossier_id)
    round_ = get_in_org(Round, dossier.round_id)
    documents = dossier_documents(session, dossier)
    live = live_documents(documents)
    names = _subject_names(session, documents)
    rows: list[dict[str, Any]] = []
    for document in documents:
        job = session.get(Job, document.job_id) if document.job_id else None
        decider = _decider_name(document)
        rows.append(
            {
                "document": document,
                "label": part_label(document.dossier_part, document.kind, decider),
                "status": DOCUMENT_STATUS_LABELS.get(document.status, document.status),
                "number": number_label(document),
                "render": RENDER_LABELS.get(document.render_status, document.render_status),
                "job": job,
                "current": live.get(document.dossier_part) is document,
                "replaces": _replaced_label(session, document),
                "names": names.get(document.id, []),
            }
        )
    job = svc.certificate_job(session, dossier.organization_id, dossier.id)
    busy = [r["job"] for r in rows if r["job"] and r["job"].status in ("queued", "running")]
    reports = reports_for_round(session, dossier.organization_id, round_.id)
    report_rows = [
        (session.get(Submission, submission_id), document)
        for submission_id, document in sorted(reports.items())
    ]
    return render_template(
        "dossier/detail.html",
        dossier=dossier,
        round=round_,
        rows=rows,
        certificates=job,
        busy=busy,
        count=len(job.args.get("submission_ids", [])) if job else 0,
        reports=report_rows,
    )


def _replaced_label(session: Session, document: Document) -> str:
    """ "Tờ trình số 01/TTr-THCSMT" of the withdrawn document this one replaces."""
    if not document.replaces_id:
        return ""
    replaced = session.get(Document, document.replaces_id)
    if replaced is None:
        return ""
    return f"{kind_label(replaced.kind)} số {number_label(replaced)}"


def _decider_name(document: Document) -> str:
    """Whom a proposal (or its list) goes to, as the builders recorded it."""
    return clean_line(str((document.header_fields or {}).get("decider") or ""))


def _subject_names(session: Session, documents: list[Document]) -> dict[int, list[str]]:
    ids = [d.id for d in documents]
    if not ids:
        return {}
    rows = session.execute(
        select(DocumentSubject.document_id, Submission.nominee_name)
        .join(Submission, Submission.id == DocumentSubject.submission_id)
        .where(DocumentSubject.document_id.in_(ids))
        .order_by(Submission.nominee_name)
    ).all()
    found: dict[int, list[str]] = {}
    for document_id, name in rows:
        found.setdefault(document_id, []).append(name)
    return found


@bp.route("/ho-so-khen-thuong/<dossier_id>/van-ban/<int:document_id>.<fmt>")
@clerk_required
def document_file(dossier_id: str, document_id: int, fmt: str) -> ResponseReturnValue:
    document = get_in_org(Document, document_id)
    if document.dossier_id != dossier_id or fmt not in ("docx", "pdf"):
        abort(404)
    return send_document_file(document, fmt)  # recorded in the audit log


@bp.route("/ho-so-khen-thuong/<dossier_id>/giay-khen.<fmt>")
@clerk_required
def certificates_file(dossier_id: str, fmt: str) -> ResponseReturnValue:
    dossier = _dossier(dossier_id)
    job = svc.certificate_job(get_session(), dossier.organization_id, dossier.id)
    key = {"zip": "zip_file_id", "docx": "docx_file_id", "pdf": "pdf_file_id"}.get(fmt)
    if job is None or key is None or not job.result.get(key):
        abort(404)
    stored = get_in_org(StoredFile, job.result[key])
    return send_audited(
        stored,
        "certificates.download",
        object_type="dossier",
        object_id=dossier.id,
        detail={"format": fmt, "file": stored.id, "round": _round_name(dossier)},
    )


def _round_name(dossier: Dossier) -> str:
    round_ = get_session().get(Round, dossier.round_id)
    return round_.name if round_ is not None else ""


@bp.route("/ho-so-khen-thuong/<dossier_id>/in-lai-giay-khen", methods=["POST"])
@clerk_required
def reprint(dossier_id: str) -> ResponseReturnValue:
    """Print the certificates again, e.g. once the decision has its number."""
    dossier = _dossier(dossier_id)
    session = get_session()
    previous = svc.certificate_job(session, dossier.organization_id, dossier.id)
    if previous is None:
        abort(404)
    if previous.status in ("queued", "running"):
        flash("Giấy khen đang được in; hãy chờ xong rồi in lại.", "info")
        return redirect(url_for("dossier.detail", dossier_id=dossier_id))
    svc.reprint_certificates(
        session,
        real_app(),
        previous,
        user_id=g.user.id,
    )
    session.commit()
    flash("Đã xếp lịch in lại giấy khen.", "success")
    return redirect(url_for("dossier.detail", dossier_id=dossier_id))
