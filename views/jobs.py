"""Job state for the pages that wait on background work (read from our database, not RQ)."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import g
from flask import render_template

from storage.db import get_session
from storage.models import Job
from views.auth import login_required

bp = Blueprint("jobs", __name__)


def _own_job(job_id: str) -> Job:
    job = get_session().get(Job, job_id)
    if job is None or job.organization_id != g.user.organization_id:
        abort(404)
    if not g.user.is_clerk and job.created_by_id != g.user.id:
        abort(404)
    return job


@bp.route("/api/jobs/<job_id>")
@login_required
def job_status(job_id: str):  # type: ignore[no-untyped-def]
    job = _own_job(job_id)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "ready": job.status in ("done", "failed"),
        "successful": job.status == "done",
    }


@bp.route("/tac-vu/<job_id>")
@login_required
def job_page(job_id: str):  # type: ignore[no-untyped-def]
    return render_template("jobs/job.html", job=_own_job(job_id))
