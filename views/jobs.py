"""Job state for the pages that wait on background work (read from our database, not RQ)."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask.typing import ResponseReturnValue

from storage.models import Job
from views.access import get_in_org
from views.access import require_owner_or_clerk
from views.auth import login_required

bp = Blueprint("jobs", __name__)


def _own_job(job_id: str) -> Job:
    job = get_in_org(Job, job_id)
    require_owner_or_clerk(job.created_by_id, 404)
    return job


@bp.route("/api/jobs/<job_id>")
@login_required
def job_status(job_id: str) -> ResponseReturnValue:
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
def job_page(job_id: str) -> ResponseReturnValue:
    return render_template("jobs/job.html", job=_own_job(job_id))
