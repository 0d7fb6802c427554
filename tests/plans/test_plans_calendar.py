"""The deadlines calendar and its iCalendar feed."""

from __future__ import annotations

import re
from datetime import date
from datetime import timedelta

import icalendar
import pytest

from services.ics import Event
from services.ics import build_calendar
from services.recurrence import next_occurrence
from services.recurrence import rule_for
from storage.models import CalendarFeed
from storage.models import Deadline
from storage.models import User

TODAY = date.today()


@pytest.fixture
def items(app, world):
    """Deadlines of the first school (overdue, next month, assigned to staff, done) and one of
    the other school."""
    specs = {
        "overdue": dict(what="Nộp báo cáo quý", due_date=TODAY - timedelta(days=3)),
        "soon": dict(what="Gửi đăng ký thi đua", due_date=TODAY + timedelta(days=2)),
        "later": dict(
            what="Kiểm tra hồ sơ; đợt 1, khối 6",
            due_date=TODAY + timedelta(days=40),
            end_date=TODAY + timedelta(days=45),
        ),
        "staff": dict(
            what="Báo cáo sơ kết", due_date=TODAY + timedelta(days=5), assignee_id=world["staff"]
        ),
        "yearly": dict(
            what="Gửi hồ sơ khen thưởng", due_date=date(2021, 3, 10), recurrence="yearly"
        ),
        "done": dict(what="Việc đã xong", due_date=TODAY - timedelta(days=1), done=True),
    }
    ids = {}
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for key, spec in specs.items():
            row = Deadline(organization_id=world["school"], **spec)
            session.add(row)
            session.flush()
            ids[key] = row.id
        other = Deadline(organization_id=world["other"], what="Việc trường khác", due_date=TODAY)
        session.add(other)
        session.flush()
        ids["other"] = other.id
    return ids


def test_calendar_groups_by_month_and_highlights_overdue(client, auth, items):
    auth.login("clerk")
    html = client.get("/lich-han/").get_data(as_text=True)
    overdue = html.split("Quá hạn (")[1].split("</section>")[0]
    assert "Nộp báo cáo quý" in overdue and "Quá hạn 3 ngày" in overdue
    assert "Gửi đăng ký thi đua" not in overdue
    soon = TODAY + timedelta(days=2)
    assert f"Tháng {soon.month}/{soon.year}" in html
    later = TODAY + timedelta(days=40)
    assert f"Tháng {later.month}/{later.year}" in html
    assert "Việc trường khác" not in html
    # A yearly item from 2021 shows its next occurrence, not as overdue.
    upcoming = (
        date(TODAY.year, 3, 10) if date(TODAY.year, 3, 10) >= TODAY else date(TODAY.year + 1, 3, 10)
    )
    assert f"{upcoming:%d/%m/%Y}" in html and "Hằng năm" in html
    assert "Việc đã xong" in html.split("Đã hoàn thành")[1]


def test_clerk_marks_done_and_undoes(app, client, auth, items):
    auth.login("clerk")
    assert client.post(f"/lich-han/{items['soon']}/xong", data={"done": "1"}).status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        row = session.get(Deadline, items["soon"])
        assert row.done and row.done_at is not None
    client.post(f"/lich-han/{items['soon']}/xong", data={"done": "0"})
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        row = session.get(Deadline, items["soon"])
        assert not row.done and row.done_at is None and row.done_by_id is None


def test_assign_only_to_a_user_of_the_organization(app, client, auth, items, world):
    auth.login("clerk")
    field = f"d{items['soon']}-assignee"
    client.post(f"/lich-han/{items['soon']}/giao", data={field: str(world["other_staff"])})
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Deadline, items["soon"]).assignee_id is None
    client.post(f"/lich-han/{items['soon']}/giao", data={field: str(world["staff2"])})
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Deadline, items["soon"]).assignee_id == world["staff2"]
    assert client.post(f"/lich-han/{items['other']}/giao", data={}).status_code == 404


def test_staff_read_the_calendar_and_filter_their_own_items(client, auth, items):
    auth.login("staff")
    html = client.get("/lich-han/").get_data(as_text=True)
    assert "Gửi đăng ký thi đua" in html and "Báo cáo sơ kết" in html
    assert "calendar.toggle_done" not in html and "/xong" not in html and "/giao" not in html
    mine = client.get("/lich-han/?loc=cua-toi").get_data(as_text=True)
    assert "Báo cáo sơ kết" in mine and "Gửi đăng ký thi đua" not in mine
    assert client.post(f"/lich-han/{items['staff']}/xong", data={"done": "1"}).status_code == 403


def _feed_token(app, client, auth, key="clerk") -> str:
    auth.login(key)
    client.post("/lich-han/lien-ket-lich")
    html = client.get("/lich-han/").get_data(as_text=True)
    auth.logout()
    return re.search(r"/lich/([A-Za-z0-9_-]+)\.ics", html).group(1)


def test_ics_feed_works_without_a_session_and_parses_back(app, client, auth, items):
    token = _feed_token(app, client, auth)
    response = client.get(f"/lich/{token}.ics")  # logged out: the token is the key
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.data
    assert all(line.endswith(b"\r") for line in body.split(b"\n")[:-1])
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert "Việc trường khác" not in events and "Việc đã xong" not in events
    assert "✓ Việc đã xong" in events  # done: kept, marked, as the page shows it
    later = events["Kiểm tra hồ sơ; đợt 1, khối 6"]  # ; and , survive escaping
    assert later["DTSTART"].dt == TODAY + timedelta(days=40)
    assert later["DTEND"].dt == TODAY + timedelta(days=46)  # exclusive end
    yearly = events["Gửi hồ sơ khen thưởng"]
    assert yearly["DTSTART"].dt == date(2021, 3, 10)
    assert yearly["RRULE"]["FREQ"] == ["YEARLY"]
    assert "Người phụ trách: Nguyễn Thị Ánh" in str(events["Báo cáo sơ kết"]["DESCRIPTION"])
    assert len({str(e["UID"]) for e in events.values()}) == len(events)
    assert all("DTSTAMP" in e for e in events.values())


def test_regenerating_the_token_kills_the_old_link(app, client, auth, items):
    old = _feed_token(app, client, auth)
    new = _feed_token(app, client, auth)
    assert old != new
    assert client.get(f"/lich/{old}.ics").status_code == 404
    assert client.get(f"/lich/{new}.ics").status_code == 200
    assert client.get("/lich/khong-co.ics").status_code == 404


def test_feed_of_a_deactivated_user_stops(app, client, auth, items, world):
    token = _feed_token(app, client, auth, "staff")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.query(CalendarFeed).filter_by(user_id=world["staff"]).count() == 1
        session.get(User, world["staff"]).active = False
    assert client.get(f"/lich/{token}.ics").status_code == 404


def test_text_is_escaped_and_folded_at_75_octets_without_splitting_a_character():
    summary = "a\\b;c,d\ne " + "Hưởng ứng phong trào thi đua “Đổi mới, sáng tạo” " * 4
    body = build_calendar([Event(uid="x@t", start=date(2025, 1, 10), summary=summary)], name="L")
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert [line.decode("utf-8") for line in lines]  # no UTF-8 character cut in two
    assert b"SUMMARY:a\\\\b\\;c\\,d\\ne" in body
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary


@pytest.mark.parametrize(
    ("recurrence", "expected"),
    [
        ("yearly", {"FREQ": ["YEARLY"]}),
        ("quarterly", {"FREQ": ["MONTHLY"], "INTERVAL": [3]}),
        ("monthly", {"FREQ": ["MONTHLY"]}),
        ("weekly", {"FREQ": ["WEEKLY"]}),
    ],
)
def test_recurrences_become_rrules(recurrence, expected):
    rule = rule_for(recurrence, date(2025, 1, 10))
    body = build_calendar(
        [Event(uid="x@t", start=date(2025, 1, 10), summary="Báo cáo", rule=rule)],
        name="Lịch",
    )
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert dict(event["RRULE"]) == expected
    assert b"DTSTART;VALUE=DATE:20250110\r\n" in body
    assert b"DTEND;VALUE=DATE:20250111\r\n" in body


@pytest.mark.parametrize(
    ("recurrence", "start", "today", "expected"),
    [
        ("yearly", date(2021, 3, 10), date(2025, 3, 11), date(2026, 3, 10)),
        ("yearly", date(2021, 3, 10), date(2025, 3, 10), date(2025, 3, 10)),
        ("quarterly", date(2025, 1, 10), date(2025, 5, 1), date(2025, 7, 10)),
        ("monthly", date(2025, 1, 31), date(2025, 2, 5), date(2025, 2, 28)),  # the 31st: last day
        ("monthly", date(2025, 1, 30), date(2025, 2, 5), date(2025, 2, 28)),  # the 30th too
        ("monthly", date(2025, 1, 30), date(2025, 3, 1), date(2025, 3, 30)),
        ("quarterly", date(2025, 6, 30), date(2025, 11, 1), date(2025, 12, 31)),
        ("weekly", date(2025, 1, 6), date(2025, 1, 15), date(2025, 1, 20)),
        ("", date(2025, 1, 6), date(2025, 1, 15), None),  # a one-off item, past
    ],
)
def test_next_occurrence(recurrence, start, today, expected):
    assert next_occurrence(start, rule_for(recurrence, start), today) == expected
