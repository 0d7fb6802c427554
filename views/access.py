"""The organization boundary and ownership rules shared by every view."""

from __future__ import annotations

from typing import Any
from typing import TypeVar

from flask import abort
from flask import g

from storage.db import get_session

T = TypeVar("T")


def get_in_org(model: type[T], ident: Any) -> T:
    """Load a record of the signed-in user's organization; 404 for anything else, so the
    existence of another organization's records is not revealed."""
    record = get_session().get(model, ident)
    owner = record and record.organization_id  # type: ignore[attr-defined]  # org-owned models
    if record is None or owner != g.user.organization_id:
        abort(404)
    return record


def require_owner_or_clerk(created_by_id: int | None, denied_status: int) -> None:
    """Staff reach only what they created; clerks and admins reach all of their organization's."""
    if not g.user.is_clerk and created_by_id != g.user.id:
        abort(denied_status)
