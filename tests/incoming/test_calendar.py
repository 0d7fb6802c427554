"""Handling deadlines of registered incoming documents are on the deadlines calendar and in
the .ics feed — for clerks and for the people the document was passed to, nobody else."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import icalendar

from services.incoming.handling import assign
from services.incoming.handling import set_status
from storage.models import CalendarFeed
from storage.models import IncomingEntry

DUE = date.today() + timedelta(days=10)


def _hand_out(app, world, entry_id: int, *users: str) -> None:
    with app.extensions["vanthu.db"].session() as session:
        entry = session.get(IncomingEntry, entry_id)
        ids = [world[u] for u in users]
        assign(session, entry, user_ids=ids, deadline=DUE, assigned_by_id=world["clerk"])


def test_the_handling_deadline_is_on_the_calendar_of_clerks_and_handlers_only(
    app, client, auth, world, make_entry
):
    entry_id = make_entry(reference="45/CV-PGDĐT", summary="Báo cáo Hội khỏe Phù Đổng")
    _hand_out(app, world, entry_id, "staff")
    for role, shown in (
        ("clerk", True),
        ("staff", True),
        ("staff2", False),
        ("other_clerk", False),
    ):
        auth.login(role)
        for url in ("/lich-han/", "/lich-han/?loc=cua-toi", f"/lich-han/?thang={DUE:%Y-%m}"):
            page = client.get(url).get_data(as_text=True)
            mine_only = "loc=" in url and role == "clerk"
            assert ("45/CV-PGDĐT" in page) == (shown and not mine_only), (role, url)
        auth.logout()
    auth.login("clerk")
    page = client.get("/lich-han/").get_data(as_text=True)
    assert f'id="den-{entry_id}"' in page and "Văn bản đến" in page and "Nguyễn Thị Ánh" in page


def test_the_feed_carries_the_handling_deadline_and_drops_it_from_the_page_once_done(
    app, client, auth, world, make_entry
):
    entry_id = make_entry(reference="45/CV-PGDĐT")
    _hand_out(app, world, entry_id, "staff")
    with app.extensions["vanthu.db"].session() as session:
        for user in ("staff", "staff2"):
            session.add(
                CalendarFeed(
                    organization_id=world["school"], user_id=world[user], token=f"t-{user}"
                )
            )
    feed = icalendar.Calendar.from_ical(client.get("/lich/t-staff.ics").data)
    (event,) = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("incoming-")]
    assert str(event["UID"]).startswith(f"incoming-{entry_id}@")
    assert event.decoded("DTSTART") == DUE and "45/CV-PGDĐT" in str(event["SUMMARY"])
    other = icalendar.Calendar.from_ical(client.get("/lich/t-staff2.ics").data)
    assert not [e for e in other.walk("VEVENT") if str(e["UID"]).startswith("incoming-")]
    with app.extensions["vanthu.db"].session() as session:
        set_status(session, session.get(IncomingEntry, entry_id), "done", user_id=world["staff"])
    auth.login("staff")
    assert "45/CV-PGDĐT" not in client.get("/lich-han/").get_data(as_text=True)
    done = icalendar.Calendar.from_ical(client.get("/lich/t-staff.ics").data)
    (event,) = [e for e in done.walk("VEVENT") if str(e["UID"]).startswith("incoming-")]
    assert str(event["SUMMARY"]).startswith("✓")
