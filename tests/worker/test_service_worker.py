"""The worker obeys a stop at any moment and outlives Redis restarts (``worker.loop``).

Seen in CI: ``make run``'s Ctrl-C left the worker running for minutes, and a Redis restart
while the worker cleaned its registries ended the worker (and ``make run`` with it). Real
worker processes, real Redis servers, real database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from rq import Queue
from rq import SimpleWorker

from outbox.queues import create_job
from storage.models import Job
from tests.conftest import make_app
from tests.faults.conftest import PrivateRedis
from tests.faults.conftest import wait_for
from tests.faults.conftest import worker_env
from worker.loop import ServiceWorker

ROOT = Path(__file__).resolve().parents[2]


def _catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler for ``signum`` (``SigCgt`` in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signum - 1)))
    return False


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as bash does for `command &`


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_ignore_sigint,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_registry_cleaning_and_suspension_check_ride_out_a_redis_outage(tmp_path) -> None:
    server = PrivateRedis(tmp_path / "redis")
    try:
        connection = redis.Redis.from_url(server.url)
        queues = [Queue("vanthu-outage", connection=connection)]
        ours = ServiceWorker(queues, connection=connection)
        rq_own = SimpleWorker(queues, connection=connection)
        server.stop()
        # RQ's own class lets the error out, which ends its loop for good...
        with pytest.raises(redis.exceptions.ConnectionError):
            rq_own.run_maintenance_tasks()
        # ...ours puts the cleaning off to a later turn; the dequeue waits for Redis.
        ours.run_maintenance_tasks()
        ours.check_for_suspension(False)
        server.start()
        ours.run_maintenance_tasks()  # and cleans once Redis is back
        assert ours.last_cleaned_at is not None
    finally:
        server.stop()


def test_only_a_loop_that_gave_up_counts_as_ending_unexpectedly(redis_client) -> None:
    worker = ServiceWorker([Queue("vanthu-ends", connection=redis_client)], connection=redis_client)
    assert worker.ended_unexpectedly(burst=False, max_jobs=None)
    assert not worker.ended_unexpectedly(burst=True, max_jobs=None)
    worker.jobs_run = 3
    assert not worker.ended_unexpectedly(burst=False, max_jobs=3)  # its jobs are done
    assert worker.ended_unexpectedly(burst=False, max_jobs=5)
    worker.stop_signalled = True
    assert not worker.ended_unexpectedly(burst=False, max_jobs=5)


def test_ctrl_c_while_the_worker_starts_up_stops_it(database_url, redis_url, tmp_path) -> None:
    log = tmp_path / "worker.log"
    process = _start_worker(worker_env(database_url, redis_url, LOG_LEVEL="INFO"), log)
    try:
        deadline = time.monotonic() + 60
        while not _catches(process.pid, signal.SIGINT):
            assert process.poll() is None, log.read_text()[-4000:]
            assert time.monotonic() < deadline, "the worker never handled Ctrl-C"
            time.sleep(0.02)
        # Caught before RQ's loop (and its handlers) started: the worker is still starting.
        assert "started with PID" not in log.read_text()
        os.kill(process.pid, signal.SIGINT)
        assert process.wait(timeout=60) == 0, log.read_text()[-4000:]
    finally:
        _stop(process)


def test_a_stop_after_some_jobs_ends_the_worker_rather_than_starting_it_afresh(
    app, world, database_url, redis_url, tmp_path
) -> None:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job_id = create_job(
            session, app, function="summarise_round", kind="Tổng hợp đợt thi đua",
            args={"round_id": world["round"]}, organization_id=world["school"],
        ).id  # fmt: skip
    log = tmp_path / "worker.log"
    env = worker_env(database_url, redis_url, WORKER_MAX_JOBS="5", LOG_LEVEL="INFO")
    process = _start_worker(env, log)
    try:

        def finished() -> bool:
            with app.app_context(), app.extensions["vanthu.db"].session() as session:
                return session.get(Job, job_id).status in ("done", "failed")

        wait_for(finished, 180, "the job")
        wait_for(lambda: _catches(process.pid, signal.SIGTERM), 30, "a SIGTERM handler")
        process.send_signal(signal.SIGTERM)  # idle, one job of five run
        assert process.wait(timeout=60) == 0, log.read_text()[-4000:]
        assert log.read_text().count("started with PID") == 1, log.read_text()[-4000:]
    finally:
        _stop(process)


def test_a_worker_started_while_redis_is_down_waits_for_it_then_works(
    world, database_url, tmp_path
) -> None:
    server = PrivateRedis(tmp_path / "redis")
    server.stop()  # the worker comes up before its Redis
    log = tmp_path / "worker.log"
    process = _start_worker(worker_env(database_url, server.url, LOG_LEVEL="INFO"), log)
    app = make_app(database_url, server.url)
    try:
        wait_for(lambda: "Redis does not answer" in log.read_text(), 60, "the worker to wait")
        assert process.poll() is None, log.read_text()[-4000:]
        server.start()
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            job_id = create_job(
                session, app, function="summarise_round", kind="Tổng hợp đợt thi đua",
                args={"round_id": world["round"]}, organization_id=world["school"],
            ).id  # fmt: skip

        def finished() -> bool:
            with app.app_context(), app.extensions["vanthu.db"].session() as session:
                return session.get(Job, job_id).status in ("done", "failed")

        wait_for(finished, 180, "the job, once Redis answers")
    finally:
        _stop(process)
        app.extensions["vanthu.db"].dispose()
        server.stop()
