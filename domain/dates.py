"""Place-and-date line of the header (Nghị định 30/2020, Phụ lục I, II.4).

Days below 10 and the months 1 and 2 take a leading zero: "ngày 05 tháng 01 năm 2020",
"ngày 29 tháng 6 năm 2019".
"""

from __future__ import annotations

import re
from datetime import date

DRAFT_DATE_BLANK = "     "


def format_day(day: int) -> str:
    """``5`` → ``"05"``, ``15`` → ``"15"``."""
    return f"{day:02d}"


def format_month(month: int) -> str:
    """Months 1 and 2 take a leading zero; 3–12 do not (so "tháng 01", "tháng 3")."""
    return f"{month:02d}" if month < 3 else str(month)


def format_date_words(value: date) -> str:
    """``date(2021, 1, 8)`` → ``"ngày 08 tháng 01 năm 2021"``."""
    return f"ngày {format_day(value.day)} tháng {format_month(value.month)} năm {value.year}"


def format_place_date(place: str, value: date | None, year_hint: int | None = None) -> str:
    """Return ``"Mỹ Phước, ngày 08 tháng 01 năm 2021"``.

    A draft (``value`` is ``None``) shows blanks for day and month and the expected year,
    as drafts are printed before signing: ``"Mỹ Phước, ngày      tháng      năm 2026"``.
    """
    place = place.strip()
    if not place:
        raise ValueError("Chưa khai báo địa danh của cơ quan.")
    if value is None:
        year = str(year_hint) if year_hint else "20" + "  "
        return f"{place}, ngày{DRAFT_DATE_BLANK}tháng{DRAFT_DATE_BLANK}năm {year}"
    return f"{place}, {format_date_words(value)}"


def format_short_date(value: date) -> str:
    """``date(2024, 5, 24)`` → ``"24/05/2024"`` as used inside running text."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})\s*(?:giờ|g|h|:)\s*(?P<minute>\d{1,2})?\s*(?:phút|p)?$", re.IGNORECASE
)


def format_clock(value: str) -> str:
    """Write a time of day as minutes write it: "16:30", "16h30", "16 giờ 30 phút" →
    "16 giờ 30"; "8 giờ" → "08 giờ 00". Text that is not a time is returned trimmed."""
    text = " ".join(value.split())
    match = _CLOCK.match(text)
    if match is None:
        return text
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    if hour > 23 or minute > 59:
        return text
    return f"{hour:02d} giờ {minute:02d}"
