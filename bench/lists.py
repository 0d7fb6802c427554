"""Long lists: p95 of the first and a middle page of each list at 100k rows per organization.

Run: ``.venv/bin/python -m bench.lists [--rows 100000] [--orgs 5] [--repeat 40]
[--schools 500] [--database sqlite|postgresql]
[--url postgresql://postgres@127.0.0.1:5432/bench] [--reuse]``.

One organization gets ``--rows`` documents, submissions (among 200 authors), lines of the
incoming register and audit events, the other ``--orgs - 1`` a tenth of that each, all inserted with
SQLAlchemy core ``executemany`` into a freshly migrated database (each register's counter
at its last line, as registering leaves it), and a Sở gets ``--schools`` schools below it
(each with a round) for its list of Đơn vị trực thuộc: a temporary SQLite file,
or the server database named in ``--url`` (dropped and created again; never the ``test``
database the suite uses; ``--reuse`` keeps one an earlier run seeded with as many rows).
Pages are fetched through the Flask test client as the organization's clerk (a teacher
for "Hồ sơ của tôi", its admin for the audit log and the accounts, the Sở's admin for its
schools); the floor is
``/static/style.css`` fetched the same way in the same run, so each page is reported as
milliseconds and as a ratio to it. The fetches are taken in rounds, one of every page and
of the floor per round, so a burst of the machine's other work lands on all of them alike.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.engine import make_url

from domain.text import fold
from storage.db import normalise_url
from storage.migrate import upgrade
from storage.models import AuditEvent
from storage.models import Document
from storage.models import IncomingCounter
from storage.models import IncomingEntry
from storage.models import Organization
from storage.models import Role
from storage.models import Round
from storage.models import Submission
from storage.models import User
from views.auth import hash_password
from web import create_app

PASSWORD = "MatKhau123"
AUTHORS = 200
START = datetime(2024, 9, 1, tzinfo=UTC)
UNITS = ("Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên", "Văn phòng")
NAMES = ("Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Thị Hồng Nhung", "Phạm Quốc Bảo", "Đỗ Minh Khoa")
KINDS = ("ke_hoach", "cong_van", "thong_bao", "bao_cao", "giay_moi")
EVENTS = ("document.download", "login.success", "file.download")
CHUNK = 5000
# Who each measured page is fetched as (seeded in the first organization).
WHO = {"clerk": "clerk0@bench.vn", "teacher": "t0-7@bench.vn", "admin": "admin0@bench.vn",
       "office": "admin@so.bench.vn"}  # fmt: skip
# The Sở's schools: one of them found by a search typed without diacritics.
SCHOOL_KINDS = ("TRƯỜNG MẦM NON", "TRƯỜNG TIỂU HỌC", "TRƯỜNG THCS", "TRƯỜNG THPT")
FOUND_SCHOOL = "TRƯỜNG TIỂU HỌC ẤP BẮC"


def fresh_database(database: str, url: str, folder: Path) -> str:
    """A migrated, empty database: a new SQLite file, or the server database of ``url``
    dropped and created again."""
    if database == "sqlite":
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        target = make_url(normalise_url(url))
        if target.database in ("test", "postgres", None):
            raise SystemExit(f"refusing to drop the database {target.database!r}")
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    upgrade(url)
    return url


def round_row(organization_id: int) -> dict[str, Any]:
    """A round of the 2025-2026 school year (its windows closed), as a row to insert."""
    return {"organization_id": organization_id, "name": "Năm học 2025-2026",
            "school_year": "2025-2026", "reference_date": date(2026, 5, 31),
            "ruleset_id": "ND152_2025", "registration_opens": date(2025, 9, 1),
            "registration_closes": date(2025, 10, 1), "nomination_opens": date(2026, 5, 1),
            "nomination_closes": date(2026, 6, 1)}  # fmt: skip


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def seed_office(connection: Any, schools: int, password_hash: str) -> None:
    """A Sở, its admin and ``schools`` schools below it, each with a round."""
    office_name = "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐỒNG THÁP"
    office_id = connection.scalar(
        insert(Organization).returning(Organization.id),
        {"name": office_name, "search_key": fold(office_name), "abbrev": "SGDĐT",
         "place": "Đồng Tháp", "org_kind": "so_gddt", "settings": {}},
    )  # fmt: skip
    connection.execute(
        insert(User),
        {"organization_id": office_id, "email": WHO["office"], "full_name": "Giám đốc Sở",
         "search_key": fold("Giám đốc Sở"), "role": Role.ADMIN.value,
         "password_hash": password_hash},
    )  # fmt: skip
    names = [f"{SCHOOL_KINDS[i % len(SCHOOL_KINDS)]} SỐ {i + 1}" for i in range(schools)]
    if names:
        names[schools // 2] = FOUND_SCHOOL
    school_ids = list(
        connection.scalars(
            insert(Organization).returning(Organization.id),
            [{"name": name, "search_key": fold(name), "abbrev": f"T{i}", "place": "Cao Lãnh",
              "org_kind": "truong_th", "parent_id": office_id, "settings": {}}
             for i, name in enumerate(names)],
        )
    ) if names else []  # fmt: skip
    for chunk in _chunks([round_row(school_id) for school_id in school_ids]):
        connection.execute(insert(Round), chunk)


def seed(engine: Engine, rows: int, orgs: int, schools: int = 0) -> dict[str, Any]:
    """Organizations, their clerks and authors, a round each, documents and submissions,
    and the Sở with its schools. Returns the e-mails of who opens the measured pages."""
    password_hash = hash_password(PASSWORD)
    with engine.begin() as connection:
        org_ids = list(
            connection.scalars(
                insert(Organization).returning(Organization.id),
                [{"name": f"TRƯỜNG THCS SỐ {n}", "abbrev": f"THCS{n}", "place": "Mỹ Thạnh",
                  "settings": {}}
                 for n in range(orgs)],
            )
        )  # fmt: skip
        for n, org_id in enumerate(org_ids):
            count = rows if n == 0 else rows // 10
            users = [{"organization_id": org_id, "email": f"{role.value}{n}@bench.vn",
                      "full_name": name, "search_key": fold(name), "role": role.value,
                      "password_hash": password_hash}
                     for role, name in ((Role.CLERK, "Văn thư"),
                                        (Role.ADMIN, "Hiệu trưởng"))]  # fmt: skip
            users += [
                {"organization_id": org_id, "email": f"t{n}-{i}@bench.vn",
                 "full_name": f"{NAMES[i % len(NAMES)]} {i}", "unit": UNITS[i % len(UNITS)],
                 "search_key": fold(f"{NAMES[i % len(NAMES)]} {i}"),
                 "role": Role.STAFF.value, "password_hash": password_hash}
                for i in range(AUTHORS)
            ]  # fmt: skip
            user_ids = list(connection.scalars(insert(User).returning(User.id), users))
            round_id = connection.scalar(
                insert(Round).returning(Round.id),
                round_row(org_id),
            )
            documents: list[dict[str, Any]] = []
            submissions: list[dict[str, Any]] = []
            entries: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            for i in range(count):
                at = START + timedelta(minutes=7 * i)
                author = user_ids[2 + i % AUTHORS]
                summary = f"Kế hoạch tổ chức hoạt động số {i} của {UNITS[i % len(UNITS)]}"
                issued = i % 3 == 0
                documents.append(
                    {"organization_id": org_id, "kind": KINDS[i % len(KINDS)],
                     "status": "issued" if issued else "draft", "summary": summary,
                     "search_key": fold(summary), "header_fields": {}, "body_fields": {},
                     "year": at.year if issued else None, "number": i + 1 if issued else None,
                     "symbol": "KH-THCS" if issued else "", "created_by_id": author,
                     "created_at": at, "updated_at": at}
                )  # fmt: skip
                name = f"{NAMES[i % len(NAMES)]} {i}"
                submissions.append(
                    {"organization_id": org_id, "round_id": round_id, "kind": "registration",
                     "status": "submitted", "created_by_id": author, "nominee_name": name,
                     "unit": UNITS[i % len(UNITS)], "title_code": "LDTT",
                     "search_key": fold(name), "data": {}, "facts": {},
                     "created_at": at, "updated_at": at}
                )  # fmt: skip
                issuer = ("Sở GDĐT", "UBND tỉnh", "Phòng GDĐT")[i % 3]
                entries.append(
                    {"organization_id": org_id, "year": 2026, "number": i + 1,
                     "received_date": date(2026, 1, 1) + timedelta(days=i % 360),
                     "issuer": issuer, "summary": summary,
                     "search_key": fold(f"{issuer} {summary}"), "created_by_id": user_ids[0],
                     "copies": [], "created_at": at, "updated_at": at}
                )  # fmt: skip
                events.append(
                    {"organization_id": org_id, "user_id": author, "action": EVENTS[i % 3],
                     "object_type": "document", "object_id": str(i), "ip": "10.0.0.1",
                     "detail": {"kind_label": "Kế hoạch", "summary": summary},
                     "created_at": at}
                )  # fmt: skip
            for chunk in _chunks(entries):
                connection.execute(insert(IncomingEntry), chunk)
            if entries:  # the counter at the last số đến, as registering leaves it
                connection.execute(
                    insert(IncomingCounter),
                    {"organization_id": org_id, "year": 2026, "last_number": len(entries)},
                )
            for chunk in _chunks(documents):
                connection.execute(insert(Document), chunk)
            for chunk in _chunks(submissions):
                connection.execute(insert(Submission), chunk)
            for chunk in _chunks(events):
                connection.execute(insert(AuditEvent), chunk)
        if schools:  # after the schools measured above, which keep ids 1 …
            seed_office(connection, schools, password_hash)
    # Statistics and (PostgreSQL) the visibility map, as autovacuum keeps them on a server
    # that has lived with its rows: index-only scans then skip the table.
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
    return WHO


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def _time_in_rounds(fetches: list[Callable[[], Any]], repeat: int) -> list[list[float]]:
    """Milliseconds of ``repeat`` fetches of each, taken in rounds (one of each per round)
    rather than page after page: a burst of the machine's other work then lands on every
    page alike instead of on whichever page was being measured."""
    for fetch in fetches:
        fetch()  # warm: templates compiled, caches filled
    samples: list[list[float]] = [[] for _ in fetches]
    for _ in range(repeat):
        for fetch, taken in zip(fetches, samples, strict=True):
            start = time.perf_counter()
            fetch()
            taken.append((time.perf_counter() - start) * 1000)
    return samples


def _login(client: FlaskClient, email: str) -> None:
    response = client.post("/dang-nhap", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def _get(client: FlaskClient, path: str) -> Callable[[], Any]:
    def fetch() -> int:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        response.get_data()
        return len(response.get_data())

    return fetch


def pages(rows: int, schools: int = 0) -> list[tuple[str, str, str]]:
    """(who, list, path) of every measured page: the first and a middle one (and the Sở's
    list of its schools when it has some)."""
    middle = max(1, rows // 50 // 2)
    last_school_page = max(1, -(-schools // 50))
    return [
        ("clerk", "Văn bản đi, trang 1", "/van-ban/"),
        ("clerk", f"Văn bản đi, trang {middle}", f"/van-ban/?page={middle}"),
        ("clerk", "Văn bản đi, lọc + tìm", "/van-ban/?status=issued&q=to+toan"),
        ("clerk", "Xét duyệt hồ sơ, trang 1", "/xet-duyet/"),
        ("clerk", f"Xét duyệt hồ sơ, trang {middle}", f"/xet-duyet/?page={middle}"),
        ("clerk", "Xét duyệt, tìm không dấu", "/xet-duyet/?q=nguyen+thi"),
        ("clerk", "Sổ văn bản đến, trang 1", "/so-van-ban-den/?year=2026"),
        ("clerk", f"Sổ văn bản đến, trang {middle}", f"/so-van-ban-den/?year=2026&page={middle}"),
        ("teacher", "Hồ sơ của tôi", "/ho-so"),
        ("admin", "Nhật ký thao tác, trang 1", "/quan-tri/nhat-ky"),
        ("admin", f"Nhật ký thao tác, trang {middle}", f"/quan-tri/nhat-ky?page={middle}"),
        ("admin", "Nhật ký, lọc theo thao tác", "/quan-tri/nhat-ky?action=file.download"),
        ("admin", "Tài khoản, tìm không dấu", "/quan-tri/?q=nguyen+anh"),
    ] + ([
        ("office", f"Đơn vị trực thuộc ({schools}), trang 1", "/quan-tri/don-vi/"),
        ("office", f"Đơn vị trực thuộc, trang {last_school_page}",
         f"/quan-tri/don-vi/?page={last_school_page}"),
        ("office", "Đơn vị trực thuộc, tìm không dấu", "/quan-tri/don-vi/?q=ap+bac"),
    ] if schools else [])  # fmt: skip


def _seeded(options: argparse.Namespace) -> bool:
    """Whether the server database of ``--url`` holds an earlier run's rows of this size
    (``--reuse``: seeding 100k rows on PostgreSQL takes about a minute)."""
    if options.database != "postgresql":
        return False
    engine = create_engine(normalise_url(options.url))
    try:
        with engine.connect() as connection:
            count = connection.scalar(
                select(func.count()).select_from(Document).where(Document.organization_id == 1)
            )
    except Exception:  # noqa: BLE001 — no such database or table yet: seed it
        return False
    finally:
        engine.dispose()
    return count == options.rows


def run(options: argparse.Namespace) -> list[dict[str, Any]]:
    schools = getattr(options, "schools", 0)
    with tempfile.TemporaryDirectory() as folder:
        if getattr(options, "reuse", False) and _seeded(options):
            url, who = options.url, WHO
            print(f"reusing {make_url(url).database}: {options.rows} rows already there")
        else:
            url = fresh_database(options.database, options.url, Path(folder))
            engine = create_engine(normalise_url(url))
            started = time.perf_counter()
            who = seed(engine, options.rows, options.orgs, schools)
            seeded = time.perf_counter() - started
            engine.dispose()
            print(f"seeded {options.rows} documents and submissions (+{options.orgs - 1} "
                  f"other organizations of {options.rows // 10}) in {seeded:.1f} s")  # fmt: skip
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "REDIS_URL": options.redis,
                          "WTF_CSRF_ENABLED": False, "QUEUE_NAME": "vanthu-bench"})  # fmt: skip
        gc.freeze()  # as gunicorn.conf.py's post_worker_init does in each web worker
        clients = {}
        for role, email in who.items():
            if role == "office" and not schools:
                continue  # no Sở seeded
            clients[role] = app.test_client()
            _login(clients[role], email)
        measured = [
            ("clerk", "static file (floor)", "/static/style.css"),
            *pages(options.rows, schools),
        ]
        fetches = [_get(clients[role], path) for role, _, path in measured]
        sizes = [fetch() / 1024 for fetch in fetches]
        samples = _time_in_rounds(fetches, options.repeat)
        floor = _p95(samples[0])
        results = [
            {"list": name, "p50": statistics.median(taken), "p95": _p95(taken),
             "ratio": _p95(taken) / floor, "kb": size if path != "/static/style.css" else 0.0}
            for (_, name, path), taken, size in zip(measured, samples, sizes, strict=True)
        ]  # fmt: skip
        app.extensions["vanthu.db"].dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the measured org")
    parser.add_argument("--orgs", type=int, default=5, help="organizations in the database")
    parser.add_argument("--schools", type=int, default=500, help="schools below the Sở")
    parser.add_argument("--repeat", type=int, default=40, help="timed fetches per page")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded --url database")
    options = parser.parse_args()
    results = run(options)
    print(f"\n{options.database}, {options.rows} rows per list in the measured organization\n")
    print("| page | p50 ms | p95 ms | p95 ÷ static file p95 | HTML KB |")
    print("|---|---:|---:|---:|---:|")
    for row in results:
        print(f"| {row['list']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['ratio']:.1f}× "
              f"| {row['kb']:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
