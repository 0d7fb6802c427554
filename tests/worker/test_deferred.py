"""A job that must wait for another job's work is deferred, not held: its worker is free at
once, the job is queued again for later without counting a try, and the sweeper enqueues
it when due. (The job function is replaced to raise; the database, Redis and runner are
real.)"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import worker.jobs.rounds
from tests.worker.test_retries import _job
from tests.worker.test_retries import _make_due
from tests.worker.test_retries import _new_job
from worker.errors import Deferred
from worker.runner import run_job


def test_a_deferred_job_frees_its_worker_and_runs_again_when_due(app, world, monkeypatch):
    calls: list[int] = []

    def waits_once(progress, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise Deferred(30, "Đang chờ đọc tệp")
        return {"summarised": True}

    monkeypatch.setattr(worker.jobs.rounds, "summarise_round", waits_once)
    job_id = _new_job(app, world)
    with app.app_context():
        assert run_job(job_id) == "deferred"
    waiting = _job(app, job_id)
    assert (waiting.status, waiting.attempts, waiting.message) == ("queued", 0, "Đang chờ đọc tệp")
    retry_at = waiting.retry_at if waiting.retry_at.tzinfo else waiting.retry_at.replace(tzinfo=UTC)
    assert (retry_at - datetime.now(UTC)).total_seconds() > 20
    with app.app_context():
        assert run_job(job_id) == "not-claimed"  # not before it is due
    _make_due(app, job_id)
    with app.app_context():
        outcome = run_job(job_id)
    assert outcome == "done", _job(app, job_id).error
    done = _job(app, job_id)
    assert (done.status, done.attempts, done.result, len(calls)) == (
        "done",
        1,
        {"summarised": True},
        2,
    )
