"""iCalendar (RFC 5545) output of all-day deadlines, written with the ``icalendar`` library.

The library does the encoding (CRLF, folding at 75 octets, TEXT escaping, ``VALUE=DATE``).
A recurring item is one VEVENT with the ``RRULE`` of :mod:`services.recurrence`; each of its
occurrences marked done is a second VEVENT with the same UID and a ``RECURRENCE-ID`` that
overrides that one day with a "✓ " summary. Overriding rather than excluding it (``EXDATE``)
keeps the day in the subscribed calendar, marked done, as the page shows it: Google
Calendar, Outlook, Thunderbird (ical.js) and recurring-ical-events all apply overrides,
while an EXDATE would make a finished task look as if it had never been due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import icalendar

from services.recurrence import Rule

DONE_MARK = "✓ "
PRODID = "-//vanthu//Lich han//VI"


@dataclass(frozen=True)
class Event:
    """An all-day event, or a series of them.

    Attributes:
        uid: globally unique and stable across feed downloads and host names.
        start: the first day (of the first occurrence).
        end: the last day (inclusive), None for a one-day event; written as the exclusive
            DTEND the standard wants.
        rule: the recurrence, None for a single event.
        done: a single event that is done (its summary gets the "✓ " mark).
        done_days: first days of the occurrences of a series that are done.
    """

    uid: str
    start: date
    summary: str
    description: str = ""
    end: date | None = None
    rule: Rule | None = None
    done: bool = False
    done_days: tuple[date, ...] = field(default=())
    url: str = ""


def _vevent(event: Event, stamp: datetime, day: date, *, done: bool) -> icalendar.Event:
    length = (event.end - event.start) if event.end else timedelta(0)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", day)
    vevent.add("dtend", day + length + timedelta(days=1))
    vevent.add("summary", (DONE_MARK if done else "") + event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("transp", "TRANSPARENT")
    return vevent


def build_calendar(
    events: Iterable[Event], *, name: str, stamp: datetime | None = None, prodid: str = PRODID
) -> bytes:
    """The VCALENDAR document (UTF-8 bytes, CRLF lines) for ``events``."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for event in events:
        master = _vevent(event, stamp, event.start, done=event.done and event.rule is None)
        if event.rule is not None:
            master.add("rrule", icalendar.vRecur.from_ical(event.rule.as_text()))
        calendar.add_component(master)
        if event.rule is None:
            continue
        for day in event.done_days:
            override = _vevent(event, stamp, day, done=True)
            override.add("recurrence-id", day)
            calendar.add_component(override)
    feed: bytes = calendar.to_ical()
    return feed
