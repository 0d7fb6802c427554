"""Fixtures of the teacher's side of submissions: the staff directory, sending forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from storage.models import Person
from storage.models import Submission
from tests.conftest import PASSWORD
from tests.web.conftest import docx_bytes  # noqa: F401  (the evidence file fixture)


@pytest.fixture
def directory(app: Flask, world: dict) -> Callable[..., int]:
    """Add a line to the school's staff directory: ``directory(name, position, unit,
    email="")`` → the person's id."""

    def add(name: str, position: str, unit: str, email: str = "") -> int:
        from domain.text import fold

        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            person = Person(
                organization_id=world["school"], full_name=name, position=position, unit=unit,
                email=email, search_key=fold(name), unit_key=fold(unit),
            )  # fmt: skip
            session.add(person)
            session.flush()
            return person.id

    return add


@pytest.fixture
def login_as(app: Flask) -> Callable[[str], FlaskClient]:
    """A new signed-in client for a ``world`` user (several people at once)."""

    def login(key: str) -> FlaskClient:
        client = app.test_client()
        response = client.post(
            "/dang-nhap", data={"email": f"{key}@truong.edu.vn", "password": PASSWORD}
        )
        assert response.status_code == 302
        return client

    return login


@pytest.fixture
def submissions(app: Flask) -> Callable[[], list[Submission]]:
    def read() -> list[Submission]:
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            items = session.scalars(select(Submission).order_by(Submission.id)).all()
            session.expunge_all()
            return list(items)

    return read
