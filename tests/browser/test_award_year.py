"""The award year, in a real browser, as the people of the school live it (issue 9).

A teacher, on her phone, registers titles for herself and a colleague, proposes the head's
Giấy khen for a librarian and writes her own Báo cáo thành tích. The clerk, at a desk,
records the council's results (an approval below the 80 % threshold is refused), makes the
round's dossier (the Giấy khen under the head's own decision, the titles in a Tờ trình to
the Chủ tịch UBND xã), issues the Tờ trình (its Danh sách is rendered again citing it), and
then has to change a result the issued Tờ trình names: refused, then redone with a reason,
which withdraws the Tờ trình and drafts its replacement. The admin reads it all back in the
audit log as Vietnamese sentences. At 360 px the dossier page does not scroll sideways.

The test works in a round of its own, so the other browser tests (which share the live
server's database) keep theirs; at the end the round's windows are closed so that their
start pages show one set of staff links.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest

from services.audit import ACTIONS
from storage.models import Role
from storage.models import Round
from storage.models import User
from tests.browser.conftest import Live
from tests.browser.conftest import Person
from tests.conftest import PASSWORD
from views.auth import hash_password
from views.formatting import VIETNAM

pytestmark = pytest.mark.slow

ROUND = "Tổng kết năm học 2025-2026"
TEACHER_KEY = "giaovien.duyen"
TEACHER = "Huỳnh Thị Mỹ Duyên"
COLLEAGUE = "Lâm Văn Tài"
LIBRARIAN = "Phan Thị Kim Loan"
UNIT = "Tổ Khoa học tự nhiên"
COUNCIL = 9
DECIDER = "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"
HEAD_GIAY_KHEN = "Giấy khen của Hiệu trưởng, Thủ trưởng đơn vị"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
SMALL_PHONE = {"width": 360, "height": 800}
REDO_REASON = (
    "Hội đồng họp lại: đồng chí Lâm Văn Tài nghỉ việc 45 ngày trong năm học, "
    "không đủ điều kiện Lao động tiên tiến."
)


@pytest.fixture
def award_round(live: Live) -> Iterator[dict[str, int]]:
    """A round of this test's own, open today, and a teacher account (not in the staff
    directory, so her report asks for her birth date)."""
    today = date.today()
    with live.app.app_context(), live.app.extensions["vanthu.db"].session() as session:
        round_ = Round(
            organization_id=live.world["school"], name=ROUND, school_year="2025-2026",
            reference_date=date(2026, 5, 31), ruleset_id="ND152_2025",
            registration_opens=today - timedelta(days=3),
            registration_closes=today + timedelta(days=3),
            nomination_opens=today - timedelta(days=3),
            nomination_closes=today + timedelta(days=3),
        )  # fmt: skip
        teacher = User(
            organization_id=live.world["school"], email=f"{TEACHER_KEY}@truong.edu.vn",
            full_name=TEACHER, unit=UNIT, role=Role.STAFF.value,
            password_hash=hash_password(PASSWORD),
        )  # fmt: skip
        session.add_all([round_, teacher])
        session.flush()
        ids = {"round": round_.id, "teacher": teacher.id}
    yield ids
    # Closed windows: the other tests' start pages offer only their own round's forms.
    with live.app.app_context(), live.app.extensions["vanthu.db"].session() as session:
        round_ = session.get(Round, ids["round"])
        past = today - timedelta(days=30)
        round_.registration_opens = round_.nomination_opens = past
        round_.registration_closes = round_.nomination_closes = past + timedelta(days=1)


def _docx_text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def test_award_year_from_registration_to_redo(
    person: Person, live: Live, award_round: dict[str, int]
) -> None:
    page = person.page
    expect = pytest.importorskip("playwright.sync_api").expect
    today = datetime.now(VIETNAM).date()

    def logout() -> None:
        page.locator("header").get_by_role("button", name="Đăng xuất").click()
        page.wait_for_load_state()

    def round_actions() -> Any:
        return page.locator("article.round", has=page.get_by_role("heading", name=ROUND))

    # == 1. The teacher, on her phone =========================================================
    page.set_viewport_size(PHONE)
    person.login(TEACHER_KEY)
    expect(page.get_by_role("heading", name=f"Xin chào, {TEACHER}")).to_be_visible()
    person.shot("gv-trang-chinh")

    round_actions().get_by_role("link", name="Đăng ký danh hiệu thi đua").click()
    expect(page.get_by_role("heading", name="Đăng ký danh hiệu thi đua")).to_be_visible()
    expect(page.locator("main")).to_contain_text(ROUND)
    rows = page.locator("table.grid tbody tr")
    for index, (name, position, title) in enumerate(
        [
            (TEACHER, "Giáo viên", "Chiến sĩ thi đua cơ sở"),
            (COLLEAGUE, "Giáo viên", "Lao động tiên tiến"),
        ]
    ):
        row = rows.nth(index)
        row.get_by_label("Họ và tên").fill(name)
        row.get_by_label("Chức vụ").fill(position)
        row.get_by_label("Tổ / bộ phận").fill(UNIT)
        row.get_by_label("Danh hiệu đăng ký").select_option(label=title)
    person.shot("gv-dang-ky-da-dien")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã đăng ký 2 mục.")
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    person.shot("gv-dang-ky-xong")

    person.nav("Trang chính")
    round_actions().get_by_role("link", name="Đề nghị khen thưởng").click()
    expect(page.get_by_role("heading", name="Đề nghị khen thưởng")).to_be_visible()
    page.get_by_label("Họ tên cá nhân / tên tập thể").fill(LIBRARIAN)
    page.get_by_label("Chức vụ (với cá nhân)").fill("Nhân viên thư viện")
    page.get_by_label("Tổ / bộ phận").fill("Tổ Văn phòng")
    page.get_by_label("Hình thức khen thưởng đề nghị").select_option(label=HEAD_GIAY_KHEN)
    page.get_by_label("Thời gian đạt thành tích").fill("Năm học 2025-2026")
    page.get_by_label("Thành tích", exact=True).fill(
        "Xây dựng thư viện thân thiện, tổ chức Ngày hội đọc sách cho 620 học sinh; "
        "số hóa 1.200 đầu sách giáo khoa và tài liệu tham khảo."
    )
    person.shot("gv-de-nghi-giay-khen")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã gửi hồ sơ.")
    expect(page.locator("main")).to_contain_text(HEAD_GIAY_KHEN)

    # Her own Báo cáo thành tích, from her registration's page, pre-filled from it.
    person.nav("Hồ sơ của tôi")
    mine = page.locator("main table.list")
    for name in (TEACHER, COLLEAGUE, LIBRARIAN):
        expect(
            mine.locator("tr", has=page.get_by_role("link", name=name, exact=True))
        ).to_contain_text("Đã gửi, chờ xét")
    person.shot("gv-ho-so-cua-toi")
    mine.get_by_role("link", name=TEACHER, exact=True).click()
    page.get_by_role("link", name="Viết báo cáo thành tích").click()
    expect(
        page.get_by_role("heading", name=f"Báo cáo thành tích cá nhân: {TEACHER}")
    ).to_be_visible()
    expect(page.get_by_label("Họ tên *")).to_have_value(TEACHER)
    expect(page.get_by_label("Danh hiệu, hình thức đề nghị *")).to_have_value(
        "Chiến sĩ thi đua cơ sở"
    )
    expect(page.get_by_label("Thời gian đạt thành tích *")).to_have_value("Năm học 2025-2026")
    expect(page.get_by_label("Đơn vị công tác *")).to_have_value(re.compile(UNIT))
    expect(page.locator(".flash.info")).to_contain_text("hãy nhập ngày sinh và giới tính")
    person.shot("gv-bao-cao-dien-san")
    page.get_by_label("Sinh ngày, tháng, năm *").fill("1986-09-14")
    page.get_by_label("Giới tính *").select_option(label="Nữ")
    page.get_by_label("Trình độ chuyên môn, nghiệp vụ").fill("Đại học Sư phạm Sinh học")
    page.get_by_label("Quyền hạn, nhiệm vụ được giao hoặc đảm nhận *").fill(
        "Giảng dạy môn Khoa học tự nhiên lớp 8A1, 8A2, 9A1; chủ nhiệm lớp 9A1."
    )
    page.get_by_label("Thành tích đạt được của cá nhân *").fill(
        "Hoàn thành xuất sắc nhiệm vụ năm học 2025-2026.\n"
        "Sáng kiến “Dạy học dự án chủ đề Năng lượng tái tạo” được công nhận cấp cơ sở."
    )
    person.shot("gv-bao-cao-da-dien")
    page.get_by_role("button", name="Lưu báo cáo và soạn văn bản").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lưu báo cáo thành tích")
    expect(page.locator(".report-status")).to_contain_text("Dự thảo")
    person.shot("gv-bao-cao-dang-soan")
    person.wait_for_jobs()
    expect(page.get_by_role("link", name="Tải bản Word (.docx)")).to_be_visible()
    person.shot("gv-bao-cao-da-soan")
    logout()

    # == 2. The clerk records the council's results ===========================================
    page.set_viewport_size(DESK)
    person.login("clerk")

    def open_review(name: str) -> Any:
        person.nav("Xét duyệt")
        filters = page.locator("form.filters")
        filters.get_by_label("Đợt").select_option(label=ROUND)
        filters.get_by_label("Tìm tên (có hoặc không dấu)").fill(name)
        filters.get_by_role("button", name="Lọc").click()
        expect(page.locator("main")).to_contain_text("1 hồ sơ")
        page.get_by_role("link", name=name, exact=True).click()
        page.get_by_role("link", name="Xét duyệt", exact=True).last.click()
        expect(page.get_by_role("heading", name=f"Xét duyệt: {name}")).to_be_visible()
        return page.locator("form", has=page.get_by_role("heading", name="Kết quả Hội đồng"))

    def record(form: Any, votes: int, decision: str) -> None:
        form.get_by_label("Số phiếu đồng ý").fill(str(votes))
        form.get_by_label("Tổng số thành viên Hội đồng").fill(str(COUNCIL))
        page.keyboard.press("Tab")  # leave the number box, as in test_clerk_review_and_dossier
        form.get_by_label(decision).check()
        form.get_by_role("button", name="Ghi kết quả").click()

    def refused_with_400() -> None:
        """A refused result is answered 400 with the form and its message; Chromium logs
        that response as a console error, which is the refusal itself, not a page fault."""
        for _ in range(50):  # the console event may trail the page by a moment
            expected = [p for p in person.problems if "/ket-qua" in p and "status of 400" in p]
            if expected:
                break
            page.wait_for_timeout(100)
        assert len(expected) == 1, person.problems
        person.problems.remove(expected[0])

    decision = open_review(TEACHER)
    record(decision, 5, "Đề nghị / công nhận")
    refusal = page.locator("form .flash.error")
    expect(refusal).to_contain_text("Không thể ghi")
    expect(refusal).to_contain_text("80%")
    expect(refusal).to_contain_text("5/9")
    refused_with_400()
    person.shot("vt-cstdcs-5-9-bi-tu-choi")
    decision = page.locator("form", has=page.get_by_role("heading", name="Kết quả Hội đồng"))
    record(decision, 8, "Đề nghị / công nhận")
    expect(page.locator(".flash.success")).to_contain_text("Đã ghi kết quả của Hội đồng.")
    expect(page.get_by_label("Đề nghị / công nhận")).to_be_checked()
    expect(page.get_by_label("Số phiếu đồng ý")).to_have_value("8")
    person.shot("vt-cstdcs-8-9")

    for name in (COLLEAGUE, LIBRARIAN):
        record(open_review(name), COUNCIL, "Đề nghị / công nhận")
        expect(page.locator(".flash.success")).to_contain_text("Đã ghi kết quả của Hội đồng.")
    person.shot("vt-giay-khen-9-9")

    # == 3. The round's dossier: what it will make, then made in one step =====================
    person.nav("Xét duyệt")
    filters = page.locator("form.filters")
    filters.get_by_label("Đợt").select_option(label=ROUND)
    filters.get_by_label("Trạng thái").select_option(label="Được đề nghị / công nhận")
    filters.get_by_role("button", name="Lọc").click()
    expect(page.locator("main")).to_contain_text("3 hồ sơ")
    page.get_by_role("link", name="Lập hồ sơ khen thưởng").click()
    expect(page.get_by_role("heading", name=f"Hồ sơ khen thưởng: {ROUND}")).to_be_visible()

    parts = page.locator("details.dossier-part")

    def part(label: str) -> Any:
        return parts.filter(has=page.locator("summary", has_text=label))

    own = part("Quyết định của thủ trưởng đơn vị")
    expect(own).to_have_count(1)
    expect(own).to_contain_text(LIBRARIAN)
    expect(own).to_contain_text(HEAD_GIAY_KHEN)
    for other in (TEACHER, COLLEAGUE):
        expect(own).not_to_contain_text(other)
    proposal = part(f"Tờ trình đề nghị {DECIDER} quyết định")
    listing = part(f"Danh sách kèm theo tờ trình đề nghị {DECIDER}")
    for group in (proposal, listing):
        expect(group).to_have_count(1)
        expect(group.locator("tr", has_text=TEACHER)).to_contain_text("Chiến sĩ thi đua cơ sở")
        expect(group.locator("tr", has_text=TEACHER)).to_contain_text("8/9")
        expect(group.locator("tr", has_text=COLLEAGUE)).to_contain_text("Lao động tiên tiến")
        expect(group).not_to_contain_text(LIBRARIAN)
    minutes = part("Biên bản họp Hội đồng Thi đua - Khen thưởng")
    for name in (TEACHER, COLLEAGUE, LIBRARIAN):
        expect(minutes).to_contain_text(name)
    person.shot("vt-ho-so-se-gom")

    form = page.locator("form", has=page.get_by_role("heading", name="Lập hồ sơ trong một bước"))
    expect(form.get_by_label("Tờ trình kính gửi (cấp trên trực tiếp)")).to_have_value(
        re.compile("Mỹ Thạnh")
    )
    form.get_by_label("Thư ký", exact=True).fill("Võ Thị Em")
    form.get_by_label("Số thành viên có mặt").fill(str(COUNCIL))
    page.keyboard.press("Tab")
    person.shot("vt-lap-ho-so-da-dien")
    form.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator(".flash.success")).to_contain_text("Hồ sơ khen thưởng: lập mới")
    expect(page.get_by_role("heading", name=f"Hồ sơ khen thưởng: {ROUND}")).to_be_visible()
    dossier_path = page.url.removeprefix(live.url)
    person.shot("vt-ho-so-dang-soan")
    person.wait_for_jobs()

    docs = page.locator("table.dossier-docs tbody tr")

    def doc_row(label: str) -> Any:
        """The dossier's rows whose document link starts with ``label``."""
        return docs.filter(has=page.get_by_role("link", name=re.compile("^" + re.escape(label))))

    for label in ("Biên bản", "Quyết định của thủ trưởng", "Tờ trình đề nghị", "Danh sách kèm"):
        row = doc_row(label)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Dự thảo")
        expect(row).to_contain_text("Đã soạn xong")
    expect(doc_row("Tờ trình đề nghị")).to_contain_text(DECIDER)
    expect(page.locator("#giay-khen")).to_contain_text("Giấy khen của đơn vị (1)")
    expect(page.locator("#bao-cao")).to_contain_text(TEACHER)
    person.shot("vt-ho-so-da-soan")

    # == 4. The Tờ trình is issued; its Danh sách is rendered again citing it =================
    doc_row("Tờ trình đề nghị").get_by_role("link", name=re.compile("^Tờ trình")).click()
    expect(page.get_by_role("heading", name="Tờ trình đề nghị khen thưởng")).to_be_visible()
    issue = page.locator("form.issue-form")
    issue.get_by_label("Ngày phát hành").fill(today.isoformat())
    person.shot("vt-to-trinh-truoc-phat-hanh")
    issue.get_by_role("button", name="Phát hành và cấp số").click()
    flash = page.locator(".flash.success")
    expect(flash).to_contain_text("Đã phát hành: số ")
    number = re.search(r"số (\S+) ngày", flash.inner_text()).group(1)
    assert re.fullmatch(r"\d{2,}/TTr-THCSMT", number), number
    expect(page.locator(".flash.info")).to_contain_text("dự thảo của hồ sơ khen thưởng")
    # How the app cites it everywhere (review page, messages, audit log, dossier).
    cited = f"Tờ trình đề nghị khen thưởng số {number}"
    person.shot("vt-to-trinh-da-phat-hanh")

    person.open(dossier_path)
    person.wait_for_jobs()
    expect(doc_row("Tờ trình đề nghị")).to_contain_text(f"Đã phát hành số {number}")
    expect(doc_row("Tờ trình đề nghị")).to_contain_text(f"ngày {today:%d/%m/%Y}")
    expect(doc_row("Danh sách kèm")).to_contain_text("Dự thảo")
    person.shot("vt-ho-so-sau-phat-hanh")
    with page.expect_download() as info:
        doc_row("Danh sách kèm").get_by_role("link", name="Word (.docx)").click()
    listing_text = _docx_text(Path(info.value.path()))
    assert f"Kèm theo Tờ trình số {number}" in listing_text, listing_text[:2000]
    assert f"ngày {today:%d/%m/%Y}" in listing_text, listing_text[:2000]

    # == 5. A result the issued Tờ trình names: refused, then redone with a reason ============
    decision = open_review(COLLEAGUE)
    issued_box = decision.locator(".flash.info", has_text="đã phát hành")
    expect(issued_box.get_by_role("link", name=cited)).to_be_visible()
    record(decision, 4, "Không đề nghị")
    refusal = page.locator("form .flash.error")
    expect(refusal).to_contain_text(cited)
    expect(refusal).to_contain_text("Làm lại")
    refused_with_400()
    person.shot("vt-ldtt-doi-ket-qua-bi-tu-choi")
    decision = page.locator("form", has=page.get_by_role("heading", name="Kết quả Hội đồng"))
    expect(decision.get_by_label("Không đề nghị")).to_be_checked()
    decision.get_by_label(re.compile("^Làm lại: lý do")).fill(REDO_REASON)
    person.shot("vt-ldtt-lam-lai-da-dien")
    decision.get_by_role("button", name="Ghi kết quả").click()
    flash = page.locator(".flash.success")
    expect(flash).to_contain_text("Đã ghi kết quả của Hội đồng.")
    expect(flash).to_contain_text(f"Đã thu hồi để thay thế: {cited}")
    expect(flash).to_contain_text("văn bản dự thảo thay thế")
    expect(page.get_by_label("Không đề nghị")).to_be_checked()
    person.shot("vt-ldtt-da-lam-lai")

    person.open(dossier_path)
    person.wait_for_jobs()
    proposals = doc_row("Tờ trình đề nghị")
    expect(proposals).to_have_count(2)
    withdrawn = proposals.filter(has_text="Đã thu hồi")
    expect(withdrawn).to_have_count(1)
    expect(withdrawn).to_contain_text(f"Đã thu hồi số {number}")
    replacement = proposals.filter(has_text=f"thay thế {cited}")
    expect(replacement).to_have_count(1)
    expect(replacement).to_contain_text("Dự thảo")
    expect(replacement).to_contain_text("Đã soạn xong")
    expect(replacement).to_contain_text(TEACHER)
    expect(replacement).not_to_contain_text(COLLEAGUE)
    person.shot("vt-ho-so-thay-the")
    logout()

    # == 6. The admin reads it back in the audit log ==========================================
    person.login("admin")
    person.nav("Quản trị")
    page.get_by_role("link", name="Nhật ký thao tác").click()
    expect(page.get_by_role("heading", name="Nhật ký thao tác")).to_be_visible()
    log = page.locator("main table.list")
    expect(log).to_contain_text(f"phát hành {cited} ngày {today:%d/%m/%Y}")
    expect(log).to_contain_text(
        f"làm lại kết quả của Hội đồng cho {COLLEAGUE} (“Lao động tiên tiến”) sau khi đã "
        f"phát hành văn bản số {number}"
    )
    expect(log).to_contain_text(f"thu hồi {cited} và lập văn bản thay thế")
    expect(log).to_contain_text(REDO_REASON)
    expect(log).to_contain_text(
        f"ghi kết quả của Hội đồng cho {TEACHER} (“Chiến sĩ thi đua cơ sở”): 8/9 phiếu đồng ý"
    )
    expect(log).to_contain_text(f"{TEACHER} viết Báo cáo thành tích cá nhân của {TEACHER}")
    shown = log.inner_text()
    raw = [key for key in ACTIONS if key in shown]
    assert not raw, f"mã thao tác thô trên trang nhật ký: {raw}"
    person.shot("qt-nhat-ky")

    # == The dossier page on a small phone: no sideways scrolling =============================
    page.set_viewport_size(SMALL_PHONE)
    person.open(dossier_path)
    expect(page.get_by_role("heading", name=f"Hồ sơ khen thưởng: {ROUND}")).to_be_visible()
    person.shot("ho-so-360px")
    no_sideways = "() => [document.documentElement.scrollWidth, window.innerWidth]"
    widths = page.evaluate(no_sideways)
    assert widths[0] <= widths[1], f"trang hồ sơ tràn ngang ở 360 px: {widths}"
    # The round's page too (what the dossier will make, and its form).
    page.get_by_role("link", name=ROUND, exact=True).click()
    expect(page.get_by_role("heading", name="Hồ sơ sẽ gồm")).to_be_visible()
    person.shot("lap-ho-so-360px")
    widths = page.evaluate(no_sideways)
    assert widths[0] <= widths[1], f"trang lập hồ sơ tràn ngang ở 360 px: {widths}"
    person.assert_clean_console()
