"""Scans and scanners' text layers (issue 11): judging layers, OCR'd anchors, stamps, signers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import IngestLimits
from ingest import parse_bytes
from ingest.anchors import repair_ocr_lines
from ingest.extract import extract
from ingest.layout import Word
from ingest.layout import words_to_lines
from ingest.reading import build_document
from ingest.syllables import fuzzy_prefix
from ingest.syllables import is_syllable
from ingest.syllables import layer_quality
from tests.ingest.pdfmaker import make_pdf
from tests.ingest.pdfmaker import page_image

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


# -- judging a text layer ------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["nghiêng", "quyết", "giữ", "khuyến", "gìn", "quốc", "người", "Trường", "ĐOÀN", "ĐỐC"]
)
def test_vietnamese_syllables_are_recognised(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["DVC", "vA", "Hcok", "HQI", "THƠNG", "cí", "kan", "chừt", "bàt"])
def test_impossible_syllables_are_refused(word: str) -> None:
    assert not is_syllable(word)


def test_scanner_ocr_layer_is_judged_poor_and_real_text_is_not() -> None:
    junk = "SO GIAO DVC vA DA° TAO CONG Hcok xA HQI CHU NGHIA VIET NAM Doc lap Tu do Hanh phuc"
    good = "SỞ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do"
    assert layer_quality(junk).poor()
    assert not layer_quality(good).poor()
    assert layer_quality(good).score > layer_quality(junk).score


def test_fuzzy_prefix_allows_ocr_slips_over_syllables() -> None:
    assert fuzzy_prefix("Noi nhận: - Như trên;", "Nơi nhận") == 2
    assert fuzzy_prefix("Nơi nhân:", "Nơi nhận") == 2
    assert fuzzy_prefix("Nội dung", "Nơi nhận") is None


SCAN_LINES = [
    (60, 50, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", 12),
    (300, 50, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 11),
    (72, 66, "TRƯỜNG THCS MỸ THẠNH", 12),
    (330, 66, "Độc lập - Tự do - Hạnh phúc", 12),
    (60, 90, "Số: 12/KH-THCS", 12),
    (300, 90, "Mỹ Thạnh, ngày 10 tháng 9 năm 2024", 12),
    (250, 130, "KẾ HOẠCH", 14),
    (170, 150, "Tổ chức phong trào thi đua năm học 2024-2025", 12),
    (60, 190, "Căn cứ kế hoạch của Phòng, trường xây dựng kế hoạch như sau.", 12),
    (60, 210, "Các tổ nộp báo cáo trước ngày 20/9/2024 về văn phòng.", 12),
]


@needs_tesseract
def test_page_with_a_poor_text_layer_is_ocr_d(tmp_path: Path) -> None:
    # A scan whose scanner laid its own OCR (without diacritics, letters swapped) under it.
    hidden = [(x, y, text.upper().replace("Ở", "O").replace("Ụ", "V").replace("Ộ", "Q"), s)
              for x, y, text, s in SCAN_LINES]  # fmt: skip
    hidden += [(60, 300 + 14 * i, "Cac to nop bao cao truoc ngay hoi nghi DVC vA DA°", 12)
               for i in range(8)]  # fmt: skip
    pdf = make_pdf([{"image": page_image(SCAN_LINES, dpi=200), "hidden": hidden}])
    result = parse_bytes(pdf, "scan.pdf", limits=IngestLimits(ocr_cache_dir=str(tmp_path)))
    assert result["ocr"] is True
    assert result["issuer"] == "TRƯỜNG THCS MỸ THẠNH"
    assert result["symbol"] == "KH-THCS"
    assert [d["date"] for d in result["deadlines"]] == ["2024-09-20"]


@needs_tesseract
def test_scan_is_ocr_d_at_its_own_resolution_and_kept_per_page(tmp_path: Path) -> None:
    pdf = make_pdf([{"image": page_image(SCAN_LINES, dpi=150)}])
    first = parse_bytes(pdf, "scan.pdf", limits=IngestLimits(ocr_cache_dir=str(tmp_path)))
    assert first["ocr_pages"] == [{"page": 1, "dpi": 150}]
    kept = list(tmp_path.glob("*-p1-150-*.tsv"))
    assert len(kept) == 1
    # A retry reads the kept page instead of running Tesseract again.
    kept[0].write_text(kept[0].read_text(encoding="utf-8").replace("MỸ", "MỸ"), "utf-8")
    again = parse_bytes(pdf, "scan.pdf", limits=IngestLimits(ocr_cache_dir=str(tmp_path)))
    assert again["issuer"] == first["issuer"] == "TRƯỜNG THCS MỸ THẠNH"


# -- OCR'd lines: anchors, stamps, signers ------------------------------------------------


def _ocr_document(rows: list[tuple[float, float, str]], confidence: float = 90.0) -> dict:
    """Parse lines as Tesseract would give them (words with boxes, marked as OCR)."""
    words = []
    for x, y, text in rows:
        for piece in text.split():
            width = 6.0 * len(piece)
            words.append(Word(piece, x, x + width, y, y + 12, 12.0, confidence=confidence))
            x += width + 4.0
    lines = words_to_lines(words, 1, 595.0)
    for line in lines:
        line.meta["ocr"] = True
    return extract(build_document(repair_ocr_lines(lines), "pdf"))


HEADER_OCR = [
    (60, 50, "ỦY BAN NHÂN DÂN"),
    (300, 50, "CỘNG HOÀ XÃ HỌI CHÚ NGHĨA VIỆT NAM"),
    (60, 66, "TINH QUANG NGAI"),
    (330, 66, "Độc lập - Tự do - Hạnh phúc"),
    (60, 90, "Số: Ø7. /CT-UBND"),
    (300, 90, "Quảng Ngãi, ngày Ø2 thángØ năm 2021"),
    (270, 130, "CHỈ THỊ"),
    (180, 150, "Về việc triển khai hóa đơn điện tử"),
    (60, 190, "Các sở, ngành thực hiện nghiêm túc Chỉ thị này./."),
]


def test_ocr_quoc_hieu_with_slips_still_splits_the_header() -> None:
    result = _ocr_document(HEADER_OCR)
    assert result["issuer"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert result["parent_issuer"] is None


def test_unreadable_handwritten_number_and_day_keep_symbol_and_place() -> None:
    result = _ocr_document(HEADER_OCR)
    assert (result["number"], result["symbol"]) == (None, "CT-UBND")
    assert (result["place"], result["issued_date"]) == ("Quảng Ngãi", None)
    assert result["title"] == "Về việc triển khai hóa đơn điện tử"


def test_ocr_noi_nhan_and_signer_with_stamp_noise() -> None:
    closing = [
        (60, 400, "nự nhận:"),
        (330, 400, "KT. CHỦ TỊCH"),
        (60, 414, "~ Như trên;"),
        (330, 414, "PHÓ CHỦ TỊCH"),
        (60, 428, "“ Thường trực Tỉnh ủy;"),
        (350, 440, "$\\ #Amd đv"),
        (60, 442, "- Lưu: VT, KT."),
        (350, 460, "Tuyên Quảng"),
        (350, 480, "Trần Hoàng Tuấn"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["recipients"] == ["Như trên", "Thường trực Tỉnh ủy", "Lưu: VT, KT"]
    assert result["signer_title"] == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    assert result["signer_name"] == "Trần Hoàng Tuấn"


def test_position_split_over_two_ocr_rows_and_junk_name_refused() -> None:
    closing = [
        (60, 400, "Nơi nhận:"),
        (360, 400, "CHỦ"),
        (60, 414, "- Như trên;"),
        (360, 416, "TỊCH"),
        (60, 430, "- Lưu: VT."),
        (350, 450, "VÀ VÉ"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["signer_title"] == "CHỦ TỊCH"
    assert result["signer_name"] is None


def test_red_stamp_and_blue_signature_fade_before_ocr_black_print_stays() -> None:
    from PIL import Image

    from ingest.ocr import drop_colour_ink

    image = Image.new("RGB", (30, 10), (255, 255, 255))
    for x in range(10):
        image.putpixel((x, 5), (20, 20, 20))  # printed text
        image.putpixel((10 + x, 5), (200, 30, 30))  # red stamp
        image.putpixel((20 + x, 5), (30, 40, 180))  # blue signature
    grey = drop_colour_ink(image)
    assert grey.mode == "L"
    assert grey.getpixel((5, 5)) < 60
    assert grey.getpixel((15, 5)) > 150 and grey.getpixel((25, 5)) > 150


def test_scan_without_a_readable_noi_nhan_label_still_has_its_recipients() -> None:
    closing = [
        (60, 400, "- Văn phòng Chính phủ;"),
        (60, 414, "- Bộ Giáo dục và Đào tạo;"),
        (60, 428, "- Lưu: VT, KGVX."),
        (360, 414, "CHỦ TỊCH"),
        (360, 470, "Đặng Văn x Minh h"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["recipients"] == [
        "Văn phòng Chính phủ",
        "Bộ Giáo dục và Đào tạo",
        "Lưu: VT, KGVX",
    ]
    assert (result["signer_title"], result["signer_name"]) == ("CHỦ TỊCH", "Đặng Văn Minh")


def test_noi_nhan_and_position_read_as_one_run_are_cut_at_the_column_edge() -> None:
    closing = [
        # A stamp pushed "Nơi nhận:" right: the two columns are one run of words to OCR.
        (300, 400, "Nơi nhận:"),
        (375, 400, "CHỦ TỊCH"),
        (60, 414, "- Như trên;"),
        (60, 428, "- Các ngân hàng thương mại trên địa bàn tỉnh;"),
        (60, 442, "- Lưu: VT."),
        (375, 470, "Trần Ngọc Căng"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["signer_title"] == "CHỦ TỊCH"
    assert result["recipients"][-1] == "Lưu: VT"


def test_ocr_signer_lines_with_stamp_specks_and_a_misread_family_name() -> None:
    closing = [
        (60, 400, "Nơi nhận:"),
        (360, 400, "KT. CHỦ TỊCH"),
        (60, 414, "- Như trên;"),
        (380, 416, "Ầ"),
        (60, 428, "- Lưu: VT."),
        (380, 430, "4"),
        (360, 444, "PHÓ CHỦ TỊCH"),
        (360, 470, "LÒ RA"),
        (360, 490, "Nguyên Hoàng ` Giang :"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["signer_title"] == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    assert result["signer_name"] == "Nguyễn Hoàng Giang"


def test_type_name_after_a_speck_and_a_doubled_d_stroke() -> None:
    rows = HEADER_OCR[:6] + [
        (150, 130, "_"),
        (270, 130, "BÁO CÁO"),
        (180, 150, "Kết quả cải cách thủ tục hành chính tháng 01/2025"),
        (60, 190, "Thực hiện Quyết định số 08/QĐĐ-TTg ngày 15/01/2025 của Thủ tướng./."),
    ]
    result = _ocr_document(rows)
    assert result["doc_type"] == "BC"
    assert result["title"] == "Kết quả cải cách thủ tục hành chính tháng 01/2025"
    assert [r["number"] for r in result["references"]] == ["08/QĐ-TTg"]
