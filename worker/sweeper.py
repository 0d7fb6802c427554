"""The outbox sweeper: no job row is left behind by a Redis outage or a killed worker.

Every request for work is a row in ``jobs`` first (see :mod:`outbox.queues`). The sweeper,
run by each worker process on a timer (``SWEEP_SECONDS``) and by ``flask sweep-jobs``
(the same timer runs the storage sweep when due, :func:`sweep_storage_when_due`):

* queues again a *running* job whose heartbeat stopped for ``JOB_ABANDON_SECONDS`` (its
  worker was killed), or marks it failed after ``JOB_MAX_ATTEMPTS`` tries;
* enqueues a *queued* job that is due (no ``retry_at`` or past it) and has no live entry in
  Redis: the web could not reach Redis when it was created, Redis lost its data, or the job
  waits for a retry after a transient failure.

Enqueuing twice is harmless: :func:`worker.runner.run_job` claims a row once. A bulk
message is a ticket for any waiting bulk job (fair turns), so a bulk row without its own
message still runs as long as the bulk queue holds as many tickets as there are waiting bulk
rows; the sweeper adds tickets only for the shortfall.
So a killed worker's job runs again within JOB_ABANDON_SECONDS + SWEEP_SECONDS (plus the
time another worker needs to get to it), and a job created while Redis was down starts
within SWEEP_SECONDS of Redis being back.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import redis
from flask import Flask
from rq.exceptions import NoSuchJobError
from rq.job import Job as RqJob
from rq.job import JobStatus as RqStatus
from rq.serializers import JSONSerializer
from sqlalchemy import or_
from sqlalchemy import select

from outbox.connection import get_queue
from outbox.connection import get_redis
from outbox.queues import enqueue
from outbox.routing import WorkClass
from outbox.routing import work_class
from services import notifications
from services.storage_sweep import StorageReport
from services.storage_sweep import sweep_storage
from storage.db import get_db
from storage.models import Job
from storage.models import JobStatus

log = logging.getLogger(__name__)

# A row younger than this is still being enqueued by the request that made it.
GRACE = timedelta(seconds=3)
# A queued row whose RQ job says "started" was left by a killed worker (a live run would have
# claimed the row, making it "running"), so only these count as waiting in Redis.
_LIVE = {RqStatus.QUEUED, RqStatus.SCHEDULED, RqStatus.DEFERRED}


@dataclass
class SweepReport:
    requeued_abandoned: list[str] = field(default_factory=list)
    failed_abandoned: list[str] = field(default_factory=list)
    enqueued: list[str] = field(default_factory=list)


def sweep(app: Flask) -> SweepReport:
    """One pass over the job table (call inside or outside an app context)."""
    with app.app_context():
        report = SweepReport()
        requeued = _recover_abandoned(app, report)
        for job_id, function in requeued:  # after the commit that made them queued
            enqueue(app, job_id, function)
        _enqueue_stranded(app, report, skip=set(report.requeued_abandoned))
        if report.requeued_abandoned or report.failed_abandoned or report.enqueued:
            log.info("sweep: %s", report)
        return report


def _now() -> datetime:
    return datetime.now(UTC)


def _recover_abandoned(app: Flask, report: SweepReport) -> list[tuple[str, str]]:
    """Fail or queue again the running jobs whose heartbeat stopped; returns the
    (id, function) of those queued again, to be enqueued after this commit."""
    requeued: list[tuple[str, str]] = []
    limit = _now() - timedelta(seconds=app.config["JOB_ABANDON_SECONDS"])
    with get_db().session() as session:
        jobs = session.scalars(
            select(Job)
            .where(Job.status == JobStatus.RUNNING.value, Job.heartbeat_at < limit)
            .with_for_update(skip_locked=True)
        ).all()
        for job in jobs:
            if job.attempts >= app.config["JOB_MAX_ATTEMPTS"]:
                job.status = JobStatus.FAILED.value
                job.finished_at = _now()
                job.error = (
                    f"Tiến trình xử lý bị dừng đột ngột {job.attempts} lần; "
                    "tác vụ được dừng lại. Hãy thử lại hoặc báo quản trị."
                )
                report.failed_abandoned.append(job.id)
            else:
                job.status = JobStatus.QUEUED.value
                job.retry_at = None
                job.message = "Tiến trình xử lý bị dừng giữa chừng; tác vụ được xếp hàng lại."
                report.requeued_abandoned.append(job.id)
                requeued.append((job.id, job.function))
    return requeued


def _enqueue_stranded(app: Flask, report: SweepReport, *, skip: set[str]) -> None:
    moment = _now()
    with get_db().session() as session:
        waiting = session.execute(
            select(Job.id, Job.function, Job.created_at)
            .where(
                Job.status == JobStatus.QUEUED.value,
                or_(Job.retry_at.is_(None), Job.retry_at <= moment),
            )
            .order_by(Job.created_at)
        ).all()
    connection = get_redis(app)
    bulk = [row for row in waiting if work_class(row.function) is WorkClass.BULK]
    try:
        # Tickets a waiting bulk row may lack: rows still being enqueued by their request
        # count on both sides, so young rows are counted too.
        shortfall = len(bulk) - get_queue(app, WorkClass.BULK).count
    except redis.RedisError as exc:
        log.warning("sweep: Redis unreachable, will try later: %s", exc)
        return
    for job_id, function, created_at in waiting:
        if job_id in skip or _aware(created_at) >= moment - GRACE:
            continue
        is_bulk = work_class(function) is WorkClass.BULK
        if is_bulk and shortfall <= 0:
            continue
        try:
            if _live_in_redis(connection, job_id):
                continue
        except redis.RedisError as exc:
            log.warning("sweep: Redis unreachable, will try later: %s", exc)
            return
        if enqueue(app, job_id, function):
            report.enqueued.append(job_id)
            if is_bulk:
                shortfall -= 1


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes (stored in UTC), PostgreSQL aware ones.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _live_in_redis(connection: redis.Redis, job_id: str) -> bool:
    try:
        rq_job = RqJob.fetch(job_id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        return False
    return rq_job.get_status(refresh=False) in _LIVE


def sweep_notifications(app: Flask) -> None:
    """E-mail letters: abandoned sends back to pending, reminders, digests, due letters
    sent (services.notifications.sweep); a failure is logged and tried next tick."""
    try:
        report = notifications.sweep(app)
    except Exception:
        log.exception("notification sweep failed; retrying next tick")
        return
    if report.recovered or report.reminders or report.digests or report.outcomes:
        log.info("notification sweep: %s", report)


def storage_sweep(app: Flask, *, dry_run: bool = False) -> StorageReport:
    """One storage sweep with the app's settings (services.storage_sweep)."""
    from worker.jobs.plans import reading_version

    config = app.config
    job_days = float(config["JOB_RETENTION_DAYS"])
    with app.app_context():
        return sweep_storage(
            get_db(),
            grace=timedelta(hours=float(config["ORPHAN_FILE_GRACE_HOURS"])),
            reading_version=reading_version(),
            readings_kept=timedelta(days=float(config["PARSE_CACHE_KEEP_DAYS"])),
            jobs_kept=timedelta(days=job_days) if job_days > 0 else None,
            dry_run=dry_run,
        )


def sweep_storage_when_due(app: Flask) -> StorageReport | None:
    """The storage sweep, if ``STORAGE_SWEEP_SECONDS`` have passed since any worker's last
    one: a Redis key taken with SET NX and that expiry says so, so of N workers (and of a
    worker that starts afresh every WORKER_MAX_JOBS jobs) one sweeps per interval. Redis
    unreachable: not now. A failure is logged and tried at the next interval."""
    interval = int(app.config["STORAGE_SWEEP_SECONDS"])
    if interval <= 0:
        return None
    key = f"{app.config['QUEUE_NAME']}:storage-sweep"
    try:
        if not get_redis(app).set(key, _now().isoformat(), nx=True, ex=interval):
            return None
    except redis.RedisError:
        return None
    try:
        report = storage_sweep(app)
    except Exception:
        log.exception("storage sweep failed; retrying in %s s", interval)
        return None
    if report:
        log.info("storage sweep: %s", report)
    return report


class Sweeper(threading.Thread):
    """Runs :func:`sweep` every ``SWEEP_SECONDS`` beside the worker's job loop."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="vanthu-sweeper", daemon=True)
        self.app = app
        self.interval = float(app.config["SWEEP_SECONDS"])
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                sweep(self.app)
            except Exception:  # the sweeper must outlive any outage; it runs again next tick
                log.exception("sweep failed; retrying in %s s", self.interval)
            sweep_notifications(self.app)
            sweep_storage_when_due(self.app)

    def stop(self) -> None:
        self._stop_event.set()
