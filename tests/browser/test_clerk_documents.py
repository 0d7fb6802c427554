"""A clerk, in a real browser: writes a Công văn, waits while the worker renders it, issues it
and finds it with its number in the Sổ văn bản đi."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path

import docx
import pytest

from tests.browser.conftest import Person
from views.formatting import VIETNAM

pytestmark = pytest.mark.slow

SUMMARY = "V/v tổ chức Hội giảng chào mừng ngày Nhà giáo Việt Nam 20/11"
BODY = (
    "Thực hiện kế hoạch năm học 2025-2026, Trường THCS Mỹ Thạnh tổ chức Hội giảng "
    "chào mừng Ngày Nhà giáo Việt Nam 20/11.\n"
    "Mỗi tổ chuyên môn đăng ký ít nhất hai tiết dạy, gửi về Văn phòng trước ngày 05/11.\n"
    "Đề nghị các tổ trưởng triển khai thực hiện./."
)


def test_clerk_writes_issues_a_cong_van_and_finds_it_in_the_register(person: Person) -> None:
    page = person.page
    expect = pytest.importorskip("playwright.sync_api").expect
    person.login("clerk")

    person.nav("Văn bản đi")
    person.shot("van-ban-di")
    page.get_by_role("link", name="Soạn văn bản mới").click()
    expect(page.get_by_role("heading", name="Soạn văn bản mới")).to_be_visible()
    person.shot("chon-loai")
    page.get_by_role("link", name="Công văn", exact=True).click()
    expect(page.get_by_role("heading", name="Soạn văn bản mới: Công văn")).to_be_visible()

    form = page.locator("form.document-form")
    form.get_by_label("Trích yếu nội dung").fill(SUMMARY)
    form.get_by_label("Kính gửi").fill("Các tổ chuyên môn\nTổ Văn phòng")
    form.get_by_label("Nơi nhận").fill("Ban Giám hiệu\nBan Chấp hành Công đoàn")
    form.get_by_label("Chức vụ người ký").fill("Hiệu trưởng")
    form.get_by_label("Họ và tên người ký").fill("Nguyễn Văn Giàu")
    form.get_by_label("Nội dung *", exact=True).fill(BODY)
    person.shot("cong-van-da-dien")
    form.get_by_role("button", name="Lưu dự thảo và soạn văn bản").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lưu dự thảo")
    expect(page.get_by_role("heading", name="Công văn")).to_be_visible()
    person.shot("dang-soan")

    person.wait_for_jobs()
    expect(page.get_by_role("link", name="Tải bản Word (.docx)")).to_be_visible()
    expect(page.get_by_role("link", name="Tải bản PDF")).to_be_visible()
    preview = page.locator("aside.doc-preview img")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("dl.facts")).to_contain_text("Dự thảo")
    person.shot("du-thao-xong")

    # Phát hành: the next number of this year's register, dated today.
    issue = page.locator("form.issue-form")
    # The office's today (Vietnam time), which is tomorrow in UTC after 17:00.
    today = datetime.now(VIETNAM).date()
    expect(issue.get_by_label("Ngày phát hành")).to_have_value(today.strftime("%d/%m/%Y"))
    issue.get_by_role("button", name="Phát hành và cấp số").click()
    flash = page.locator(".flash.success")
    expect(flash).to_contain_text("Đã phát hành: số ")
    number = re.search(r"số (\S+)", flash.inner_text()).group(1)
    # NĐ 30: a công văn's symbol is the issuer's abbreviation, with no type code.
    assert re.fullmatch(r"\d{2,}/THCSMT(-\w+)?", number), number
    person.shot("da-phat-hanh")
    person.wait_for_jobs()
    expect(page.get_by_role("heading", name=re.compile(r"^Công văn số "))).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Đã phát hành")
    person.shot("ban-chinh-thuc")

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản Word (.docx)").click()
    download = info.value
    name = unicodedata.normalize("NFC", download.suggested_filename)
    assert name.endswith(".docx") and re.search(r"[^\x00-\x7f]", name), name
    text = "\n".join(p.text for p in docx.Document(Path(download.path())).paragraphs)
    assert "Hội giảng" in text

    # The register lists it with its number, summary and signer.
    person.nav("Sổ văn bản đi")
    expect(page.get_by_role("heading", name=f"Sổ đăng ký văn bản đi năm {today.year}"))
    row = page.locator("table.register tbody tr", has_text=SUMMARY)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Công văn")
    expect(row).to_contain_text("Nguyễn Văn Giàu")
    expect(row).to_contain_text("Đã phát hành")
    expect(row.locator("td").nth(0)).to_have_text(number.split("/")[0])
    expect(row.locator("td").nth(1)).to_contain_text("THCSMT")
    person.shot("so-van-ban-di")
    person.assert_clean_console()
