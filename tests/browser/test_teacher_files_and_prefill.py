"""A teacher's forms in a real browser at 360 × 740 and 1366 × 768: pre-filled with her own
name, position and unit; a .doc evidence file accepted, turned into a PDF by the real worker
(LibreOffice) and opened with "Xem"; the file listed on the edit page and removed; what her
head of unit registered for her shown to her, with the duplicate flagged; and a clerk's
round dates typed day first in an English-language browser. Every page fits the screen.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from sqlalchemy import select

from domain.text import fold
from storage.models import Role
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import User
from tests.browser.conftest import Live
from tests.browser.conftest import Person
from tests.browser.conftest import _test_folder
from tests.browser.conftest import _watch
from tests.browser.conftest import add_registration
from tests.browser.test_teacher_phone import DESKTOP
from tests.browser.test_teacher_phone import PHONE
from tests.browser.test_teacher_phone import _fits
from tests.conftest import _password_hash
from tests.submissions.office_files import office_file

pytestmark = pytest.mark.slow

TEACHER = "mai"  # a teacher of this module only: other modules' lists stay as they expect
TEACHER_NAME, TEACHER_UNIT = "Lương Thị Mai", "Tổ Sinh - Hóa"
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x740", "1366x768"])
LONG_NAME = "giấy chứng nhận giáo viên dạy giỏi cấp trường năm học 2024-2025 (bản chụp lại).doc"


def _expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def teacher_id(live: Live) -> int:
    """Lương Thị Mai, a teacher of the school with an account and no submission yet."""
    with live.app.app_context(), live.app.extensions["vanthu.db"].session() as session:
        user = User(
            organization_id=live.world["school"], email=f"{TEACHER}@truong.edu.vn",
            full_name=TEACHER_NAME, unit=TEACHER_UNIT, role=Role.STAFF.value,
            password_hash=_password_hash(),
        )  # fmt: skip
        session.add(user)
        session.flush()
        return user.id


@pytest.fixture
def tab(browser: Any, live: Live, teacher_id: int, request: pytest.FixtureRequest) -> Iterator[Any]:
    """``tab(key, viewport, locale)``: a fresh browser context of a ``world`` user, signed in;
    its console must stay clean."""
    contexts: list[Any] = []
    people: list[Person] = []
    folder = _test_folder(request)

    def make(key: str, viewport: dict[str, int], locale: str = "vi-VN") -> Person:
        context = browser.new_context(
            base_url=live.url, locale=locale, viewport=viewport, accept_downloads=True
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        who = Person(page=context.new_page(), base_url=live.url, shots=folder)
        _watch(who.page, who.problems)
        who.login(key)
        people.append(who)
        return who

    yield make
    for context in contexts:
        context.close()
    for who in people:
        who.assert_clean_console()


def _download(person: Person, link: Any) -> bytes:
    with person.page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


@VIEWPORTS
def test_a_doc_evidence_file_is_accepted_viewable_as_pdf_and_removable(
    tab: Any, live: Live, viewport: dict[str, int]
) -> None:
    expect = _expect()
    teacher = tab(TEACHER, viewport)
    page = teacher.page
    teacher.open(f"/dot/{live.world['round']}/dien-hinh")
    # pre-filled from her account, editable
    expect(page.get_by_label("Họ tên cá nhân / tên tập thể")).to_have_value(TEACHER_NAME)
    expect(page.get_by_label("Tổ / bộ phận")).to_have_value(TEACHER_UNIT)
    page.get_by_label("Chức vụ (với cá nhân)").fill("Giáo viên")
    page.get_by_label("Lĩnh vực", exact=True).fill("Đổi mới phương pháp dạy học")
    page.get_by_label("Tóm tắt thành tích").fill(
        "Có 3 học sinh đạt giải cấp tỉnh; chủ trì chuyên đề cấp trường."
    )
    original = office_file("doc")
    page.get_by_label("Minh chứng", exact=True).set_input_files(
        {"name": LONG_NAME, "mimeType": "application/msword", "buffer": original}
    )
    _fits(teacher, "điển hình, đã chọn tệp")
    teacher.shot("chon-tep-doc")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã gửi hồ sơ.")
    files = page.locator(".evidence-file")
    expect(files).to_have_count(1)
    expect(files.first).to_contain_text(LONG_NAME)

    teacher.wait_for_jobs()  # the worker's LibreOffice makes the PDF; the page reloads
    view = files.first.get_by_role("link", name="Xem", exact=True)
    expect(view).to_be_visible()
    _fits(teacher, "chi tiết có tệp .doc")
    teacher.shot("xem-pdf")
    pdf = _download(teacher, view)
    assert pdf.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "Giấy khen giáo viên dạy giỏi" in document.pages[0].extract_text()
    assert _download(teacher, files.first.get_by_role("link", name=LONG_NAME)) == original

    # listed on the edit page, and removed from there
    page.get_by_role("link", name="Sửa hồ sơ").click()
    expect(page.locator(".evidence-file")).to_contain_text(LONG_NAME)
    _fits(teacher, "sửa hồ sơ có tệp")
    teacher.shot("sua-ho-so")
    page.get_by_role("button", name=f"Gỡ tệp {LONG_NAME}").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã gỡ tệp")
    expect(page.locator(".evidence-file")).to_have_count(0)
    expect(page.get_by_text("Chưa có tệp minh chứng nào.")).to_be_visible()
    teacher.shot("da-go-tep")


@pytest.fixture(scope="module")
def registered_twice(live: Live, teacher_id: int) -> dict[str, int]:
    """The teacher registered for CSTĐCS by her head of unit and by herself."""
    app, world = live.app, live.world
    by_head = add_registration(app, world, TEACHER_NAME, TEACHER_UNIT, "CSTDCS")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        own = Submission(
            organization_id=world["school"], round_id=world["round"],
            kind=SubmissionKind.REGISTRATION.value, created_by_id=teacher_id,
            nominee_type="individual", nominee_name=TEACHER_NAME, position="Giáo viên",
            unit=TEACHER_UNIT, title_code="CSTDCS", search_key=fold(TEACHER_NAME),
            data={}, facts={},
        )  # fmt: skip
        session.add(own)
        session.flush()
        return {"by_head": by_head, "own": own.id}


@VIEWPORTS
def test_what_others_sent_for_her_and_the_duplicate_are_shown_and_fit(
    tab: Any, live: Live, registered_twice: dict[str, int], viewport: dict[str, int]
) -> None:
    expect = _expect()
    teacher = tab(TEACHER, viewport)
    page = teacher.page
    for name, path in (("trang-chinh", "/"), ("ho-so-cua-toi", "/ho-so")):
        teacher.open(path)
        others = page.locator("section.for-me")
        expect(others).to_contain_text("Được đề nghị bởi người khác")
        expect(others).to_contain_text("Chiến sĩ thi đua cơ sở")
        expect(others).to_contain_text("Trần Văn Đức")
        expect(page.locator(".status.duplicate").first).to_contain_text(
            f"#{registered_twice['by_head']}"
        )
        _fits(teacher, name)
        teacher.shot(name)
    teacher.open(f"/ho-so/{registered_twice['own']}")
    warning = page.locator(".duplicate-warning")
    expect(warning).to_contain_text("Có thể trùng")
    expect(warning).to_contain_text(f"Hồ sơ #{registered_twice['by_head']}")
    _fits(teacher, "chi tiết trùng")
    teacher.shot("canh-bao-trung")
    teacher.open(f"/ho-so/{registered_twice['own']}/sua")
    expect(page.locator(".duplicate-warning")).to_be_visible()
    _fits(teacher, "sửa đăng ký trùng")

    # her registration form starts with her own line
    teacher.open(f"/dot/{live.world['round']}/dang-ky")
    first = page.locator("table.people-rows tbody tr").first
    expect(first.get_by_label("Họ và tên")).to_have_value(TEACHER_NAME)
    expect(first.get_by_label("Tổ / bộ phận")).to_have_value(TEACHER_UNIT)
    _fits(teacher, "đăng ký điền sẵn")


def test_round_dates_are_typed_day_first_in_an_english_browser(tab: Any, live: Live) -> None:
    expect = _expect()
    admin = tab("admin", PHONE, locale="en-US")
    page = admin.page
    admin.open("/quan-tri/dot-thi-dua/moi")
    closes = page.get_by_label("Hạn đăng ký")
    expect(closes).to_have_attribute("type", "text")
    expect(closes).to_have_attribute("placeholder", "dd/mm/yyyy")
    page.get_by_label("Tên đợt thi đua").fill("Năm học 2026-2027 (trình duyệt tiếng Anh)")
    page.get_by_label("Năm học", exact=True).fill("2026-2027")
    page.get_by_label("Ngày xét (áp dụng quy định có hiệu lực tại ngày này)").fill("31/05/2027")
    page.get_by_label("Mở đăng ký từ ngày").fill("01/07/2026")
    closes.fill("12/07/2026")
    page.get_by_label("Mở đề nghị, giới thiệu từ ngày").fill("01/05/2027")
    page.get_by_label("Hạn đề nghị, giới thiệu").fill("31/05/2027")
    admin.shot("dot-moi-en-US")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    with live.app.app_context(), live.app.extensions["vanthu.db"].session() as session:
        saved = session.scalars(select(Round).where(Round.name.like("%tiếng Anh%"))).one()
        assert saved.registration_closes == datetime.date(2026, 7, 12)  # not 7 December
        assert saved.registration_opens == datetime.date(2026, 7, 1)
        round_id = saved.id
    admin.open(f"/quan-tri/dot-thi-dua/{round_id}")
    expect(page.get_by_label("Hạn đăng ký")).to_have_value("12/07/2026")
    admin.shot("dot-da-luu")
