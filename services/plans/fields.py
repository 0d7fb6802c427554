"""The fields a clerk reviews (the parser's output contract, docs/ingest-output.md): their
names in form order, the recurrences, the values as the clerk sees them (what was read,
overridden by the corrections), where each was read, and the readers of an item's dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from storage.models import IncomingDocument

# The contract fields (docs/ingest-output.md) a clerk reviews, in form order.
SCALAR_FIELDS = (
    "doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "issued_date",
    "title", "period", "signer_title", "signer_name",
)  # fmt: skip


LIST_FIELDS = ("references", "themes", "deadlines", "recipients")


FIELDS = SCALAR_FIELDS + LIST_FIELDS


RECURRENCES = {
    "": "Không lặp",
    "yearly": "Hằng năm",
    "quarterly": "Hằng quý",
    "monthly": "Hằng tháng",
    "weekly": "Hằng tuần",
}


def confirmed_fields(incoming: IncomingDocument) -> dict[str, Any]:
    """The fields as the clerk sees them: what was read, overridden by the corrections."""
    extracted = incoming.extracted or {}
    corrections = incoming.corrections or {}
    return {name: corrections.get(name, extracted.get(name)) for name in FIELDS}


def field_sources(extracted: Mapping[str, Any]) -> dict[str, Any]:
    """Where each field was read: ``{field: {"page", "line"}}`` and per-item lists."""
    sources: dict[str, Any] = dict(extracted.get("sources") or {})
    for name, key in (("themes", "theme_sources"), ("recipients", "recipient_sources")):
        sources[name] = list(extracted.get(key) or [])
    for name in ("references", "deadlines"):
        sources[name] = [item.get("source") for item in extracted.get(name) or []]
    return sources


def month_day(item: Mapping[str, Any]) -> int | None:
    value = item.get("month_day")
    try:
        day = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return day if day is not None and (day == -1 or 1 <= day <= 31) else None


def as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
