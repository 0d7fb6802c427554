"""Reading the register: its years, the lines of a year filtered by words, status or handler
(all of them, or one page), the lines passed to a person, and a line's stored file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from domain.text import fold
from services.pagination import Page
from services.pagination import paginate
from storage.models import EntryStatus
from storage.models import IncomingEntry
from storage.models import IncomingHandler
from storage.models import StoredFile


def register_years(session: Session, organization_id: int) -> list[int]:
    """Years with lines, newest first."""
    return list(
        session.scalars(
            select(IncomingEntry.year)
            .where(IncomingEntry.organization_id == organization_id)
            .distinct()
            .order_by(IncomingEntry.year.desc())
        )
    )


def register_query(
    organization_id: int,
    year: int,
    *,
    query: str = "",
    status: str = "",
    handler_id: int | None = None,
    include_removed: bool = True,
) -> Select[IncomingEntry]:
    """The lines of ``year`` by số đến (the unique index of organization, year, number),
    filtered by words (without diacritics), status or handler. Removed lines are part of the
    book unless a filter is given."""
    statement = select(IncomingEntry).where(
        IncomingEntry.organization_id == organization_id, IncomingEntry.year == year
    )
    words = fold(query).split()
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(IncomingEntry.search_key.like(f"%{escaped}%", escape="\\"))
    if status:
        statement = statement.where(IncomingEntry.status == status)
    if handler_id is not None:
        statement = statement.where(
            IncomingEntry.handlers.any(IncomingHandler.user_id == handler_id)
        )
    if words or status or handler_id is not None or not include_removed:
        statement = statement.where(IncomingEntry.removed_at.is_(None))
    return statement.order_by(IncomingEntry.number)


def register_entries(
    session: Session, organization_id: int, year: int, **filters: Any
) -> list[IncomingEntry]:
    """Every line of :func:`register_query` (the export, the calendar)."""
    return list(session.scalars(register_query(organization_id, year, **filters)))


def register_page(
    session: Session,
    organization_id: int,
    year: int,
    *,
    number: int,
    size: int,
    query: str = "",
    status: str = "",
) -> Page[IncomingEntry]:
    """One page of the register, with each line's handlers and their names loaded."""
    return paginate(
        session, register_query(organization_id, year, query=query, status=status),
        IncomingEntry, number=number, size=size,
        options=[selectinload(IncomingEntry.handlers).selectinload(IncomingHandler.user)],
    )  # fmt: skip


def assigned_to(session: Session, user_id: int) -> list[IncomingEntry]:
    """Live lines passed to ``user_id`` that are not done, by deadline."""
    return list(
        session.scalars(
            select(IncomingEntry)
            .where(
                IncomingEntry.removed_at.is_(None),
                IncomingEntry.status != EntryStatus.DONE.value,
                IncomingEntry.handlers.any(IncomingHandler.user_id == user_id),
            )
            .order_by(IncomingEntry.deadline.is_(None), IncomingEntry.deadline, IncomingEntry.id)
        )
    )


def stored_file(session: Session, entry: IncomingEntry) -> StoredFile | None:
    return session.get(StoredFile, entry.file_id) if entry.file_id else None
