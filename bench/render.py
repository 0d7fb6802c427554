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
  ``soffice --headless --convert-to pdf`` per document (fresh and shared profile).

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
from worker import embedded

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
    def db(self):  # type: ignore[no-untyped-def]
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
