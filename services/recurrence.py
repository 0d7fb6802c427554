"""Recurring deadlines as RFC 5545 rules, and their occurrences.

One rule serves both outputs: the ``.ics`` feed writes it as the event's ``RRULE`` and the
calendar page expands the same text with python-dateutil's ``rrulestr``, so what a
subscribed calendar program shows and what the page shows are the same days.

A rule keeps what the plan meant, not the day its first occurrence happened to fall on:

- "ngày 31 hằng tháng" and "cuối tháng" → ``BYMONTHDAY=-1`` (the last day of every month);
- "ngày 30 hằng tháng" → ``BYMONTHDAY=28,29,30;BYSETPOS=-1`` (the 30th, or February's
  last day), likewise the 29th;
- a first occurrence clamped into a short month (a "31st" first due on 30 November) keeps
  the written day (``month_day``), so the rule is not stuck on the 30th;
- the series ends at the plan's period (``UNTIL``).
"""

from __future__ import annotations

import calendar as month_calendar
import re
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from dateutil.rrule import rrulestr

# Recurrence as the parser reports it → frequency and interval.
FREQUENCIES = {
    "yearly": ("YEARLY", 1),
    "quarterly": ("MONTHLY", 3),
    "monthly": ("MONTHLY", 1),
    "weekly": ("WEEKLY", 1),
}
LAST_DAY = -1


@dataclass(frozen=True)
class Rule:
    """An RRULE: ``FREQ``, ``INTERVAL``, ``BYMONTH``, ``BYMONTHDAY``, ``BYSETPOS``, ``UNTIL``."""

    freq: str
    interval: int = 1
    bymonth: tuple[int, ...] = ()
    bymonthday: tuple[int, ...] = ()
    bysetpos: int | None = None
    until: date | None = None

    def as_text(self) -> str:
        """The RRULE value, e.g. ``FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20251231``."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.bymonth:
            parts.append("BYMONTH=" + ",".join(map(str, self.bymonth)))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.bymonthday)))
        if self.bysetpos is not None:
            parts.append(f"BYSETPOS={self.bysetpos}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}")
        return ";".join(parts)


def _last_day(day: date) -> int:
    return month_calendar.monthrange(day.year, day.month)[1]


def _written_day(start: date, month_day: int | None) -> int:
    """The day of the month the item is for: ``month_day`` when ``start`` agrees with it
    (the same day, or the last day of a month too short for it), else ``start``'s day (a
    clerk who moved the date moved the day)."""
    if month_day is None or month_day == start.day:
        return start.day
    short = start.day == _last_day(start) and (month_day == LAST_DAY or month_day > start.day)
    return month_day if short and -1 <= month_day <= 31 else start.day


def _month_days(day: int) -> tuple[tuple[int, ...], int | None]:
    """BYMONTHDAY and BYSETPOS for "the ``day``-th of every month, or its last day"."""
    if day in (LAST_DAY, 31):
        return (LAST_DAY,), None
    if day in (29, 30):
        return tuple(range(28, day + 1)), -1
    return (day,), None


def rule_for(
    recurrence: str, start: date, *, month_day: int | None = None, until: date | None = None
) -> Rule | None:
    """The rule of a deadline first due on ``start``; None when it does not recur.

    Args:
        recurrence: ``yearly``, ``quarterly``, ``monthly``, ``weekly`` or ``""``.
        start: the first occurrence (DTSTART), always an occurrence of the rule.
        month_day: a monthly item's written day (31, 30; -1 for "cuối tháng").
        until: the last day an occurrence may fall on.
    """
    if recurrence not in FREQUENCIES:
        return None
    freq, interval = FREQUENCIES[recurrence]
    if until is not None and until < start:
        until = start
    if recurrence == "weekly":
        return Rule(freq, interval, until=until)
    if recurrence == "yearly":
        if (start.month, start.day) == (2, 29):  # 29 February: the 28th in common years
            return Rule(freq, interval, (2,), (28, 29), -1, until)
        return Rule(freq, interval, until=until)
    if recurrence == "quarterly" and start.day >= 30 and start.day == _last_day(start):
        day = LAST_DAY  # "30/6 hằng quý": the end of each quarter's month, 31/12 included
    else:
        day = _written_day(start, month_day)
    days, setpos = _month_days(day)
    return Rule(freq, interval, (), days if days != (start.day,) else (), setpos, until)


def occurrences(
    start: date, rule: Rule | None, first: date, last: date, *, length: int = 0
) -> list[date]:
    """The first days of the occurrences that overlap ``first``..``last`` (inclusive).

    ``length`` is the number of days an occurrence lasts after its first day (a range's
    end minus its start), so a window that began before ``first`` still counts.
    """
    if rule is None:
        return [start] if start <= last and start + timedelta(days=length) >= first else []
    series = rrulestr(rule.as_text(), dtstart=datetime(start.year, start.month, start.day))
    since = datetime.combine(first - timedelta(days=length), datetime.min.time())
    until = datetime.combine(last, datetime.min.time())
    return [moment.date() for moment in series.between(since, until, inc=True)]


def is_occurrence(start: date, rule: Rule | None, day: date) -> bool:
    return day in occurrences(start, rule, day, day)


def previous_occurrence(start: date, rule: Rule | None, before: date) -> date | None:
    """The last occurrence whose first day is before ``before``."""
    if rule is None:
        return start if start < before else None
    series = rrulestr(rule.as_text(), dtstart=datetime(start.year, start.month, start.day))
    moment = series.before(datetime.combine(before, datetime.min.time()), inc=False)
    return moment.date() if moment else None


def next_occurrence(start: date, rule: Rule | None, on_or_after: date) -> date | None:
    """The first occurrence whose first day is ``on_or_after`` or later."""
    if rule is None:
        return start if start >= on_or_after else None
    series = rrulestr(rule.as_text(), dtstart=datetime(start.year, start.month, start.day))
    moment = series.after(datetime.combine(on_or_after, datetime.min.time()), inc=True)
    return moment.date() if moment else None


# -- the plan's period ---------------------------------------------------------------------

_YEARS = re.compile(r"\b((?:19|20)\d{2})\b(?:\s*[-–—/]\s*((?:19|20)\d{2})\b)?")


def period_end(period: str | None) -> date | None:
    """The last day of a plan's period: a school year ("2024-2025") ends on 31 August of
    its second year, a giai đoạn ("2021-2025") or a year ("2025") on 31 December."""
    match = _YEARS.search(period or "")
    if not match:
        return None
    first, second = int(match[1]), int(match[2] or match[1])
    if second < first:
        return None
    if second == first + 1:
        return date(second, 8, 31)
    return date(second, 12, 31)
