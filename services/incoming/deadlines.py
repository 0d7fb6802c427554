"""The handling deadlines (hạn giải quyết) of registered documents, for the deadlines calendar
and its feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.incoming.columns import entry_title
from storage.models import EntryStatus
from storage.models import IncomingEntry
from storage.models import IncomingHandler


@dataclass(frozen=True)
class HandlingDeadline:
    """A registered document's handling deadline, for the calendar."""

    entry_id: int
    year: int
    number: int
    title: str  # "Số đến 05: Kế hoạch 1611/KH-BGDĐT — Triển khai …"
    due: date
    status: str
    done: bool
    handler_ids: tuple[int, ...]
    handler_names: tuple[str, ...]


def handling_deadlines(
    session: Session,
    organization_id: int,
    *,
    user_id: int | None = None,
    include_done: bool = True,
) -> list[HandlingDeadline]:
    """The handling deadlines (hạn giải quyết) of live registered documents, by date — for
    the deadlines calendar and its feed. ``user_id`` keeps only that handler's."""
    statement = select(IncomingEntry).where(
        IncomingEntry.organization_id == organization_id,
        IncomingEntry.removed_at.is_(None),
        IncomingEntry.deadline.is_not(None),
    )
    if user_id is not None:
        statement = statement.where(IncomingEntry.handlers.any(IncomingHandler.user_id == user_id))
    if not include_done:
        statement = statement.where(IncomingEntry.status != EntryStatus.DONE.value)
    found = []
    for entry in session.scalars(statement.order_by(IncomingEntry.deadline, IncomingEntry.id)):
        assert entry.deadline is not None
        found.append(
            HandlingDeadline(
                entry_id=entry.id,
                year=entry.year,
                number=entry.number,
                title=entry_title(entry),
                due=entry.deadline,
                status=entry.status,
                done=entry.status == EntryStatus.DONE,
                handler_ids=tuple(h.user_id for h in entry.handlers),
                handler_names=tuple(h.user.full_name for h in entry.handlers),
            )
        )
    return found
