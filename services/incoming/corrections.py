"""Correcting the register without renumbering it: a line registered by mistake is *removed*,
one found to duplicate another is *merged* into it (both keep their line, struck through with
the reason, so the numbers stay continuous), and a further copy of a registered document is
noted on its line instead of taking a number.
"""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

from sqlalchemy.orm import Session

from domain.text import nfc
from services.incoming.duplicates import text_key
from services.incoming.duplicates import text_sha256
from services.incoming.entries import CHANNELS
from services.incoming.entries import EntryData
from services.incoming.entries import IncomingError
from services.incoming.entries import audit_entry
from services.incoming.entries import require_live
from storage.models import IncomingEntry
from storage.models import IncomingHandler

MAX_REASON = 2000


def add_copy(session: Session, entry: IncomingEntry, data: EntryData, *, user_id: int) -> None:
    """Merge a newly received copy of a registered document into its line: no new số đến;
    the copy (and its upload) is noted on the line."""
    require_live(entry)
    entry.copies = [
        *(entry.copies or []),
        {
            "plan_id": data.plan_id,
            "channel": data.channel,
            "received": data.received_date.isoformat(),
            "by": user_id,
        },
    ]
    entry.note = _with_line(
        entry.note, f"Nhận thêm {_copy_label(data.channel, data.received_date)}."
    )
    if data.text and not entry.text_key:
        entry.text_key = text_key(data.text)
        entry.text_sha256 = text_sha256(entry.text_key)
    audit_entry(session, "incoming.merge", entry, user_id, copy=data.channel)


def remove(session: Session, entry: IncomingEntry, *, user_id: int, reason: str) -> None:
    """Strike a line registered by mistake; its số đến stays used and is never reissued."""
    reason = _reason(reason, "Vui lòng nhập lý do xóa.")
    require_live(entry)
    entry.removed_at = datetime.now(UTC)
    entry.removed_by_id = user_id
    entry.remove_reason = reason
    entry.handlers.clear()
    audit_entry(session, "incoming.delete", entry, user_id, reason=reason)


def merge(session: Session, duplicate: IncomingEntry, into: IncomingEntry, *, user_id: int) -> None:
    """Merge a line that repeats another into it: its handlers and note move over, and it is
    struck through as "trùng với số đến N" (its number stays used)."""
    require_live(duplicate)
    require_live(into)
    if duplicate.id == into.id or duplicate.organization_id != into.organization_id:
        raise IncomingError("Không gộp được một văn bản vào chính nó.")
    present = {h.user_id for h in into.handlers}
    for handler in duplicate.handlers:
        if handler.user_id not in present:
            into.handlers.append(
                IncomingHandler(
                    user_id=handler.user_id,
                    assigned_by_id=handler.assigned_by_id,
                    received_at=handler.received_at,
                )
            )
    duplicate.handlers.clear()
    into.copies = [*(into.copies or []), *(duplicate.copies or [])]
    copy = _copy_label(duplicate.channel, duplicate.received_date)
    into.note = _with_line(
        into.note, f"Nhận thêm {copy} (số đến {duplicate.number:02d}/{duplicate.year})."
    )
    if into.deadline is None:
        into.deadline = duplicate.deadline
    duplicate.removed_at = datetime.now(UTC)
    duplicate.removed_by_id = user_id
    duplicate.merged_into_id = into.id
    duplicate.remove_reason = f"Trùng với số đến {into.number:02d}/{into.year}"
    audit_entry(
        session, "incoming.merge", duplicate, user_id, into_number=into.number, into_year=into.year
    )


def _copy_label(channel: str, received: date) -> str:
    """ "bản giấy ngày 05/03/2026" """
    return f"{CHANNELS.get(channel, 'bản').lower()} ngày {received:%d/%m/%Y}"


def _with_line(note: str, line: str) -> str:
    return "\n".join(part for part in (note, line) if part)


def _reason(text: str, missing: str) -> str:
    reason = nfc(text or "").strip()
    if not reason:
        raise IncomingError(missing)
    if len(reason) > MAX_REASON:
        raise IncomingError(f"Lý do tối đa {MAX_REASON} ký tự.")
    return reason
