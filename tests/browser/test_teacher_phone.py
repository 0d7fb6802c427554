"""A teacher on a cheap phone (360 × 740) and at a desk (1366 × 768), in a real browser.

Every page a teacher meets fits the screen (no horizontal scroll: lists become cards, the
registration rows become blocks of labelled inputs); "+ Thêm 5 dòng" adds rows in place and
keeps what was typed; dates are typed day first even in an English-language browser, where
``<input type="date">`` would read "12/07/2026" as 7 December.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from domain.text import fold
from storage.models import Deadline
from storage.models import Document
from storage.models import Submission
from storage.models import SubmissionKind
from tests.browser.conftest import Live
from tests.browser.conftest import Person
from tests.browser.conftest import _test_folder
from tests.browser.conftest import _watch
from tests.browser.conftest import add_registration

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
TEACHER = "staff2"  # Trần Văn Đức, Tổ Ngữ văn
LONG_UNIT = "Tổ Khoa học Tự nhiên – Công nghệ – Tin học – Giáo dục thể chất"
LONG_WORD = "Trường Trung học cơ sở Nguyễn Văn Trỗi " + "Đổimớiphươngphápdạyhọc" * 3
OFFENDERS_JS = """() => {
  const width = window.innerWidth, found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      const name = el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
      found.push(`${name} right=${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: width, found: found.slice(0, 8)};
}"""


@pytest.fixture(scope="module")
def teacher_data(live: Live) -> dict[str, int]:
    """The teacher's own submissions: a registration (which takes a report), one with a long
    unit name, an exemplary nomination with a long, unbroken text; two deadlines on the
    calendar (one overdue)."""
    app, world = live.app, live.world
    ids = {
        "registration": add_registration(app, world, "Trần Văn Đức", "Tổ Ngữ văn", "LDTT"),
        "long": add_registration(app, world, "Phạm Nguyễn Hoàng Chiến Thắng", LONG_UNIT, "CSTDCS"),
    }
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        exemplary = Submission(
            organization_id=world["school"], round_id=world["round"],
            kind=SubmissionKind.EXEMPLARY.value, created_by_id=world[TEACHER],
            nominee_type="individual", nominee_name="Trần Văn Đức", position="Tổ trưởng chuyên môn",
            unit=LONG_UNIT, search_key=fold("Trần Văn Đức"),
            data={"field": LONG_WORD, "achievements": "Thành tích: " + LONG_WORD * 2}, facts={},
        )  # fmt: skip
        session.add(exemplary)
        today = datetime.date.today()
        session.add_all(
            [
                Deadline(organization_id=world["school"], what="Nộp báo cáo thành tích cá nhân "
                         "cho Hội đồng Thi đua – Khen thưởng " + LONG_WORD,
                         due_date=today + datetime.timedelta(days=3), assignee_id=world[TEACHER]),
                Deadline(organization_id=world["school"], what="Đăng ký sáng kiến kinh nghiệm",
                         due_date=today - datetime.timedelta(days=2)),
            ]
        )  # fmt: skip
        session.flush()
        ids["exemplary"] = exemplary.id
    return ids


def _pages(live: Live, ids: dict[str, int]) -> list[tuple[str, str]]:
    r = live.world["round"]
    return [
        ("trang-chinh", "/"),
        ("ho-so-cua-toi", "/ho-so"),
        ("dang-ky", f"/dot/{r}/dang-ky"),
        ("dien-hinh", f"/dot/{r}/dien-hinh"),
        ("khen-thuong", f"/dot/{r}/khen-thuong"),
        ("sang-kien", f"/dot/{r}/sang-kien"),
        ("chi-tiet", f"/ho-so/{ids['exemplary']}"),
        ("chi-tiet-dang-ky", f"/ho-so/{ids['long']}"),
        ("sua-dang-ky", f"/ho-so/{ids['long']}/sua"),
        ("sua-dien-hinh", f"/ho-so/{ids['exemplary']}/sua"),
        ("bao-cao-cua-toi", "/bao-cao-thanh-tich"),
        ("bao-cao", f"/ho-so/{ids['registration']}/bao-cao-thanh-tich"),
        ("lich-han", "/lich-han/"),
    ]


@pytest.fixture
def open_as(browser: Any, live: Live, request: pytest.FixtureRequest) -> Iterator[Any]:
    """``open_as(viewport, locale)``: a fresh tab of the teacher, signed in."""
    contexts: list[Any] = []
    people: list[Person] = []
    folder = _test_folder(request)

    def make(viewport: dict[str, int], locale: str = "vi-VN") -> Person:
        context = browser.new_context(base_url=live.url, locale=locale, viewport=viewport)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        who = Person(page=page, base_url=live.url, shots=folder)
        _watch(page, who.problems)
        who.login(TEACHER)
        people.append(who)
        return who

    yield make
    for context in contexts:
        context.close()
    for who in people:
        who.assert_clean_console()


def _fits(person: Person, name: str) -> None:
    result = person.page.evaluate(OFFENDERS_JS)
    assert result["scroll"] <= result["inner"], (
        f"{name}: trang rộng {result['scroll']} px trên màn hình {result['inner']} px; "
        f"tràn: {result['found']}"
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x740", "1366x768"])
def test_every_teacher_page_fits_the_screen(
    open_as: Any, live: Live, teacher_data: dict[str, int], viewport: dict[str, int]
) -> None:
    teacher = open_as(viewport)
    for name, path in _pages(live, teacher_data):
        teacher.open(path)
        teacher.page.wait_for_load_state()
        assert teacher.page.url.endswith(path), f"{name}: chuyển sang {teacher.page.url}"
        teacher.shot(name)
        _fits(teacher, name)
    if viewport is PHONE:
        # the registration inputs are full width, their labels visible
        teacher.open(_pages(live, teacher_data)[2][1])
        first_row = teacher.page.locator("table.people-rows tbody tr").first
        name_box = first_row.get_by_label("Họ và tên")
        assert name_box.bounding_box()["width"] >= 280
        assert teacher.page.get_by_text("Họ và tên", exact=True).first.is_visible()


def test_added_rows_keep_what_was_typed(open_as: Any, live: Live) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    teacher = open_as(PHONE)
    page = teacher.page
    teacher.open(f"/dot/{live.world['round']}/dang-ky")
    rows = page.locator("table.people-rows tbody tr")
    expect(rows).to_have_count(3)
    first = rows.nth(0)
    first.get_by_label("Họ và tên").fill("Lê Thị Phương Chiếu")
    first.get_by_label("Chức vụ").fill("Giáo viên")
    first.get_by_label("Danh hiệu đăng ký").select_option(label="Lao động tiên tiến")
    url = page.url
    page.get_by_role("link", name="+ Thêm 5 dòng").click()
    expect(rows).to_have_count(8)
    assert page.url == url, "trang đã tải lại"
    expect(first.get_by_label("Họ và tên")).to_have_value("Lê Thị Phương Chiếu")
    expect(first.get_by_label("Chức vụ")).to_have_value("Giáo viên")
    last = rows.nth(7)
    expect(last.get_by_label("Họ và tên")).to_have_value("")
    expect(last.get_by_label("Họ và tên")).to_have_attribute("name", "people-7-full_name")
    expect(last).to_contain_text("8")
    last.get_by_label("Họ và tên").fill("Vũ Minh Khang")
    last.get_by_label("Tổ / bộ phận").fill("Tổ Ngữ văn")
    last.get_by_label("Danh hiệu đăng ký").select_option(label="Lao động tiên tiến")
    teacher.shot("them-dong")
    _fits(teacher, "dang-ky sau khi thêm dòng")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã đăng ký 2 mục.")
    expect(page.locator("main")).to_contain_text("Vũ Minh Khang")
    teacher.shot("da-gui")

    # at most 40 rows: the link goes away, a note says why
    teacher.open(f"/dot/{live.world['round']}/dang-ky")
    link = page.get_by_role("link", name="+ Thêm 5 dòng")
    for _ in range(10):
        if not link.is_visible():
            break
        link.click()
    expect(rows).to_have_count(40)
    expect(link).to_be_hidden()
    expect(page.get_by_text("Tối đa 40 dòng")).to_be_visible()
    expect(rows.nth(39).get_by_label("Họ và tên")).to_have_attribute("name", "people-39-full_name")
    teacher.shot("toi-da-40-dong")


def test_added_rows_without_javascript(browser: Any, live: Live) -> None:
    """Progressive enhancement: with JavaScript off the link still works (a reload, ?dong=)."""
    context = browser.new_context(base_url=live.url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        who = Person(page=page, base_url=live.url, shots=_test_folder_for("khong-js"))
        who.login(TEACHER)
        who.open(f"/dot/{live.world['round']}/dang-ky")
        page.get_by_role("link", name="+ Thêm 5 dòng").click()
        page.wait_for_load_state()
        assert "dong=8" in page.url
        assert page.locator("table.people-rows tbody tr").count() == 8
    finally:
        context.close()


def _test_folder_for(name: str) -> Any:
    from tests.browser.conftest import ARTIFACTS

    folder = ARTIFACTS / f"test_teacher_phone_{name}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_dates_are_day_first_in_an_english_browser(
    open_as: Any, live: Live, teacher_data: dict[str, int]
) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    teacher = open_as(PHONE, locale="en-US")
    page = teacher.page
    submission_id = teacher_data["registration"]
    teacher.open(f"/ho-so/{submission_id}/bao-cao-thanh-tich")
    birth = page.get_by_label("Sinh ngày, tháng, năm *")
    expect(birth).to_have_attribute("type", "text")
    expect(birth).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(birth).to_have_attribute("inputmode", "numeric")
    # a bad date: a Vietnamese message, what was typed kept
    birth.fill("31/02/1986")
    _fill_required(page)
    page.get_by_role("button", name="Lưu báo cáo và soạn văn bản").click()
    expect(page.locator("main")).to_contain_text("Không có ngày 31/02/1986 trong lịch.")
    expect(page.get_by_label("Sinh ngày, tháng, năm *")).to_have_value("31/02/1986")
    teacher.shot("ngay-sai")
    # the form answered 400 (its status for a form with errors), which Chromium logs
    teacher.problems[:] = [p for p in teacher.problems if "status of 400" not in p]
    page.get_by_label("Sinh ngày, tháng, năm *").fill("12/07/1986")
    page.get_by_label("Ngày ban hành").fill("12/07/2026")
    _fits(teacher, "báo cáo")
    teacher.shot("ngay-dd-mm-yyyy")
    page.get_by_role("button", name="Lưu báo cáo và soạn văn bản").click()
    expect(page.locator(".flash.success, .report-status")).not_to_have_count(0)
    expect(page.get_by_label("Sinh ngày, tháng, năm *")).to_have_value("12/07/1986")
    expect(page.get_by_label("Ngày ban hành")).to_have_value("12/07/2026")
    teacher.shot("da-luu")
    with live.app.app_context(), live.app.extensions["vanthu.db"].session() as session:
        document = session.scalars(
            select(Document).where(Document.submission_id == submission_id)
        ).one()
        assert document.body_fields["ngay_sinh"] == "1986-07-12"  # 12 July, not 7 December
        assert document.header_fields["date"] == "2026-07-12"


LABEL_JS = "el => el.labels && el.labels[0] ? el.labels[0].textContent : ''"


def _fill_required(page: Any) -> None:
    """Whatever the pre-fill left empty among the required inputs."""
    form = page.locator("form.document-form")
    for box in form.locator("input[type=text], textarea").all():
        label = box.evaluate(LABEL_JS)
        if label.strip().endswith("*") and not box.input_value() and box.is_visible():
            box.fill("Giáo viên dạy Ngữ văn lớp 8")
    for select_box in form.locator("select").all():
        label = select_box.evaluate(LABEL_JS)
        if label.strip().endswith("*") and not select_box.input_value():
            select_box.select_option(index=1)
