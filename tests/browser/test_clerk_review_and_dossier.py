"""A clerk, in a real browser: filters the review list, opens a registration, records the facts
and the council's vote, approves it; then makes the round's dossier in one step (split by who
decides: the head's own Quyết định for the school's Giấy khen, a Tờ trình to the commune chairman
for the titles), waits while the worker renders it (the page reloads itself) and downloads the
Quyết định and the Giấy khen."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from tests.browser.conftest import Live
from tests.browser.conftest import Person
from tests.browser.conftest import add_registration

pytestmark = pytest.mark.slow

COUNCIL = 9
REVIEWED = "Bùi Thị Thanh Hương"
ALREADY_APPROVED = [
    ("Lương Văn Phúc", "Tổ Ngữ văn", "GIAY_KHEN", 9),
    ("Mạc Thị Yến", "Tổ Ngữ văn", "LDTT", 8),
]
NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")


@pytest.fixture
def registrations(live: Live) -> dict[str, int]:
    """Two registrations the council already approved and one waiting for review."""
    ids = {
        name: add_registration(
            live.app,
            live.world,
            name,
            unit,
            code,
            status="approved",
            votes_for=votes,
            council_total=COUNCIL,
        )  # fmt: skip
        for name, unit, code, votes in ALREADY_APPROVED
    }
    ids[REVIEWED] = add_registration(live.app, live.world, REVIEWED, "Tổ Hóa - Sinh", "CSTDCS")
    return ids


def test_clerk_reviews_approves_and_downloads_the_dossier(
    person: Person, registrations: dict[str, int]
) -> None:
    page = person.page
    expect = pytest.importorskip("playwright.sync_api").expect
    person.login("clerk")

    # The review list, narrowed to what waits in Tổ Hóa - Sinh, found by a name typed without
    # diacritics.
    person.nav("Xét duyệt")
    expect(page.get_by_role("heading", name="Xét duyệt hồ sơ")).to_be_visible()
    person.shot("xet-duyet-tat-ca")
    filters = page.locator("form.filters")
    filters.get_by_label("Đợt").select_option(label="Năm học 2025-2026")
    filters.get_by_label("Trạng thái").select_option(label="Đã gửi, chờ xét")
    filters.get_by_label("Tổ / bộ phận").select_option(label="Tổ Hóa - Sinh")
    filters.get_by_label("Tìm tên (có hoặc không dấu)").fill("thanh huong")
    filters.get_by_role("button", name="Lọc").click()
    expect(page.locator("main")).to_contain_text("1 hồ sơ")
    person.shot("xet-duyet-da-loc")

    page.get_by_role("link", name=REVIEWED, exact=True).click()
    page.get_by_role("link", name="Xét duyệt", exact=True).last.click()
    expect(page.get_by_role("heading", name=f"Xét duyệt: {REVIEWED}")).to_be_visible()
    person.shot("trang-xet-duyet")

    # Facts for the eligibility rules.
    facts = page.locator("form", has=page.get_by_role("heading", name="Thông tin để xét"))
    facts.get_by_label("Xếp loại đánh giá, phân loại").select_option(
        label="Hoàn thành xuất sắc nhiệm vụ"
    )
    facts.get_by_label("Có sáng kiến được công nhận").check()
    facts.get_by_label("Kỷ luật").select_option(label="Không bị kỷ luật")
    facts.get_by_label("Số tháng công tác trong năm").fill("12")
    facts.get_by_label("Số ngày nghỉ làm việc").fill("0")
    facts.get_by_label("Số năm liên tục đạt Chiến sĩ thi đua cơ sở (tính cả năm nay)").fill("1")
    # Leave the number box with Tab, as a person finishing the field does. (With the caret
    # still in it, headless Chromium scrolled the page ~290 px at the mouse-down on "Lưu thông
    # tin", so the mouse-up landed on another field and the form was not sent; reported.)
    page.keyboard.press("Tab")
    facts.get_by_label("Phạm vi công nhận sáng kiến / đề tài").select_option(index=1)
    person.shot("thong-tin-da-dien")
    facts.get_by_role("button", name="Lưu thông tin").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lưu thông tin xét duyệt.")
    expect(
        page.get_by_label("Xếp loại đánh giá, phân loại").locator("option:checked")
    ).to_have_text("Hoàn thành xuất sắc nhiệm vụ")

    # The council's vote and the decision.
    decision = page.locator("form", has=page.get_by_role("heading", name="Kết quả Hội đồng"))
    decision.get_by_label("Số phiếu đồng ý").fill("8")
    decision.get_by_label("Tổng số thành viên Hội đồng").fill(str(COUNCIL))
    decision.get_by_label("Đề nghị / công nhận").check()
    decision.get_by_label("Ghi chú").fill("Hội đồng thống nhất đề nghị công nhận; 8/9 phiếu.")
    person.shot("ket-qua-da-dien")
    decision.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã ghi kết quả của Hội đồng.")
    expect(page.get_by_label("Đề nghị / công nhận")).to_be_checked()
    person.shot("ket-qua-da-ghi")

    # The round's dossier, reached from the review list filtered to the round.
    person.nav("Xét duyệt")
    filters = page.locator("form.filters")
    filters.get_by_label("Đợt").select_option(label="Năm học 2025-2026")
    filters.get_by_label("Trạng thái").select_option(label="Được đề nghị / công nhận")
    filters.get_by_role("button", name="Lọc").click()
    expect(page.locator("main")).to_contain_text("3 hồ sơ")
    page.get_by_role("link", name="Lập hồ sơ khen thưởng").click()
    expect(page.get_by_role("heading", name="Hồ sơ khen thưởng: Năm học 2025-2026")).to_be_visible()
    parts = page.locator("details.dossier-part")
    own = parts.filter(has_text="Quyết định của thủ trưởng đơn vị")
    expect(own).to_contain_text("Lương Văn Phúc")
    proposal = parts.filter(
        has_text="Tờ trình đề nghị Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh quyết định"
    )
    for name in (REVIEWED, "Mạc Thị Yến"):
        expect(proposal).to_contain_text(name)
    expect(proposal.locator("tr", has_text=REVIEWED)).to_contain_text("8/9")
    person.shot("lap-ho-so")

    form = page.locator("form", has=page.get_by_role("heading", name="Lập hồ sơ trong một bước"))
    form.get_by_label("Thư ký", exact=True).fill("Võ Thị Em")
    form.get_by_label("Địa điểm họp").fill("Phòng họp Trường THCS Mỹ Thạnh")
    page.keyboard.press("Tab")  # leave the field first (see the facts form above)
    person.shot("lap-ho-so-da-dien")
    form.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.locator(".flash.success")).to_contain_text("Hồ sơ khen thưởng: lập mới")
    person.shot("dang-soan")

    person.wait_for_jobs()
    person.shot("da-soan-xong")
    docs = page.locator("table.dossier-docs")
    for label in ("Danh sách", "Tờ trình", "Biên bản", "Quyết định"):
        # The part's name begins its link ("Danh sách kèm theo tờ trình …" also names one).
        row = docs.locator("tbody tr", has=page.get_by_role("link", name=re.compile(f"^{label}")))
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Đã soạn xong")
    expect(page.locator("#giay-khen")).to_contain_text("Giấy khen của đơn vị (1)")

    # Quyết định as .docx: a Vietnamese file name and a real Word document naming the people.
    decision_row = docs.locator(
        "tbody tr", has=page.get_by_role("link", name=re.compile("^Quyết định"))
    )
    with page.expect_download() as info:
        decision_row.get_by_role("link", name="Word (.docx)").click()
    download = info.value
    name = unicodedata.normalize("NFC", download.suggested_filename)
    assert name.endswith(".docx") and NON_ASCII_LETTER.search(name), name
    assert "Quyết định" in name, name
    document = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "QUYẾT ĐỊNH" in text
    assert "Lương Văn Phúc" in text and REVIEWED not in text

    # Giấy khen: each person's .docx and .pdf in a .zip, names in Vietnamese.
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp nén (.zip, mỗi người một tệp)").click()
    download = info.value
    name = unicodedata.normalize("NFC", download.suggested_filename)
    assert name.endswith(".zip") and name.startswith("Giấy khen"), name
    with zipfile.ZipFile(download.path()) as archive:
        members = [unicodedata.normalize("NFC", m) for m in archive.namelist()]
        assert archive.testzip() is None
        word = archive.read(next(m for m in archive.namelist() if m.endswith(".docx")))
        printable = archive.read(next(m for m in archive.namelist() if m.endswith(".pdf")))
    assert sorted(members) == ["Giấy khen - Lương Văn Phúc.docx", "Giấy khen - Lương Văn Phúc.pdf"]
    docx.Document(io.BytesIO(word))  # the Word file opens as a Word document
    assert printable.startswith(b"%PDF-")
    person.shot("da-tai-ve")
    person.assert_clean_console()
