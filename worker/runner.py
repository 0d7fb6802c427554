"""The single RQ entry point: run one of our job rows and record what happened.

The job row is the truth (an outbox): RQ only carries its id. A run first *claims* a row
(queued → running, in one conditional UPDATE), so a job enqueued twice — by the web and again
by the sweeper — still runs once. An interactive message claims its own job. A bulk message
is a ticket for the next fair turn: it claims the oldest waiting bulk job of the
organization whose bulk work started least recently (``job_turns``), so one school's (or
the Sở's) 500 jobs do not make another school's single job wait behind all of them. Each
message still runs at most one job, and each bulk job brings one ticket, so every job gets
one; a job whose ticket was used by another is run by a later ticket, or by one the sweeper
adds.

While a job runs, a heartbeat thread stamps the row; a worker killed mid-job stops stamping
and :mod:`worker.sweeper` queues the job again. Transient failures
(database or Redis unreachable, :class:`RetryableJobError`) are retried with exponential
backoff; everything else fails at once with its reason.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import redis
import sqlalchemy.exc
from flask import Flask
from flask import current_app
from flask import has_app_context
from sqlalchemy import ColumnElement
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from outbox.routing import INTERACTIVE_FUNCTIONS
from outbox.routing import JOB_MODULE
from outbox.routing import WorkClass
from outbox.routing import work_class
from storage.db import get_db
from storage.db import real_app
from storage.models import Job
from storage.models import JobStatus
from storage.models import JobTurn
from worker.errors import Deferred
from worker.errors import JobError
from worker.errors import RetryableJobError

log = logging.getLogger(__name__)

# A bulk ticket whose pick was taken by a concurrent worker picks again, this many times
# (each loss means another worker won a job; after that the sweeper adds a ticket).
CLAIM_TRIES = 5

# Failures worth another try: the job itself may be fine, something it needs was away.
TRANSIENT = (
    RetryableJobError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    redis.ConnectionError,
    redis.TimeoutError,
    ConnectionError,
)


@functools.cache
def worker_app() -> Flask:
    from web import create_app  # the worker builds its app once per process

    return create_app()


def now() -> datetime:
    return datetime.now(UTC)


class Progress:
    """Lets a job report progress; each report is its own short transaction."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id

    def __call__(self, done: int, total: int, message: str = "") -> None:
        percent = 100 if total <= 0 else max(0, min(100, round(done * 100 / total)))
        with get_db().session() as session:
            job = session.get(Job, self.job_id)
            if job is not None:
                job.progress = percent
                job.heartbeat_at = now()
                if message:
                    job.message = message


def run_job(job_id: str) -> str:
    """Run the job that message ``job_id`` claims (itself, or for a bulk ticket the next fair
    turn); mark it done, failed (with the reason) or due for a retry."""
    if has_app_context():
        return _run(job_id)
    with worker_app().app_context():
        return _run(job_id)


def _run(ticket: str) -> str:
    database = get_db()
    # A forked work-horse must not reuse the parent's pooled connections.
    database.engine.dispose(close=False)
    claimed = _claim(ticket)
    if claimed is None:
        return "not-claimed"  # done, running elsewhere, waiting for its retry time, or gone
    job_id, function, args = claimed
    try:
        with _Heartbeat(real_app(), job_id):
            result = _resolve(function)(Progress(job_id), **args)
    except Deferred as later:
        return _defer(job_id, later)
    except TRANSIENT as exc:
        return _retry_or_fail(job_id, exc)
    except Exception as exc:
        _finish(job_id, JobStatus.FAILED, error=_reason(exc))
        if isinstance(exc, JobError):
            return "failed"  # expected, explained failure: nothing for RQ's failed registry
        raise  # unexpected: RQ keeps the traceback; the worker itself carries on
    _finish(job_id, JobStatus.DONE, result=result if isinstance(result, dict) else {})
    return "done"


Claimed = tuple[str, str, dict[str, Any]]  # job id, dotted function, keyword arguments


def _claim(ticket: str) -> Claimed | None:
    """Turn one row from queued to running: the ticket's own job if it is interactive, the
    next fair turn's bulk job otherwise; None if there is nothing (left) to claim."""
    with get_db().session() as session:
        function = session.scalar(select(Job.function).where(Job.id == ticket))
    if function is None:
        return None
    if work_class(function) is WorkClass.INTERACTIVE:
        return _claim_where(Job.id == ticket)
    for _ in range(CLAIM_TRIES):
        pick = _next_fair_turn(now())
        claimed = _claim_where(Job.id == pick, take_turn=True)
        if claimed is not None:
            return claimed
        if not _bulk_waiting():
            return None
    return None


def _claim_where(condition: ColumnElement[bool], *, take_turn: bool = False) -> Claimed | None:
    """One conditional UPDATE (compare-and-set on the status): two workers racing for a row
    cannot both get it, on SQLite (one writer at a time) and PostgreSQL (the loser waits
    for the winner's commit, then finds the row no longer queued). ``take_turn`` records
    the claimed job's organization as served, in the same transaction."""
    moment = now()
    with get_db().session() as session:
        row = session.execute(
            update(Job)
            .where(condition, _waiting(Job, moment))
            .values(
                status=JobStatus.RUNNING.value,
                started_at=moment,
                heartbeat_at=moment,
                retry_at=None,
                attempts=Job.attempts + 1,
                error="",
            )
            .returning(Job.id, Job.function, Job.args, Job.organization_id)
            .execution_options(synchronize_session=False)
        ).first()
        if row is None:
            return None
        if take_turn and row.organization_id is not None:
            _record_turn(session, row.organization_id, moment)
    return row.id, row.function, dict(row.args)


def _waiting(job: type[Job], moment: datetime) -> ColumnElement[bool]:
    """Queued and due (no retry time, or past it)."""
    return (job.status == JobStatus.QUEUED.value) & or_(
        job.retry_at.is_(None), job.retry_at <= moment
    )


def _bulk(job: type[Job]) -> ColumnElement[bool]:
    # Everything not listed as interactive is bulk (outbox.routing's default).
    return job.function.not_in(INTERACTIVE_FUNCTIONS)


def _next_fair_turn(moment: datetime) -> Any:
    """The id of the oldest waiting bulk job of the organization served least recently
    (its last bulk job started longest ago, or never), as a scalar subquery.

    The turns are one row per organization (``job_turns``), so the cost grows with the
    waiting jobs, not with all the jobs organizations ever ran.
    """
    candidate = aliased(Job)
    return (
        select(candidate.id)
        .outerjoin(JobTurn, JobTurn.organization_id == candidate.organization_id)
        .where(_waiting(candidate, moment), _bulk(candidate))
        .order_by(JobTurn.served_at.asc().nulls_first(), candidate.created_at, candidate.id)
        .limit(1)
        .scalar_subquery()
    )


def _record_turn(session: Session, organization_id: int, moment: datetime) -> None:
    """The organization's turn is now, in the claim's transaction (an upsert)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(JobTurn)
        .values(organization_id=organization_id, served_at=moment)
        .on_conflict_do_update(index_elements=[JobTurn.organization_id], set_={"served_at": moment})
    )


def _bulk_waiting() -> bool:
    with get_db().session() as session:
        return (
            session.scalar(select(Job.id).where(_waiting(Job, now()), _bulk(Job)).limit(1))
            is not None
        )


def _defer(job_id: str, later: Deferred) -> str:
    """Queue job ``job_id`` again ``later.seconds`` from now, its try not counted (the
    sweeper enqueues it when due, as for a retry)."""
    values: dict[str, Any] = {
        "status": JobStatus.QUEUED.value,
        "retry_at": now() + timedelta(seconds=later.seconds),
        "attempts": Job.attempts - 1,
    }
    if later.message:
        values["message"] = later.message
    with get_db().session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.RUNNING.value)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    if later.then is not None:
        later.then()
    return "deferred"


def _retry_or_fail(job_id: str, exc: Exception) -> str:
    config = current_app.config
    reason = _reason(exc)
    try:
        with get_db().session() as session:
            job = session.get(Job, job_id)
            if job is None:
                return "missing"
            if job.attempts >= config["JOB_MAX_ATTEMPTS"]:
                job.status = JobStatus.FAILED.value
                job.finished_at = now()
                job.error = f"{reason} (đã thử {job.attempts} lần)"
                wake(session, job.wakes_job_id)
                return "failed"
            delay = config["JOB_RETRY_SECONDS"] * 2 ** (job.attempts - 1)
            job.status = JobStatus.QUEUED.value
            job.retry_at = now() + timedelta(seconds=delay)
            job.message = f"Tạm thời chưa xử lý được, sẽ thử lại sau {delay} giây: {reason}"
    except sqlalchemy.exc.SQLAlchemyError:
        # The database itself is away: the row still says "running" and its heartbeat has
        # stopped, so the sweeper takes it up again once the database is back.
        log.warning("job %s: transient failure and database unreachable", job_id)
    return "retry"


class _Heartbeat:
    """Stamps ``heartbeat_at`` while a job runs, so a killed worker's jobs can be found.

    A context manager: the beats stop before the outcome is recorded, whatever it is.
    """

    def __init__(self, app: Flask, job_id: str) -> None:
        self.app = app
        self.job_id = job_id
        self.interval = float(app.config["JOB_HEARTBEAT_SECONDS"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.app.app_context(), get_db().session() as session:
                    session.execute(
                        update(Job)
                        .where(Job.id == self.job_id, Job.status == JobStatus.RUNNING.value)
                        .values(heartbeat_at=now())
                        .execution_options(synchronize_session=False)
                    )
            except sqlalchemy.exc.SQLAlchemyError as exc:  # database away: try next beat
                log.warning("heartbeat of job %s not recorded: %s", self.job_id, exc)


def _resolve(dotted: str) -> Callable[..., Any]:
    module_name, _, name = dotted.rpartition(".")
    if module_name != JOB_MODULE or name.startswith("_"):
        raise JobError(f"Tác vụ không hợp lệ: {dotted}")
    try:
        function = getattr(importlib.import_module(module_name), name)
    except AttributeError:
        function = None
    if not callable(function):
        raise JobError(f"Không có tác vụ {dotted}")
    return function


def _reason(exc: Exception) -> str:
    if isinstance(exc, JobError):
        return exc.message
    if isinstance(exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        return "Cơ sở dữ liệu tạm thời không truy cập được."
    if isinstance(exc, redis.RedisError):
        return "Hàng đợi (Redis) tạm thời không truy cập được."
    return f"Lỗi hệ thống khi xử lý ({type(exc).__name__}): {exc}"[:2000]


def _finish(job_id: str, status: JobStatus, *, error: str = "", result: dict | None = None) -> None:
    with get_db().session() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        job.status = status
        job.finished_at = now()
        job.error = error
        if status == JobStatus.DONE:
            job.progress = 100
            job.result = result or {}
        wake(session, job.wakes_job_id)
    current_app.logger.info("job %s %s %s", job_id, status.value, error)


def wake(session: Session, job_id: str | None) -> None:
    """Make job ``job_id`` due now if it is parked (queued with a later time): the job it
    waited for has ended. The sweeper puts it on the queue."""
    if not job_id:
        return
    moment = now()
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED.value, Job.retry_at > moment)
        .values(retry_at=moment)
        .execution_options(synchronize_session=False)
    )
