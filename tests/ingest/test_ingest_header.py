"""Header and closing columns on the real corpus PDFs and text, and header fields."""

from __future__ import annotations

import re

import pytest

from ingest import parse_bytes
from ingest import parse_path
from tests.ingest.conftest import build_docx
from tests.ingest.conftest import corpus_ids
from tests.ingest.conftest import load_labels


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("–", "-")).strip()


def _column(result: dict, zone: str, column: str) -> list[str]:
    return [_norm(x["text"]) for x in result["text"] if x["zone"] == zone and x["column"] == column]


@pytest.mark.parametrize("variant", ["clean.pdf", "plain.pdf", "txt"])
@pytest.mark.parametrize("doc_id", corpus_ids())
def test_header_columns_match_the_layout(corpus, doc_id: str, variant: str) -> None:
    layout = load_labels(doc_id)["layout"]
    result = parse_path(corpus / f"{doc_id}.{variant}")
    assert _column(result, "header", "left") == [_norm(x) for x in layout["header_left"]]
    assert _column(result, "header", "right") == [_norm(x) for x in layout["header_right"]]


@pytest.mark.parametrize("variant", ["clean.pdf", "plain.pdf", "txt"])
@pytest.mark.parametrize("doc_id", corpus_ids())
def test_closing_columns_are_not_interleaved(corpus, doc_id: str, variant: str) -> None:
    layout = load_labels(doc_id)["layout"]
    result = parse_path(corpus / f"{doc_id}.{variant}")
    left = " ".join(_column(result, "closing", "left"))
    right = [x for x in _column(result, "closing", "right")]
    assert left == _norm(" ".join(layout["recipients_block"]))
    assert [x for x in right if x] == [_norm(x) for x in layout["signature_block"] if x] or (
        not layout["recipients_block"]
    )


@pytest.mark.parametrize("doc_id", corpus_ids())
def test_header_fields_of_clean_pdf(corpus, doc_id: str) -> None:
    labels = load_labels(doc_id)["labels"]
    result = parse_path(corpus / f"{doc_id}.clean.pdf")
    for key in ("doc_type", "number", "symbol", "issuer", "parent_issuer", "place"):
        assert result[key] == labels[key], key
    assert result["issued_date"] == labels["issued_date"]
    assert _norm(result["title"] or "") == _norm(labels["title"] or "")


def test_header_pdf_lines_have_no_rules_or_page_numbers(corpus) -> None:
    result = parse_path(corpus / "seed-000.clean.pdf")
    texts = [x["text"] for x in result["text"]]
    assert not [t for t in texts if re.fullmatch(r"[_\-–—.\s]+|\d{1,3}", t)]


def test_header_every_field_has_a_source(corpus) -> None:
    result = parse_path(corpus / "seed-000.clean.pdf")
    lines = {(x["page"], x["line"]): x["text"] for x in result["text"]}
    assert lines[tuple(result["sources"]["issuer"].values())] == "TRƯỜNG THCS MỸ THẠNH"
    assert "Mỹ Phước" in lines[tuple(result["sources"]["place"].values())]
    for item in result["references"] + result["deadlines"]:
        assert (item["source"]["page"], item["source"]["line"]) in lines


DOCX_HEADER_LEFT = [
    "UBND HUYỆN TRỰC NINH",
    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    "Số: 125/PGDĐT-VP",
    "V/v tổ chức hội thi giáo viên dạy giỏi",
    "cấp huyện năm học 2025-2026",
]
DOCX_HEADER_RIGHT = ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Trực Ninh, ngày 05 tháng 9 năm 2025"]  # fmt: skip


def test_header_cong_van_from_docx_tables() -> None:
    data = build_docx(
        DOCX_HEADER_LEFT,
        DOCX_HEADER_RIGHT,
        ["Kính gửi: Hiệu trưởng các trường tiểu học, THCS trong huyện.", "Nội dung."],
        ["Nơi nhận:", "- Như trên;", "- Lưu: VT, CM."],
        ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "(Đã ký)", "Trần Thị Mai"],
    )
    result = parse_bytes(data, "cv.docx")
    assert {k: result[k] for k in ("doc_type", "number", "symbol", "issuer", "parent_issuer")} == {
        "doc_type": "CV",
        "number": "125",
        "symbol": "PGDĐT-VP",
        "issuer": "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "parent_issuer": "UBND HUYỆN TRỰC NINH",
    }
    assert result["title"] == "tổ chức hội thi giáo viên dạy giỏi cấp huyện năm học 2025-2026"
    assert (result["place"], result["issued_date"]) == ("Trực Ninh", "2025-09-05")
    assert result["period"] == "2025-2026"
    assert result["signer_title"] == "KT. TRƯỞNG PHÒNG PHÓ TRƯỞNG PHÒNG"
    assert result["signer_position"] == "PHÓ TRƯỞNG PHÒNG"
    assert result["signer_name"] == "Trần Thị Mai"
    assert result["recipients"] == ["Như trên", "Lưu: VT, CM"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["ĐẢNG BỘ HUYỆN TRỰC NINH          ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ TRƯỜNG THCS A",
             "*", "Số 12-KH/CB          Trực Ninh, ngày 09 tháng 02 năm 2024", "",
             "KẾ HOẠCH", "Học tập nghị quyết năm 2024"],
            {"number": "12", "symbol": "KH/CB", "issuer": "CHI BỘ TRƯỜNG THCS A",
             "parent_issuer": "ĐẢNG BỘ HUYỆN TRỰC NINH", "issued_date": "2024-02-09",
             "doc_type": "KH", "period": "2024"},
        ),
        (
            ["SỞ GD&ĐT TỈNH NAM ĐỊNH          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "TRƯỜNG THPT A          Độc lập - Tự do - Hạnh phúc",
             "Số: 05/QĐ-THPTA          Nam Định, ngày 15 tháng 8 năm 2025", "",
             "QUYẾT ĐỊNH", "Về việc thành lập Hội đồng thi đua năm học 2025 – 2026"],
            {"number": "05", "symbol": "QĐ-THPTA", "issuer": "TRƯỜNG THPT A",
             "parent_issuer": "SỞ GD&ĐT TỈNH NAM ĐỊNH", "issued_date": "2025-08-15",
             "doc_type": "QĐ", "period": "2025-2026"},
        ),
    ],
)  # fmt: skip
def test_header_fields_from_text(lines: list[str], expected: dict) -> None:
    result = parse_bytes("\n".join(lines + ["", "Nội dung."]).encode())
    assert {k: result[k] for k in expected} == expected
