"""The single RQ entry point: run one of our job rows and record what happened."""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

from flask import Flask
from flask import current_app
from flask import has_app_context

from storage.db import get_db
from storage.models import Job
from storage.models import JobStatus
from worker.errors import JobError
from worker.queues import JOB_MODULE

log = logging.getLogger(__name__)


@functools.cache
def _worker_app() -> Flask:
    from web import create_app  # the worker builds its app once per process

    return create_app()


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
                if message:
                    job.message = message


def run_job(job_id: str) -> str:
    """Run job ``job_id``; mark it done or failed (with the reason) in our database."""
    if has_app_context():
        return _run(job_id)
    with _worker_app().app_context():
        return _run(job_id)


def _run(job_id: str) -> str:
    database = get_db()
    # A forked work-horse must not reuse the parent's pooled connections.
    database.engine.dispose(close=False)
    with database.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            log.warning("job %s has no record; nothing to do", job_id)
            return "missing"
        if job.status == JobStatus.DONE:
            return "already-done"
        job.status = JobStatus.RUNNING
        job.started_at = datetime.now(UTC)
        job.attempts += 1
        job.error = ""
        function, args = job.function, dict(job.args)
    try:
        result = _resolve(function)(Progress(job_id), **args)
    except Exception as exc:
        _finish(job_id, JobStatus.FAILED, error=_reason(exc))
        if isinstance(exc, JobError):
            return "failed"  # expected, explained failure: nothing for RQ's failed registry
        raise  # unexpected: RQ keeps the traceback; the worker itself carries on
    _finish(job_id, JobStatus.DONE, result=result if isinstance(result, dict) else {})
    return "done"


def _resolve(dotted: str) -> Callable[..., Any]:
    module_name, _, name = dotted.rpartition(".")
    if module_name != JOB_MODULE or name.startswith("_"):
        raise JobError(f"Tác vụ không hợp lệ: {dotted}")
    function = getattr(importlib.import_module(module_name), name, None)
    if not callable(function):
        raise JobError(f"Không có tác vụ {dotted}")
    return function


def _reason(exc: Exception) -> str:
    if isinstance(exc, JobError):
        return exc.message
    return f"Lỗi hệ thống khi xử lý ({type(exc).__name__}): {exc}"[:2000]


def _finish(job_id: str, status: JobStatus, *, error: str = "", result: dict | None = None) -> None:
    with get_db().session() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        job.status = status
        job.finished_at = datetime.now(UTC)
        job.error = error
        if status == JobStatus.DONE:
            job.progress = 100
            job.result = result or {}
    current_app.logger.info("job %s %s %s", job_id, status.value, error)
