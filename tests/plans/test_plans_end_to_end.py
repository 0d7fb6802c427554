"""From a real plan PDF to the school's own plan: upload → worker → review → calendar → .ics →
draft → rendered document. Real corpus files, real Redis, a real RQ worker, real LibreOffice."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import icalendar
import pytest
from sqlalchemy import select

from storage.models import Deadline
from storage.models import Document
from tests.plans.conftest import corpus_pdf
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import load
from tests.plans.conftest import upload
from tests.support import drain_queue as work


class ReviewFormReader(HTMLParser):
    """The fields a browser would submit from the review form (its current values)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "review-form" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("checkbox", "submit"):
            self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def review_form(html: str) -> dict[str, str]:
    reader = ReviewFormReader()
    reader.feed(html)
    # A browser drops the newline right after <textarea>.
    return {k: v[1:] if v.startswith("\n") else v for k, v in reader.data.items()}


def _run_flow(app, clerk, filename: str) -> None:
    incoming_id = incoming_id_of(upload(clerk, corpus_pdf(filename), filename))
    work(app)
    incoming = load(app, incoming_id)
    assert incoming.status == "parsed", incoming.error
    assert incoming.extracted["symbol"] == "KH-THCSMT"

    # Review: the page's own form, with one field corrected, then confirmed.
    html = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    assert "trang-1.png" in html and 'class="line-box"' in html
    data = review_form(html)
    assert data["symbol"] == "KH-THCSMT"
    data["number"] = "27"  # the number was left blank in the PDF; the clerk knows it
    data["confirm"] = "y"
    response = clerk.post(f"/van-ban-den/{incoming_id}/ra-soat", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    incoming = load(app, incoming_id)
    assert incoming.status == "confirmed"
    assert incoming.corrections == {"number": "27"}  # nothing else changed on the way

    # The calendar lists the four yearly deadlines of the plan, linked to their source.
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = list(session.scalars(select(Deadline).order_by(Deadline.due_date)))
    assert [(r.due_date.month, r.due_date.day, r.recurrence) for r in rows] == [
        (3, 10, "yearly"),
        (5, 10, "yearly"),
        (9, 10, "yearly"),
        (12, 10, "yearly"),
    ]
    calendar_page = clerk.get("/lich-han/").get_data(as_text=True)
    assert "Hằng năm" in calendar_page
    assert f"/van-ban-den/{incoming_id}#l-{rows[0].source_page}-{rows[0].source_line}" in (
        calendar_page
    )
    assert "Kế hoạch số 27/KH-THCSMT" in calendar_page

    # The .ics feed, without a session, carries the yearly rules.
    clerk.post("/lich-han/lien-ket-lich")
    token = re.search(
        r"/lich/([A-Za-z0-9_-]+)\.ics", clerk.get("/lich-han/").get_data(as_text=True)
    ).group(1)
    anonymous = app.test_client()
    feed = anonymous.get(f"/lich/{token}.ics")
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.data).walk("VEVENT")
    # The plan's four deadlines (the round's windows are on the calendar too, as single days).
    deadlines = [e for e in events if "@vanthu" in str(e["UID"]) and "RRULE" in e]
    assert len(deadlines) == 4
    assert all(e["RRULE"]["FREQ"] == ["YEARLY"] for e in deadlines)
    assert all("#dot-" in str(e["URL"]) for e in events if "RRULE" not in e)

    # One click drafts the school's plan, which the worker renders.
    response = clerk.post(f"/van-ban-den/{incoming_id}/lap-ke-hoach")
    assert response.status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.scalar(select(Document))
        document_id = document.id
        assert document.header_fields["can_cu"][0].startswith(
            "Căn cứ Kế hoạch số 27/KH-THCSMT của Trường THCS Mỹ Thạnh về thực hiện công tác"
        )
    assert response.headers["Location"].endswith(f"/van-ban/{document_id}")
    work(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert document.render_status == "done", document.render_error
        assert document.docx_file_id is not None
    page = clerk.get(f"/van-ban/{document_id}")
    assert page.status_code == 200


@pytest.mark.slow
def test_clean_pdf_from_upload_to_rendered_plan(app, clerk):
    _run_flow(app, clerk, "seed-000.clean.pdf")


@pytest.mark.slow
def test_scanned_pdf_from_upload_to_rendered_plan(app, clerk):
    _run_flow(app, clerk, "seed-000.scan.pdf")
