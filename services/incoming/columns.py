"""How a line is shown in lists, the calendar and the book: its title, the "Ngày chuyển" and
"Ký nhận" columns (days in Vietnam time).
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

from storage.models import IncomingEntry


def entry_title(entry: IncomingEntry) -> str:
    """ "Số đến 05: Kế hoạch 1611/KH-BGDĐT — Triển khai …" for lists and the calendar."""
    kind = " ".join(part for part in (entry.doc_type, entry.reference) if part)
    text = " — ".join(part for part in (kind, entry.summary) if part)
    return f"Số đến {entry.number:02d}: {text}" if text else f"Số đến {entry.number:02d}"


def handed_on(entry: IncomingEntry) -> date | None:
    """The "Ngày chuyển" column: the day the document was first passed to a handler
    (Vietnam time); handlers added later show their day in "Ký nhận" when they take it."""
    days = [_vn_moment(handler.assigned_at).date() for handler in entry.handlers]
    return min(days) if days else None


def handler_receipt(entry: IncomingEntry) -> str:
    """The "ký nhận" column: who took the document and when."""
    parts = []
    for handler in entry.handlers:
        when = f" ({_vn_day(handler.received_at)})" if handler.received_at else ""
        parts.append(f"{handler.user.full_name}{when}")
    return "; ".join(parts)


def _vn_day(moment: datetime) -> str:
    return _vn_moment(moment).strftime("%d/%m/%Y")


def _vn_moment(moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
