"""The incoming register in a real browser: a clerk pastes a superior body's plan, the worker
reads it, the clerk registers it from the suggested fields (số đến), hands it to a teacher
with a deadline; the teacher, on a phone, finds it under "Văn bản được giao", sees it on the
calendar and marks it done."""

from __future__ import annotations

import re
from datetime import date
from datetime import timedelta

import pytest

from tests.browser.conftest import Person
from tests.shared_data import corpus_file

pytestmark = pytest.mark.slow

DUE = date.today() + timedelta(days=12)


def test_clerk_registers_a_pasted_plan_and_a_teacher_handles_it_on_a_phone(
    person: Person,
) -> None:
    plan = corpus_file("partial", "bgddt-kh1611-2022.txt")
    page = person.page
    expect = pytest.importorskip("playwright.sync_api").expect
    person.login("clerk")
    person.nav("Văn bản cấp trên")
    upload = page.locator("form.upload-plan")
    upload.get_by_label("…hoặc dán nội dung văn bản").fill(plan.read_text())
    upload.get_by_role("button", name="Tải lên và đọc").click()
    person.wait_for_jobs()
    person.shot("da-doc")

    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    form = page.locator("form.incoming-entry")
    expect(form.get_by_label("Số, ký hiệu")).to_have_value("1611/KH-BGDĐT")
    expect(form.get_by_label("Ngày tháng của văn bản")).to_have_value("15/11/2022")
    expect(form.get_by_label("Tên loại")).to_have_value("Kế hoạch")
    expect(form.get_by_label("Tác giả (cơ quan ban hành)")).to_have_value("Bộ Giáo dục và Đào tạo")
    form.get_by_label("Hạn giải quyết").fill(DUE.strftime("%d/%m/%Y"))
    person.shot("goi-y")
    form.get_by_role("button", name="Vào sổ, cấp số đến").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Số đến \d{2}/\d{4}$"))
    person.shot("da-vao-so")

    handing = page.locator("form", has=page.get_by_role("heading", name="Giao xử lý"))
    handing.get_by_label(re.compile("^Nguyễn Thị Ánh")).check()
    handing.get_by_role("button", name="Giao").click()
    expect(page.locator("main")).to_contain_text("Đã giao xử lý")
    person.nav("Sổ văn bản đến")
    expect(page.locator("table.incoming-register")).to_contain_text("1611/KH-BGDĐT")
    page.get_by_label("Tìm (không cần dấu)").fill("nong thon moi")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("table.incoming-register")).to_contain_text("Nguyễn Thị Ánh")
    person.shot("so-van-ban-den")
    page.get_by_role("button", name="Đăng xuất").click()

    page.set_viewport_size({"width": 390, "height": 844})
    person.login("staff")
    person.open("/so-van-ban-den/duoc-giao")
    expect(page.locator("main")).to_contain_text("1611/KH-BGDĐT")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    person.shot("duoc-giao-dien-thoai")
    person.open("/lich-han/")
    expect(page.locator("main")).to_contain_text("1611/KH-BGDĐT")
    page.locator("main").get_by_role("link", name="1611/KH-BGDĐT").first.click()
    page.get_by_label("Tình trạng").select_option(label="Đã xong")
    page.get_by_role("button", name="Cập nhật").click()
    expect(page.locator("main")).to_contain_text("Tình trạng: đã xong")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    person.shot("da-xong")
    person.assert_clean_console()
