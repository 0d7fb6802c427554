"""Authorization rows for the plans pages (merged into test_authorization.MATRIX)."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from storage.files import save_file
from storage.models import CalendarFeed
from storage.models import Deadline
from storage.models import IncomingDocument
from storage.models import IncomingPage

LOGIN = 302


def _clerks(status: int, *, other: int = 404) -> dict[str, int]:
    """Clerks and admins of the first school get ``status``; staff 403; the other school's
    clerk ``other`` (404 for a record of the first school)."""
    return {
        "anonymous": LOGIN,
        "staff": 403,
        "staff2": 403,
        "clerk": status,
        "admin": status,
        "other_clerk": other,
    }


ROWS: dict = {
    "plans.index": ("GET", "/van-ban-den/", _clerks(200, other=200)),
    # An empty upload is refused with a message (400), for any clerk.
    "plans.upload": ("POST", "/van-ban-den/tai-len", _clerks(400, other=400)),
    "plans.detail": ("GET", "/van-ban-den/{incoming}", _clerks(200)),
    "plans.review": ("POST", "/van-ban-den/{incoming}/ra-soat", _clerks(302)),
    "plans.page_image": ("GET", "/van-ban-den/{incoming}/trang-1.png", _clerks(200)),
    "plans.download": ("GET", "/van-ban-den/{incoming}/tep", _clerks(200)),
    "plans.reparse": ("POST", "/van-ban-den/{incoming}/doc-lai", _clerks(302)),
    "plans.draft": ("POST", "/van-ban-den/{incoming}/lap-ke-hoach", _clerks(302)),
    "plans.api_upload": ("POST", "/api/van-ban-den", {**_clerks(400, other=400), "anonymous": 401}),
    "plans.api_detail": ("GET", "/api/van-ban-den/{incoming}", {**_clerks(200), "anonymous": 401}),
    "calendar.index": (
        "GET",
        "/lich-han/",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "staff2": 200,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 200,
        },
    ),  # fmt: skip
    "calendar.toggle_done": ("POST", "/lich-han/{deadline}/xong", _clerks(302)),
    "calendar.assign": ("POST", "/lich-han/{deadline}/giao", _clerks(302)),
    "calendar.regenerate_feed": (
        "POST",
        "/lich-han/lien-ket-lich",
        {
            "anonymous": LOGIN,
            "staff": 302,
            "staff2": 302,
            "clerk": 302,
            "admin": 302,
            "other_clerk": 302,
        },
    ),  # fmt: skip
    # No session needed: calendar apps subscribe with the secret token alone.
    "calendar.feed": (
        "GET",
        "/lich/{feed_token}.ics",
        {
            "anonymous": 200,
            "staff": 200,
            "staff2": 200,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 200,
        },
    ),  # fmt: skip
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 56), "white").save(out, format="PNG")
    return out.getvalue()


def targets(app, world) -> dict:
    """Records the rows' paths refer to, created in the first school."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        source = save_file(
            session,
            organization_id=world["school"],
            content="KẾ HOẠCH\nThử\n".encode(),
            original_name="kế hoạch.txt",
            mime_type="text/plain",
            created_by_id=world["clerk"],
        )
        incoming = IncomingDocument(
            organization_id=world["school"],
            file_id=source.id,
            status="parsed",
            extracted={"title": "Kế hoạch thử", "deadlines": [], "text": []},
            corrections={},
            created_by_id=world["clerk"],
            page_count=1,
        )
        session.add(incoming)
        session.flush()
        image = save_file(
            session,
            organization_id=world["school"],
            content=_png(),
            original_name="trang-1.png",
            mime_type="image/png",
        )
        session.add(
            IncomingPage(incoming_id=incoming.id, page=1, file_id=image.id, width=40, height=56)
        )
        deadline = Deadline(
            organization_id=world["school"],
            incoming_id=incoming.id,
            what="Gửi báo cáo",
            due_date=date(2025, 3, 10),
        )
        session.add(deadline)
        feed = CalendarFeed(
            organization_id=world["school"], user_id=world["clerk"], token="thu-token-bi-mat-123"
        )
        session.add(feed)
        session.flush()
        return {"incoming": incoming.id, "deadline": deadline.id, "feed_token": feed.token}
