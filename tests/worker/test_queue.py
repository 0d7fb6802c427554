"""Jobs go through the real Redis to a real RQ worker; their state lands in our database."""

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from outbox.connection import get_queue
from outbox.queues import create_job
from outbox.queues import enqueue
from outbox.routing import WorkClass
from storage.models import Job
from tests.support import drain_queue as _work
from tests.worker.conftest import register
from worker.runner import run_job

ROOT = Path(__file__).resolve().parents[2]


def _job(app, job_id):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.get(Job, job_id)


def _make_job(app, world, function="summarise_round", **args):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = create_job(
            session,
            app,
            function=function,
            kind="Tổng hợp đợt thi đua",
            args=args or {"round_id": world["round"]},
            organization_id=world["school"],
            created_by_id=world["clerk"],
        )
        return job.id


def _submit(client, auth, world):
    register(client, auth, "staff", world["round"])


def test_job_is_enqueued_only_after_commit_with_its_id_and_json(app, world, redis_client):
    with app.app_context(), app.extensions["vanthu.db"].sessions() as session:
        job = create_job(
            session,
            app,
            function="summarise_round",
            kind="x",
            args={"round_id": world["round"]},
            organization_id=world["school"],
        )
        assert get_queue(app, WorkClass.BULK).count == 0  # not yet committed: nothing queued
        session.commit()
        job_id = job.id
    assert get_queue(app).count == 0  # a round summary is bulk work: not on the interactive queue
    queue = get_queue(app, WorkClass.BULK)
    assert queue.job_ids == [job_id]
    rq_job = queue.fetch_job(job_id)
    assert rq_job.func_name == "worker.runner.run_job" and list(rq_job.args) == [job_id]
    raw = zlib.decompress(redis_client.hget(f"rq:job:{job_id}", "data"))
    assert json.loads(raw)[2] == [job_id]  # JSON (function, instance, args, kwargs): no pickle


def test_job_runs_on_real_worker_and_result_lands_in_database(client, auth, app, world):
    _submit(client, auth, world)
    job_id = _make_job(app, world)
    assert _job(app, job_id).status == "queued"
    _work(app)
    job = _job(app, job_id)
    assert (job.status, job.progress, job.attempts) == ("done", 100, 1)
    assert job.result["total"] == 1 and job.finished_at is not None


def test_failed_job_is_marked_failed_with_vietnamese_reason_and_worker_goes_on(
    client, auth, app, world
):
    bad = _make_job(app, world, round_id=999999)  # no submissions: JobError
    _submit(client, auth, world)
    crash = _make_job(app, world, round_id={"không": "phải số"})  # unexpected exception
    good = _make_job(app, world)
    _work(app)
    assert (_job(app, bad).status, _job(app, bad).error) == (
        "failed",
        "Đợt thi đua chưa có đăng ký nào.",
    )
    assert _job(app, crash).status == "failed" and _job(app, crash).error.startswith("Lỗi hệ thống")
    assert _job(app, good).status == "done"


def test_job_row_cannot_name_code_outside_the_jobs_module(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = Job(function="os.system", kind="x", args={}, organization_id=world["school"])
        session.add(job)
        session.flush()
        job_id = job.id
    with app.app_context():
        assert run_job(job_id) == "failed"
    assert "không hợp lệ" in _job(app, job_id).error


def test_job_status_api_reads_our_database(client, auth, app, world):
    _submit(client, auth, world)
    job_id = _make_job(app, world)
    auth.logout()
    auth.login("clerk")
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "queued"
    _work(app)
    body = client.get(f"/api/jobs/{job_id}").json
    assert (body["status"], body["ready"], body["successful"]) == ("done", True, True)


def test_enqueue_reports_false_when_redis_is_unreachable(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = Job(
            function="worker.jobs.summarise_round",
            kind="x",
            args={},
            organization_id=world["school"],
        )
        session.add(job)
        session.flush()
        job_id = job.id
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("vanthu.redis", None)
    assert enqueue(app, job_id) is False
    assert _job(app, job_id).status == "queued"  # kept, not lost


@pytest.mark.slow
def test_separate_worker_process_shares_redis_and_database(
    client, auth, app, world, database_url, redis_url
):
    _submit(client, auth, world)
    job_id = _make_job(app, world)
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        QUEUE_NAME="vanthu-test",
        SECRET_KEY="test-secret",
    )
    result = subprocess.run(
        [sys.executable, "-m", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _job(app, job_id).status == "done"
