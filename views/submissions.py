"""Staff forms: register titles, nominate, propose commendations, register initiatives."""

from __future__ import annotations

from datetime import date
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
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.submissions import CommendationForm
from forms.submissions import ExemplaryForm
from forms.submissions import InitiativeForm
from forms.submissions import RegistrationEditForm
from forms.submissions import RegistrationForm
from services import people
from services import submissions as svc
from services.pagination import page_request
from storage.db import get_session
from storage.models import Round
from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionFile
from storage.models import SubmissionKind
from storage.models import new_id
from storage.uploads import CheckedUpload
from storage.uploads import UploadRejected
from views.access import get_in_org
from views.access import require_owner_or_clerk
from views.auth import login_required
from views.downloads import send_audited

bp = Blueprint("submissions", __name__)

KIND_SLUGS = {
    "dang-ky": SubmissionKind.REGISTRATION,
    "dien-hinh": SubmissionKind.EXEMPLARY,
    "khen-thuong": SubmissionKind.COMMENDATION,
    "sang-kien": SubmissionKind.INITIATIVE,
}
# Any: flask_wtf ships no types, so FlaskForm (and these forms) are Any to mypy anyway.
FORMS: dict[str, type[Any]] = {
    SubmissionKind.EXEMPLARY: ExemplaryForm,
    SubmissionKind.COMMENDATION: CommendationForm,
    SubmissionKind.INITIATIVE: InitiativeForm,
}


def _round(round_id: int) -> Round:
    return get_in_org(Round, round_id)


def _uploads() -> list[svc.Upload]:
    return [
        svc.Upload(f.filename or "", f.read())
        for f in request.files.getlist("evidence")
        if f and (f.filename or "")
    ]


def _single_values(kind: str, form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Column values and kind-specific data of a one-nominee form."""
    if kind == SubmissionKind.INITIATIVE:
        authors = form.author_list()
        return (
            {
                "nominee_type": "individual",
                "nominee_name": authors[0],
                "unit": form.unit.data,
                "title_code": "",
            },
            {
                "title": form.title.data,
                "authors": authors,
                "field": form.field.data,
                "scope": form.scope.data,
                "effect": form.effect.data,
            },
        )
    values = {
        "nominee_type": form.nominee_type.data,
        "nominee_name": form.nominee_name.data,
        "position": form.position.data,
        "unit": form.unit.data,
    }
    if kind == SubmissionKind.EXEMPLARY:
        return values | {"title_code": ""}, {
            "field": form.field.data,
            "achievements": form.achievements.data,
        }
    if kind == SubmissionKind.COMMENDATION:
        return values | {"title_code": form.form_code.data}, {
            "period": form.period.data,
            "achievements": form.achievements.data,
        }
    return values | {"title_code": form.title_code.data}, {}


@bp.route("/ho-so")
@login_required
def mine() -> ResponseReturnValue:
    session = get_session()
    number, size = page_request(request.args)
    page = svc.own_page(session, g.user, number=number, size=size)
    items = page.items
    return render_template(
        "submissions/mine.html",
        page=page,
        items=items,
        today=date.today(),
        editable=svc.editable_by,
        for_me=svc.made_for_user(session, g.user),
        duplicates=svc.duplicates(session, list(items)),
    )


def _prefill(form: Any) -> None:
    """A new form starts with the signed-in person's name, position and unit (from the
    staff directory where it knows them, else the account); all stay editable."""
    if request.method == "GET":
        me = people.identity_of(get_session(), g.user)
        form.prefill(me.full_name, me.position, me.unit)


@bp.route("/dot/<int:round_id>/<slug>", methods=["GET", "POST"])
@login_required
def create(round_id: int, slug: str) -> ResponseReturnValue:
    kind = KIND_SLUGS.get(slug) or abort(404)
    round_ = _round(round_id)
    if not svc.window_open(round_, kind, date.today()):
        flash("Đợt này hiện không nhận hồ sơ loại này (ngoài thời hạn).", "error")
        return redirect(url_for("main.index"))
    if kind == SubmissionKind.REGISTRATION:
        return _create_registration(round_)
    form = FORMS[kind](round_=round_)
    _prefill(form)
    if form.validate_on_submit():
        try:
            checked = svc.check_uploads(_uploads(), current_app.config["MAX_FILES_PER_SUBMISSION"])
        except UploadRejected as exc:
            form.evidence.errors = [str(exc)]
        else:
            values, data = _single_values(kind, form)
            session = get_session()
            submission = svc.new_submission(g.user, round_, kind, **values)
            submission.data = data
            svc.refresh_search_key(submission)
            session.add(submission)
            _attach(session, submission, checked)
            session.commit()
            flash("Đã gửi hồ sơ.", "success")
            return redirect(url_for("submissions.detail", submission_id=submission.id))
    return render_template(f"submissions/{kind}.html", form=form, round=round_, editing=None)


def _attach(session: Session, submission: Submission, checked: list[CheckedUpload]) -> None:
    """Store the evidence and queue a PDF of each .doc/.xls/.odt for viewing (worker)."""
    to_convert = svc.attach_files(session, submission, checked, g.user)
    svc.request_previews(session, current_app, to_convert, g.user.organization_id, g.user.id)


def _create_registration(round_: Round) -> ResponseReturnValue:
    rows = min(max(request.args.get("dong", 3, type=int), 1), 40)
    form = RegistrationForm(round_=round_)
    form.add_rows(rows)
    _prefill(form)
    if form.validate_on_submit():
        session = get_session()
        created = []
        if form.nominee_type.data == "collective":
            created.append(
                svc.new_submission(
                    g.user,
                    round_,
                    SubmissionKind.REGISTRATION,
                    nominee_type="collective",
                    nominee_name=form.collective_unit.data,
                    unit=form.collective_unit.data,
                    title_code=form.collective_title.data,
                )
            )
        else:
            batch = new_id()  # one id for everyone registered in this post
            for row in form.filled_people():
                item = svc.new_submission(
                    g.user,
                    round_,
                    SubmissionKind.REGISTRATION,
                    nominee_type="individual",
                    nominee_name=row.full_name.data,
                    position=row.position.data,
                    unit=row.unit.data,
                    title_code=row.title_code.data,
                )
                batch = batch or item.batch_id
                item.batch_id = batch
                created.append(item)
        session.add_all(created)
        session.commit()
        flash(f"Đã đăng ký {len(created)} mục.", "success")
        return redirect(url_for("submissions.mine"))
    return render_template("submissions/registration.html", form=form, round=round_, rows=rows)


def _own_or_clerk(submission_id: int) -> Submission:
    submission = get_in_org(Submission, submission_id)
    require_owner_or_clerk(submission.created_by_id, 403)
    return submission


@bp.route("/ho-so/<int:submission_id>")
@login_required
def detail(submission_id: int) -> ResponseReturnValue:
    submission = _own_or_clerk(submission_id)
    return render_template(
        "submissions/detail.html",
        s=submission,
        can_edit=svc.editable_by(submission, g.user, date.today()),
        removable=svc.files_removable(submission, g.user),
        previews=svc.previews(get_session(), submission),
        duplicates=svc.duplicates(get_session(), [submission]).get(submission.id, []),
    )


@bp.route("/ho-so/<int:submission_id>/sua", methods=["GET", "POST"])
@login_required
def edit(submission_id: int) -> ResponseReturnValue:
    submission = _own_or_clerk(submission_id)
    if not svc.editable_by(submission, g.user, date.today()):
        flash("Hồ sơ này không còn sửa được (đã hết hạn hoặc đã được xét).", "error")
        return redirect(url_for("submissions.detail", submission_id=submission.id))
    kind = submission.kind
    if kind == SubmissionKind.REGISTRATION:
        form = RegistrationEditForm(
            obj=submission,
            collective=submission.nominee_type == "collective",
            round_=submission.round,
        )
    else:
        form = FORMS[SubmissionKind(kind)](data=_form_data(submission), round_=submission.round)
    if form.validate_on_submit():
        try:
            checked = (
                svc.check_uploads(
                    _uploads(),
                    current_app.config["MAX_FILES_PER_SUBMISSION"] - len(submission.files),
                )
                if hasattr(form, "evidence")
                else []
            )
        except UploadRejected as exc:
            form.evidence.errors = [str(exc)]
        else:
            values, data = _single_values(kind, form)
            try:
                svc.save_edit(get_session(), submission, values, data)
            except svc.EditLost as exc:
                flash(exc.message, "error")
                return _render_edit(form, submission), 409
            _attach(get_session(), submission, checked)
            get_session().commit()
            flash("Đã lưu thay đổi.", "success")
            return redirect(url_for("submissions.detail", submission_id=submission.id))
    return _render_edit(form, submission)


def _render_edit(form: Any, submission: Submission) -> str:
    kind = submission.kind
    template = "registration_edit" if kind == SubmissionKind.REGISTRATION else kind
    return render_template(
        f"submissions/{template}.html",
        form=form,
        round=submission.round,
        editing=submission,
        removable=svc.files_removable(submission, g.user),
        previews=svc.previews(get_session(), submission),
        duplicates=svc.duplicates(get_session(), [submission]).get(submission.id, []),
    )


def _form_data(submission: Submission) -> dict:
    data = dict(submission.data)
    data.update(
        nominee_type=submission.nominee_type,
        nominee_name=submission.nominee_name,
        position=submission.position,
        unit=submission.unit,
        form_code=submission.title_code,
    )
    if submission.kind == SubmissionKind.INITIATIVE:
        data["authors"] = "\n".join(submission.data.get("authors", []))
    return data


def _evidence(file_id: str) -> SubmissionFile:
    link = get_session().scalar(select(SubmissionFile).where(SubmissionFile.file_id == file_id))
    if link is None:
        abort(404)
    _own_or_clerk(link.submission_id)
    return link


@bp.route("/tep/<file_id>")
@login_required
def download(file_id: str) -> ResponseReturnValue:
    link = _evidence(file_id)
    stored = get_session().get_one(StoredFile, file_id)
    return send_audited(
        stored,
        "file.download",
        object_type="file",
        object_id=stored.id,
        detail={"submission": link.submission_id, "name": stored.original_name},
    )


@bp.route("/tep/<file_id>/pdf")
@login_required
def view_pdf(file_id: str) -> ResponseReturnValue:
    """The "Xem" link: the PDF the worker made of a .doc/.xls/.odt evidence file."""
    link = _evidence(file_id)
    stored = get_session().get(StoredFile, svc.preview_id(file_id)) or abort(404)
    return send_audited(
        stored,
        "file.download",
        object_type="file",
        object_id=file_id,
        detail={"submission": link.submission_id, "name": stored.original_name, "pdf": True},
    )


@bp.route("/ho-so/<int:submission_id>/tep/<int:link_id>/go", methods=["POST"])
@login_required
def remove_file(submission_id: int, link_id: int) -> ResponseReturnValue:
    """Its author removes a wrong attachment, until the clerk has reviewed the submission."""
    submission = _own_or_clerk(submission_id)
    session = get_session()
    try:
        name = svc.remove_file(session, submission, link_id, g.user)
    except LookupError:
        abort(404)
    except svc.RemovalRefused as exc:
        flash(str(exc), "error")
        return detail(submission_id), 409
    session.commit()
    flash(f"Đã gỡ tệp “{name}”.", "success")
    back = "edit" if svc.editable_by(submission, g.user, date.today()) else "detail"
    return redirect(url_for(f"submissions.{back}", submission_id=submission_id))
