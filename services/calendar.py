"""The deadlines calendar: what is overdue and coming, done / assigned, and the .ics feed."""

from __future__ import annotations

import calendar as month_calendar
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.doc_types import DOC_TYPES
from services.ics import Event
from services.plans import RECURRENCES
from storage.models import CalendarFeed
from storage.models import Deadline
from storage.models import Organization
from storage.models import User

_MONTHS_STEP = {"monthly": 1, "quarterly": 3, "yearly": 12}
DONE_SHOWN = 30


@dataclass(frozen=True)
class Entry:
    """A deadline as the calendar shows it: the occurrence that matters now."""

    deadline: Deadline
    day: date  # the (next) occurrence's first day
    end: date | None
    overdue: bool

    @property
    def recurrence_label(self) -> str:
        recurrence = self.deadline.recurrence or ""
        return RECURRENCES.get(recurrence, "") if recurrence else ""


@dataclass
class CalendarView:
    overdue: list[Entry]
    months: list[tuple[str, list[Entry]]]
    done: list[Entry]


def _add_months(day: date, months: int) -> date | None:
    """The same day ``months`` later; None when that month has no such day (RFC 5545 skips)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day > month_calendar.monthrange(year, month)[1]:
        return None
    return day.replace(year=year, month=month)


def next_occurrence(deadline: Deadline, today: date) -> tuple[date, date | None]:
    """The first occurrence whose last day is today or later (the first one if none)."""
    start, end = deadline.due_date, deadline.end_date
    length = (end - start) if end else None
    recurrence = deadline.recurrence or ""
    if not recurrence or (end or start) >= today:
        return start, end
    if recurrence == "weekly":
        weeks = max(0, (today - (end or start)).days + 6) // 7
        first = start + timedelta(weeks=weeks)
        return first, first + length if length is not None else None
    step = _MONTHS_STEP.get(recurrence)
    if step is None:
        return start, end
    for count in range(1, 12 * 200 // step):
        candidate = _add_months(start, step * count)
        if candidate is None:
            continue
        last = candidate + length if length is not None else candidate
        if last >= today:
            return candidate, (candidate + length if length is not None else None)
    return start, end


def entry_for(deadline: Deadline, today: date) -> Entry:
    day, end = next_occurrence(deadline, today)
    overdue = not deadline.done and (end or day) < today
    return Entry(deadline, day, end, overdue)


def month_label(day: date) -> str:
    return f"Tháng {day.month}/{day.year}"


def calendar_view(
    session: Session, organization_id: int, today: date, *, assignee_id: int | None = None
) -> CalendarView:
    """Overdue items, coming items grouped by month, and the latest done items."""
    query = select(Deadline).where(Deadline.organization_id == organization_id)
    if assignee_id is not None:
        query = query.where(Deadline.assignee_id == assignee_id)
    rows = list(session.scalars(query.order_by(Deadline.due_date, Deadline.id)))
    open_entries = sorted(
        (entry_for(r, today) for r in rows if not r.done), key=lambda e: (e.day, e.deadline.id)
    )
    months: dict[str, list[Entry]] = {}
    for entry in open_entries:
        if not entry.overdue:
            months.setdefault(month_label(entry.day), []).append(entry)
    done = sorted(
        (Entry(r, r.due_date, r.end_date, False) for r in rows if r.done),
        key=lambda e: e.deadline.done_at or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )[:DONE_SHOWN]
    return CalendarView(
        overdue=[e for e in open_entries if e.overdue], months=list(months.items()), done=done
    )


def set_done(deadline: Deadline, *, done: bool, user_id: int) -> None:
    deadline.done = done
    deadline.done_at = datetime.now(UTC) if done else None
    deadline.done_by_id = user_id if done else None


def assignable_users(session: Session, organization_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.organization_id == organization_id, User.active.is_(True))
            .order_by(User.full_name)
        )
    )


# -- the .ics feed --------------------------------------------------------------------------


def feed_of(session: Session, user_id: int) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def regenerate_feed(session: Session, user: User) -> CalendarFeed:
    """Give ``user`` a new secret feed token (the old link stops working)."""
    feed = feed_of(session, user.id)
    if feed is None:
        feed = CalendarFeed(organization_id=user.organization_id, user_id=user.id, token="")
        session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = datetime.now(UTC)
    session.flush()
    return feed


def user_for_token(session: Session, token: str) -> User | None:
    """The active user whose feed this token is, still in the feed's organization."""
    if not token or len(token) > 64:
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    if user is None or not user.active or user.organization_id != feed.organization_id:
        return None
    return user


def feed_events(
    session: Session,
    organization: Organization,
    *,
    host: str,
    link: Callable[[Deadline], str],
) -> list[Event]:
    """One event per open deadline of the organization (recurring ones carry an RRULE)."""
    rows = session.scalars(
        select(Deadline)
        .where(Deadline.organization_id == organization.id, Deadline.done.is_(False))
        .order_by(Deadline.due_date, Deadline.id)
    )
    events = []
    for row in rows:
        description = [row.what]
        if row.incoming is not None:
            description.append("Theo: " + source_title(row))
            if row.source_page:
                description.append(f"(trang {row.source_page}, dòng {row.source_line})")
        if row.assignee is not None:
            description.append(f"Người phụ trách: {row.assignee.full_name}")
        events.append(
            Event(
                uid=f"deadline-{row.id}@{host}",
                start=row.due_date,
                end=row.end_date,
                recurrence=row.recurrence or "",
                summary=row.what,
                description="\n".join(description),
                url=link(row),
            )
        )
    return events


def source_title(deadline: Deadline) -> str:
    """``Kế hoạch số 08/KH-PGDĐT`` — how a deadline's source document is named."""
    incoming = deadline.incoming
    if incoming is None:
        return ""
    from services.plans import confirmed_fields

    fields = confirmed_fields(incoming)
    doc_type = DOC_TYPES.get(str(fields.get("doc_type") or ""))
    name = doc_type.label if doc_type else "Văn bản"
    number, symbol = fields.get("number") or "", fields.get("symbol") or ""
    if number or symbol:  # "số /KH-…" would read as a typo
        name += f" số {number or '…'}/{symbol}" if symbol else f" số {number}"
    return name
