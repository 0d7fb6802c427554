"""A staff member, in a real browser: registers emulation titles for two people, introduces an
exemplary person with a summary of achievements and an evidence PDF, finds both in "Hồ sơ
của tôi"."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from tests.browser.conftest import Person
from tests.shared_data import corpus_file

pytestmark = pytest.mark.slow

ACHIEVEMENTS = (
    "Đổi mới phương pháp dạy học môn Toán theo hướng phát triển năng lực; "
    "bồi dưỡng 12 học sinh giỏi cấp huyện, 3 em đạt giải cấp tỉnh.\n"
    "Chủ nhiệm lớp 9A3 đạt danh hiệu “Lớp tiên tiến xuất sắc” năm học 2025-2026."
)


def _evidence(tmp_path: Path) -> Path:
    """A real PDF under a Vietnamese file name, as a teacher would keep it."""
    source = corpus_file("dev", "seed-001.clean.pdf")
    target = tmp_path / unicodedata.normalize("NFC", "Giấy chứng nhận học sinh giỏi.pdf")
    shutil.copy(source, target)
    return target


def test_staff_registers_titles_and_nominates_an_exemplary_person(
    person: Person, tmp_path: Path
) -> None:
    page = person.page
    expect = pytest.importorskip("playwright.sync_api").expect
    person.login("staff")
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Ánh")).to_be_visible()
    person.shot("trang-chinh")

    # Đăng ký danh hiệu for two people of the unit; the third row stays blank.
    page.get_by_role("link", name="Đăng ký danh hiệu thi đua").click()
    expect(page.get_by_role("heading", name="Đăng ký danh hiệu thi đua")).to_be_visible()
    rows = page.locator("table.grid tbody tr")
    for index, (name, position, title) in enumerate(
        [
            ("Hoàng Thị Thu Hà", "Giáo viên", "Lao động tiên tiến"),
            ("Đặng Quốc Việt", "Tổ trưởng chuyên môn", "Chiến sĩ thi đua cơ sở"),
        ]
    ):
        row = rows.nth(index)
        row.get_by_label("Họ và tên").fill(name)
        row.get_by_label("Chức vụ").fill(position)
        row.get_by_label("Tổ / bộ phận").fill("Tổ Toán - Tin")
        row.get_by_label("Danh hiệu đăng ký").select_option(label=title)
    person.shot("dang-ky-da-dien")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã đăng ký 2 mục.")
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    person.shot("dang-ky-xong")

    # Giới thiệu điển hình tiên tiến with a summary and a PDF.
    person.nav("Trang chính")
    page.get_by_role("link", name="Giới thiệu điển hình tiên tiến").click()
    expect(page.get_by_role("heading", name="Giới thiệu điển hình tiên tiến")).to_be_visible()
    page.get_by_label("Họ tên cá nhân / tên tập thể").fill("Nguyễn Thị Ánh")
    page.get_by_label("Chức vụ (với cá nhân)").fill("Giáo viên")
    page.get_by_label("Tổ / bộ phận").fill("Tổ Toán - Tin")
    page.get_by_label("Lĩnh vực").fill("Đổi mới phương pháp dạy học")
    page.get_by_label("Tóm tắt thành tích").fill(ACHIEVEMENTS)
    evidence = _evidence(tmp_path)
    page.get_by_label("Minh chứng", exact=True).set_input_files(str(evidence))
    person.shot("dien-hinh-da-dien")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã gửi hồ sơ.")
    main = page.locator("main")
    expect(main).to_contain_text("Nguyễn Thị Ánh")
    expect(main).to_contain_text("12 học sinh giỏi cấp huyện")
    expect(main.get_by_role("link", name=evidence.name)).to_be_visible()
    person.shot("dien-hinh-da-gui")

    # Both registrations and the nomination are listed, waiting for review.
    person.nav("Hồ sơ của tôi")
    table = page.locator("main table.list")
    for name in ("Hoàng Thị Thu Hà", "Đặng Quốc Việt", "Nguyễn Thị Ánh"):
        row = table.locator("tr", has=page.get_by_role("link", name=name, exact=True))
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Đã gửi, chờ xét")
    expect(table.locator("tr", has_text="Hoàng Thị Thu Hà")).to_contain_text("Lao động tiên tiến")
    expect(table.locator("tr", has_text="Đặng Quốc Việt")).to_contain_text("Chiến sĩ thi đua cơ sở")
    expect(table.locator("tr", has_text="Đổi mới phương pháp dạy học")).to_contain_text(
        "Giới thiệu điển hình tiên tiến"
    )
    person.shot("ho-so-cua-toi")

    # The evidence downloads under its Vietnamese name and is the PDF that was sent.
    table.get_by_role("link", name="Nguyễn Thị Ánh", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("link", name=evidence.name).click()
    download = info.value
    assert unicodedata.normalize("NFC", download.suggested_filename) == evidence.name
    assert Path(download.path()).read_bytes() == evidence.read_bytes()
    person.assert_clean_console()
