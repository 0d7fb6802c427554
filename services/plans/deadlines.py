"""A confirmed document's deadlines as :class:`Deadline` rows, kept in step with the clerk's
corrections (an item that stays keeps its done state and assignee).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import clean_line
from services.plans.fields import as_date
from services.plans.fields import confirmed_fields
from services.plans.fields import month_day
from services.recurrence import period_end
from storage.models import Deadline
from storage.models import IncomingDocument


def sync_deadlines(session: Session, incoming: IncomingDocument) -> None:
    """Make the document's Deadline rows match its confirmed deadlines.

    Rows are matched to items first on (date, end, recurrence, what), then on the dates
    alone, so an item that stays keeps its done state and assignee even if its wording was
    corrected. Unmatched rows that are not done are removed; done ones stay as history.
    """
    fields = confirmed_fields(incoming)
    items = [d for d in fields["deadlines"] or [] if d.get("date")]
    until = period_end(fields.get("period"))
    existing = list(
        session.scalars(
            select(Deadline).where(Deadline.incoming_id == incoming.id).order_by(Deadline.id)
        )
    )
    unmatched = list(existing)

    def dates_key(row_or_item: Any) -> tuple[Any, ...]:
        if isinstance(row_or_item, Deadline):
            return (row_or_item.due_date, row_or_item.end_date, row_or_item.recurrence or "")
        return (
            as_date(row_or_item.get("date")),
            as_date(row_or_item.get("end")),
            row_or_item.get("recurrence") or "",
        )

    def full_key(row_or_item: Any) -> tuple[Any, ...]:
        what = row_or_item.what if isinstance(row_or_item, Deadline) else row_or_item.get("what")
        return (*dates_key(row_or_item), clean_line(what).casefold())

    pending: list[dict[str, Any]] = []
    for item in items:
        row = next((r for r in unmatched if full_key(r) == full_key(item)), None)
        if row is None:
            pending.append(item)
        else:
            unmatched.remove(row)
            _fill_deadline(row, item, until)
    for item in pending:
        row = next((r for r in unmatched if dates_key(r) == dates_key(item)), None)
        if row is None:
            row = Deadline(organization_id=incoming.organization_id, incoming_id=incoming.id)
            session.add(row)
        else:
            unmatched.remove(row)
        _fill_deadline(row, item, until)
    for row in unmatched:
        if not row.done:
            session.delete(row)
    session.flush()


def _fill_deadline(row: Deadline, item: Mapping[str, Any], until: date | None) -> None:
    """Copy an item onto its row; a recurring one ends at the plan's period (``until``)."""
    source = item.get("source") or {}
    row.what = clean_line(item.get("what")) or "Hạn công việc"
    row.due_date = as_date(item["date"])  # type: ignore[assignment]  # an item has a date
    row.end_date = as_date(item.get("end"))
    row.recurrence = item.get("recurrence") or ""
    row.month_day = month_day(item) if row.recurrence else None
    row.until = until if row.recurrence else None
    row.source_page = source.get("page")
    row.source_line = source.get("line")
