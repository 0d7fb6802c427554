"""Fixtures of the report tests: a staff directory with birth data, nominations made as
the forms make them, and a reader for the values a page's form shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from domain.text import fold
from storage.models import Person
from storage.models import Submission


@pytest.fixture
def directory(app: Flask, world: dict) -> None:
    """The school's staff directory: Ánh with her full birth date, Đức with the year only,
    and two people called Nguyễn Văn Bình in different units."""
    people = [
        ("Nguyễn Thị Ánh", "Tổ Toán - Tin", "Giáo viên", date(1985, 3, 12), 1985, "Nữ"),
        ("Trần Văn Đức", "Tổ Ngữ văn", "Giáo viên", None, 1979, "Nam"),
        ("Nguyễn Văn Bình", "Tổ Toán - Tin", "Giáo viên", date(1990, 1, 2), 1990, "Nam"),
        ("Nguyễn Văn Bình", "Văn phòng", "Kế toán", date(1970, 5, 6), 1970, "Nam"),
    ]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for name, unit, position, born, year, gender in people:
            session.add(
                Person(
                    organization_id=world["school"],
                    full_name=name,
                    unit=unit,
                    position=position,
                    birth_date=born,
                    birth_year=year,
                    gender=gender,
                    search_key=fold(name),
                    unit_key=fold(unit),
                )  # fmt: skip
            )


@pytest.fixture
def nominate(app: Flask, world: dict) -> Callable[..., int]:
    """Add a nomination of the first school's round, as the submission forms store it."""

    def make(
        creator: str = "staff",
        name: str = "Nguyễn Thị Ánh",
        *,
        kind: str = "registration",
        title_code: str = "CSTDCS",
        nominee_type: str = "individual",
        position: str = "Tổ trưởng chuyên môn",
        unit: str = "Tổ Toán - Tin",
        data: dict[str, Any] | None = None,
        organization: str = "school",
        round_key: str = "round",
    ) -> int:
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            submission = Submission(
                organization_id=world[organization], round_id=world[round_key], kind=kind,
                created_by_id=world[creator], nominee_type=nominee_type, nominee_name=name,
                position=position, unit=unit, title_code=title_code, search_key=fold(name),
                data=data if data is not None else {}, facts={},
            )  # fmt: skip
            session.add(submission)
            session.flush()
            return submission.id

    return make


class FormValues(HTMLParser):
    """name → value of a page's inputs, selected options and text areas."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name"):
            self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.values.setdefault(self._select or "", "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def form_values(page: str) -> dict[str, str]:
    values = FormValues(page).values
    # A browser drops the one line break that follows <textarea> (WTForms writes "\r\n").
    return {k: v.removeprefix("\r\n").removeprefix("\n") for k, v in values.items()}
