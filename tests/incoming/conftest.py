"""Fixtures of the incoming-register tests: lines registered through the service, a parsed
upload of the shared corpus, a signed-in clerk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask

from services.incoming.entries import EntryData
from services.incoming.registration import register
from services.plans.parse_results import store_parse_result
from storage.files import save_file
from storage.models import IncomingDocument
from storage.models import IncomingStatus
from tests.shared_data import SHARED

DAY = date(2026, 3, 2)
CORPUS = SHARED / "corpus" / "partial"


@pytest.fixture
def make_entry(app: Flask, world: dict) -> Callable[..., int]:
    """Register a line (hand entry unless given) in the first school; returns its id."""

    def make(organization: str = "school", **values: Any) -> int:
        values.setdefault("received_date", DAY)
        values.setdefault("summary", "Về việc tổ chức Hội khỏe Phù Đổng")
        user = world["clerk" if organization == "school" else "other_clerk"]
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            entry = register(
                session,
                organization_id=world[organization],
                user_id=user,
                data=EntryData(**values),
            )
            return entry.id

    return make


@pytest.fixture
def make_plan(app: Flask, world: dict) -> Callable[..., int]:
    """A read upload (status parsed) with the parser's ``result`` and the file's bytes."""

    def make(result: dict[str, Any], content: bytes, name: str, mime: str) -> int:
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            stored = save_file(
                session,
                organization_id=world["school"],
                content=content,
                original_name=name,
                mime_type=mime,
                created_by_id=world["clerk"],
            )
            plan = IncomingDocument(
                organization_id=world["school"],
                file_id=stored.id,
                status=IncomingStatus.QUEUED.value,
                extracted={},
                corrections={},
                created_by_id=world["clerk"],
            )
            session.add(plan)
            session.flush()
            store_parse_result(session, plan, result, [])
            return plan.id

    return make


@pytest.fixture
def make_upload(make_plan: Callable[..., int]) -> Callable[[], int]:
    """A read upload of pasted text waiting to be registered; returns its id."""
    title = "Kế hoạch tổ chức Hội khỏe Phù Đổng"
    return lambda: make_plan({"title": title}, title.encode(), "ke-hoach.txt", "text/plain")


@pytest.fixture
def clerk(client, auth, world):
    """The test client, signed in as the first school's clerk."""
    auth.login("clerk")
    return client
