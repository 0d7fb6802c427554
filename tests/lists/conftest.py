"""Fixtures of the list tests: many rows inserted in one statement, SQL statements counted."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy import insert

from domain.text import fold
from storage.models import AuditEvent
from storage.models import Document
from storage.models import Notification
from storage.models import Person
from storage.models import Role
from storage.models import Submission
from storage.models import User

START = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def seed_documents(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """Insert ``count`` documents for ``organization`` ("school" or "other"), each by its own
    author when ``authors`` is more than one, one minute apart (the last is the newest)."""

    def seed(count: int, organization: str = "school", authors: int = 1, **values: Any) -> None:
        org_id = world[organization]
        with app.extensions["vanthu.db"].session() as session:
            author_ids = [world["clerk"] if organization == "school" else world["other_clerk"]]
            if authors > 1:
                stamp = datetime.now(UTC).timestamp()
                rows = [
                    {"organization_id": org_id, "email": f"a{stamp}-{i}@truong.edu.vn",
                     "full_name": f"Người soạn {i}", "role": Role.STAFF.value,
                     "password_hash": "x"}
                    for i in range(authors)
                ]  # fmt: skip
                author_ids = list(session.scalars(insert(User).returning(User.id), rows))
            summary = values.pop("summary", "Kế hoạch tổ chức hoạt động")
            rows = []
            first_number = values.pop("number", None)
            for i in range(count):
                at = START + timedelta(minutes=i)
                if first_number is not None:
                    values["number"] = first_number + i
                rows.append(
                    {
                        "organization_id": org_id, "kind": "ke_hoach", "status": "draft",
                        "summary": f"{summary} {i}", "search_key": fold(f"{summary} {i}"),
                        "header_fields": {}, "body_fields": {},
                        "created_by_id": author_ids[i % len(author_ids)],
                        "created_at": at, "updated_at": at,
                    } | values
                )  # fmt: skip
            session.execute(insert(Document), rows)

    return seed


@pytest.fixture
def seed_submissions(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """Insert ``count`` registrations by ``author`` (a ``world`` user) in its organization's
    round, named "<name> <i>" (distinct people), one minute apart (the last is the newest)."""

    def seed(count: int, author: str = "staff", name: str = "Nguyễn Văn", **values: Any) -> None:
        other = author.startswith("other")
        org_id = world["other" if other else "school"]
        round_id = world["other_round" if other else "round"]
        rows = []
        for i in range(count):
            at = START + timedelta(minutes=i)
            rows.append(
                {
                    "organization_id": org_id, "round_id": round_id, "kind": "registration",
                    "status": "submitted", "created_by_id": world[author],
                    "nominee_name": f"{name} {i:04d}", "search_key": fold(f"{name} {i:04d}"),
                    "unit": "Tổ Toán - Tin", "title_code": "LDTT", "data": {}, "facts": {},
                    "created_at": at, "updated_at": at,
                } | values
            )  # fmt: skip
        with app.extensions["vanthu.db"].session() as session:
            session.execute(insert(Submission), rows)

    return seed


@pytest.fixture
def seed_accounts(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """Add ``count`` accounts to ``organization`` named "<name> <i:03d>" with e-mails
    "<prefix><i>@…", through the model, so each keeps its folded name as an admin's would."""

    def seed(count: int, organization: str = "school", name: str = "Hoàng Văn",
             prefix: str = "tk", **values: Any) -> None:  # fmt: skip
        with app.extensions["vanthu.db"].session() as session:
            session.add_all(
                User(organization_id=world[organization], email=f"{prefix}{i}@truong.edu.vn",
                     full_name=f"{name} {i:03d}", password_hash="x", **values)
                for i in range(count)
            )  # fmt: skip

    return seed


@pytest.fixture
def seed_people(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """Insert ``count`` staff directory lines of ``unit`` in ``organization``, named
    "<name> <i:03d>"."""

    def seed(count: int, organization: str = "school", name: str = "Nguyễn Thị",
             unit: str = "Tổ Toán - Tin") -> None:  # fmt: skip
        rows = [
            {"organization_id": world[organization], "full_name": f"{name} {i:03d}",
             "unit": unit, "search_key": fold(f"{name} {i:03d}"), "unit_key": fold(unit)}
            for i in range(count)
        ]  # fmt: skip
        with app.extensions["vanthu.db"].session() as session:
            session.execute(insert(Person), rows)

    return seed


@pytest.fixture
def seed_events(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """Insert ``count`` audit events of ``organization`` by ``user`` (a ``world`` key),
    one minute apart (the last is the newest), the i-th a download of "Kế hoạch số
    <i:03d>/KH-THCSMT"."""

    def seed(count: int, organization: str = "school", user: str = "clerk",
             action: str = "document.download") -> None:  # fmt: skip
        rows = [
            {"organization_id": world[organization], "user_id": world[user], "action": action,
             "object_type": "document", "object_id": str(100 + i),
             "detail": {"kind_label": "Kế hoạch", "number_label": f"{i:03d}/KH-THCSMT",
                        "format": "pdf"},
             "ip": "10.0.0.1", "created_at": START + timedelta(minutes=i)}
            for i in range(count)
        ]  # fmt: skip
        with app.extensions["vanthu.db"].session() as session:
            session.execute(insert(AuditEvent), rows)

    return seed


@pytest.fixture
def seed_letters(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """Insert ``count`` letters of ``organization`` in the outbox with ``status``, the i-th
    titled "Thư số <i:03d>" (ids grow: the last is the newest)."""

    def seed(count: int, organization: str = "school", status: str = "kept") -> None:
        stamp = datetime.now(UTC).timestamp()
        rows = [
            {"organization_id": world[organization], "to_addr": f"gv{i}@truong.edu.vn",
             "kind": "decision", "dedup_key": f"{stamp}-{organization}-{status}-{i}",
             "subject": f"Thư số {i:03d}", "body": "Nội dung", "status": status,
             "message_id": f"<{stamp}-{organization}-{status}-{i}@vanthu.invalid>"}
            for i in range(count)
        ]  # fmt: skip
        with app.extensions["vanthu.db"].session() as session:
            session.execute(insert(Notification), rows)

    return seed


class StatementLog:
    """Every SQL statement the app's engine runs while ``counting``."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.counting = False

    def during(self, action: Callable[[], object]) -> int:
        """How many statements ``action`` runs."""
        self.statements.clear()
        self.counting = True
        try:
            action()
        finally:
            self.counting = False
        return len(self.statements)

    def __call__(self, _conn, _cursor, statement, _params, _context, _many) -> None:
        if self.counting:
            self.statements.append(statement)


@pytest.fixture
def statements(app: Flask) -> Iterator[StatementLog]:
    log = StatementLog()
    engine = app.extensions["vanthu.db"].engine
    event.listen(engine, "before_cursor_execute", log)
    yield log
    event.remove(engine, "before_cursor_execute", log)
