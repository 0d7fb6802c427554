"""How long a user's interactive job and another school's bulk job wait while one school has
N bulk jobs queued, against the same jobs on an empty queue, in one run.

Run from the project root::

    .venv/bin/python -m bench.fair_queues --jobs 500

A real ``python -m worker`` (one process, both queues) serves a temporary SQLite database
and the embedded Redis (REDIS_URL overrides it; a private queue name keeps other users of
that server apart). The jobs are real: the interactive one is a format check (Kiểm tra thể
thức) of a rendered Công văn, the bulk ones round summaries. Waits are read from the job
rows (``started_at - created_at``). Baseline: the two jobs queued on an idle worker (median
of three). Loaded: school A queues N bulk jobs in one transaction (as a batch or the Sở's
broadcast would); once the worker has started on them, the same two jobs are queued, three
times one after the other. For
comparison, the time A's backlog then took to drain is what school B's job would have
waited in one FIFO queue. Compare ratios, not absolute values, across machines.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from outbox import embedded
from outbox.queues import create_job
from render.context import sample_context
from render.engine import render_docx
from render.manifest import template_path
from services.format_check import queue_check
from storage.migrate import upgrade
from storage.models import Job
from storage.models import JobStatus
from storage.models import Organization
from storage.models import Role
from storage.models import Round
from storage.models import User
from views.auth import hash_password

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "BenchMatKhau1"


class Bench:
    """Two schools (A floods the bulk queue, B asks for one job), a worker, the jobs."""

    def __init__(self, work: Path) -> None:
        self.database_url = f"sqlite:///{work / 'bench.sqlite3'}"
        upgrade(self.database_url)
        self.redis_folder = work / "redis"
        self.redis_url = os.environ.get("REDIS_URL") or embedded.ensure_running(self.redis_folder)
        self.queue = f"vanthu-bench-{uuid.uuid4().hex[:8]}"
        from web import create_app

        self.app: Flask = create_app(
            {
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "QUEUE_NAME": self.queue,
                "SECRET_KEY": "bench-secret",
                "WTF_CSRF_ENABLED": False,
            }
        )
        self.schools = {name: self._school(name) for name in ("A", "B")}
        self.docx = render_docx(template_path("cong_van").read_bytes(), sample_context("cong_van"))
        self.worker: subprocess.Popen[bytes] | None = None

    @property
    def db(self):
        return self.app.extensions["vanthu.db"]

    def _school(self, name: str) -> dict[str, int]:
        """A school with a clerk, a staff member, a round and one registration in it."""
        today = date.today()
        with self.app.app_context(), self.db.session() as session:
            school = Organization(
                name=f"TRƯỜNG THCS {name}", parent_name="UBND XÃ MỸ THẠNH", abbrev=f"THCS{name}",
                place="Mỹ Thạnh", head_title="HIỆU TRƯỞNG", head_name="Nguyễn Văn An",
                settings={},
            )  # fmt: skip
            session.add(school)
            session.flush()
            users = {
                role: User(
                    organization_id=school.id,
                    email=f"{role.value}{name}@bench.vn",
                    full_name="Lê Thị Hồng",
                    role=role.value,
                    password_hash=hash_password(PASSWORD),
                )  # fmt: skip
                for role in (Role.CLERK, Role.STAFF)
            }
            session.add_all(users.values())
            windows = {  # registration and nomination open from 5 days ago to in 5 days
                f"{stage}_{edge}": today + timedelta(days=5 if edge == "closes" else -5)
                for stage in ("registration", "nomination")
                for edge in ("opens", "closes")
            }
            round_ = Round(
                organization_id=school.id, name="Năm học 2025-2026", school_year="2025-2026",
                reference_date=date(2026, 5, 31), ruleset_id="ND152_2025", **windows,
            )  # fmt: skip
            session.add(round_)
            session.flush()
            ids = {"org": school.id, "clerk": users[Role.CLERK].id, "round": round_.id}
        client = self.app.test_client()
        client.post("/dang-nhap", data={"email": f"staff{name}@bench.vn", "password": PASSWORD})
        response = client.post(
            f"/dot/{ids['round']}/khen-thuong",
            data=dict(
                nominee_type="individual",
                nominee_name="Trần Văn Đức",
                form_code="GIAY_KHEN",
                period="Năm học 2024-2025",
                achievements="Hoàn thành xuất sắc nhiệm vụ năm học.",
            ),  # fmt: skip
        )
        assert response.status_code == 302, "bench registration failed"
        return ids

    def start_worker(self) -> None:
        env = dict(
            os.environ,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            QUEUE_NAME=self.queue,
            SECRET_KEY="bench-secret",
            LOG_LEVEL="WARNING",
            WORKER_MAX_JOBS="0",
        )
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.send_signal(signal.SIGTERM)
            self.worker.wait(timeout=60)

    def bulk(self, school: str, count: int) -> list[str]:
        ids = self.schools[school]
        with self.app.app_context(), self.db.session() as session:
            jobs = [
                create_job(
                    session,
                    self.app,
                    function="summarise_round",
                    kind="Tổng hợp đợt thi đua",
                    args={"round_id": ids["round"]},
                    organization_id=ids["org"],
                )  # fmt: skip
                for _ in range(count)
            ]
            return [job.id for job in jobs]

    def check(self) -> str:
        with self.app.app_context(), self.db.session() as session:
            clerk = session.get(User, self.schools["B"]["clerk"])
            job = queue_check(
                session, self.app, clerk, "cong-van.docx", self.docx, allow_academic_titles=False
            )
            return job.id

    def pair(self) -> tuple[str, str]:
        """B's two jobs: a format check (interactive) and a round summary (bulk)."""
        return self.check(), self.bulk("B", 1)[0]

    def wait_done(self, ids: list[str], timeout: float = 3600) -> list[Job]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.app.app_context(), self.db.session() as session:
                jobs = session.scalars(select(Job).where(Job.id.in_(ids))).all()
                if all(job.status in (JobStatus.DONE, JobStatus.FAILED) for job in jobs):
                    session.expunge_all()
                    return sorted(jobs, key=lambda job: ids.index(job.id))
            time.sleep(0.05)
        raise SystemExit("jobs not done in time: is the worker running?")

    def started(self, ids: list[str]) -> int:
        with self.app.app_context(), self.db.session() as session:
            query = select(func.count()).where(Job.id.in_(ids), Job.started_at.is_not(None))
            return session.scalar(query) or 0

    def runs(self) -> tuple[int, int]:
        """(jobs, jobs not done exactly once)."""
        with self.app.app_context(), self.db.session() as session:
            jobs = session.scalars(select(Job)).all()
            return len(jobs), sum(1 for j in jobs if (j.status, j.attempts) != ("done", 1))


def wait(job: Job) -> float:
    assert job.started_at is not None  # a started job
    return (job.started_at - job.created_at).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=500, help="bulk jobs school A queues")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-fair-") as folder:
        bench = Bench(Path(folder))
        bench.start_worker()
        try:
            bench.wait_done(list(bench.pair()))  # warm-up: the first job imports everything
            empty = [bench.wait_done(list(bench.pair())) for _ in range(3)]
            backlog = bench.bulk("A", options.jobs)
            while not bench.started(backlog):
                time.sleep(0.01)
            loaded = [bench.wait_done(list(bench.pair())) for _ in range(3)]
            behind = bench.started(backlog)  # A's jobs started by then
            last = bench.wait_done(backlog)[-1]
            assert last.finished_at is not None  # waited until done
            drained = (last.finished_at - loaded[0][1].created_at).total_seconds()
            jobs, wrong = bench.runs()
        finally:
            bench.stop_worker()
            if not os.environ.get("REDIS_URL"):
                embedded.stop(bench.redis_folder)
    print(f"School A: {options.jobs} bulk jobs queued; one worker; median waits of 3 (job rows)")
    print(f"{'job of school B':<34}{'empty queue':>12}{'A backlog':>12}{'ratio':>8}")
    medians = {}
    for index, label in enumerate(("format check (interactive)", "round summary (bulk)")):
        base = statistics.median(wait(pair[index]) for pair in empty)
        busy = statistics.median(wait(pair[index]) for pair in loaded)
        medians[index] = base
        print(f"{label:<34}{base * 1000:>10.0f}ms{busy * 1000:>10.0f}ms{busy / base:>7.1f}×")
    print(
        f"A's jobs started meanwhile: {behind} of {options.jobs}; A's backlog drained "
        f"{drained:.1f} s after B's first job was queued (its wait in one FIFO queue: "
        f"{drained / medians[1]:.0f}× the empty queue's)"
    )
    print(f"jobs: {jobs}, not done exactly once: {wrong}")


if __name__ == "__main__":
    main()
