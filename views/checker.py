"""Kiểm tra thể thức văn bản .docx (clerks): every finding of :mod:`domain.check`, grouped.

The upload is only screened in the request (not empty, Word by content); the check runs
in the worker, in a child process with memory and CPU-time limits
(:mod:`worker.jobs.checker`, ``CHECK_MEMORY_MB`` / ``CHECK_TIMEOUT``), so a huge or
deeply nested document is answered with a Vietnamese reason and never holds a web worker.
The page then follows the job and shows the report when it is done.
"""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage

from forms.checker import CheckerForm
from services.format_check import Refused
from services.format_check import is_check_job
from services.format_check import queue_check
from services.format_check import report_of
from storage.db import get_session
from storage.db import real_app
from storage.models import Job
from views.access import get_in_org
from views.access import require_owner_or_clerk
from views.auth import clerk_required

bp = Blueprint("checker", __name__)


def _check_job(job_id: str) -> Job:
    job = get_in_org(Job, job_id)
    if not is_check_job(job):
        abort(404)
    require_owner_or_clerk(job.created_by_id, 404)
    return job


def _queue(upload: FileStorage, allow_academic_titles: bool) -> Job:
    """Queue the check of ``upload`` (committed). Raises Refused."""
    session = get_session()
    job = queue_check(
        session,
        real_app(),
        g.user,
        upload.filename or "",
        upload.read(),
        allow_academic_titles=allow_academic_titles,
    )
    session.commit()
    return job


@bp.route("/kiem-tra-the-thuc", methods=["GET", "POST"])
@clerk_required
def index() -> ResponseReturnValue:
    form = CheckerForm()
    refusal = ""
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not upload or not upload.filename:
                raise Refused("Vui lòng chọn tệp .docx cần kiểm tra.")
            job = _queue(upload, bool(form.allow_academic_titles.data))
            return redirect(url_for("checker.result", job_id=job.id), 303)
        except Refused as exc:
            refusal = str(exc)
    status = 422 if refusal else 200
    return render_template("checker/index.html", form=form, refusal=refusal), status


@bp.route("/kiem-tra-the-thuc/<job_id>")
@clerk_required
def result(job_id: str) -> ResponseReturnValue:
    """The check's progress while it runs (the page polls), then its report or reason."""
    job = _check_job(job_id)
    return render_template(
        "checker/index.html", form=CheckerForm(), refusal="", job=job, report=report_of(job)
    )


@bp.route("/api/kiem-tra-the-thuc", methods=["POST"])
@clerk_required
def api() -> ResponseReturnValue:
    """Queue a check: multipart field ``file``; optional ``allow_academic_titles=1``.

    Answers 202 with ``Location`` = the check's API resource, to poll until ``ready``.
    """
    upload = request.files.get("file")
    allow = request.form.get("allow_academic_titles", "") in ("1", "true", "on", "y")
    if upload is None or not upload.filename:
        raise Refused("Vui lòng gửi tệp .docx trong trường “file” (multipart/form-data).")
    job = _queue(upload, allow)  # Refused: 422 invalid_file, answered by web.py
    response = jsonify(_api_view(job))
    response.status_code = 202
    response.headers["Location"] = url_for("checker.api_result", job_id=job.id)
    return response


@bp.route("/api/kiem-tra-the-thuc/<job_id>")
@clerk_required
def api_result(job_id: str) -> ResponseReturnValue:
    """The check's state; with ``report`` once it is done, ``error`` if it failed."""
    return jsonify(_api_view(_check_job(job_id)))


def _api_view(job: Job) -> dict:
    report = report_of(job)
    return {
        "id": job.id,
        "status": job.status,
        "progress": job.progress,
        "ready": job.status in ("done", "failed"),
        "error": job.error or None,
        "report": report.as_dict() if report is not None else None,
        "url": url_for("checker.result", job_id=job.id, _external=True),
    }
