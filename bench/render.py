"""Documents per second through the whole path, against raw docxtpl in the same run.

Run from the project root::

    .venv/bin/python -m bench.render --docs 20 --kind cong_van

The whole path is what a clerk's "Lưu và soạn" does: the Flask test client POSTs the real
new-document form (``documents.create``; if that route is missing or refuses the sample,
the same service calls it makes: ``create_document`` + ``request_render`` + commit), the
job row is committed and enqueued on a real Redis, then ``python -m worker --burst``
processes (1, then 2) render docx → PDF (warm LibreOffice) → PNG preview and store all
three in the database. Measured against, in the same run:

* raw: ``render.engine.render_docx`` of the same template and context, in process;
* in-process full: raw + warm PDF + PNG, no web, queue or database;
* PDF per document: the warm converter (``render.pdf``) against a cold
  ``soffice --headless --convert-to pdf`` per document (fresh and shared profile);
* the job against its floors (issue 15): one document's render job run by the real runner
  (``worker.runner.run_job``: claim, sandboxed docx, PDF, page 1's image, storing and
  deleting what it supersedes, finish) in this process, each one right after measuring its
  floors (raw docxtpl, the same warm conversion, PDFium drawing page 1 to a PNG without
  ``optimize``), so that both see the same load; and the job rows of the 1-worker run;
* with ``--certificates N``: a Giấy khen batch of N through the worker (its job row's
  duration ÷ N) against LibreOffice's cost per page of the same N certificates as one
  merged file (warm converter, in process).

A temporary SQLite database and the embedded Redis are used (REDIS_URL overrides the
Redis; a private queue name keeps other users of that server apart). The machine's other
load shows up in the figures: compare ratios, not absolute values, across machines.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from bench.pdf import cold_convert
from outbox import embedded
from render.context import build_context
from render.engine import render_docx
from render.manifest import load_manifest
from render.manifest import template_path
from render.pdf import PdfConverter
from render.preview import render_preview_png
from services.documents import create_document
from services.documents import org_context
from services.documents import request_render
from storage.migrate import upgrade
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from storage.models import Role
from storage.models import User
from views.auth import hash_password

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "BenchMatKhau1"


def _sample(kind: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    data = load_manifest(kind).sample
    header = {k: v for k, v in data.get("header", {}).items() if k != "number"}
    return header, dict(data.get("body", {})), dict(data.get("org", {}))


def _form_data(kind: str, header: dict[str, Any], body: dict[str, Any]) -> dict[str, str]:
    """The POST data a browser sends for the sample (tables as indexed inputs)."""
    from forms.documents import post_data

    return post_data(kind, header, body)


class Setup:
    """A temporary database, a Redis, an app, an organization and a logged-in clerk."""

    def __init__(self, work: Path, kind: str) -> None:
        self.work = work
        self.kind = kind
        self.database_url = f"sqlite:///{work / 'bench.sqlite3'}"
        upgrade(self.database_url)
        self.redis_url = os.environ.get("REDIS_URL") or embedded.ensure_running(work / "redis")
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
        header, body, org = _sample(kind)
        self.header, self.body = header, body
        with self.app.app_context(), self.db.session() as session:
            organization = Organization(
                name=org.get("issuer", "TRƯỜNG THCS MỸ THẠNH"),
                parent_name=org.get("parent_issuer", ""),
                abbrev=org.get("issuer_abbrev", "THCSMT"),
                place=org.get("place", "Mỹ Thạnh"),
                head_title="HIỆU TRƯỞNG",
                head_name="Nguyễn Văn An",
                settings={},
            )
            session.add(organization)
            session.flush()
            clerk = User(
                organization_id=organization.id,
                email="vanthu@bench.vn",
                full_name="Lê Thị Hồng",
                role=Role.CLERK.value,
                password_hash=hash_password(PASSWORD),
            )
            session.add(clerk)
            session.flush()
            self.org_id, self.clerk_id = organization.id, clerk.id
            self.org_values = org_context(organization)
        self.client = self.app.test_client()
        response = self.client.post(
            "/dang-nhap", data={"email": "vanthu@bench.vn", "password": PASSWORD}
        )
        assert response.status_code == 302, "bench login failed"
        self.via_route = "documents.create" in self.app.view_functions

    @property
    def db(self):
        return self.app.extensions["vanthu.db"]

    def context(self) -> dict[str, Any]:
        return build_context(self.kind, self.header, self.body, self.org_values)

    def create_one(self) -> None:
        """One new document, through the web route when it exists."""
        if self.via_route:
            response = self.client.post(
                f"/van-ban/moi/{self.kind}", data=_form_data(self.kind, self.header, self.body)
            )
            if response.status_code == 302:
                return
            print(
                f"  (route answered {response.status_code}; using the service calls instead)",
                file=sys.stderr,
            )
            self.via_route = False
        with self.app.app_context(), self.db.session() as session:
            document = create_document(
                session,
                organization_id=self.org_id,
                created_by_id=self.clerk_id,
                kind=self.kind,
                header_fields=self.header,
                body_fields=self.body,
            )
            request_render(session, self.app, document, user_id=self.clerk_id)

    def run_workers(self, count: int) -> float:
        """Start ``count`` ``python -m worker --burst`` processes; return their wall time."""
        env = dict(
            os.environ,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            QUEUE_NAME=self.queue,
            SECRET_KEY="bench-secret",
            LOG_LEVEL="WARNING",
        )
        started = time.perf_counter()
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "worker", "--burst"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(count)
        ]
        for process in processes:
            _, stderr = process.communicate(timeout=1800)
            if process.returncode != 0:
                raise SystemExit(f"worker failed: {stderr.decode(errors='replace')[-2000:]}")
        return time.perf_counter() - started

    def job_ids(self) -> set[str]:
        with self.app.app_context(), self.db.session() as session:
            return set(session.scalars(select(Job.id)))

    def outcome(self, before: set[str]) -> tuple[int, int, float]:
        """(done, failed, seconds from the first start to the last finish) of jobs not in
        ``before``; every done job must have left a document with a PDF."""
        with self.app.app_context(), self.db.session() as session:
            jobs = [j for j in session.scalars(select(Job)) if j.id not in before]
            done = [j for j in jobs if j.status == "done"]
            span = (
                (max(j.finished_at for j in done) - min(j.started_at for j in done)).total_seconds()
                if done
                else 0.0
            )
            ids = [j.args["document_id"] for j in done]
            rendered = session.scalar(
                select(func.count())
                .select_from(Document)
                .where(Document.id.in_(ids), Document.pdf_file_id.is_not(None))
            )
        if rendered != len(done):
            raise SystemExit(f"{len(done)} jobs done but {rendered} documents have a PDF")
        return len(done), len(jobs) - len(done), span

    def job_seconds(self, before: set[str], function: str = "") -> list[float]:
        """How long each job not in ``before`` ran (its row: started → finished), in the
        order they started; only those of ``function`` when given."""
        with self.app.app_context(), self.db.session() as session:
            jobs = sorted(
                (
                    job
                    for job in session.scalars(select(Job))
                    if job.id not in before and job.started_at and job.finished_at
                    and function in job.function
                ),
                key=lambda job: job.started_at,
            )  # fmt: skip
            return [(job.finished_at - job.started_at).total_seconds() for job in jobs]

    def queue_certificates(self, count: int) -> None:
        """``count`` approved Giấy khen nominations and their batch job, as the dossier
        queues it (with a draft decision dated, as the certificates print)."""
        from datetime import date

        from services.dossier.certificates import queue_certificates
        from storage.models import Round
        from storage.models import Submission

        with self.app.app_context(), self.db.session() as session:
            round_ = Round(
                organization_id=self.org_id, name="Năm học 2025-2026", school_year="2025-2026",
                reference_date=date(2026, 5, 31), ruleset_id="ND152_2025",
                registration_opens=date(2025, 9, 1), registration_closes=date(2025, 10, 1),
                nomination_opens=date(2026, 5, 1), nomination_closes=date(2026, 6, 1),
            )  # fmt: skip
            session.add(round_)
            session.flush()
            ids = []
            for number in range(count):
                submission = Submission(
                    organization_id=self.org_id, round_id=round_.id, kind="commendation",
                    status="approved", created_by_id=self.clerk_id, nominee_type="individual",
                    nominee_name=f"Nguyễn Văn Số {number + 1}", position="Giáo viên",
                    unit="Tổ Ngữ văn", title_code="GIAY_KHEN", search_key=f"nguyen van {number}",
                    data={}, facts={}, votes_for=9, council_total=9,
                )  # fmt: skip
                session.add(submission)
                session.flush()
                ids.append(submission.id)
            decision = Document(
                organization_id=self.org_id, created_by_id=self.clerk_id, kind="quyet_dinh",
                header_fields={"date": "2026-06-02"}, body_fields={},
            )  # fmt: skip
            session.add(decision)
            session.flush()
            queue_certificates(
                session, self.app, org=session.get(Organization, self.org_id), round_=round_,
                dossier_id=uuid.uuid4().hex, user_id=self.clerk_id, submission_ids=ids,
                decision_id=decision.id, authority="Hiệu trưởng", org_name="Trường THCS",
            )  # fmt: skip


def page_one_floor(pdf: bytes, width_px: int = 900) -> bytes:
    """The floor of a preview: PDFium draws page 1 in grey, PIL writes it without optimize."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=width_px / page.get_width(), grayscale=True)
        out = io.BytesIO()
        bitmap.to_pil().convert("L").save(out, format="PNG")
        bitmap.close()
        page.close()
        return out.getvalue()
    finally:
        document.close()


def interleaved_job_and_floors(setup: Setup, count: int) -> tuple[float, float]:
    """Seconds of ``count`` render jobs (real runner, this process) and of their floors,
    each job right after its floors; the first job of each kind (warm-up) not counted."""
    from render.pdf import get_converter
    from worker.runner import run_job

    template = template_path(setup.kind).read_bytes()
    context = setup.context()
    converter = get_converter()
    jobs = floors = 0.0
    for number in range(count + 1):
        before = setup.job_ids()
        setup.create_one()
        [job_id] = setup.job_ids() - before
        started = time.perf_counter()
        pdf = converter.convert_docx_to_pdf(render_docx(template, context))
        page_one_floor(pdf)
        floor = time.perf_counter() - started
        with setup.app.app_context():
            started = time.perf_counter()
            if run_job(job_id) != "done":
                raise SystemExit(f"job {job_id} did not finish")
            job = time.perf_counter() - started
        if number:
            jobs, floors = jobs + job, floors + floor
    return jobs, floors


def certificate_floor(setup: Setup, count: int, converter: PdfConverter) -> tuple[float, float]:
    """LibreOffice's seconds per page converting ``count`` certificates as one file, and
    its seconds for one certificate alone (the same merged .docx the job makes)."""
    from render.batch import batch_context
    from render.batch import batch_template

    template = template_path("giay_khen").read_bytes()
    header, body, _org = _sample("giay_khen")
    contexts = []
    for number in range(count):
        body = dict(body, nguoi_nhan=f"Nguyễn Văn Số {number + 1}")
        contexts.append(build_context("giay_khen", header, body, setup.org_values))
    merged = render_docx(batch_template(template, list(contexts[0])), batch_context(contexts))
    single = render_docx(template, contexts[0])
    converter.convert_docx_to_pdf(single)
    alone = _timed(3, lambda: converter.convert_docx_to_pdf(single)) / 3
    started = time.perf_counter()
    converter.convert_docx_to_pdf(merged, timeout=600)
    return (time.perf_counter() - started) / count, alone


def _timed(count: int, func: Any) -> float:
    started = time.perf_counter()
    for _ in range(count):
        func()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20, help="documents per measurement")
    parser.add_argument("--kind", default="cong_van", help="document kind (render.manifest)")
    parser.add_argument("--cold", type=int, default=5, help="documents for the cold soffice runs")
    parser.add_argument(
        "--certificates", type=int, default=0, help="also a Giấy khen batch of this many"
    )
    args = parser.parse_args()
    n = args.docs

    with tempfile.TemporaryDirectory(prefix="vanthu-bench-render-") as work_dir:
        work = Path(work_dir)
        setup = Setup(work, args.kind)
        template = template_path(args.kind).read_bytes()
        context = setup.context()

        # Baselines, in process.
        render_docx(template, context)  # imports and caches outside the measurement
        raw = _timed(n, lambda: render_docx(template, context))
        docx = render_docx(template, context)
        with PdfConverter() as converter:
            started = time.perf_counter()
            converter.convert_docx_to_pdf(docx)
            office_start = time.perf_counter() - started
            warm_pdf = _timed(n, lambda: converter.convert_docx_to_pdf(docx))
            pdf = converter.convert_docx_to_pdf(docx)
            page_one = _timed(n, lambda: page_one_floor(pdf))
            if args.certificates:
                per_page, alone = certificate_floor(setup, args.certificates, converter)
            full = _timed(
                n,
                lambda: render_preview_png(
                    converter.convert_docx_to_pdf(render_docx(template, context)), width_px=900
                ),
            )
        source = work / "van-ban.docx"
        source.write_bytes(docx)
        cold_fresh = _timed(args.cold, lambda: cold_convert(source, work / f"p-{uuid.uuid4().hex}"))
        shared = work / "profile-shared"
        cold_convert(source, shared)
        cold_shared = _timed(args.cold, lambda: cold_convert(source, shared))

        # The whole path: web POST → job row → Redis → worker process(es) → database.
        results = {}
        for workers in (1, 2):
            before = setup.job_ids()
            enqueue = _timed(n, setup.create_one)
            wall = setup.run_workers(workers)
            done, failed, span = setup.outcome(before)
            if failed or done != n:
                raise SystemExit(f"{workers} worker(s): {done} done, {failed} failed of {n}")
            results[workers] = (enqueue, wall, span)
            if workers == 1:
                # The worker's first job starts its LibreOffice and render server.
                job_first, *job_each = setup.job_seconds(before)
        inter_jobs, inter_floors = interleaved_job_and_floors(setup, n)
        if args.certificates:
            before = setup.job_ids()
            setup.create_one()  # warms the worker (LibreOffice, render server) first
            setup.queue_certificates(args.certificates)
            setup.run_workers(1)
            [batch] = setup.job_seconds(before, "render_certificates")
        setup.app.extensions["vanthu.db"].dispose()
        if not os.environ.get("REDIS_URL"):
            embedded.stop(work / "redis")

    path = "web route POST /van-ban/moi/<kind>" if setup.via_route else "service calls"
    print(f"\n{n} documents of kind {args.kind!r}; whole path enters through the {path}")
    print(f"LibreOffice start (once per worker process): {office_start:.2f} s\n")
    rows: list[tuple[str, float]] = [
        ("raw docxtpl (render_docx), in process", n / raw),
        ("in process: docx + warm PDF + PNG", n / full),
        ("web POST → job row → Redis (enqueue only)", n / results[1][0]),
    ]
    for workers in (1, 2):
        _, wall, span = results[workers]
        rows.append((f"whole path, {workers} worker(s), wall incl. start", n / wall))
        rows.append((f"whole path, {workers} worker(s), first start → last end", n / span))
    print(f"{'measurement':<54} {'docs/s':>8} {'ms/doc':>9}")
    for label, rate in rows:
        print(f"{label:<54} {rate:8.2f} {1000 / rate:9.1f}")
    print()
    print(f"{'PDF per document':<54} {'s/doc':>8}")
    for label, seconds, count in (
        ("warm PdfConverter (render.pdf)", warm_pdf, n),
        ("cold soffice --convert-to pdf, fresh profile", cold_fresh, args.cold),
        ("cold soffice --convert-to pdf, shared profile", cold_shared, args.cold),
    ):
        print(f"{label:<54} {seconds / count:8.3f}")
    print()
    one, two = n / results[1][2], n / results[2][2]
    warm_each = warm_pdf / n
    floors = raw / n + warm_pdf / n + page_one / n
    job_mean = sum(job_each) / len(job_each)
    job_median = sorted(job_each)[len(job_each) // 2]
    print(f"{'one document: the job against its floors':<54} {'ms':>8}")
    for label, seconds in (
        ("floor: raw docxtpl", raw / n),
        ("floor: warm LibreOffice conversion", warm_pdf / n),
        ("floor: PDFium page 1 → PNG, grey, no optimize", page_one / n),
        ("sum of the floors", floors),
        ("render job, first (starts LibreOffice), not counted", job_first),
        ("render job, mean of the others' job rows (1 worker)", job_mean),
        ("render job, median", job_median),
    ):
        print(f"{label:<54} {1000 * seconds:8.1f}")
    print(f"  job mean / sum of floors {job_mean / floors:8.2f}x   (target ≤ 1.2x)")
    print(f"  job median / sum of floors {job_median / floors:6.2f}x")
    print(
        f"  interleaved, each job after its own floors: job {1000 * inter_jobs / n:.1f} ms, "
        f"floors {1000 * inter_floors / n:.1f} ms, {inter_jobs / inter_floors:.2f}x\n"
    )
    if args.certificates:
        count = args.certificates
        print(f"{f'Giấy khen, a batch of {count}':<54} {'ms':>8}")
        for label, seconds in (
            ("LibreOffice, one certificate alone", alone),
            ("LibreOffice per page, the batch as one file", per_page),
            ("the batch job per certificate (its job row ÷ N, warm worker)", batch / count),
        ):
            print(f"{label:<54} {1000 * seconds:8.1f}")
        print(
            f"  job per certificate / LibreOffice per page {batch / count / per_page:8.2f}x"
            "   (target ≤ 2x)\n"
        )
    print("ratios")
    for label, value in (
        ("raw docxtpl / whole path (1 worker, steady)", n / raw / one),
        ("in-process full / whole path (1 worker, steady)", n / full / one),
        ("2 workers / 1 worker (steady)", two / one),
        ("cold fresh profile / warm PDF", cold_fresh / args.cold / warm_each),
        ("cold shared profile / warm PDF", cold_shared / args.cold / warm_each),
    ):
        print(f"  {label:<52} {value:8.2f}x")


if __name__ == "__main__":
    main()
