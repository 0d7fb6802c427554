"""Authorization rows for the incoming register (merged into test_authorization.MATRIX).

The register, its export and its forms are for the organization's clerks and admins; a
line is also open to the people it was passed to (``staff`` here), who may move its status;
another organization's clerk gets 404 for a line and sees only their own (empty) register.
"""

from __future__ import annotations

from datetime import date

from services.incoming.entries import EntryData
from services.incoming.handling import assign
from services.incoming.registration import register
from tests.web.authz_plans import _clerks

LOGIN = 302
EVERYONE = {"anonymous": LOGIN, "staff": 200, "staff2": 200, "clerk": 200, "admin": 200,
            "other_clerk": 200}  # fmt: skip


def _handlers(status: int) -> dict[str, int]:
    """As ``_clerks``, and the line's handler (``staff``) gets ``status`` too."""
    return {**_clerks(status), "staff": status}


# Unsafe requests carry no input: a form with messages (400), or a redirect with a message
# (302) where the form is only buttons; "giao" with nobody ticked takes every handler off.
ROWS: dict = {
    "incoming.index": ("GET", "/so-van-ban-den/", _clerks(200, other=200)),
    "incoming.mine": ("GET", "/so-van-ban-den/duoc-giao", EVERYONE),
    "incoming.export": ("GET", "/so-van-ban-den/xuat-excel", _clerks(200, other=200)),
    "incoming.new": ("GET", "/so-van-ban-den/vao-so", _clerks(200, other=200)),
    "incoming.add_copy": ("POST", "/so-van-ban-den/vao-so/gop", _clerks(302, other=302)),
    "incoming.detail": ("GET", "/so-van-ban-den/{entry}", _handlers(200)),
    "incoming.edit": ("GET", "/so-van-ban-den/{entry}/sua", _clerks(200)),
    "incoming.assign": ("POST", "/so-van-ban-den/{entry}/giao", _clerks(302)),
    "incoming.status": ("POST", "/so-van-ban-den/{entry}/tinh-trang", _handlers(400)),
    "incoming.remove": ("POST", "/so-van-ban-den/{entry}/xoa", _clerks(400)),
    "incoming.merge": ("POST", "/so-van-ban-den/{entry}/gop", _clerks(302)),
    # A line without a file: a redirect with a message (the signed case: tests/signatures).
    "incoming.verify_signatures": (
        "POST",
        "/so-van-ban-den/{entry}/kiem-tra-chu-ky",
        _clerks(302),
    ),
}
EXTRA_ROWS: dict = {
    "incoming.new": [("POST", "/so-van-ban-den/vao-so", _clerks(400, other=400))],
    "incoming.edit": [("POST", "/so-van-ban-den/{entry}/sua", _clerks(400))],
}


def targets(app, world) -> dict:
    """A line of the first school's register, passed to ``staff``."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        entry = register(
            session,
            organization_id=world["school"],
            user_id=world["clerk"],
            data=EntryData(received_date=date(2026, 3, 2), reference="45/CV-PGDĐT", summary="Thử"),
        )
        assign(
            session, entry, user_ids=[world["staff"]], deadline=None, assigned_by_id=world["clerk"]
        )
        return {"entry": entry.id}
