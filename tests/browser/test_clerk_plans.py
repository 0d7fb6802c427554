"""A clerk, in a real browser: uploads a superior body's plan (PDF), waits while the worker
reads it, corrects a field, confirms, sees its deadlines in the calendar, subscribes to the
.ics feed and fetches it as a calendar app would, and makes the responding draft plan."""

from __future__ import annotations

import re
import unicodedata
import urllib.request

import docx
import pytest

from tests.browser.conftest import Person
from tests.shared_data import corpus_file

pytestmark = pytest.mark.slow

TITLE_START = "Thực hiện công tác tuyên truyền phong trào thi đua yêu nước"
MISREAD, CORRECT = "Đẫy mạnh", "Đẩy mạnh"  # the published text's typo, fixed by the clerk
DEADLINE = "Thời gian gửi hồ sơ"


def _unfold(ics: str) -> str:
    """RFC 5545 content lines folded at 75 octets, joined again."""
    return re.sub(r"\r?\n[ \t]", "", ics)


def test_clerk_reads_a_superior_plan_into_the_calendar_and_drafts_a_plan(person: Person) -> None:
    plan = corpus_file("dev", "seed-000.clean.pdf")
    page = person.page
    expect = pytest.importorskip("playwright.sync_api").expect
    person.login("clerk")

    person.nav("Văn bản cấp trên")
    expect(page.get_by_role("heading", name="Văn bản của cấp trên")).to_be_visible()
    upload = page.locator("form.upload-plan")
    upload.get_by_label(re.compile(r"^Tệp văn bản")).set_input_files(str(plan))
    person.shot("tai-len")
    upload.get_by_role("button", name="Tải lên và đọc").click()
    person.shot("dang-doc")

    # The page follows the parser's progress and reloads itself when it is done.
    person.wait_for_jobs()
    expect(page.locator("h1")).to_contain_text(TITLE_START)
    expect(page.locator("main")).to_contain_text("Chờ rà soát")
    review = page.locator("form.review-form")
    expect(review.get_by_label("Ký hiệu", exact=True)).to_have_value("KH-THCSMT")
    expect(review.get_by_label("Cơ quan ban hành", exact=True)).to_have_value(
        "TRƯỜNG THCS MỸ THẠNH"
    )
    expect(page.locator("figure.page-image img").first).to_be_visible()
    # Drawn on first view (issue 15): the clerk sees the page itself, not a blank frame.
    page.wait_for_function(
        "() => { const i = document.querySelector('figure.page-image img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    person.shot("da-doc")

    # Correct the misspelt movement name, then confirm.
    themes = review.get_by_label("Phong trào, cuộc vận động, chủ đề")
    value = unicodedata.normalize("NFC", themes.input_value())
    assert MISREAD in value, value
    themes.fill(value.replace(MISREAD, CORRECT))
    dates = review.locator(".deadline-row:not(.blank)")
    expect(dates).to_have_count(4)
    expect(dates.first.get_by_label("Lặp lại")).to_have_value("yearly")
    person.shot("da-sua")
    review.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text("Đã xác nhận văn bản")
    themes = page.locator("form.review-form").get_by_label("Phong trào, cuộc vận động, chủ đề")
    expect(themes).to_have_value(re.compile(CORRECT))
    expect(page.locator(".field:has(#themes) .badge.corrected")).to_have_text("đã sửa")
    person.shot("da-xac-nhan")

    # The deadlines are in the calendar, as yearly items pointing back at the plan.
    person.nav("Lịch hạn")
    expect(page.get_by_role("heading", name="Lịch hạn công việc")).to_be_visible()
    rows = page.locator("tr.deadline", has_text=DEADLINE)
    expect(rows.first).to_be_visible()
    expect(rows.first.locator(".badge.recur")).to_be_visible()
    expect(rows.first).to_contain_text("KH-THCSMT (tr. 4, dòng 18)")
    person.shot("lich-han")

    # Subscribe: create the secret link, then fetch it as a calendar app would (no session).
    # The first link, or a new one if an earlier test of the package made one (the clerk's).
    page.get_by_role("button", name=re.compile(r"^Tạo liên kết (lịch|mới)")).click()
    expect(page.locator(".flash.success")).to_contain_text("Đã tạo liên kết lịch mới")
    link = page.get_by_label("Liên kết lịch")
    expect(link).to_have_value(re.compile(r"^http://.+\.ics$"))
    feed_url = link.input_value()
    person.shot("lien-ket-lich")
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 (our own test server)
        assert response.headers.get_content_type() == "text/calendar"
        ics = _unfold(response.read().decode("utf-8"))
    assert ics.startswith("BEGIN:VCALENDAR"), ics[:200]
    assert "RRULE:FREQ=YEARLY" in ics
    assert DEADLINE in ics

    # The responding plan: a draft Kế hoạch citing this one, rendered by the worker.
    person.nav("Văn bản cấp trên")
    page.get_by_role("link", name=re.compile(TITLE_START)).click()
    expect(page.locator("blockquote.citation")).to_contain_text("Căn cứ")
    person.shot("lap-ke-hoach")
    page.get_by_role("button", name="Lập dự thảo kế hoạch").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lập dự thảo kế hoạch")
    person.shot("dang-soan-ke-hoach")
    person.wait_for_jobs()
    expect(page.get_by_role("heading", name="Kế hoạch", exact=True)).to_be_visible()
    expect(page.locator("aside.doc-preview img")).to_be_visible()
    person.shot("du-thao-ke-hoach")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản Word (.docx)").click()
    text = "\n".join(p.text for p in docx.Document(info.value.path()).paragraphs)
    assert "Căn cứ" in text and "KH-THCSMT" in text, text[:800]
    person.assert_clean_console()
