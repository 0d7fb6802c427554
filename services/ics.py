"""iCalendar (RFC 5545) output for all-day deadlines: escaping, line folding, RRULE.

Standard library only. Lines end in CRLF and are folded at 75 octets (never inside a UTF-8
character); TEXT values escape ``\\``, ``;``, ``,`` and new lines (RFC 5545 §3.3.11).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

CRLF = "\r\n"
MAX_OCTETS = 75

# Recurrence as the parser reports it → RRULE value.
RRULES = {
    "yearly": "FREQ=YEARLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "monthly": "FREQ=MONTHLY",
    "weekly": "FREQ=WEEKLY",
}


@dataclass(frozen=True)
class Event:
    """An all-day event.

    Attributes:
        uid: globally unique and stable across feed downloads.
        start: the first day.
        end: the last day (inclusive), None for a one-day event; written as the exclusive
            DTEND the standard wants.
        recurrence: a key of :data:`RRULES` or ``""``.
    """

    uid: str
    start: date
    summary: str
    description: str = ""
    end: date | None = None
    recurrence: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value (backslash first, so the others are not doubled)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line into CRLF + space continuations of at most 75 octets."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with one space
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def build_calendar(
    events: Iterable[Event], *, name: str, stamp: datetime | None = None, prodid: str = ""
) -> bytes:
    """The VCALENDAR document (UTF-8 bytes) for ``events``."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid or '-//vanthu//Lich han//VI'}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for event in events:
        last = event.end or event.start
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_date(event.start)}",
            f"DTEND;VALUE=DATE:{_date(last + timedelta(days=1))}",
        ]
        if event.recurrence in RRULES:
            lines.append(f"RRULE:{RRULES[event.recurrence]}")
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")
