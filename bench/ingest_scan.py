"""A long scan and a broadcast, through the real parse jobs, against Tesseract alone.

Run from the project root::

    .venv/bin/python -m bench.ingest_scan --pages 60 --orgs 20

Issue 15's two scan figures, ratios in one run:

* **the scan**: a PDF of ``--pages`` scanned pages (the partial corpus's 200 dpi scans,
  repeated in order) uploaded by one school; its parse job, run by the real runner
  (``worker.runner.run_job``: the sandboxed parser child, OCR at each page's own resolution
  with pages in parallel, page images, storing), against the floor: plain ``tesseract`` on
  each distinct page rendered at its native resolution, one page at a time (OCR only),
  summed over the pages and divided by the cores (floor a), and the same Tesseracts run
  ``cores`` at a time (floor b, the floor as this machine realises it), with the CPU of
  the job (children included) against the Tesseracts' CPU;
* **the broadcast**: ``--orgs`` schools upload the same bytes; their jobs run on
  ``--workers`` threads through the real runner, as workers would take them from the queue.
  Reported: how many jobs read the bytes (must be 1: the others wait for or copy the
  reading), the wall time of all of them against the one reading, and what a copy costs.

A temporary SQLite database and the embedded Redis are used (REDIS_URL overrides the Redis;
jobs are run by id, so nothing is taken from any queue). The machine's other load shows up
in the figures: compare ratios, not absolute values.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from outbox import embedded
from services.plans.uploads import create_incoming
from storage.migrate import upgrade
from storage.models import IncomingDocument
from storage.models import Job
from storage.models import Organization
from storage.models import ParsedFile
from storage.models import Role
from storage.models import User
from storage.uploads import CheckedUpload
from worker.runner import run_job

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT.parent / "shared" / "corpus" / "partial"
TESSERACT = shutil.which("tesseract") or "tesseract"


def long_scan(pages: int) -> tuple[bytes, list[tuple[Path, int]]]:
    """A PDF of ``pages`` scanned pages from the partial corpus, and each page's source."""
    sources = sorted(SCANS.glob("*.scan.pdf"))
    if not sources:
        raise SystemExit("no scans found in ../shared/corpus/partial")
    document = pdfium.PdfDocument.new()
    origin: list[tuple[Path, int]] = []
    while len(origin) < pages:
        for path in sources:
            source = pdfium.PdfDocument(path)
            for index in range(len(source)):
                if len(origin) == pages:
                    break
                document.import_pages(source, [index])
                origin.append((path, index))
            source.close()
            if len(origin) == pages:
                break
    out = tempfile.SpooledTemporaryFile()
    document.save(out)
    document.close()
    out.seek(0)
    return out.read(), origin


@dataclass
class Floor:
    """Issue 15's floor, measured in the same run as the job.

    ``sequential`` is the floor as the issue defines it: plain ``tesseract`` on each page at
    its native resolution (the product's language and options: ``vie``, ``--psm 6``, TSV,
    one thread), one page at a time, summed (each distinct page timed once, counted as
    often as it occurs); divide by the cores. ``parallel`` is that floor as this machine
    realises it: every page's ``tesseract`` run in ``cores`` processes at once, wall time.
    ``cpu`` is the Tesseracts' CPU (user + system) summed over the pages.
    """

    sequential: float
    parallel: float
    cpu: float


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's waited-for children and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _tesseract(path: Path) -> None:
    subprocess.run(
        [TESSERACT, str(path), "stdout", "-l", "vie", "--psm", "6", "tsv"],
        capture_output=True,
        check=True,
        env=dict(os.environ, OMP_THREAD_LIMIT="1"),
    )


def tesseract_floor(
    data: bytes, page_dpis: dict[int, int], origin: list[tuple[Path, int]], cores: int
) -> Floor:
    """Plain ``tesseract`` on every page, rendered (greyscale) at the resolution the
    pipeline read it at: one at a time, then ``cores`` at a time."""
    images: dict[tuple[Path, int], Path] = {}
    order: list[Path] = []
    document = pdfium.PdfDocument(data)
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        for number, source in enumerate(origin, start=1):
            if source not in images:
                page = document[number - 1]
                scale = page_dpis.get(number, 300) / 72.0
                path = Path(tmp) / f"page-{number}.png"
                page.render(scale=scale, grayscale=True).to_pil().save(path)
                page.close()
                images[source] = path
            order.append(images[source])
        document.close()
        wall: dict[Path, float] = {}
        cpu: dict[Path, float] = {}
        for path in images.values():
            before, start = children_cpu(), time.perf_counter()
            _tesseract(path)
            wall[path] = time.perf_counter() - start
            cpu[path] = children_cpu() - before
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=cores) as pool:
            list(pool.map(_tesseract, order))
        parallel = time.perf_counter() - start
    return Floor(
        sequential=sum(wall[path] for path in order) / cores,
        parallel=parallel,
        cpu=sum(cpu[path] for path in order),
    )


class Setup:
    """A temporary database, a Redis, an app and ``orgs`` schools with a clerk each."""

    def __init__(self, work: Path, orgs: int, pages_per_job: int = 0) -> None:
        from web import create_app

        self.database_url = f"sqlite:///{work / 'bench.sqlite3'}"
        upgrade(self.database_url)
        self.redis_url = os.environ.get("REDIS_URL") or embedded.ensure_running(work / "redis")
        self.app = create_app(
            {
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "QUEUE_NAME": "vanthu-bench-ingest-scan",
                "SECRET_KEY": "bench-secret",
                "INGEST_TIMEOUT": 1800,
                "JOB_TIMEOUT": 3600,
                # 0: the scan read by one job (the parse job's own figure); N: its OCR
                # spread over page jobs of N pages, run by the same workers.
                "OCR_PAGES_PER_JOB": pages_per_job,
            }
        )
        self.schools: list[tuple[int, int]] = []
        with self.app.app_context(), self.db.session() as session:
            for n in range(1, orgs + 1):
                school = Organization(
                    name=f"Trường Tiểu học số {n}", abbrev=f"TH{n}", place="Cao Lãnh", settings={}
                )
                session.add(school)
                session.flush()
                clerk = User(
                    organization_id=school.id,
                    email=f"vanthu@th{n}.edu.vn",
                    full_name=f"Văn thư {n}",
                    role=Role.CLERK.value,
                    password_hash="-",
                )
                session.add(clerk)
                session.flush()
                self.schools.append((school.id, clerk.id))

    @property
    def db(self):
        return self.app.extensions["vanthu.db"]

    def upload(self, school: tuple[int, int], content: bytes) -> str:
        """The school's clerk uploads ``content``; returns its parse job's id."""
        with self.app.app_context(), self.db.session() as session:
            incoming = create_incoming(
                session,
                self.app,
                organization_id=school[0],
                user_id=school[1],
                upload=CheckedUpload("ke-hoach-so.pdf", "application/pdf", content),
            )
            return incoming.job_id or ""

    def run(self, job_ids: list[str], workers: int) -> float:
        """Run jobs on ``workers`` threads as workers fed by the sweeper do (a deferred job
        again when due; page jobs too) until none is queued or running; wall time."""
        del job_ids  # every queued row is run, page jobs included

        def work() -> None:
            while True:
                with self.app.app_context(), self.db.session() as session:
                    due = session.scalar(
                        select(Job.id)
                        .where(
                            Job.status == "queued",
                            or_(Job.retry_at.is_(None), Job.retry_at <= datetime.now(UTC)),
                        )
                        .limit(1)
                    )
                    busy = session.scalar(
                        select(func.count()).where(Job.status.in_(("queued", "running")))
                    )
                if due is None:
                    if not busy:
                        return
                    time.sleep(0.2)  # deferred rows not due yet, or others running
                    continue
                with self.app.app_context():
                    run_job(due)  # a ticket: runs the next fair turn's job

        threads = [threading.Thread(target=work) for _ in range(workers)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    def jobs(self, job_ids: list[str]) -> list[Job]:
        with self.app.app_context(), self.db.session() as session:
            rows = list(session.scalars(select(Job).where(Job.id.in_(job_ids))))
            for row in rows:
                session.expunge(row)
            return rows

    def ocr_dpis(self) -> dict[int, int]:
        with self.app.app_context(), self.db.session() as session:
            incoming = session.scalars(select(IncomingDocument).limit(1)).one()
            return {int(p["page"]): int(p["dpi"]) for p in incoming.extracted.get("ocr_pages", [])}

    def readings(self) -> int:
        with self.app.app_context(), self.db.session() as session:
            return int(session.scalar(select(func.count()).select_from(ParsedFile)) or 0)


def seconds(job: Job) -> float:
    if job.started_at is None or job.finished_at is None:
        return float("nan")
    return (job.finished_at - job.started_at).total_seconds()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--pages-per-job", type=int, default=0, help="OCR_PAGES_PER_JOB (0: one job reads)"
    )
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    content, origin = long_scan(args.pages)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-scan-") as folder:
        work = Path(folder)
        setup = Setup(work, args.orgs, args.pages_per_job)
        try:
            job_ids = [setup.upload(school, content) for school in setup.schools]
            load_before = os.getloadavg()
            cpu_before = children_cpu() + own_cpu()
            wall = setup.run(job_ids, args.workers)
            job_cpu = children_cpu() + own_cpu() - cpu_before
            load_after = os.getloadavg()
            jobs = {job.id: job for job in setup.jobs(job_ids)}
            floor = tesseract_floor(content, setup.ocr_dpis(), origin, cores)
            load_floor = os.getloadavg()
            readings = setup.readings()
        finally:
            if not os.environ.get("REDIS_URL"):
                embedded.stop(work / "redis")
    results: list[dict[str, Any]] = [dict(jobs[j].result or {}) for j in job_ids]
    failed = [j for j in job_ids if jobs[j].status != "done"]
    readers = [j for j, r in zip(job_ids, results, strict=True) if r.get("read_here")]
    reading = seconds(jobs[readers[0]]) if readers else float("nan")
    copies = [seconds(jobs[j]) for j in job_ids if j not in readers and jobs[j].status == "done"]
    print(f"scan: {args.pages} pages, {len(content) / 1048576:.1f} MB, {cores} cores")
    print(
        f"  parse job {reading:.1f} s ({reading / args.pages:.2f} s a page); floor (a): "
        f"tesseract alone at each page's own resolution, one at a time, × pages ÷ cores = "
        f"{floor.sequential:.1f} s; ratio **{reading / floor.sequential:.2f}**"
    )
    print(
        f"  floor (b): the same Tesseracts, {cores} at a time on this machine = "
        f"{floor.parallel:.1f} s; ratio {reading / floor.parallel:.2f}"
    )
    print(
        f"  CPU (user + system, children included) of all {args.orgs} job(s): {job_cpu:.1f} s "
        f"against the floor's Tesseracts {floor.cpu:.1f} s; ratio {job_cpu / floor.cpu:.2f}"
    )
    print(
        "  load average (1 min) before / after the job, after the floor: "
        f"{load_before[0]:.2f} / {load_after[0]:.2f} / {load_floor[0]:.2f}"
    )
    print(
        f"broadcast: {args.orgs} schools upload the same scan, {args.workers} workers: "
        f"{len(readers)} job(s) read it, {readings} reading(s) stored, {len(failed)} failed; "
        f"all done in {wall:.1f} s = {wall / reading:.2f}× the one reading"
    )
    if copies:
        print(
            f"  a copy (another school's job: waits for or copies the reading, its own page "
            f"images): median {statistics.median(copies):.2f} s, "
            f"longest {max(copies):.2f} s"
        )
    return 0 if len(readers) == 1 and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
