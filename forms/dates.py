"""Dates typed day first (ngày/tháng/năm), whatever the browser's language.

``<input type="date">`` shows the browser's own order: in an English-language browser it is
mm/dd/yyyy, so a teacher typing "12/07/2026" for 12 July gets 7 December. A
:class:`DayFirstDateField` is a plain text input (numeric keypad on a phone, placeholder
"dd/mm/yyyy") parsed here day first: "12/07/2026", "12-7-2026", "12.07.2026" and the ISO
"2026-07-12" (what a date picker or an older saved form sends) are all 12 July 2026.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from wtforms import DateField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

PLACEHOLDER = "dd/mm/yyyy"
DISPLAY_FORMAT = "%d/%m/%Y"
# The HTML pattern (checked by the browser only as a hint: the forms are novalidate). Written
# without character classes so that it compiles under the "v" flag browsers now use.
PATTERN = r"\s*\d{1,2}\s*(\/|-|\.)\s*\d{1,2}\s*(\/|-|\.)\s*\d{4}\s*|\s*\d{4}-\d{1,2}-\d{1,2}\s*"
MIN_YEAR, MAX_YEAR = 1900, 2100
INVALID = "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 12/07/2026."

_DAY_FIRST = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_day_first(text: str) -> datetime.date:
    """The date of ``text`` read as day/month/year (or ISO year-month-day).

    Raises ValueError with a Vietnamese message a person can act on.
    """
    value = (text or "").strip()
    if match := _DAY_FIRST.fullmatch(value):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _ISO.fullmatch(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        raise ValueError(INVALID)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"Năm {year} không hợp lệ (phải từ {MIN_YEAR} đến {MAX_YEAR}).")
    if not 1 <= month <= 12:
        raise ValueError(
            f"Tháng {month} không hợp lệ: tháng phải từ 1 đến 12 (dạng ngày/tháng/năm)."
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"Không có ngày {day:02d}/{month:02d}/{year} trong lịch.") from None


def format_day_first(value: Any) -> str:
    """``value`` (a date, or ISO text as stored in JSON) as dd/mm/yyyy; anything else as is."""
    if isinstance(value, datetime.date):
        return value.strftime(DISPLAY_FORMAT)
    if isinstance(value, str):
        try:
            return parse_day_first(value).strftime(DISPLAY_FORMAT)
        except ValueError:
            return value
    return ""


class DayFirstInput(TextInput):
    """A text input for a day-first date: numeric keypad, placeholder and pattern."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("placeholder", PLACEHOLDER)
        kwargs.setdefault("pattern", PATTERN)
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("maxlength", 14)
        kwargs.setdefault("class", "date-input")
        return super().__call__(field, **kwargs)


class DayFirstDateField(DateField):
    """A date typed as dd/mm/yyyy (also d-m-yyyy, d.m.yyyy or ISO), shown back as dd/mm/yyyy.

    Still a :class:`wtforms.DateField` (``data`` is a :class:`datetime.date`), so code that
    stores or compares dates needs no change. An empty input leaves ``data`` None: whether
    that is allowed is for the validators (``required()`` / ``optional()``).
    """

    widget = DayFirstInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.pop("format", None)  # the formats are this field's own
        super().__init__(label, validators, format=DISPLAY_FORMAT, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_day_first(self.data) if self.data else ""

    def pre_validate(self, form: Any) -> None:
        # Text that is not a date keeps its own message: without this a required() validator
        # would replace it with "Vui lòng nhập mục này." although something was typed.
        if self.process_errors:
            raise StopValidation()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = " ".join(str(v) for v in valuelist).strip()
        self.data = None
        if not text:
            return
        self.data = parse_day_first(text)
