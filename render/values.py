"""Reading the form's values for a template: dates and empty fields.

Shared by :mod:`render.context` and the per-kind enrichers (:mod:`render.context_kinds`),
which the context module itself imports: kept apart so that the arrows inside ``render/``
point one way (context → context_kinds → values).
"""

from __future__ import annotations

import datetime
from typing import Any

from domain.text import clean_line
from render.errors import RenderError


def parse_date(value: Any, label: str) -> datetime.date | None:
    """Accept a date, an ISO ``YYYY-MM-DD`` text or ``DD/MM/YYYY``; empty gives None.

    Raises:
        RenderError: if the text is not a date.
    """
    if is_empty(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_line(str(value))
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise RenderError(f"“{label}” không phải là ngày hợp lệ: “{text}”.") from exc


def is_empty(value: Any) -> bool:
    """No value: None, blank text, or an empty list, tuple or mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False
