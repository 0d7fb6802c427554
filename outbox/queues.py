"""Creating background jobs: a row in our database first, then an RQ job carrying its id.

The row is the source of truth for state and progress (RQ expires its own results). The
RQ job is enqueued only after the row is committed, so a worker never looks for a row that
is not there yet. It goes to the queue of its class of work (:mod:`outbox.routing`); on the
bulk queue it is a ticket for the next fair turn rather than for its own job
(:mod:`worker.runner`).
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from outbox.connection import get_queue
from outbox.routing import JOB_MODULE
from outbox.routing import work_class
from storage.db import get_db
from storage.models import Job

log = logging.getLogger(__name__)

RUNNER = "worker.runner.run_job"


def create_job(
    session: Session,
    app: Flask,
    *,
    function: str,
    kind: str,
    args: dict[str, Any] | None = None,
    organization_id: int | None = None,
    created_by_id: int | None = None,
    wakes_job_id: str | None = None,
) -> Job:
    """Add a job row and arrange for it to be enqueued once the session commits.

    Args:
        function: name of a function in :mod:`worker.jobs` (e.g. ``"echo"``).
        args: JSON values (ids, short strings) passed to the function as keyword args.
        wakes_job_id: a job parked until this one ends, made due when it does.
    """
    if "." in function:
        raise ValueError("Job functions are named without their module.")
    job = Job(
        function=f"{JOB_MODULE}.{function}",
        kind=kind,
        args=args or {},
        organization_id=organization_id,
        created_by_id=created_by_id,
        wakes_job_id=wakes_job_id,
    )
    session.add(job)
    session.flush()
    job_id, dotted = job.id, job.function

    @event.listens_for(session, "after_commit", once=True)
    def _enqueue_after_commit(_session: Session) -> None:
        enqueue(app, job_id, dotted)

    return job


def enqueue(app: Flask, job_id: str, function: str | None = None) -> bool:
    """Put job ``job_id`` on the queue of its class of work (read from its row when
    ``function`` is not given); False (row stays queued) when Redis is unreachable."""
    if function is None:
        function = _function_of(app, job_id)
    try:
        get_queue(app, work_class(function)).enqueue(
            RUNNER,
            job_id,
            job_id=job_id,
            job_timeout=app.config["JOB_TIMEOUT"],
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except redis.RedisError as exc:
        log.warning("job %s not enqueued, Redis unreachable: %s", job_id, exc)
        return False
    return True


def _function_of(app: Flask, job_id: str) -> str:
    with app.app_context(), get_db().session() as session:
        job = session.get(Job, job_id)
        return job.function if job is not None else ""
