"""The .ics feed and the calendar page describe the same days.

A plan with monthly-31, monthly-30, end-of-month, quarterly, weekly and yearly items is
pasted, parsed by the worker, reviewed through the real form and confirmed; one occurrence
is marked done. The feed is read the way subscribed programs read it (``icalendar`` +
``recurring-ical-events``) and compared, day by day over two years, with the page's month
views.
"""

from __future__ import annotations

import re
from datetime import date

import icalendar
import lxml.html
import pytest
import recurring_ical_events

from storage.models import Deadline
from storage.models import Round
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import paste
from tests.support import drain_queue

PLAN = """SỞ GD&ĐT BÌNH DƯƠNG
PHÒNG GIÁO DỤC VÀ ĐÀO TẠO BẾN CÁT
Số: 21/KH-PGDĐT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bến Cát, ngày 20 tháng 11 năm 2026

KẾ HOẠCH
Chế độ báo cáo giai đoạn 2026-2028

Phòng Giáo dục và Đào tạo xây dựng kế hoạch như sau:
I. TỔ CHỨC THỰC HIỆN
1. Các trường nộp báo cáo thống kê ngày 31 hằng tháng.
2. Các trường nộp sổ theo dõi ngày 30 hằng tháng.
3. Các trường cập nhật cơ sở dữ liệu vào cuối mỗi tháng.
4. Các trường gửi báo cáo quý trước ngày 31/12 hằng quý.
5. Các trường họp giao ban thứ Hai hằng tuần.
6. Các trường gửi hồ sơ khen thưởng trước ngày 10/3 hằng năm.

Nơi nhận:
- Các trường THCS;
- Lưu: VT.
TRƯỞNG PHÒNG
Nguyễn Văn Bình
"""
KINDS = {
    "thống kê": "monthly-31",
    "sổ theo dõi": "monthly-30",
    "cơ sở dữ liệu": "end-of-month",
    "báo cáo quý": "quarterly",
    "giao ban": "weekly",
    "khen thưởng": "yearly",
}
FIRST, LAST = date(2027, 1, 1), date(2028, 12, 31)
DONE_DAY = date(2027, 2, 28)  # the monthly-31 item's February occurrence


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _confirm_through_the_review_form(clerk, incoming_id: int) -> None:
    """Post the review form as a browser would: every field the page holds, hidden ones too."""
    html = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    form = next(f for f in lxml.html.fromstring(html).forms if f.action.endswith("/ra-soat"))
    data = dict(form.form_values()) | {"confirm": "y"}
    response = clerk.post(f"/van-ban-den/{incoming_id}/ra-soat", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _setup(app, client, auth, world) -> dict[str, int]:
    """Paste, parse, confirm the plan; add a round in the window; return kind → deadline id."""
    auth.login("clerk")
    incoming_id = incoming_id_of(paste(client, PLAN))
    drain_queue(app)
    _confirm_through_the_review_form(client, incoming_id)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.query(Deadline).filter_by(incoming_id=incoming_id).all()
        ids = {kind: r.id for r in rows for key, kind in KINDS.items() if key in r.what}
        session.add(
            Round(
                organization_id=world["school"], name="Năm học 2027-2028",
                school_year="2027-2028", reference_date=date(2028, 5, 31),
                ruleset_id="ND152_2025",
                registration_opens=date(2027, 9, 25), registration_closes=date(2027, 10, 5),
                nomination_opens=date(2028, 4, 28), nomination_closes=date(2028, 5, 10),
            )
        )  # fmt: skip
    assert sorted(ids) == sorted(KINDS.values())
    return ids


def _page_occurrences(client, first: date, last: date) -> set[tuple[str, date, bool]]:
    """(item, first day, done) of every row of the page's month views."""
    found = set()
    for month in _months(first, last):
        html = client.get(f"/lich-han/?thang={month}").get_data(as_text=True)
        view = html.split('class="card month month-view"')[1].split("</section>")[0]
        for row in lxml.html.fromstring(view).iter("tr"):
            if row.get("data-day") is None:
                continue
            item = row.get("data-deadline") or "round-" + row.get("data-round")
            day = date.fromisoformat(row.get("data-day"))
            # A window that overlaps the month it begins before shows in both months.
            found.add((item, day, row.get("data-done") == "1"))
    return found


def _feed(client, auth) -> bytes:
    client.post("/lich-han/lien-ket-lich")
    html = client.get("/lich-han/").get_data(as_text=True)
    token = re.search(r"/lich/([A-Za-z0-9_-]+)\.ics", html).group(1)
    auth.logout()
    body = client.get(f"/lich/{token}.ics").data
    auth.login("clerk")
    return body


def _feed_occurrences(body: bytes, first: date, last: date) -> set[tuple[str, date, bool]]:
    calendar = icalendar.Calendar.from_ical(body)
    found = set()
    for event in recurring_ical_events.of(calendar).between(
        first, date.fromordinal(last.toordinal() + 1)
    ):
        uid = str(event["UID"])
        match = re.fullmatch(r"deadline-(\d+)@.+|round-(\d+-[a-z-]+)@.+", uid)
        assert match, uid
        item = match[1] or "round-" + match[2]
        found.add((item, event["DTSTART"].dt, str(event["SUMMARY"]).startswith("✓ ")))
    return found


@pytest.fixture
def plan(app, client, auth, world):
    ids = _setup(app, client, auth, world)
    response = client.post(
        f"/lich-han/{ids['monthly-31']}/xong", data={"done": "1", "day": DONE_DAY.isoformat()}
    )
    assert response.status_code == 302
    return ids


def test_feed_and_page_give_the_same_occurrences_over_two_years_with_one_done(client, auth, plan):
    page = _page_occurrences(client, FIRST, LAST)
    feed = _feed_occurrences(_feed(client, auth), FIRST, LAST)
    assert feed == page
    kinds = {str(v): k for k, v in plan.items()}
    counts = {}
    for item, _, _ in page:
        counts[kinds.get(item, "round")] = counts.get(kinds.get(item, "round"), 0) + 1
    assert counts == {
        "monthly-31": 24, "monthly-30": 24, "end-of-month": 24, "quarterly": 8,
        "weekly": 104, "yearly": 2, "round": 2,
    }  # fmt: skip
    done = {(item, day) for item, day, is_done in page if is_done}
    assert done == {(str(plan["monthly-31"]), DONE_DAY)}


def test_month_days_keep_their_meaning_in_short_months(client, auth, plan):
    feed = _feed_occurrences(_feed(client, auth), FIRST, LAST)

    def days(kind: str) -> list[date]:
        return sorted(day for item, day, _ in feed if item == str(plan[kind]))

    # "ngày 31" first fell on 30 November 2026 and still means the last day of each month.
    assert days("monthly-31")[:4] == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)
    ]  # fmt: skip
    assert days("end-of-month") == days("monthly-31")
    # "ngày 30": the 30th, or February's last day (29 in the leap year 2028).
    monthly_30 = days("monthly-30")
    assert date(2027, 2, 28) in monthly_30 and date(2028, 2, 29) in monthly_30
    assert date(2027, 1, 30) in monthly_30 and date(2027, 3, 30) in monthly_30
    assert days("quarterly")[:4] == [
        date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31)
    ]  # fmt: skip
    assert days("yearly") == [date(2027, 3, 10), date(2028, 3, 10)]
    assert {d.weekday() for d in days("weekly")} == {0}


def test_series_end_with_the_plans_period(client, auth, plan):
    body = _feed(client, auth)
    assert b"UNTIL=20281231" in body
    after = _feed_occurrences(body, date(2029, 1, 1), date(2030, 12, 31))
    assert after == set()
    assert _page_occurrences(client, date(2029, 1, 1), date(2029, 2, 28)) == set()


def test_one_occurrence_done_leaves_the_rest_of_the_series_open(app, client, auth, plan):
    body = _feed(client, auth)
    calendar = icalendar.Calendar.from_ical(body)
    series = [
        e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith(f"deadline-{plan['monthly-31']}@")
    ]
    master = next(e for e in series if "RECURRENCE-ID" not in e)
    override = next(e for e in series if "RECURRENCE-ID" in e)
    assert str(master["SUMMARY"]) == "Các trường nộp báo cáo thống kê"
    assert master["RRULE"]["BYMONTHDAY"] == [-1]
    assert override["RECURRENCE-ID"].dt == DONE_DAY
    assert str(override["SUMMARY"]) == "✓ Các trường nộp báo cáo thống kê"
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert not session.get(Deadline, plan["monthly-31"]).done
    # Opening it again removes the override; a day that is no occurrence is refused.
    url = f"/lich-han/{plan['monthly-31']}/xong"
    assert client.post(url, data={"done": "0", "day": DONE_DAY.isoformat()}).status_code == 302
    assert client.post(url, data={"done": "1", "day": "2027-02-27"}).status_code == 400
    assert b"RECURRENCE-ID" not in _feed(client, auth)


def test_uids_and_links_follow_public_url_never_the_host_header(app, client, auth, plan):
    client.post("/lich-han/lien-ket-lich")
    html = client.get("/lich-han/").get_data(as_text=True)
    assert "PUBLIC_URL" in html  # unset: the page warns that its link follows the request
    token = re.search(r"/lich/([A-Za-z0-9_-]+)\.ics", html)[1]

    def feed(host: str) -> list[icalendar.Event]:
        body = client.get(f"/lich/{token}.ics", headers={"Host": host}).data
        return icalendar.Calendar.from_ical(body).walk("VEVENT")

    uids = sorted(str(e["UID"]) for e in feed("localhost"))
    assert all(u.endswith("@vanthu.invalid") for u in uids)
    assert sorted(str(e["UID"]) for e in feed("10.0.0.7:8000")) == uids
    app.config["PUBLIC_URL"] = "https://vanthu.truong.edu.vn/"
    html = client.get("/lich-han/").get_data(as_text=True)
    assert f"https://vanthu.truong.edu.vn/lich/{token}.ics" in html
    assert "PUBLIC_URL" not in html
    events = feed("10.0.0.7:8000")
    assert sorted(str(e["UID"]) for e in events) == [
        u.replace("@vanthu.invalid", "@vanthu.truong.edu.vn") for u in uids
    ]
    assert all(str(e["URL"]).startswith("https://vanthu.truong.edu.vn/lich-han/") for e in events)
