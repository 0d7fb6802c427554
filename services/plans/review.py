"""The clerk's review of a read upload: the values that differ from what was read are kept as
corrections (the parser's output is never changed); confirming turns the deadlines into
:class:`Deadline` rows (:mod:`services.plans.deadlines`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from domain.text import clean_line
from services.plans.deadlines import sync_deadlines
from services.plans.fields import FIELDS
from storage.models import IncomingDocument
from storage.models import IncomingStatus

ENCODING_LABELS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}


def _comparable(name: str, value: Any) -> Any:
    """A value normalised for "did the clerk change it?" (spaces, "" vs None, sources)."""

    def scalar(item: Any) -> Any:
        if isinstance(item, str):
            return clean_line(item) or None
        return item if item not in ("", None) else None

    if name in ("references", "deadlines"):
        return [{k: scalar(v) for k, v in item.items() if k != "source"} for item in value or []]
    if name in ("themes", "recipients"):
        return [clean_line(v) for v in value or [] if clean_line(v)]
    return scalar(value)


def save_review(
    session: Session,
    incoming: IncomingDocument,
    values: Mapping[str, Any],
    *,
    confirm: bool,
    user_id: int,
) -> None:
    """Store the clerk's values as corrections (the extracted output is never changed).

    Confirming (or saving a document already confirmed) turns the deadlines into
    :class:`Deadline` rows, see :func:`sync_deadlines`.
    """
    extracted = incoming.extracted or {}
    corrections: dict[str, Any] = {}
    for name in FIELDS:
        value = values.get(name)
        if _comparable(name, value) != _comparable(name, extracted.get(name)):
            corrections[name] = value
    incoming.corrections = corrections
    if confirm or incoming.status == IncomingStatus.CONFIRMED:
        incoming.status = IncomingStatus.CONFIRMED.value
        incoming.confirmed_at = datetime.now(UTC)
        incoming.confirmed_by_id = user_id
        sync_deadlines(session, incoming)
