"""A long-running worker gives its memory back (issue 15): after WORKER_MAX_JOBS jobs it
replaces itself (exec: same PID) and goes on with the queue. Real worker process, real
Redis, real database."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from outbox.queues import create_job
from storage.models import Job
from tests.faults.conftest import wait_for
from tests.faults.conftest import worker_env

ROOT = Path(__file__).resolve().parents[2]


def _statuses(app, ids: list[str]) -> list[str]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return [session.get(Job, job_id).status for job_id in ids]


def test_a_worker_starts_afresh_after_its_job_count_and_keeps_working(
    app, world, database_url, redis_url, tmp_path
) -> None:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        ids = [
            create_job(
                session, app, function="summarise_round", kind="Tổng hợp đợt thi đua",
                args={"round_id": world["round"]}, organization_id=world["school"],
            ).id
            for _ in range(5)
        ]  # fmt: skip
    log = tmp_path / "worker.log"
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "worker"],
            cwd=ROOT,
            env=worker_env(database_url, redis_url, WORKER_MAX_JOBS="2", LOG_LEVEL="INFO"),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        finished = ("done", "failed")  # (failed: the round has nothing to sum up; no matter)
        wait_for(lambda: all(s in finished for s in _statuses(app, ids)), 180, "five jobs")
        assert process.poll() is None  # the same process (PID) goes on serving the queue
        # Three RQ workers one after the other, all in the process started here.
        starts = re.findall(r"started with PID (\d+)", log.read_text())
        assert starts == [str(process.pid)] * 3, log.read_text()[-4000:]
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
