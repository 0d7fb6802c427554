"""A province on one server: many organizations' people opening list pages at once.

Run: ``.venv/bin/python -m bench.province [--orgs 500] [--submissions 100000]
[--documents 50000] [--users 50] [--active-orgs 10] [--seconds 60] [--web-workers 2]
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
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import urllib.parse
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
from storage.models import Organization
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
        org_ids = list(
            connection.scalars(
                insert(Organization).returning(Organization.id),
                [{"name": f"TRƯỜNG THCS SỐ {n + 1}", "abbrev": f"THCS{n + 1}",
                  "place": "Cao Lãnh", "settings": {}} for n in range(orgs)],
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
            have_orgs = connection.scalar(select(func.count()).select_from(Organization))
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


def people(users: int, active_orgs: int, orgs: int) -> list[tuple[type[SimulatedUser], str]]:
    """(kind, e-mail) of each simulated person: 40 % clerks, 40 % staff, 20 % admins, spread
    over ``active_orgs`` organizations taken across the province."""
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
    return found


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


def run(options: argparse.Namespace) -> dict[str, Any]:
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
        stack = Stack(instance, work, options.web_workers, 0)  # type: ignore[arg-type]  # duck-typed
        if options.port:
            stack.port, stack.base = options.port, f"http://127.0.0.1:{options.port}"
        try:
            stack.start()
            result["base"] = stack.base
            result |= _measure(stack.base, options)
        finally:
            stack.stop()
            if not options.redis:
                embedded.stop(redis_folder)
    return result


def _measure(base: str, options: argparse.Namespace) -> dict[str, Any]:
    """Sign everyone in, let them work for ``options.seconds``, summarise per page."""
    recorder = Recorder()
    pause = (options.think_min, options.think_max)
    scenario = Scenario(base=base, round_id=0, password=PASSWORD, document_form={},
                        recorder=recorder, think=pause)  # fmt: skip
    users = [
        kind(scenario, email, options.seed * 1000 + i)
        for i, (kind, email) in enumerate(people(options.users, options.active_orgs, options.orgs))
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
    for user in users:
        user.join(timeout=options.seconds + 120)
    elapsed = time.perf_counter() - window
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
    if result["errors"]:
        print(f"\n{len(result['errors'])} errors, first: {result['errors'][:5]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
