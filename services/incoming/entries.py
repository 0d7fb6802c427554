"""A line of the incoming register: what the clerk confirms (:class:`EntryData`), the ways a
document is received, the register's refusals, and the audit record every change to a line
leaves (with its số đến, so the sentence names it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from domain.errors import VanthuError
from services import audit
from storage.models import IncomingEntry

CHANNELS = {"file": "Bản điện tử (tệp)", "text": "Bản dán nội dung", "paper": "Bản giấy"}


class IncomingError(VanthuError, ValueError):
    """The register refuses the request; the message is Vietnamese and meant for the user."""

    code = "incoming_refused"


class AlreadyRegistered(IncomingError):
    """The upload already has its line (``entry_id``), maybe registered a moment ago by
    another clerk; the caller shows that line."""

    code = "already_registered"
    status = 409

    def __init__(self, entry: IncomingEntry, *, just_now: bool = False) -> None:
        number = f"số đến {entry.number:02d}/{entry.year}"
        super().__init__(
            f"Văn bản này vừa được người khác vào sổ văn bản đến ({number})."
            if just_now
            else f"Văn bản này đã được vào sổ văn bản đến ({number})."
        )
        self.entry_id = entry.id


@dataclass
class EntryData:
    """What the clerk confirms when registering (the Phụ lục IV columns and the source)."""

    received_date: date
    issuer: str = ""
    reference: str = ""  # số, ký hiệu: "1611/KH-BGDĐT"
    doc_date: date | None = None
    doc_type: str = ""  # tên loại: "Kế hoạch"
    summary: str = ""  # trích yếu
    recipient: str = ""  # đơn vị hoặc người nhận
    note: str = ""
    deadline: date | None = None  # hạn giải quyết
    channel: str = "paper"
    text: str = ""  # the document's text, for duplicates and search
    plan_id: int | None = None
    file_id: str | None = None
    file_sha256: str = ""


def require_live(entry: IncomingEntry) -> None:
    if entry.removed_at is not None:
        raise IncomingError("Dòng này đã bị xóa hoặc gộp khỏi sổ văn bản đến.")


def audit_entry(
    session: Session, action: str, entry: IncomingEntry, user_id: int, **extra: Any
) -> None:
    """Record ``action`` on a line (with its number, so the sentence names it)."""
    detail = {
        "number": entry.number,
        "year": entry.year,
        "reference": entry.reference,
        "summary": entry.summary[:300],
        **extra,
    }
    audit.record(
        session,
        action,
        object_type="incoming_entry",
        object_id=entry.id,
        detail=detail,
        organization_id=entry.organization_id,
        user_id=user_id,
    )
