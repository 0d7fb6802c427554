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


# -- the closing block of a scan, read again and repaired ---------------------------------


def test_ocr_name_with_pen_marks_between_its_words() -> None:
    closing = [
        (60, 400, "Nơi nhận:"),
        (360, 400, "CHỦ TỊCH"),
        (60, 414, "- Như trên;"),
        (60, 428, "- Lưu: VT."),
        (360, 470, "Đặng *Z” Văn x7x Minh :"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["signer_name"] == "Đặng Văn Minh"


def test_name_under_a_position_lost_to_the_stamp_is_still_the_signer() -> None:
    closing = [
        (60, 400, "Nơi nhận:"),
        (380, 400, "›vĂ"),
        (60, 414, "- Như trên;"),
        (360, 420, "cô ỐC"),
        (60, 428, "- Lưu: VT."),
        (360, 470, "Trần Ngọc Căng"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["signer_name"] == "Trần Ngọc Căng"


def test_position_with_pen_specks_between_its_words_is_restored() -> None:
    closing = [
        (60, 400, "- Như trên;"),
        (360, 400, "TL. CHỦ TỊCH"),
        (60, 414, "- VPUB: CVP, PCVP;"),
        (345, 414, "CHANH VAN Ă PHONG ˆ"),
        (60, 428, "- Lưu: VT, TTHC."),
        (360, 470, "Nguyễn Quốc Việt"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["signer_title"] == "TL. CHỦ TỊCH CHÁNH VĂN PHÒNG"
    assert result["signer_name"] == "Nguyễn Quốc Việt"


def test_name_whose_ocr_boxes_jitter_into_two_rows_is_one_name() -> None:
    from ingest.columns import split_closing
    from ingest.layout import RawLine
    from ingest.layout import Segment

    def row(top: float, bottom: float, pieces: list[tuple[str, float]]) -> RawLine:
        segments = [Segment(t, x, x + 6 * len(t), [(t, x, x + 6 * len(t))]) for t, x in pieces]
        line = RawLine(1, segments, top=top, size=13.0, page_width=595.0)
        line.meta.update({"ocr": True, "bottom": bottom})
        return line

    raw = [
        row(250.0, 262.0, [("Nơi nhận:", 80.0), ("CHỦ TỊCH", 380.0)]),
        row(270.0, 282.0, [("- Như trên;", 80.0)]),
        row(372.0, 390.7, [("Mế", 113.5), ("Hoàng", 405.8)]),
        row(373.0, 386.9, [("- Lưu: VT.", 81.8), ("Trần", 371.8), ("Tuấn", 449.3)]),
    ]
    _, right = split_closing(raw)
    assert [text for _, text in right] == ["CHỦ TỊCH", "Trần Hoàng Tuấn"]


def test_province_misread_by_one_letter_is_restored() -> None:
    rows = [(60, 66, "TINH QUANG NGÁẢI") if text == "TINH QUANG NGAI" else (x, y, text)
            for x, y, text in HEADER_OCR]  # fmt: skip
    result = _ocr_document(rows)
    assert result["issuer"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"


def test_a_speck_between_two_title_lines_is_not_the_rule_under_the_title() -> None:
    def centred(y: float, text: str) -> tuple[float, float, str]:
        width = sum(6.0 * len(w) + 4.0 for w in text.split()) - 4.0
        return (297.5 - width / 2, y, text)

    rows = HEADER_OCR[:6] + [
        centred(130, "TỜ TRÌNH"),
        centred(150, "Về việc miễn nhiệm chức danh Ủy viên"),
        (300, 160, "-"),
        centred(170, "Ủy ban nhân dân tỉnh nhiệm kỳ 2021 - 2026"),
        (60, 210, "Kính gửi: Hội đồng nhân dân tỉnh"),
    ]
    result = _ocr_document(rows)
    assert result["title"] == (
        "Về việc miễn nhiệm chức danh Ủy viên Ủy ban nhân dân tỉnh nhiệm kỳ 2021 - 2026"
    )
    assert result["period"] == "2021-2026"


def test_tiep_nhan_in_the_body_is_not_a_damaged_noi_nhan_label() -> None:
    from ingest.anchors import repair_line
    from ingest.layout import RawLine
    from ingest.layout import Segment

    text = "Tiếp nhận: 49, trong đó, tháng trước chuyển sang: 20"
    line = RawLine(1, [Segment(text, 80.0, 500.0)], top=50.0, size=12.0, page_width=595.0)
    repair_line(line)
    assert line.text == text


def test_stamp_specks_after_an_item_and_a_lost_dash_on_a_scan() -> None:
    closing = [
        (60, 400, "Nơi nhận:"),
        (360, 400, "CHỦ TỊCH"),
        (60, 414, "- Báo Quảng Ngãi; \\\\"),
        (60, 428, "- Sở Nội vụ;"),
        (66, 442, "VPUB: PCVP, KTTH;"),
        (60, 456, "- Các Sở, ban ngành tỉnh; lÍ=l"),
        (60, 470, "- Lưu: VT."),
        (360, 480, "Trần Ngọc Căng"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert result["recipients"] == [
        "Báo Quảng Ngãi",
        "Sở Nội vụ",
        "VPUB: PCVP, KTTH",
        "Các Sở, ban ngành tỉnh",
        "Lưu: VT",
    ]


CLOSING_LINES = [
    (60, 300, "Nơi nhận:", 11),
    (340, 300, "KT. HIỆU TRƯỞNG", 12),
    (60, 316, "- Các tổ chuyên môn;", 11),
    (340, 316, "PHÓ HIỆU TRƯỞNG", 12),
    (60, 332, "- Lưu: VT.", 11),
    (350, 380, "Nguyễn Văn Bình", 12),
]


@needs_tesseract
def test_closing_block_of_a_scan_is_read_again_on_its_own(tmp_path: Path) -> None:
    pdf = make_pdf([{"image": page_image(SCAN_LINES + CLOSING_LINES, dpi=200)}])
    result = parse_bytes(pdf, "scan.pdf", limits=IngestLimits(ocr_cache_dir=str(tmp_path)))
    # The block below "Nơi nhận:" was OCR'd a second time, cropped, and its reading kept.
    assert list(tmp_path.glob("*-p1-from*.tsv"))
    assert result["signer_title"] == "KT. HIỆU TRƯỞNG PHÓ HIỆU TRƯỞNG"
    assert result["signer_name"] == "Nguyễn Văn Bình"
    assert result["recipients"][0] == "Các tổ chuyên môn"
    assert len(result["recipients"]) == 2


def test_handwritten_number_glued_to_the_so_label_keeps_the_symbol() -> None:
    rows = [(60, 90, "Sôz4† /CT-UBND") if text.startswith("Số:") else (x, y, text)
            for x, y, text in HEADER_OCR]  # fmt: skip
    result = _ocr_document(rows)
    assert (result["number"], result["symbol"]) == (None, "CT-UBND")


def test_row_of_a_misread_noi_nhan_label_keeps_the_position_beside_it() -> None:
    closing = [
        (60, 400, "ms sa"),
        (420, 400, "CHỦ TỊCH"),
        (60, 414, "- Văn phòng Chính phủ;"),
        (60, 428, "- Bộ Giáo dục và Đào tạo;"),
        (60, 442, "- Thường trực Tỉnh ủy;"),
        (60, 456, "- Lưu: VT, KGVX."),
        (400, 456, "Đặng *Z” Văn x7x Minh :"),
    ]
    result = _ocr_document(HEADER_OCR + closing)
    assert (result["signer_title"], result["signer_name"]) == ("CHỦ TỊCH", "Đặng Văn Minh")
    assert result["recipients"][0] == "Văn phòng Chính phủ"
    assert len(result["recipients"]) == 4
