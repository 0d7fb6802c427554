"""Handling a registered document: passing it to handlers with a deadline, moving its status
on (chờ xử lý → đang xử lý → đã xong), and the handlers' "ký nhận".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from datetime import date
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.incoming.entries import IncomingError
from services.incoming.entries import require_live
from storage.models import ENTRY_STATUS_LABELS
from storage.models import EntryStatus
from storage.models import IncomingEntry
from storage.models import IncomingHandler
from storage.models import User


def assign(
    session: Session,
    entry: IncomingEntry,
    *,
    user_ids: Sequence[int],
    deadline: date | None,
    assigned_by_id: int,
) -> None:
    """Pass the document to ``user_ids`` (people of its organization) with a deadline.

    Handlers no longer listed are taken off; those kept keep their "received" mark.
    """
    require_live(entry)
    wanted = set(user_ids)
    if wanted:
        valid = set(
            session.scalars(
                select(User.id).where(
                    User.id.in_(wanted),
                    User.organization_id == entry.organization_id,
                    User.active.is_(True),
                )
            )
        )
        if valid != wanted:
            raise IncomingError("Người xử lý không thuộc cơ quan hoặc đã bị khóa.")
    entry.handlers[:] = [h for h in entry.handlers if h.user_id in wanted]
    present = {h.user_id for h in entry.handlers}
    for user_id in sorted(wanted - present):
        entry.handlers.append(IncomingHandler(user_id=user_id, assigned_by_id=assigned_by_id))
    entry.deadline = deadline
    if not wanted and entry.status == EntryStatus.HANDLING:
        entry.status = EntryStatus.WAITING.value


def set_status(session: Session, entry: IncomingEntry, status: str, *, user_id: int) -> None:
    """Move the handling on (chờ xử lý → đang xử lý → đã xong, or back)."""
    require_live(entry)
    if status not in ENTRY_STATUS_LABELS:
        raise IncomingError("Tình trạng xử lý không hợp lệ.")
    entry.status = status
    entry.done_at = datetime.now(UTC) if status == EntryStatus.DONE else None
    mark_received(entry, user_id)


def mark_received(entry: IncomingEntry, user_id: int) -> bool:
    """Record that a handler took the document (the register's "ký nhận")."""
    for handler in entry.handlers:
        if handler.user_id == user_id and handler.received_at is None:
            handler.received_at = datetime.now(UTC)
            return True
    return False


def is_handler(entry: IncomingEntry, user_id: int) -> bool:
    return any(h.user_id == user_id for h in entry.handlers)
