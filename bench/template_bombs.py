"""What the render sandbox costs, and how long another organization waits behind a bomb.

Run from the project root::

    .venv/bin/python -m bench.template_bombs --workers 1 --renders 20

Two parts, each against a baseline measured in the same run:

1. Cost per render: ``render.engine.render_docx`` in process (what jobs did before) against
   ``worker.render_sandbox.render_docx_sandboxed`` (a child forked from the warm render
   server, with its limits), per built-in kind with its sample data; and the one-off start
   of the render server (once per worker process).

2. Waiting behind a bomb: a temporary SQLite database, the embedded Redis (or REDIS_URL)
   with a private queue, organizations A and B, and N running ``python -m worker``
   processes. Organization A's custom template of a kind is a bomb (memory, nested loops,
   a million paragraphs, one GIL-holding C call); A's document of that kind and then B's
   ordinary công văn are queued at the same moment. Printed: how long B's document took
   from queued to done, against B's document queued alone on the same idle workers, and
   how long the bomb ran and what it was answered. The limits are the settings'
   (RENDER_TIMEOUT etc. from the environment, production defaults otherwise): with one
   worker, B waits for the bomb to hit its limit; with two, the other worker takes it.

The machine's other load shows up in the figures (the load average is printed): compare
ratios, not absolute values.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import docx

import config
from outbox import embedded
from render.context import sample_context
from render.engine import render_docx
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import template_path
from worker import render_sandbox
from worker.render_sandbox import RenderLimits
from worker.render_sandbox import render_docx_sandboxed

ROOT = Path(__file__).resolve().parent.parent

BOMBS = {
    "memory": ("ke_hoach", ["{{ 'x' * 10**9 }}"]),
    "cpu": (
        "to_trinh",
        ["{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"],
    ),
    "output": (
        "bien_ban",
        [
            "{%p for a in range(1000) %}",
            "{%p for b in range(1000) %}",
            "Đoạn {{ a }}.{{ b }}: một triệu đoạn văn.",
            "{%p endfor %}",
            "{%p endfor %}",
        ],
    ),
    "gil": ("quyet_dinh", ["{{ 10 ** (10 ** 8) }}"]),
}


def _with_paragraphs(kind: str, texts: list[str]) -> bytes:
    document = docx.Document(io.BytesIO(template_path(kind).read_bytes()))
    body = document.element.body
    for index, text in enumerate(texts):
        paragraph = document.add_paragraph(text)
        body.remove(paragraph._p)
        body.insert(index, paragraph._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- part 1 -------------------------------------------------------------------------------


def _median_ms(count: int, func: Any) -> float:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def cost_per_render(renders: int) -> None:
    limits = RenderLimits.from_config(config.load())
    render_sandbox.shutdown()
    first_template = template_path("cong_van").read_bytes()
    started = time.perf_counter()
    render_docx_sandboxed(first_template, sample_context("cong_van"), limits=limits)
    start = time.perf_counter() - started
    print(f"render server start + first render (once per worker process): {start:.2f} s\n")
    print(f"{'kind':18} {'in process ms':>14} {'sandboxed ms':>13} {'extra ms':>9} {'ratio':>6}")
    extras, ratios = [], []
    for kind in KINDS:
        template = template_path(kind).read_bytes()
        context = sample_context(kind)
        render_docx(template, context)  # warm caches outside the measurement
        inside = _median_ms(renders, lambda: render_docx(template, context))  # noqa: B023
        sandboxed = _median_ms(
            renders,
            lambda: render_docx_sandboxed(template, context, limits=limits),  # noqa: B023
        )
        extras.append(sandboxed - inside)
        ratios.append(sandboxed / inside)
        print(
            f"{kind:18} {inside:14.1f} {sandboxed:13.1f} {sandboxed - inside:9.1f} "
            f"{sandboxed / inside:6.2f}"
        )
    print(
        f"{'median':18} {'':14} {'':13} {statistics.median(extras):9.1f} "
        f"{statistics.median(ratios):6.2f}\n"
    )


# -- part 2 -------------------------------------------------------------------------------


class Instance:
    """A temporary database and queue, two organizations, and running worker processes."""

    def __init__(self, work: Path, workers: int) -> None:
        from storage.migrate import upgrade
        from web import create_app

        self.work = work
        self.database_url = f"sqlite:///{work / 'bench.sqlite3'}"
        upgrade(self.database_url)
        self.redis_url = os.environ.get("REDIS_URL") or embedded.ensure_running(work / "redis")
        self.queue = f"vanthu-bench-{uuid.uuid4().hex[:8]}"
        self.app = create_app(
            {
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "QUEUE_NAME": self.queue,
                "SECRET_KEY": "bench-secret",
            }
        )
        self.orgs = {"A": self._organization("A"), "B": self._organization("B")}
        env = dict(
            os.environ,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            QUEUE_NAME=self.queue,
            SECRET_KEY="bench-secret",
            LOG_LEVEL="WARNING",
        )
        self.workers = [
            subprocess.Popen(
                [sys.executable, "-m", "worker"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            for _ in range(workers)
        ]

    @property
    def db(self):
        return self.app.extensions["vanthu.db"]

    def _organization(self, letter: str) -> tuple[int, int]:
        from storage.models import Organization
        from storage.models import Role
        from storage.models import User

        with self.app.app_context(), self.db.session() as session:
            org = Organization(
                name=f"TRƯỜNG THCS {letter}", parent_name="UBND XÃ MỸ THẠNH",
                abbrev=f"THCS{letter}", place="Mỹ Thạnh", head_title="HIỆU TRƯỞNG",
                head_name="Nguyễn Văn An", settings={},
            )  # fmt: skip
            session.add(org)
            session.flush()
            clerk = User(
                organization_id=org.id, email=f"vanthu{letter.lower()}@bench.vn",
                full_name="Lê Thị Hồng", role=Role.CLERK.value, password_hash="-",
            )  # fmt: skip
            session.add(clerk)
            session.flush()
            return org.id, clerk.id

    def install(self, letter: str, kind: str, data: bytes) -> None:
        from sqlalchemy import update

        from services.documents import DOCX_MIME
        from storage.files import save_file
        from storage.models import DocumentTemplate

        org_id, _ = self.orgs[letter]
        with self.app.app_context(), self.db.session() as session:
            session.execute(
                update(DocumentTemplate)
                .where(DocumentTemplate.organization_id == org_id, DocumentTemplate.kind == kind)
                .values(active=False)
            )
            stored = save_file(
                session, organization_id=org_id, content=data, original_name=f"{kind}.docx",
                mime_type=DOCX_MIME,
            )  # fmt: skip
            session.add(
                DocumentTemplate(
                    organization_id=org_id, kind=kind, version=int(time.time() * 1000) % 10**9,
                    file_id=stored.id, active=True,
                )
            )  # fmt: skip

    def queue_documents(self, *wanted: tuple[str, str]) -> list[str]:
        """Queue (organization letter, kind) documents in one transaction; their job ids."""
        from services.documents import create_document
        from services.documents import request_render

        ids = []
        with self.app.app_context(), self.db.session() as session:
            for letter, kind in wanted:
                org_id, clerk_id = self.orgs[letter]
                sample = load_manifest(kind).sample
                document = create_document(
                    session, organization_id=org_id, created_by_id=clerk_id, kind=kind,
                    header_fields=sample["header"], body_fields=sample["body"],
                )  # fmt: skip
                ids.append(request_render(session, self.app, document, user_id=clerk_id))
        return ids

    def wait(self, job_ids: list[str], timeout: float = 900) -> list[Any]:
        from storage.models import Job

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.app.app_context(), self.db.session() as session:
                jobs = [session.get(Job, job_id) for job_id in job_ids]
                if all(job.status in ("done", "failed") for job in jobs):
                    session.expunge_all()
                    return jobs
            time.sleep(0.05)
        raise SystemExit(f"jobs {job_ids} not finished after {timeout:.0f} s")

    def close(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        self.db.dispose()
        if not os.environ.get("REDIS_URL"):
            embedded.stop(self.work / "redis")


def _seconds(job: Any) -> float:
    return (job.finished_at - job.created_at).total_seconds()


def waiting_behind_bombs(workers: int, repeats: int, bombs: list[str]) -> None:
    limits = RenderLimits.from_config(config.load())
    print(
        f"{workers} worker(s); limits: {limits.memory_mb} MB, {limits.cpu_seconds} CPU s "
        f"(wall {limits.wall_seconds:g} s), {limits.max_output_mb:g} MB output"
    )
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-bombs-") as folder:
        instance = Instance(Path(folder), workers)
        try:
            for name in bombs:
                kind, texts = BOMBS[name]
                instance.install("A", kind, _with_paragraphs(kind, texts))
            # Warm every worker up (app, render server, LibreOffice) before measuring.
            instance.wait(instance.queue_documents(*[("B", "cong_van")] * (2 * workers)))
            alone = [
                _seconds(instance.wait(instance.queue_documents(("B", "cong_van")))[0])
                for _ in range(repeats)
            ]
            baseline = statistics.median(alone)
            print(f"B's công văn queued alone: {baseline:.2f} s from queued to done (median)\n")
            print(
                f"{'A bomb':8} {'B waited s':>11} {'/ alone':>8} {'bomb ran s':>11}  "
                "the bomb's answer"
            )
            for name in bombs:
                kind, _ = BOMBS[name]
                waits, runs = [], []
                for _ in range(repeats):
                    bomb, ordinary = instance.wait(
                        instance.queue_documents(("A", kind), ("B", "cong_van"))
                    )
                    if ordinary.status != "done":
                        raise SystemExit(f"B's document failed behind {name}: {ordinary.error}")
                    waits.append(_seconds(ordinary))
                    runs.append((bomb.finished_at - bomb.started_at).total_seconds())
                wait = statistics.median(waits)
                print(
                    f"{name:8} {wait:11.2f} {wait / baseline:8.1f} "
                    f"{statistics.median(runs):11.2f}  {bomb.status}: {bomb.error[:70]}"
                )
            alive = sum(process.poll() is None for process in instance.workers)
            print(f"\nworkers alive at the end: {alive} of {workers}")
        finally:
            instance.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20, help="renders per kind (part 1)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts")
    parser.add_argument("--repeats", type=int, default=1, help="runs per bomb (part 2)")
    parser.add_argument("--bombs", default=",".join(BOMBS), help="which bombs (part 2)")
    parser.add_argument("--skip-cost", action="store_true", help="only part 2")
    parser.add_argument("--only-cost", action="store_true", help="only part 1")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    if not args.skip_cost:
        cost_per_render(args.renders)
    for workers in [] if args.only_cost else args.workers:
        waiting_behind_bombs(workers, args.repeats, args.bombs.split(","))
        print()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
