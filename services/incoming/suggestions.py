"""What a read upload suggests registering: the parser's (or the clerk's reviewed) fields
turned into the register's columns, for the clerk to edit before a number is taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.doc_types import DOC_TYPES
from domain.names import running_name
from domain.text import clean_line
from services.incoming.entries import EntryData
from services.plans.fields import confirmed_fields
from storage.models import IncomingDocument


def suggestion_from_plan(plan: IncomingDocument, received: date) -> EntryData:
    """The registration data a parsed (or reviewed) upload suggests; the clerk edits it."""
    fields = confirmed_fields(plan)
    number, symbol = clean_line(fields.get("number")), clean_line(fields.get("symbol"))
    doc_type = DOC_TYPES.get(str(fields.get("doc_type") or ""))
    stored = plan.file
    pasted = stored is not None and stored.mime_type == "text/plain"
    return EntryData(
        received_date=received,
        issuer=running_name(fields.get("issuer")),
        reference="/".join(part for part in (number, symbol) if part),
        doc_date=_as_date(fields.get("issued_date")),
        doc_type=doc_type.label if doc_type else "",
        summary=_sentence_case(clean_line(fields.get("title"))),
        deadline=_first_deadline(fields.get("deadlines") or [], received),
        channel="text" if pasted else "file",
        text=plan_text(plan),
        plan_id=plan.id,
        file_id=plan.file_id,
        file_sha256=stored.sha256 if stored is not None else "",
    )


def plan_text(plan: IncomingDocument) -> str:
    """The text the parser read (lines in reading order)."""
    lines = (plan.extracted or {}).get("text") or []
    return "\n".join(str(line.get("text") or "") for line in lines if isinstance(line, dict))


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _first_deadline(items: Iterable[Any], received: date) -> date | None:
    dates = sorted(
        found
        for item in items
        if isinstance(item, dict) and (found := _as_date(item.get("date"))) and found >= received
    )
    return dates[0] if dates else None


def _sentence_case(text: str) -> str:
    """ "KẾ HOẠCH TRIỂN KHAI …" → "Kế hoạch triển khai …" (titles are printed upper-case)."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        lowered = text.lower()
        return lowered[:1].upper() + lowered[1:]
    return text
