"""Template bombs against two real ``python -m worker`` processes with a short abandon time:
a render that burns CPU for longer than ``JOB_ABANDON_SECONDS`` keeps its heartbeat (the
worker only waits on its render child), so the other worker never takes the same job; each
bomb fails once with its reason, both workers live on, and the other organization's
documents complete."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from tests.faults.conftest import ROOT
from tests.faults.conftest import wait_for
from tests.faults.conftest import worker_env
from tests.hostile.test_template_bombs import BOMBS
from tests.hostile.test_template_bombs import _install
from tests.hostile.test_template_bombs import _outcome
from tests.hostile.test_template_bombs import _queue

pytestmark = pytest.mark.slow

SETTINGS = {
    "JOB_HEARTBEAT_SECONDS": "1",
    "JOB_ABANDON_SECONDS": "3",  # a stalled heartbeat would hand the bomb to the other worker
    "SWEEP_SECONDS": "1",
    "RENDER_TIMEOUT": "6",
    "RENDER_MEMORY_MB": "256",
    "RENDER_MAX_OUTPUT_MB": "5",
}


def test_bombs_keep_their_heartbeat_fail_once_and_both_workers_live_on(
    app, world, database_url, redis_url
):
    # 10 ** (10 ** 8): one long C call that holds the GIL. Rendered in the worker itself, its
    # heartbeat thread could not run and the sweeper handed the job to the other worker.
    _install(app, world["school"], "to_trinh", BOMBS["gil"][0]("to_trinh"))
    _install(app, world["school"], "ke_hoach", BOMBS["memory"][0]("ke_hoach"))
    cpu_bomb = _queue(app, world["school"], world["clerk"], "to_trinh")
    memory_bomb = _queue(app, world["school"], world["clerk"], "ke_hoach")
    others = [_queue(app, world["other"], world["other_clerk"], "cong_van") for _ in range(2)]
    everything = [cpu_bomb, memory_bomb, *others]

    log = open(os.environ.get("VANTHU_WORKER_LOG", os.devnull), "ab")  # noqa: SIM115
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "worker", "--name", f"bomb-{index}-{os.getpid()}"],
            cwd=ROOT,
            env=worker_env(database_url, redis_url, **SETTINGS),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for index in range(2)
    ]
    try:
        wait_for(
            lambda: all(_outcome(app, *ids)[1].status in ("done", "failed") for ids in everything),
            300,
            "every job to finish",
        )
        assert [w.poll() for w in workers] == [None, None]  # both workers live on
    finally:
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, 9)
            process.wait(timeout=30)
        log.close()

    document, job = _outcome(app, *cpu_bomb)
    assert job.status == "failed" and job.attempts == 1, (job.error, job.attempts)
    assert job.error == document.render_error
    assert job.error.startswith(
        "Mẫu văn bản chạy quá thời gian cho phép khi soạn (giới hạn 6 giây)"
    )
    # It ran for longer than JOB_ABANDON_SECONDS and beat all along.
    assert job.heartbeat_at - job.started_at >= timedelta(seconds=4), job.heartbeat_at
    document, job = _outcome(app, *memory_bomb)
    assert (job.status, job.attempts) == ("failed", 1)
    assert job.error.startswith("Mẫu văn bản dùng quá nhiều bộ nhớ khi soạn (giới hạn 256 MB)")
    for ids in others:
        document, job = _outcome(app, *ids)
        assert (job.status, document.render_status, job.attempts) == ("done", "done", 1)
        waited = (job.finished_at - job.created_at).total_seconds()
        print(f"other organization's document {document.id}: done {waited:.1f} s after queued")
