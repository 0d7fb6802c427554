"""PDFs as offices send them (issue 11): e-signed files, stamped widgets, prefixes before %PDF-."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from ingest import parse_bytes
from ingest.detect import FileKind
from ingest.detect import detect_kind
from storage.uploads import sniff
from tests.ingest.pdfmaker import add_widget
from tests.ingest.pdfmaker import make_pdf

HEADER = [
    (60, 50, "ỦY BAN NHÂN DÂN", 12),
    (300, 50, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11),
    (60, 66, "TỈNH QUẢNG NGÃI", 12),
    (330, 66, "Độc lập - Tự do - Hạnh phúc", 12),
    (60, 90, "Số:          /UBND-KGVX", 12),
    (300, 90, "Quảng Ngãi, ngày        tháng 01 năm 2025", 12),
    (60, 106, "V/v góp ý dự thảo Chương trình", 12),
    (60, 140, "Kính gửi: Bộ Thông tin và Truyền thông.", 12),
    (60, 160, "Ủy ban nhân dân tỉnh góp ý như sau.", 12),
]


def _words(pdf: bytes) -> dict[str, dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return {w["text"]: w for w in document.pages[0].extract_words()}


def _stamped() -> bytes:
    """The printed letter with the clerk's number and day stamped as signature widgets."""
    pdf = make_pdf([{"lines": HEADER}])
    words = _words(pdf)
    so, day = words["Số:"], words["ngày"]
    pdf = add_widget(pdf, 0, (so["x1"] + 8, so["top"] - 2, so["x1"] + 40, so["bottom"] + 2), "507")
    return add_widget(
        pdf, 0, (day["x1"] + 6, day["top"] - 2, day["x1"] + 26, day["bottom"] + 2), "24"
    )


def test_number_and_day_stamped_in_signature_widgets_are_read() -> None:
    result = parse_bytes(_stamped(), "507.signed.pdf")
    assert (result["number"], result["symbol"]) == ("507", "UBND-KGVX")
    assert (result["place"], result["issued_date"]) == ("Quảng Ngãi", "2025-01-24")
    assert result["issuer"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"


def test_pdf_with_bytes_before_its_header_is_accepted_and_read() -> None:
    data = b"\x00SIGNED-BY-TOOL " * 20 + make_pdf([{"lines": HEADER}])
    assert detect_kind(data) is FileKind.PDF
    assert sniff(data) == "application/pdf"
    result = parse_bytes(data, "x.pdf")
    assert result["symbol"] == "UBND-KGVX"
    assert result["title"] == "góp ý dự thảo Chương trình"


def test_pdf_header_past_1024_bytes_is_not_a_pdf() -> None:
    data = b"x" * 2000 + make_pdf([{"lines": HEADER}])
    assert sniff(data) != "application/pdf"
    with pytest.raises(Exception):  # noqa: B017 - any refusal: it is not a file we read
        detect_kind(data)


def test_place_with_a_lowercase_word_beside_the_number_is_kept_whole() -> None:
    # "Thành phố Hồ Chí Minh, ngày14 tháng11": the place shares a row with the Số line.
    lines = [
        (60, 50, "ỦY BAN NHÂN DÂN", 12),
        (300, 50, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11),
        (60, 66, "THÀNH PHỐ HỒ CHÍ MINH", 12),
        (330, 66, "Độc lập - Tự do - Hạnh phúc", 12),
        (60, 82, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", 12),
        (60, 100, "Số: 4646 /SGDĐT-TCCB", 12),
        (232, 100, "Thành phố Hồ Chí Minh, ngày14 tháng11 năm 2025", 12),
        (60, 118, "V/v hướng dẫn bổ nhiệm", 12),
        (60, 150, "Kính gửi: Các đơn vị.", 12),
    ]
    result = parse_bytes(make_pdf([{"lines": lines}]))
    assert (result["number"], result["symbol"]) == ("4646", "SGDĐT-TCCB")
    assert (result["place"], result["issued_date"]) == ("Thành phố Hồ Chí Minh", "2025-11-14")
