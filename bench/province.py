"""A province on one server: many organizations' people opening list pages at once.

Run: ``.venv/bin/python -m bench.province [--orgs 500] [--submissions 100000]
[--documents 50000] [--users 50] [--active-orgs 10] [--seconds 60] [--web-workers 2]
[--office-users 1] [--broadcast [--scan PDF] [--scan-pages N]] [--certificates 500]
[--rq-workers 1] [--drain-seconds 3600]
[--think-min 0.05] [--think-max 0.3] [--port 0] [--database sqlite|postgresql] [--url postgresql://postgres@127.0.0.1:5432/province]
[--reuse]``.

``--orgs`` schools, each with an admin, two clerks, staff, a round, an even share of
``--submissions`` (registrations among 40 named people, several units) and of
``--documents`` (drafts and issued ones), and a few audit events, inserted with SQLAlchemy
core ``executemany`` into a freshly migrated database (a temporary SQLite file, or the
server database of ``--url``, dropped and created again; never ``test`` or ``postgres``;
``--reuse`` keeps one seeded by an earlier run with the same sizes). Then the production
web server starts as ``bench.load`` starts it (gunicorn on loopback with the repository's
gunicorn.conf.py, ``--web-workers`` processes, CSRF on) on ``--port`` (0: a free one), and
``--users`` simulated people of ``--active-orgs`` organizations sign in and, for
``--seconds``, open list pages with pauses of ``--think-min`` to ``--think-max`` seconds:
clerks the review list (first page, a later page, a search without diacritics), the
documents list (and a search) and the incoming register; staff the start page and "Hồ sơ
của tôi"; admins the accounts, the staff directory and the audit log. Every user also
fetches ``/static/style.css`` once per round, so the interactive p95 is reported against a
static file's p95 served by the same processes under the same load (target: at most 3×).
Any unexpected status is an error and the run exits 1.

The schools lie below a Sở (``org_kind`` so_gddt), whose admin is one of the ``--users``
(``--office-users``, default 1): they open its list of Đơn vị trực thuộc (first page, a
later page, a search without diacritics).

Bulk work alongside (issue 15: "one broadcast scan to all 500, a 500-certificate batch
running"): ``--broadcast`` has every school's clerk upload the same scanned plan (the
``--scan`` PDF, its pages repeated to ``--scan-pages`` when given), as each school
registers the Sở's plan it received; ``--certificates N`` queues one school's batch of N
Giấy khen. Both are queued when the users start, and ``--rq-workers`` processes of
``python -m worker`` (1 when there is bulk work) serve them. After the users stop, the run
waits up to ``--drain-seconds`` for every job and reports how many parse jobs read the
scan themselves (``read_here``) and how many readings ``parsed_files`` holds (the
broadcast parsed once: 1), every job's state and the longest wait (started - created).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.lists import fresh_database
from bench.lists import round_row
from bench.load import Stack
from bench.load_users import STATIC
from bench.load_users import Recorder
from bench.load_users import Scenario
from bench.load_users import User as SimulatedUser
from bench.load_users import summarise
from domain.text import fold
from outbox import embedded
from storage.db import normalise_url
from storage.models import AuditEvent
from storage.models import Document
from storage.models import Job
from storage.models import JobStatus
from storage.models import Organization
from storage.models import ParsedFile
from storage.models import Person
from storage.models import Role
from storage.models import Round
from storage.models import Submission
from storage.models import User
from views.auth import hash_password

PASSWORD = "TinhNha123"
SECRET = "bench-province-secret"
STAFF_PER_ORG = 8
START = datetime(2025, 9, 1, tzinfo=UTC)
UNITS = ("Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên", "Văn phòng")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng")
GIVEN = ("Thị Ánh", "Văn Đức", "Thị Hồng Nhung", "Quốc Bảo", "Minh Khoa")
KINDS = ("ke_hoach", "cong_van", "thong_bao", "bao_cao", "giay_moi")
CHUNK = 5000
OFFICE = "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐỒNG THÁP"
OFFICE_EMAIL = "admin-so@province.bench.vn"
# The shared corpus beside the clone (../shared), wherever the clone is.
SHARED = Path(__file__).resolve().parents[2] / "shared"
SCAN = SHARED / "corpus" / "partial" / "bgddt-cv1277-2024.scan.pdf"


def _person(i: int) -> str:
    """One of 40 people of a school, spread over the units independently of the name."""
    return f"{FAMILY[i % len(FAMILY)]} {GIVEN[(i // len(FAMILY)) % len(GIVEN)]}"


def _email(role: str, org: int, i: int = 0) -> str:
    return f"{role}{i}-{org}@province.bench.vn"


def seed(engine: Engine, orgs: int, submissions: int, documents: int) -> None:
    """Every organization with its people, a round, its share of rows and a few events."""
    password_hash = hash_password(PASSWORD)  # scrypt is slow on purpose: hash once
    per_org_submissions, per_org_documents = submissions // orgs, documents // orgs
    with engine.begin() as connection:
        # The Sở above every school, and its admin (the office's simulated user).
        office_id = connection.scalar(
            insert(Organization).returning(Organization.id),
            {"name": OFFICE, "search_key": fold(OFFICE), "abbrev": "SGDĐT", "place": "Cao Lãnh",
             "org_kind": "so_gddt", "settings": {}},
        )  # fmt: skip
        connection.execute(
            insert(User),
            {"organization_id": office_id, "email": OFFICE_EMAIL, "full_name": "Giám đốc Sở",
             "search_key": fold("Giám đốc Sở"), "role": Role.ADMIN.value,
             "password_hash": password_hash},
        )  # fmt: skip
        org_ids = list(
            connection.scalars(
                insert(Organization).returning(Organization.id),
                [{"name": f"TRƯỜNG THCS SỐ {n + 1}", "search_key": fold(f"TRƯỜNG THCS SỐ {n + 1}"),
                  "abbrev": f"THCS{n + 1}", "place": "Cao Lãnh", "org_kind": "truong_thcs",
                  "parent_id": office_id, "settings": {}} for n in range(orgs)],
            )
        )  # fmt: skip
        rows: dict[Any, list[dict[str, Any]]] = {Submission: [], Document: [], Person: []}
        rows[AuditEvent] = []
        for n, org_id in enumerate(org_ids):
            people = [
                ("admin", 0, Role.ADMIN, "Hiệu trưởng", "Ban giám hiệu"),
                *[("clerk", i, Role.CLERK, f"Văn thư {i}", "Văn phòng") for i in range(2)],
                *[("staff", i, Role.STAFF, _person(i), UNITS[i % len(UNITS)])
                  for i in range(STAFF_PER_ORG)],
            ]  # fmt: skip
            user_ids = list(
                connection.scalars(
                    insert(User).returning(User.id),
                    [{"organization_id": org_id, "email": _email(role, n, i), "full_name": name,
                      "search_key": fold(name), "unit": unit, "role": kind.value,
                      "password_hash": password_hash} for role, i, kind, name, unit in people],
                )
            )  # fmt: skip
            round_id = connection.scalar(
                insert(Round).returning(Round.id),
                round_row(org_id),
            )
            staff = user_ids[3:]
            for i in range(40):
                name, unit = _person(i), UNITS[(i // 3) % len(UNITS)]
                rows[Person].append(
                    {"organization_id": org_id, "full_name": f"{name} {i}", "unit": unit,
                     "search_key": fold(f"{name} {i}"), "unit_key": fold(unit)}
                )  # fmt: skip
            for i in range(per_org_submissions):
                at = START + timedelta(minutes=11 * i + n)
                name = _person(i % 40)
                rows[Submission].append(
                    {"organization_id": org_id, "round_id": round_id, "kind": "registration",
                     "status": ("submitted", "approved", "rejected")[i % 3],
                     "created_by_id": staff[i % len(staff)], "nominee_name": name,
                     "unit": UNITS[(i // 3) % len(UNITS)], "title_code": "LDTT",
                     "search_key": fold(name), "data": {}, "facts": {},
                     "created_at": at, "updated_at": at}
                )  # fmt: skip
            for i in range(per_org_documents):
                at = START + timedelta(minutes=13 * i + n)
                summary = f"Kế hoạch tổ chức hoạt động số {i} của {UNITS[i % len(UNITS)]}"
                issued = i % 3 == 0
                rows[Document].append(
                    {"organization_id": org_id, "kind": KINDS[i % len(KINDS)],
                     "status": "issued" if issued else "draft", "summary": summary,
                     "search_key": fold(summary), "header_fields": {}, "body_fields": {},
                     "year": at.year if issued else None, "number": i + 1 if issued else None,
                     "symbol": "KH-THCS" if issued else "", "created_by_id": user_ids[1],
                     "created_at": at, "updated_at": at}
                )  # fmt: skip
            for i in range(20):
                rows[AuditEvent].append(
                    {"organization_id": org_id, "user_id": user_ids[i % 3],
                     "action": "login.success", "detail": {}, "ip": "10.0.0.1",
                     "created_at": START + timedelta(hours=i)}
                )  # fmt: skip
            if len(rows[Submission]) >= CHUNK or n == len(org_ids) - 1:
                for model, pending in rows.items():
                    for start in range(0, len(pending), CHUNK):
                        connection.execute(insert(model), pending[start : start + CHUNK])
                    pending.clear()
    # Statistics (and PostgreSQL's visibility map), as a server that has lived has them.
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def seeded(engine: Engine, orgs: int, submissions: int) -> bool:
    """Whether the database already holds this run's sizes (for ``--reuse``)."""
    try:
        with engine.connect() as connection:
            have_orgs = connection.scalar(
                select(func.count()).where(Organization.parent_id.is_not(None))
            )
            have_rows = connection.scalar(select(func.count()).select_from(Submission))
    except Exception:  # noqa: BLE001 — no such database or tables: seed it
        return False
    return have_orgs == orgs and have_rows == submissions // orgs * orgs


# -- the simulated people ----------------------------------------------------------------


class Clerk(SimulatedUser):
    """The review list (first page, a later page, a search), the documents list and a
    search in it, the incoming register."""

    def one_round(self) -> None:
        b = self.browser
        name = fold(_person(self.random.randrange(40)))
        for label, path in (
            ("review list /xet-duyet/", "/xet-duyet/"),
            ("review list page 2", "/xet-duyet/?page=2"),
            ("review search ?q=…", "/xet-duyet/?" + urllib.parse.urlencode({"q": name})),
            ("documents list /van-ban/", "/van-ban/"),
            ("documents search ?q=…", "/van-ban/?q=ke+hoach+" + str(self.random.randrange(100))),
            ("incoming register /so-van-ban-den/", "/so-van-ban-den/"),
        ):
            self.think()
            b.request(label, path)


class Staff(SimulatedUser):
    """The start page and "Hồ sơ của tôi"."""

    def one_round(self) -> None:
        self.think()
        self.browser.request("start page /", "/")
        self.think()
        self.browser.request("my submissions /ho-so", "/ho-so")


class Admin(SimulatedUser):
    """The accounts, the staff directory (with a search) and the audit log."""

    def one_round(self) -> None:
        b = self.browser
        for label, path in (
            ("accounts /quan-tri/", "/quan-tri/"),
            ("staff directory search", "/quan-tri/danh-sach-can-bo?q=nguyen"),
            ("audit log /quan-tri/nhat-ky", "/quan-tri/nhat-ky"),
        ):
            self.think()
            b.request(label, path)


class Office(SimulatedUser):
    """The Sở's admin: its list of schools (first page, a later page, a search by a
    school's number typed without diacritics)."""

    def one_round(self) -> None:
        b = self.browser
        number = self.random.randrange(1, 500)
        for label, path in (
            ("office's schools /quan-tri/don-vi/", "/quan-tri/don-vi/"),
            ("office's schools page 5", "/quan-tri/don-vi/?page=5"),
            ("office's schools search ?q=…", f"/quan-tri/don-vi/?q=truong+thcs+so+{number}"),
        ):
            self.think()
            b.request(label, path)


def people(
    users: int, active_orgs: int, orgs: int, office_users: int = 0
) -> list[tuple[type[SimulatedUser], str]]:
    """(kind, e-mail) of each simulated person: ``office_users`` of them the Sở's admin, the
    others 40 % clerks, 40 % staff, 20 % admins, spread over ``active_orgs`` organizations
    taken across the province."""
    office = [(Office, OFFICE_EMAIL)] * min(office_users, users)
    users -= len(office)
    step = max(1, orgs // active_orgs)
    chosen = [(k * step) % orgs for k in range(active_orgs)]
    found: list[tuple[type[SimulatedUser], str]] = []
    for i in range(users):
        org = chosen[i % len(chosen)]
        kind = (Clerk, Clerk, Staff, Staff, Admin)[i % 5]
        nth = i // (5 * len(chosen))
        if kind is Clerk:
            found.append((Clerk, _email("clerk", org, nth % 2)))
        elif kind is Staff:
            found.append((Staff, _email("staff", org, nth % STAFF_PER_ORG)))
        else:
            found.append((Admin, _email("admin", org)))
    return office + found


# -- the run -------------------------------------------------------------------------------


class Instance:
    """What bench.load's Stack needs: the database, Redis and queue of the server."""

    def __init__(self, database_url: str, redis_url: str) -> None:
        self.tag = f"province-{os.getpid()}"
        self.database_url = database_url
        self.redis_url = redis_url
        self.queue = f"vanthu-{self.tag}"

    def env(self) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.database_url, REDIS_URL=self.redis_url,
                    QUEUE_NAME=self.queue, SECRET_KEY=SECRET, LOG_LEVEL="WARNING")  # fmt: skip


# The bulk work's options when a caller's Namespace has none of them: no bulk work.
BULK_DEFAULTS: dict[str, Any] = {
    "office_users": 0, "broadcast": False, "scan": SCAN, "scan_pages": 0, "certificates": 0,
    "rq_workers": -1, "drain_seconds": 3600.0,
}  # fmt: skip


def run(options: argparse.Namespace) -> dict[str, Any]:
    for name, default in BULK_DEFAULTS.items():
        if not hasattr(options, name):
            setattr(options, name, default)
    result: dict[str, Any] = {"options": vars(options)}
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-province-") as work_dir:
        work = Path(work_dir)
        url = options.url if options.database == "postgresql" else ""
        engine = create_engine(normalise_url(url)) if url else None
        if not (options.reuse and engine is not None and seeded(engine, options.orgs,
                                                               options.submissions)):  # fmt: skip
            url = fresh_database(options.database, options.url, work)
            engine = create_engine(normalise_url(url))
            started = time.perf_counter()
            seed(engine, options.orgs, options.submissions, options.documents)
            result["seed_seconds"] = time.perf_counter() - started
        assert engine is not None
        engine.dispose()
        redis_folder = work / "redis"
        redis_url = options.redis or embedded.ensure_running(redis_folder)
        instance = Instance(url, redis_url)
        bulk = options.broadcast or options.certificates > 0
        rq_workers = options.rq_workers if options.rq_workers >= 0 else int(bool(bulk))
        stack = Stack(instance, work, options.web_workers, rq_workers)  # type: ignore[arg-type]  # duck-typed
        if options.port:
            stack.port, stack.base = options.port, f"http://127.0.0.1:{options.port}"
        try:
            stack.start()
            result["base"] = stack.base
            result["rq_workers"] = rq_workers
            background = Bulk(instance, options) if bulk else None
            result |= _measure(stack.base, options, background)
            if background is not None:
                result["bulk"] = background.drain(options.drain_seconds)
        finally:
            stack.stop()
            if not options.redis:
                embedded.stop(redis_folder)
    return result


class Bulk:
    """The bulk work queued while the people work: the Sở's scanned plan uploaded by every
    school (``--broadcast``) and one school's certificate batch (``--certificates``),
    through the app's own services, as the web would queue them."""

    def __init__(self, instance: Instance, options: argparse.Namespace) -> None:
        from web import create_app

        self.options = options
        self.app = create_app({"DATABASE_URL": instance.database_url,
                               "REDIS_URL": instance.redis_url, "QUEUE_NAME": instance.queue,
                               "SECRET_KEY": SECRET})  # fmt: skip
        self.db = self.app.extensions["vanthu.db"]
        self.content = scan_bytes(options.scan, options.scan_pages) if options.broadcast else b""
        self.thread = threading.Thread(target=self._queue, name="bulk", daemon=True)
        self.queued: dict[str, Any] = {}
        self.error: BaseException | None = None

    def start(self) -> None:
        self.thread.start()

    def _queue(self) -> None:
        try:
            started = time.perf_counter()
            if self.options.certificates > 0:  # first: the broadcast takes a while to queue
                self.queued["certificate_job"] = self._certificates(self.options.certificates)
            if self.options.broadcast:
                self.queued["broadcast_uploads"] = self._broadcast()
            self.queued["queue_seconds"] = time.perf_counter() - started
        except BaseException as exc:  # noqa: BLE001 — reported after the run
            self.error = exc

    def _broadcast(self) -> int:
        """Every school's first clerk uploads the same scan (50 schools per transaction)."""
        from services.plans.uploads import check_plan_upload
        from services.plans.uploads import create_incoming

        upload = check_plan_upload("ke-hoach-so-gddt.pdf", self.content)
        with self.app.app_context():
            with self.db.session() as session:
                clerks = session.execute(
                    select(User.organization_id, User.id)
                    .where(User.email.like("clerk0-%"))
                    .order_by(User.organization_id)
                ).all()
            for start in range(0, len(clerks), 50):
                with self.db.session() as session:
                    for org_id, user_id in clerks[start : start + 50]:
                        create_incoming(
                            session, self.app, organization_id=org_id, user_id=user_id,
                            upload=upload,
                        )  # fmt: skip
        return len(clerks)

    def _certificates(self, count: int) -> str:
        """``count`` approved Giấy khen nominations of the first school and their batch, as
        the dossier queues it (a draft decision dated, as bench.render does)."""
        from services.dossier.certificates import queue_certificates

        with self.app.app_context(), self.db.session() as session:
            clerk = session.scalars(select(User).where(User.email == _email("clerk", 0))).one()
            org = session.get_one(Organization, clerk.organization_id)
            round_ = Round(**round_row(org.id))
            session.add(round_)
            session.flush()
            ids = list(
                session.scalars(
                    insert(Submission).returning(Submission.id),
                    [{"organization_id": org.id, "round_id": round_.id, "kind": "commendation",
                      "status": "approved", "created_by_id": clerk.id,
                      "nominee_type": "individual", "nominee_name": f"Nguyễn Văn Số {i + 1}",
                      "position": "Giáo viên", "unit": "Tổ Ngữ văn", "title_code": "GIAY_KHEN",
                      "search_key": fold(f"Nguyễn Văn Số {i + 1}"), "data": {}, "facts": {},
                      "votes_for": 9, "council_total": 9} for i in range(count)],
                )
            )  # fmt: skip
            decision = Document(
                organization_id=org.id, created_by_id=clerk.id, kind="quyet_dinh",
                header_fields={"date": "2026-06-02"}, body_fields={},
            )  # fmt: skip
            session.add(decision)
            session.flush()
            job = queue_certificates(
                session, self.app, org=org, round_=round_, dossier_id=uuid.uuid4().hex,
                user_id=clerk.id, submission_ids=ids, decision_id=decision.id,
                authority="Hiệu trưởng", org_name=org.name,
            )  # fmt: skip
            return job.id

    def unfinished(self) -> int:
        with self.db.session() as session:
            return session.scalar(
                select(func.count()).where(
                    Job.status.not_in((JobStatus.DONE.value, JobStatus.FAILED.value))
                )
            ) or 0  # fmt: skip

    def drain(self, timeout: float) -> dict[str, Any]:
        """Wait for the queueing and for every job (up to ``timeout`` s); what they did."""
        self.thread.join(timeout=timeout)
        if self.error is not None:
            raise self.error
        deadline = time.monotonic() + timeout
        while self.unfinished() and time.monotonic() < deadline:
            time.sleep(1.0)
        with self.db.session() as session:
            jobs = session.scalars(select(Job)).all()
            readings = session.scalar(select(func.count()).select_from(ParsedFile)) or 0
            waits = [(j.started_at - j.created_at).total_seconds() for j in jobs if j.started_at]
            by_function: dict[str, float] = {}
            for job in jobs:
                if job.started_at:
                    name = job.function.rsplit(".", 1)[-1]
                    wait = (job.started_at - job.created_at).total_seconds()
                    by_function[name] = max(by_function.get(name, 0.0), wait)
            parse = [j for j in jobs if j.function.endswith(".parse_incoming")]
            # A school's copy of the shared reading: its job's last run (started_at is set
            # at each claim, so a job put back to wait is timed on the run that copied).
            copies = sorted(
                (j.finished_at - j.started_at).total_seconds()
                for j in parse
                if j.finished_at and j.started_at and not (j.result or {}).get("read_here")
            )
            # What the last school waited for its reading, from its upload to its job's end.
            uploads_done = [(j.finished_at - j.created_at).total_seconds() for j in parse
                            if j.finished_at]  # fmt: skip
            batch = session.get(Job, self.queued.get("certificate_job", ""))
            first = min((j.created_at for j in jobs), default=None)
            last = max((j.finished_at for j in jobs if j.finished_at), default=None)
            by_status: dict[str, int] = {}
            for job in jobs:
                by_status[job.status] = by_status.get(job.status, 0) + 1
            return {
                **self.queued,
                "jobs": len(jobs),
                "by_status": by_status,
                "max_wait_s": max(waits, default=0.0),
                "max_wait_by_function": by_function,
                "parse_jobs": len(parse),
                "read_here": sum(1 for j in parse if (j.result or {}).get("read_here")),
                "parsed_files": readings,
                "copy_median_s": copies[len(copies) // 2] if copies else None,
                "copy_p95_s": copies[int(len(copies) * 0.95)] if copies else None,
                "last_upload_done_s": max(uploads_done, default=None),
                "incoming_parsed": sum(1 for j in parse if j.status == JobStatus.DONE.value),
                "certificates_seconds": (
                    (batch.finished_at - batch.started_at).total_seconds()
                    if batch is not None and batch.started_at and batch.finished_at
                    else None
                ),  # fmt: skip
                "certificates_status": batch.status if batch is not None else None,
                "all_jobs_seconds": (last - first).total_seconds() if first and last else None,
                "failed_errors": [j.error[:200] for j in jobs if j.status == "failed"][:5],
            }


def scan_bytes(path: Path, pages: int) -> bytes:
    """The scan's bytes, its pages repeated until it has ``pages`` (0: as it is)."""
    import pypdfium2 as pdfium

    content = path.read_bytes()
    source = pdfium.PdfDocument(content)
    try:
        if not pages or pages == len(source):
            return content
        merged = pdfium.PdfDocument.new()
        while len(merged) < pages:
            merged.import_pages(source, list(range(min(len(source), pages - len(merged)))))
        out = io.BytesIO()
        merged.save(out)
        merged.close()
        return out.getvalue()
    finally:
        source.close()


def _measure(
    base: str, options: argparse.Namespace, background: Bulk | None = None
) -> dict[str, Any]:
    """Sign everyone in, let them work for ``options.seconds`` (the bulk work queued as
    they start), summarise per page."""
    recorder = Recorder()
    pause = (options.think_min, options.think_max)
    scenario = Scenario(base=base, round_id=0, password=PASSWORD, document_form={},
                        recorder=recorder, think=pause)  # fmt: skip
    users = [
        kind(scenario, email, options.seed * 1000 + i)
        for i, (kind, email) in enumerate(
            people(options.users, options.active_orgs, options.orgs, options.office_users)
        )
    ]
    started = time.perf_counter()
    for user in users:
        user.start()
    for user in users:
        user.ready.wait(timeout=300)
    sign_in = time.perf_counter() - started
    load_start = os.getloadavg()
    window = time.perf_counter()
    scenario.stop_at = window + options.seconds
    scenario.go.set()
    if background is not None:
        background.start()
    for user in users:
        user.join(timeout=options.seconds + 120)
    elapsed = time.perf_counter() - window
    # Jobs not finished when the people stopped: the bulk work overlapped the whole window.
    unfinished_at_end = background.unfinished() if background is not None else 0
    measured = [s for s in recorder.samples if s.at >= window and "/dang-nhap" not in s.name]
    by_name: dict[str, list[Any]] = {}
    for sample in measured:
        by_name.setdefault(sample.name, []).append(sample)
    pages = [s for s in measured if s.name != STATIC]
    static = summarise(by_name.get(STATIC, []), elapsed)
    interactive = summarise(pages, elapsed)
    return {
        "sign_in_seconds": sign_in,
        "load_average": (load_start, os.getloadavg()),
        "elapsed": elapsed,
        "signed_in": sum(1 for u in users if u.signed_in),
        "pages": {name: summarise(samples, elapsed) for name, samples in sorted(by_name.items())},
        "interactive": interactive,
        "static": static,
        "ratio": interactive["p95_ms"] / static["p95_ms"] if static["p95_ms"] else 0.0,
        "errors": recorder.errors,
        "unfinished_at_end": unfinished_at_end,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=50, help="simulated people at once")
    parser.add_argument("--active-orgs", type=int, default=10, help="organizations they are of")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-min", type=float, default=0.05, help="pause between pages, s")
    parser.add_argument("--think-max", type=float, default=0.3)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--port", type=int, default=0, help="the server's port (0: a free one)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/province")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded --url database")
    parser.add_argument("--redis", default="", help="a Redis URL (default: embedded)")
    parser.add_argument("--office-users", type=int, default=1, help="of --users, the Sở's admin")
    parser.add_argument("--broadcast", action="store_true", help="every school uploads --scan")
    parser.add_argument("--scan", type=Path, default=SCAN, help="an image-only PDF")
    parser.add_argument("--scan-pages", type=int, default=0, help="repeat its pages to N")
    parser.add_argument("--certificates", type=int, default=0, help="one school's batch of N")
    parser.add_argument("--rq-workers", type=int, default=-1, help="default: 1 with bulk work")
    parser.add_argument("--drain-seconds", type=float, default=3600, help="wait for the jobs")
    options = parser.parse_args()
    result = run(options)
    if "seed_seconds" in result:
        print(f"seeded {options.orgs} organizations, {options.submissions} submissions, "
              f"{options.documents} documents in {result['seed_seconds']:.1f} s")  # fmt: skip
    print(f"\n{options.database}, {result['signed_in']}/{options.users} people of "
          f"{options.active_orgs} organizations signed in ({result['sign_in_seconds']:.1f} s), "
          f"{result['elapsed']:.0f} s measured, {options.web_workers} gunicorn workers, "
          f"load average {result['load_average'][0][0]:.1f} → "
          f"{result['load_average'][1][0]:.1f}\n")  # fmt: skip
    print("| request | count | p50 ms | p95 ms | p95 ÷ static p95 |")
    print("|---|---:|---:|---:|---:|")
    static = result["static"]["p95_ms"] or 1.0
    rows = [*result["pages"].items(), ("all list pages (interactive)", result["interactive"])]
    for name, row in rows:
        print(f"| {name} | {row['count']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
              f"| {row['p95_ms'] / static:.1f}× |")  # fmt: skip
    print(f"\n{result['interactive']['per_second'] + result['static']['per_second']:.0f} "
          "requests/s served")  # fmt: skip
    verdict = "within" if result["ratio"] <= 3 else "OVER"
    print(f"\ninteractive p95 = {result['ratio']:.2f}× the static file's p95 ({verdict} 3×)")
    bulk = result.get("bulk")
    if bulk is not None:
        print(_bulk_report(bulk, result))
    failed = bulk is not None and (
        bulk["by_status"].get("done", 0) != bulk["jobs"] or bulk["parsed_files"] > 1
    )
    if result["errors"]:
        print(f"\n{len(result['errors'])} errors, first: {result['errors'][:5]}")
    if result["errors"] or failed:
        sys.exit(1)


def _bulk_report(bulk: dict[str, Any], result: dict[str, Any]) -> str:
    """The bulk work's lines: what was queued, read once, done, and the longest wait."""
    lines = [f"\nBulk work alongside (rq worker processes: {result['rq_workers']}), queued in "
             f"{bulk.get('queue_seconds', 0):.1f} s as the people started:"]  # fmt: skip
    if "broadcast_uploads" in bulk:
        once = bulk["parsed_files"] == 1 and bulk["read_here"] == 1
        lines.append(
            f"- broadcast: {bulk['broadcast_uploads']} schools uploaded the same scan; "
            f"{bulk['parse_jobs']} parse jobs, {bulk['read_here']} read the file themselves, "
            f"parsed_files holds {bulk['parsed_files']} reading(s) "
            f"({'parsed once' if once else 'NOT once'}); "
            f"{bulk['incoming_parsed']} uploads done"
        )  # fmt: skip
    if "certificate_job" in bulk:
        seconds = bulk["certificates_seconds"]
        lines.append(f"- certificate batch: {bulk['certificates_status']}"
                     + (f" in {seconds:.1f} s" if seconds is not None else ""))  # fmt: skip
    states = ", ".join(f"{k} {v}" for k, v in sorted(bulk["by_status"].items()))
    lines.append(
        f"- jobs: {bulk['jobs']} ({states}); "
        f"{result['unfinished_at_end']} still unfinished when the people stopped; longest wait "
        f"(started - created) {bulk['max_wait_s']:.1f} s; all done "
        f"{bulk['all_jobs_seconds'] or 0:.0f} s after the first was queued"
    )  # fmt: skip
    if bulk.get("copy_median_s") is not None:
        lines.append(
            f"- a school's copy of the shared reading (its job's run): median "
            f"{1000 * bulk['copy_median_s']:.0f} ms, p95 {1000 * bulk['copy_p95_s']:.0f} ms; "
            f"the last school's upload read (job done) {bulk['last_upload_done_s']:.1f} s "
            "after it was queued"
        )  # fmt: skip
    waits = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(bulk["max_wait_by_function"].items()))
    lines.append(f"- longest wait by job: {waits}")
    if bulk["failed_errors"]:
        lines.append(f"- failed: {bulk['failed_errors']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
