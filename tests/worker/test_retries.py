"""Transient failures are retried with backoff, a bounded number of times; the claim makes a
job run once however often it is enqueued. Faults are injected into the job function only;
the database and Redis are real."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy.exc

import worker.jobs.rounds
from storage.models import Job
from worker.errors import RetryableJobError
from worker.runner import run_job
from worker.sweeper import GRACE
from worker.sweeper import sweep


def _job(app, job_id):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.get(Job, job_id)


def _new_job(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = Job(
            function="worker.jobs.summarise_round",
            kind="Tổng hợp",
            args={"round_id": world["round"]},
            organization_id=world["school"],
            created_at=datetime.now(UTC) - GRACE * 2,
        )
        session.add(job)
        session.flush()
        return job.id


def _make_due(app, job_id):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(Job, job_id).retry_at = datetime.now(UTC) - timedelta(seconds=1)


@pytest.mark.parametrize(
    "failure",
    [
        RetryableJobError("Dịch vụ tạm thời bận."),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    ],
    ids=["retryable", "database-away"],
)
def test_transient_failure_is_retried_with_backoff_then_failed(app, world, monkeypatch, failure):
    def flaky(progress, **kwargs):
        raise failure

    monkeypatch.setattr(worker.jobs.rounds, "summarise_round", flaky)
    job_id = _new_job(app, world)
    with app.app_context():
        assert run_job(job_id) == "retry"
    first = _job(app, job_id)
    assert first.status == "queued" and first.attempts == 1
    wait = (first.retry_at.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
    assert 0 < wait <= app.config["JOB_RETRY_SECONDS"]
    assert "sẽ thử lại sau" in first.message

    with app.app_context():
        assert run_job(job_id) == "not-claimed"  # not before its time
    _make_due(app, job_id)
    assert job_id in sweep(app).enqueued
    with app.app_context():
        assert run_job(job_id) == "retry"
    second = _job(app, job_id)
    wait = (second.retry_at.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()
    assert app.config["JOB_RETRY_SECONDS"] < wait <= 2 * app.config["JOB_RETRY_SECONDS"]

    _make_due(app, job_id)
    with app.app_context():
        assert run_job(job_id) == "failed"
    last = _job(app, job_id)
    assert last.status == "failed" and last.attempts == app.config["JOB_MAX_ATTEMPTS"]
    assert "đã thử 3 lần" in last.error


def test_permanent_failure_is_not_retried(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = Job(
            function="worker.jobs.summarise_round",
            kind="Tổng hợp",
            args={"round_id": 999999},
            organization_id=world["school"],
        )
        session.add(job)
        session.flush()
        job_id = job.id
    with app.app_context():
        assert run_job(job_id) == "failed"
        assert run_job(job_id) == "not-claimed"
    job = _job(app, job_id)
    assert (job.status, job.attempts, job.retry_at) == ("failed", 1, None)


def test_job_runs_once_however_often_it_is_claimed(client, auth, app, world):
    from tests.worker.test_queue import _submit

    _submit(client, auth, world)
    job_id = _new_job(app, world)
    with app.app_context():
        assert run_job(job_id) == "done"
        assert run_job(job_id) == "not-claimed"
    assert _job(app, job_id).attempts == 1
