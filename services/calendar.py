"""The deadlines calendar: occurrences, done / assigned, round windows and the .ics feed.

Every day the page shows and every day the feed describes come from one rule per deadline
(:func:`deadline_rule`, RFC 5545, expanded with python-dateutil for the page and written as
the event's RRULE for the feed).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from domain.doc_types import DOC_TYPES
from services import recurrence
from services.ics import Event
from services.incoming.deadlines import HandlingDeadline
from services.incoming.deadlines import handling_deadlines
from services.plans.fields import RECURRENCES
from services.plans.fields import confirmed_fields
from services.recurrence import Rule
from storage.models import CalendarFeed
from storage.models import Deadline
from storage.models import DeadlineOccurrence
from storage.models import Organization
from storage.models import Round
from storage.models import User

DONE_SHOWN = 30
MONTHS_AHEAD = 2  # the index page lists every occurrence up to the end of the month after next
# A round's two windows: (key in UIDs and anchors, label, first day, last day).
ROUND_WINDOWS = (
    ("dang-ky", "Đăng ký danh hiệu thi đua", "registration_opens", "registration_closes"),
    ("de-nghi", "Đề nghị, giới thiệu khen thưởng", "nomination_opens", "nomination_closes"),
)


def deadline_rule(deadline: Deadline) -> Rule | None:
    """The recurrence rule of ``deadline`` (None for a one-off item)."""
    return recurrence.rule_for(
        deadline.recurrence or "",
        deadline.due_date,
        month_day=deadline.month_day,
        until=deadline.until,
    )


def _length(deadline: Deadline) -> int:
    return (deadline.end_date - deadline.due_date).days if deadline.end_date else 0


def done_days(deadline: Deadline) -> set[date]:
    return {o.day for o in deadline.occurrences_done}


@dataclass(frozen=True)
class Entry:
    """One occurrence as the calendar shows it: of a deadline, or a round's window."""

    day: date  # its first day
    end: date | None
    title: str
    done: bool
    overdue: bool
    deadline: Deadline | None = None
    round: Round | None = None
    window: str = ""  # a round window's key
    handling: HandlingDeadline | None = None  # a registered incoming document's deadline

    @property
    def anchor(self) -> str:
        """The row's id on the page (``han-12-20260131``, ``dot-3-dang-ky``)."""
        if self.deadline is not None:
            return f"han-{self.deadline.id}-{self.day:%Y%m%d}"
        if self.handling is not None:
            return f"den-{self.handling.entry_id}"
        assert self.round is not None
        return f"dot-{self.round.id}-{self.window}"

    @property
    def recurring(self) -> bool:
        return self.deadline is not None and bool(self.deadline.recurrence)

    @property
    def recurrence_label(self) -> str:
        recurrence_key = self.deadline.recurrence if self.deadline is not None else ""
        return RECURRENCES.get(recurrence_key or "", "") if recurrence_key else ""

    @property
    def last(self) -> date:
        return self.end or self.day


def deadline_entries(deadline: Deadline, first: date, last: date, today: date) -> list[Entry]:
    """The occurrences of ``deadline`` overlapping ``first``..``last`` (none once the whole
    series is closed; a one-off item that is done stays, done)."""
    rule = deadline_rule(deadline)
    if rule is not None and deadline.done:
        return []
    done = done_days(deadline)
    length = _length(deadline)
    entries = []
    for day in recurrence.occurrences(deadline.due_date, rule, first, last, length=length):
        end = day + timedelta(days=length) if deadline.end_date else None
        is_done = (day in done) if rule is not None else deadline.done
        overdue = not is_done and (end or day) < today
        entries.append(Entry(day, end, deadline.what, is_done, overdue, deadline=deadline))
    return entries


def round_entries(round_: Round, first: date, last: date, today: date) -> list[Entry]:
    entries = []
    for key, label, opens, closes in ROUND_WINDOWS:
        start, end = getattr(round_, opens), getattr(round_, closes)
        if start <= last and end >= first:
            title = f"{label}: {round_.name}"
            entries.append(Entry(start, end, title, False, False, round=round_, window=key))
    return entries


def handling_entries(
    session: Session, organization_id: int, viewer: User, assignee_id: int | None, today: date
) -> list[Entry]:
    """Handling deadlines of the incoming register: every one for a clerk, only their own
    for anyone else (and with the "mine" filter), since the register is not open to all."""
    handler = assignee_id if assignee_id is not None or viewer.is_clerk else viewer.id
    return [
        Entry(h.due, None, h.title, h.done, not h.done and h.due < today, handling=h)
        for h in handling_deadlines(session, organization_id, user_id=handler)
    ]


@dataclass
class CalendarView:
    overdue: list[Entry]
    months: list[tuple[str, list[Entry]]]
    done: list[Entry]


@dataclass
class MonthView:
    month: date  # its first day
    entries: list[Entry]

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def previous(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return _month_after(self.month)


def month_label(day: date) -> str:
    return f"Tháng {day.month}/{day.year}"


def _month_after(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _deadlines(session: Session, organization_id: int, assignee_id: int | None) -> list[Deadline]:
    query = (
        select(Deadline)
        .where(Deadline.organization_id == organization_id)
        .options(selectinload(Deadline.occurrences_done))
    )
    if assignee_id is not None:
        query = query.where(Deadline.assignee_id == assignee_id)
    return list(session.scalars(query.order_by(Deadline.due_date, Deadline.id)))


def _rounds(session: Session, organization_id: int) -> list[Round]:
    return list(
        session.scalars(
            select(Round).where(Round.organization_id == organization_id).order_by(Round.id)
        )
    )


def _sort_key(entry: Entry) -> tuple[date, int, str]:
    return (entry.day, entry.deadline.id if entry.deadline else 0, entry.anchor)


def calendar_view(
    session: Session,
    organization_id: int,
    today: date,
    *,
    assignee_id: int | None = None,
    viewer: User | None = None,
) -> CalendarView:
    """Overdue occurrences, coming ones grouped by month, and the latest done ones.

    Coming: every occurrence up to the end of the month after next; beyond that a
    one-off item still shows in its month, a series by its next occurrence only. Overdue:
    a one-off item past its last day, and a series' latest past occurrence when not done.
    Round windows (all but the "mine" filter) show while open or coming.
    """
    horizon = today.replace(day=1)
    for _ in range(MONTHS_AHEAD + 1):
        horizon = _month_after(horizon)
    horizon -= timedelta(days=1)
    rows = _deadlines(session, organization_id, assignee_id)
    overdue: list[Entry] = []
    coming: list[Entry] = []
    done: list[tuple[datetime, Entry]] = []
    for row in rows:
        rule = deadline_rule(row)
        if rule is None:
            entry = deadline_entries(row, row.due_date, row.due_date, today)[0]
            if entry.done:
                done.append((row.done_at or datetime.min.replace(tzinfo=UTC), entry))
            else:
                (overdue if entry.overdue else coming).append(entry)
            continue
        for occurrence in row.occurrences_done:
            entries = deadline_entries(row, occurrence.day, occurrence.day, today)
            if entries and entries[0].day == occurrence.day:
                done.append((occurrence.done_at, entries[0]))
        if row.done:
            continue
        upcoming = deadline_entries(row, today, horizon, today)
        upcoming = [e for e in upcoming if e.last >= today and not e.done]
        if not upcoming:
            after = recurrence.next_occurrence(row.due_date, rule, horizon + timedelta(days=1))
            if after is not None:
                upcoming = [e for e in deadline_entries(row, after, after, today) if not e.done]
        coming.extend(upcoming)
        latest = recurrence.previous_occurrence(row.due_date, rule, today)
        if latest is not None:
            past = [
                e
                for e in deadline_entries(row, latest, latest, today)
                if e.day == latest and e.overdue
            ]
            overdue.extend(past)
    if assignee_id is None:
        for round_ in _rounds(session, organization_id):
            coming.extend(e for e in round_entries(round_, today, date.max, today))
    if viewer is not None:
        for entry in handling_entries(session, organization_id, viewer, assignee_id, today):
            if not entry.done:
                (overdue if entry.overdue else coming).append(entry)
    months: dict[str, list[Entry]] = {}
    for entry in sorted(coming, key=_sort_key):
        months.setdefault(month_label(max(entry.day, today)), []).append(entry)
    done.sort(key=lambda pair: pair[0], reverse=True)
    return CalendarView(
        overdue=sorted(overdue, key=_sort_key),
        months=list(months.items()),
        done=[entry for _, entry in done[:DONE_SHOWN]],
    )


def month_view(
    session: Session,
    organization_id: int,
    month: date,
    today: date,
    *,
    assignee_id: int | None = None,
    viewer: User | None = None,
) -> MonthView:
    """Every occurrence overlapping ``month`` (done ones too) and the round windows."""
    first = month.replace(day=1)
    last = _month_after(first) - timedelta(days=1)
    entries: list[Entry] = []
    for row in _deadlines(session, organization_id, assignee_id):
        entries.extend(deadline_entries(row, first, last, today))
    if assignee_id is None:
        for round_ in _rounds(session, organization_id):
            entries.extend(round_entries(round_, first, last, today))
    if viewer is not None:
        entries.extend(
            e
            for e in handling_entries(session, organization_id, viewer, assignee_id, today)
            if first <= e.day <= last
        )
    return MonthView(first, sorted(entries, key=_sort_key))


def set_done(deadline: Deadline, *, done: bool, user_id: int) -> None:
    """Mark a one-off deadline, or a whole series, done (or open again)."""
    deadline.done = done
    deadline.done_at = datetime.now(UTC) if done else None
    deadline.done_by_id = user_id if done else None


def set_occurrence_done(deadline: Deadline, day: date, *, done: bool, user_id: int) -> bool:
    """Mark one occurrence of a recurring deadline done (or open again); the others stay.

    Returns:
        False when ``day`` is not an occurrence of the deadline's rule.
    """
    rule = deadline_rule(deadline)
    if rule is None or not recurrence.is_occurrence(deadline.due_date, rule, day):
        return False
    existing = next((o for o in deadline.occurrences_done if o.day == day), None)
    if done and existing is None:
        deadline.occurrences_done.append(DeadlineOccurrence(day=day, done_by_id=user_id))
    elif not done and existing is not None:
        deadline.occurrences_done.remove(existing)
    return True


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
    uid_domain: str,
    link: Callable[[str], str],
    viewer: User | None = None,
) -> list[Event]:
    """The organization's deadlines (a series as one RRULE event, its done occurrences as
    overrides; a closed series left out) and its rounds' windows.

    Args:
        uid_domain: the right-hand side of every UID (the PUBLIC_URL's host), never taken
            from a request, so UIDs stay the same whatever address the feed is fetched at.
        link: the page URL of an entry's anchor (``han-12-20260131``, ``dot-3-dang-ky``;
            ``""`` for a series: the page itself).
    """
    events = []
    for row in _deadlines(session, organization.id, None):
        rule = deadline_rule(row)
        if rule is not None and row.done:
            continue
        description = [row.what]
        if row.incoming is not None:
            description.append("Theo: " + source_title(row))
            if row.source_page:
                description.append(f"(trang {row.source_page}, dòng {row.source_line})")
        if row.assignee is not None:
            description.append(f"Người phụ trách: {row.assignee.full_name}")
        events.append(
            Event(
                uid=f"deadline-{row.id}@{uid_domain}",
                start=row.due_date,
                end=row.end_date,
                rule=rule,
                done=row.done,
                done_days=tuple(sorted(done_days(row))),
                summary=row.what,
                description="\n".join(description),
                url=link("" if rule else f"han-{row.id}-{row.due_date:%Y%m%d}"),
            )
        )
    for round_ in _rounds(session, organization.id):
        for entry in round_entries(round_, date.min, date.max, date.min):
            events.append(
                Event(
                    uid=f"round-{round_.id}-{entry.window}@{uid_domain}",
                    start=entry.day,
                    end=entry.end,
                    summary=entry.title,
                    url=link(entry.anchor),
                )
            )
    if viewer is not None:
        for entry in handling_entries(session, organization.id, viewer, None, date.min):
            assert entry.handling is not None
            events.append(
                Event(
                    uid=f"incoming-{entry.handling.entry_id}@{uid_domain}",
                    start=entry.day,
                    summary=entry.title,
                    description="Hạn giải quyết văn bản đến; người xử lý: "
                    + (", ".join(entry.handling.handler_names) or "chưa giao"),
                    done=entry.done,
                    url=link(entry.anchor),
                )
            )
    return events


def source_title(deadline: Deadline) -> str:
    """``Kế hoạch số 08/KH-PGDĐT`` — how a deadline's source document is named."""
    incoming = deadline.incoming
    if incoming is None:
        return ""

    fields = confirmed_fields(incoming)
    doc_type = DOC_TYPES.get(str(fields.get("doc_type") or ""))
    name = doc_type.label if doc_type else "Văn bản"
    number, symbol = fields.get("number") or "", fields.get("symbol") or ""
    if number or symbol:
        name += f" số {number or '…'}/{symbol}" if symbol else f" số {number}"
    return name
