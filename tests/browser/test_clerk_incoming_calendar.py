"""A clerk, in a real browser, from an uploaded PDF plan to a subscribed calendar: uploads a
Sở's plan whose lists are due every quarter, waits while the worker reads it, confirms it,
registers it in the sổ văn bản đến, hands it to a teacher with a handling deadline, marks
one quarter done on the calendar, then fetches the feed as a calendar app would and reads it
with icalendar + recurring-ical-events: the quarter done is overridden (RECURRENCE-ID, "✓ ")
and every other quarter is still due. The register and the calendar are photographed at
phone (360 px) and desktop (1366 px) widths, and so are the registration form and the line."""

from __future__ import annotations

import re
import urllib.request
from datetime import date
from datetime import timedelta

import pytest
from dateutil.rrule import MONTHLY
from dateutil.rrule import rrule

from tests.browser.conftest import Person
from tests.shared_data import corpus_file

pytestmark = pytest.mark.slow

# seed-002: "Định kỳ, từ ngày 15 đến ngày 20 tháng cuối mỗi quý" in a plan for 2023–2025.
QUARTERLY = "gửi danh sách điển hình tiên tiến"
QUARTERS = [d.date() for d in rrule(MONTHLY, interval=3, dtstart=date(2023, 3, 15),
                                    until=date(2025, 12, 31))]  # fmt: skip
HANDLING_DUE = date.today() + timedelta(days=10)
PHONE, DESKTOP = {"width": 360, "height": 780}, {"width": 1366, "height": 900}


def _fits_the_screen(person: Person) -> bool:
    return bool(person.page.evaluate("document.documentElement.scrollWidth <= innerWidth"))


def _photograph(person: Person, name: str) -> None:
    """The page at phone and desktop widths; on the phone nothing may need sideways scroll."""
    page = person.page
    page.set_viewport_size(PHONE)
    person.shot(f"{name}-360")
    assert _fits_the_screen(person), f"{name}: trang rộng hơn màn hình điện thoại 360 px"
    page.set_viewport_size(DESKTOP)
    person.shot(f"{name}-1366")


def test_clerk_registers_a_pdf_plan_assigns_it_and_one_quarter_done_reaches_the_feed(
    person: Person,
) -> None:
    icalendar = pytest.importorskip("icalendar")
    recurring_ical_events = pytest.importorskip("recurring_ical_events")
    expect = pytest.importorskip("playwright.sync_api").expect
    page = person.page
    page.set_viewport_size(DESKTOP)
    person.login("clerk")

    # Upload the PDF and wait while the worker reads it; confirm what it read.
    person.nav("Văn bản cấp trên")
    upload = page.locator("form.upload-plan")
    upload.get_by_label(re.compile(r"^Tệp văn bản")).set_input_files(
        str(corpus_file("dev", "seed-002.clean.pdf"))
    )
    upload.get_by_role("button", name="Tải lên và đọc").click()
    person.wait_for_jobs()
    review = page.locator("form.review-form")
    expect(review.get_by_label("Ký hiệu", exact=True)).to_have_value("KH-SGDĐT")
    person.shot("da-doc")
    review.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("Đã xác nhận văn bản")

    # Register it from the suggested fields: it gets the next số đến of this year.
    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    form = page.locator("form.incoming-entry")
    expect(form.get_by_label("Tác giả (cơ quan ban hành)")).to_have_value(
        re.compile("Sở Giáo dục và Đào tạo", re.IGNORECASE)
    )
    expect(form.get_by_label("Ngày tháng của văn bản")).to_have_value("08/03/2023")
    _photograph(person, "goi-y-vao-so")
    form.get_by_role("button", name="Vào sổ, cấp số đến").click()
    heading = page.locator("h1")
    expect(heading).to_have_text(re.compile(rf"^Số đến \d{{2}}/{date.today().year}$"))
    number = heading.inner_text().split()[2].split("/")[0]  # "01" of "Số đến 01/2026"

    # Hand it to a teacher with a handling deadline.
    handing = page.locator("form", has=page.get_by_role("heading", name="Giao xử lý"))
    handing.get_by_label(re.compile("^Nguyễn Thị Ánh")).check()
    handing.get_by_label("Hạn giải quyết").fill(HANDLING_DUE.strftime("%d/%m/%Y"))
    handing.get_by_role("button", name="Giao").click()
    expect(page.locator("main")).to_contain_text("Đã giao xử lý")
    _photograph(person, "da-giao")

    person.nav("Sổ văn bản đến")
    line = page.locator("table.incoming-register tr", has_text="KH-SGDĐT")
    expect(line).to_contain_text("Nguyễn Thị Ánh")
    expect(line).to_contain_text(f"Hạn giải quyết {HANDLING_DUE:%d/%m/%Y}")
    _photograph(person, "so-van-ban-den")

    # The calendar: the handling deadline is there; the last quarter of the plan is overdue.
    person.nav("Lịch hạn")
    expect(page.locator(f"tr.deadline[data-day='{HANDLING_DUE.isoformat()}']")).to_contain_text(
        f"Số đến {number}"
    )
    overdue = page.locator("section.overdue-box tr.deadline", has_text=QUARTERLY)
    expect(overdue).to_have_count(1)
    done_day = date.fromisoformat(overdue.get_attribute("data-day") or "")
    assert done_day == QUARTERS[-1]
    overdue.get_by_role("button", name="Xong").click()
    expect(page.locator("section.overdue-box tr.deadline", has_text=QUARTERLY)).to_have_count(0)
    finished = page.locator("details.done-box tr.deadline", has_text=QUARTERLY)
    expect(finished).to_have_count(1)
    expect(finished).to_have_attribute("data-day", done_day.isoformat())

    # Subscribe, and read the feed as a calendar program would (no session).
    # The first link, or a new one if an earlier test of the package made one (the clerk's).
    page.get_by_role("button", name=re.compile(r"^Tạo liên kết (lịch|mới)")).click()
    feed_url = page.get_by_label("Liên kết lịch").input_value()
    page.locator("details.done-box summary").click()
    expect(finished).to_be_visible()
    _photograph(person, "lich-han")

    # The month of the quarter done shows it done, from the same rule.
    series = finished.get_attribute("data-deadline")
    person.open(f"/lich-han/?thang={done_day:%Y-%m}")
    quarter = page.locator(f"tr#han-{series}-{done_day:%Y%m%d}")
    expect(quarter).to_have_attribute("data-done", "1")
    expect(quarter.get_by_role("button", name="Mở lại")).to_be_visible()
    _photograph(person, "lich-thang")
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 (our own test server)
        calendar = icalendar.Calendar.from_ical(response.read())
    events = recurring_ical_events.of(calendar).between(date(2023, 1, 1), date(2027, 1, 1))
    quarters = {
        event.decoded("dtstart"): str(event.get("summary"))
        for event in events
        if QUARTERLY in str(event.get("summary"))
    }
    assert sorted(quarters) == QUARTERS
    assert quarters.pop(done_day).startswith("✓ ")
    assert not any(summary.startswith("✓") for summary in quarters.values())
    overrides = [
        component
        for component in calendar.walk("VEVENT")
        if QUARTERLY in str(component.get("summary")) and component.get("recurrence-id")
    ]
    assert [o.decoded("recurrence-id") for o in overrides] == [done_day]
    handling = [e for e in events if str(e.get("summary")).startswith(f"Số đến {number}")]
    assert [e.decoded("dtstart") for e in handling] == [HANDLING_DUE]
    person.assert_clean_console()
