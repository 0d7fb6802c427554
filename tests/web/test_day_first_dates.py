"""Dates typed day first (forms/dates.py): "12/07/2026" is 12 July whatever the browser's
language; what cannot be a date gets a Vietnamese message that says how to type it."""

from __future__ import annotations

import datetime

import pytest
from werkzeug.datastructures import MultiDict

from forms.base import SubForm
from forms.dates import PLACEHOLDER
from forms.dates import DayFirstDateField
from forms.dates import format_day_first
from forms.dates import parse_day_first
from forms.fields import optional
from forms.fields import required

JULY_12 = datetime.date(2026, 7, 12)


@pytest.mark.parametrize(
    "text",
    ["12/07/2026", "12/7/2026", "12-7-2026", "12-07-2026", "12.07.2026", " 12 / 07 / 2026 ",
     "2026-07-12", "2026-7-12"],
)  # fmt: skip
def test_day_first_and_iso_are_read_as_12_july(text: str) -> None:
    assert parse_day_first(text) == JULY_12


def test_the_day_comes_first_even_when_both_could_be_months() -> None:
    assert parse_day_first("01/02/2026") == datetime.date(2026, 2, 1)
    assert parse_day_first("07/12/2026") == datetime.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31/02/2026", "Không có ngày 31/02/2026 trong lịch."),
        ("12/13/2026", "Tháng 13 không hợp lệ"),  # a month-first date is not silently swapped
        ("07/12/26", "dạng ngày/tháng/năm"),  # two-digit years are ambiguous
        ("12/07-2026", "dạng ngày/tháng/năm"),  # mixed separators
        ("12/07/0026", "Năm 26 không hợp lệ"),
        ("ngày mai", "dạng ngày/tháng/năm"),
        ("", "dạng ngày/tháng/năm"),
    ],
)
def test_what_is_not_a_date_is_refused_in_vietnamese(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_day_first(text)


def test_shown_back_day_first() -> None:
    assert format_day_first(JULY_12) == "12/07/2026"
    assert format_day_first("2026-07-12") == "12/07/2026"  # as kept in JSON
    assert format_day_first("không rõ") == "không rõ"
    assert format_day_first(None) == ""


class _Form(SubForm):
    day = DayFirstDateField("Ngày sinh", validators=[required()])
    maybe = DayFirstDateField("Ngày ký", validators=[optional()])


def _form(**data: str) -> _Form:
    return _Form(formdata=MultiDict(data))


def test_the_field_stores_a_date_and_renders_a_text_input() -> None:
    form = _form(day="12/07/2026", maybe="")
    assert form.validate(), form.errors
    assert form.day.data == JULY_12
    assert form.maybe.data is None
    html = str(form.day())
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert f'placeholder="{PLACEHOLDER}"' in html
    assert "pattern=" in html
    assert 'value="12/07/2026"' in html
    assert 'type="date"' not in html


def test_a_stored_date_is_shown_day_first() -> None:
    form = _Form(data={"day": JULY_12})
    assert 'value="12/07/2026"' in str(form.day())


def test_a_bad_date_keeps_its_own_message_and_what_was_typed() -> None:
    form = _form(day="31/02/2026", maybe="hôm qua")
    assert not form.validate()
    assert form.day.errors == ["Không có ngày 31/02/2026 trong lịch."]
    assert "dạng ngày/tháng/năm" in form.maybe.errors[0]
    assert 'value="31/02/2026"' in str(form.day())


def test_a_required_date_left_empty_asks_for_it() -> None:
    form = _form(day="  ")
    assert not form.validate()
    assert form.day.errors == ["Vui lòng nhập mục này."]


def test_the_browser_pattern_accepts_what_the_server_accepts() -> None:
    import re

    from forms.dates import PATTERN

    for text in ("12/07/2026", "12-7-2026", "12.07.2026", "2026-07-12"):
        assert re.fullmatch(PATTERN, text), text
    assert not re.fullmatch(PATTERN, "07/12/26")
