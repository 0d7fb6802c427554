"""The parser reads text PDFs with PDFium (issue 15: pdfplumber was 10-100× slower), and its
words are pdfplumber's: the same text, cut in the same places, at the same positions within
a small tolerance, with the same weight and size. pdfplumber is opened only for the pages
that need its geometry (a page-sized image: a scan)."""

from __future__ import annotations

import ctypes
import io
import unicodedata
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

import ingest.pdf_text as pdf_text
import ingest.pdfium_words as pdfium_words
from ingest.limits import IngestLimits
from ingest.pdfium_words import extract_words
from ingest.pdfium_words import page_chars
from tests.ingest.pdfmaker import make_pdf
from tests.shared_data import shared_path

# Text PDFs without signature widgets (those are read by pdfplumber, which draws the clerk's
# Số number over blank spaces), of several makers: Word, LibreOffice, WPS Writer, reportlab.
SAME_WORDS = [
    ("real", "doan-thpt-bungrieng-ttr-2025.pdf"),
    ("partial", "bgddt-kh1611-2022.clean.pdf"),
    ("partial", "sgddt-hanoi-cv2928-2022.clean.pdf"),
    ("partial", "sgddt-hcm-cv2865-2007.clean.pdf"),
    ("dev", "seed-001.clean.pdf"),
    ("dev", "seed-003.plain.pdf"),
    ("dev", "seed-004.clean.pdf"),
]
X_TOLERANCE = 0.5  # points: PDFium's float32 against pdfminer's float64 arithmetic
# pdfminer lowers a box by the font descriptor's /Descent; PDFium by its own reading of the
# font when the descriptor says 0 (LibreOffice's fonts): up to a third of the size.
Y_TOLERANCE_SHARE = 0.35


def _pdfplumber_words(data: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            [
                pdf_text._word_style(w)
                for w in page.extract_words(use_text_flow=False, return_chars=True)
            ]
            for page in pdf.pages
        ]


def _pdfium_words(data: bytes) -> list[list[dict]]:
    document = pdfium.PdfDocument(data)
    try:
        return [extract_words(page_chars(document[i])) for i in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize(("corpus", "name"), SAME_WORDS)
def test_pdfium_words_are_pdfplumbers_words(corpus: str, name: str) -> None:
    data = shared_path("corpus", corpus, name).read_bytes()
    expected, got = _pdfplumber_words(data), _pdfium_words(data)

    assert len(got) == len(expected)
    for number, (want, have) in enumerate(zip(expected, got, strict=True), start=1):
        assert [w["text"] for w in have] == [w["text"] for w in want], f"page {number}"
        for a, b in zip(want, have, strict=True):
            where = f"page {number} word {a['text']!r}"
            assert abs(a["x0"] - b["x0"]) <= X_TOLERANCE, where
            assert abs(a["x1"] - b["x1"]) <= X_TOLERANCE, where
            vertical = Y_TOLERANCE_SHARE * float(a["size"]) + X_TOLERANCE
            assert abs(a["top"] - b["top"]) <= vertical, where
            assert abs(a["bottom"] - b["bottom"]) <= vertical, where
            assert ("bold" in a["fontname"].lower()) == ("bold" in b["fontname"].lower()), where
            assert abs(float(a["size"]) - float(b["size"])) <= 0.1, where
            assert a["upright"] == b["upright"], where


def test_words_are_cut_at_gaps_and_end_of_line_hyphens_kept() -> None:
    """PDFium's loose box covers an italic glyph's overhang and its generated spaces are not
    in the PDF: pdfminer's advance-wide boxes cut "Hồ Chí Minh," at its 3.4 pt gaps. PDFium
    gives a hyphen that ends a line as U+0002 (U+FFFE in bulk text): it stays a hyphen."""
    real = shared_path("corpus", "real", "doan-thpt-bungrieng-ttr-2025.pdf").read_bytes()
    texts = [w["text"] for w in _pdfium_words(real)[0]]
    assert "Hồ" in texts and "Chí" in texts and "Minh," in texts

    partial = shared_path("corpus", "partial", "bgddt-kh1611-2022.clean.pdf").read_bytes()
    assert "20/2014/NĐ-" in [w["text"] for w in _pdfium_words(partial)[0]]


def test_text_pdf_is_read_without_pdfplumber_and_lines_are_nfc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pdfplumber opened for a text PDF")

    monkeypatch.setattr(pdf_text.pdfplumber, "open", refuse)
    data = shared_path("corpus", "partial", "bgddt-kh1611-2022.clean.pdf").read_bytes()

    result = pdf_text.read_pdf(data, IngestLimits())

    texts = [line.text for line in result.lines]
    assert any("BỘ GIÁO DỤC VÀ ĐÀO TẠO" in t for t in texts)
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_decomposed_vietnamese_comes_out_nfc() -> None:
    """A PDF whose text layer spells "ế" as e + U+0302 + U+0301 (some Mac exports) is read
    as the composed letters, as pdfplumber's reading was."""
    decomposed = unicodedata.normalize("NFD", "Kế hoạch tổ chức Hội khỏe Phù Đổng")
    data = make_pdf([{"lines": [(72.0, 100.0, decomposed, 13)]}])

    result = pdf_text.read_pdf(data, IngestLimits())

    assert [line.text for line in result.lines] == ["Kế hoạch tổ chức Hội khỏe Phù Đổng"]


def test_pdfplumber_reads_only_the_scanned_page_of_a_mixed_pdf(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Page 13 of this 19-page Illustrator export is a scanned image: pdfplumber measures
    that page's image (its resolution sets the OCR's); PDFium reads the 18 others."""
    path: Path = shared_path("corpus", "real", "sgddt-tcgd-hcm-khlt90-2025.pdf")
    read_by_pdfplumber: list[int] = []
    original = pdf_text._read_page

    def spy(page, index, limits, result):
        read_by_pdfplumber.append(index)
        return original(page, index, limits, result)

    monkeypatch.setattr(pdf_text, "_read_page", spy)

    result = pdf_text.read_pdf(path.read_bytes(), IngestLimits(), plan_only=True)

    assert read_by_pdfplumber == [13]
    assert [request.page for request in result.wanted] == [13]


@pytest.mark.parametrize(
    ("corpus", "name"),
    [
        ("dev", "seed-001.clean.pdf"),  # a text object per line
        ("real", "doan-thpt-bungrieng-ttr-2025.pdf"),  # a text object per character
        ("real", "sgddt-hcm-cv4728-2025.pdf"),  # runs of every length (Word, e-signed)
    ],
)
def test_text_objects_found_by_halving_are_those_asked_char_by_char(corpus: str, name: str) -> None:
    """A text object's characters are consecutive in PDFium's text page, so where each run
    ends is found in a few calls (issue 15); asking every character gives the same runs."""
    document = pdfium.PdfDocument(shared_path("corpus", corpus, name).read_bytes())
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
            text = pdfium_words._text(textpage.raw, textpage.count_chars())
            kept = pdfium_words._kept(handle, text)

            halved = pdfium_words._spans(handle, kept, consecutive=True)

            assert halved == pdfium_words._spans(handle, kept, consecutive=False)
            assert len(halved) > 1
            textpage.close()
    finally:
        document.close()


def test_right_to_left_text_is_read_char_by_char(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium reverses right-to-left runs, so one text object's characters may not be
    consecutive there: such a page asks every character for its text object, and its
    words are still cut and placed as on any page."""
    assert pdfium_words._right_to_left("Kế hoạch שלום")
    assert pdfium_words._right_to_left("مرحبا")
    assert not pdfium_words._right_to_left("KẾ HOẠCH Tổ chức 20/11 – “Hội khỏe”")
    sans = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # has Hebrew letters
    if not sans.exists():
        pytest.skip("DejaVu Sans is not installed")
    lines = [(72.0, 100.0, "Kế hoạch", 13), (72.0, 140.0, "שלום עולם", 13)]
    data = make_pdf([{"lines": lines}], font_path=sans)
    asked: list[bool] = []
    spans = pdfium_words._spans

    def spy(handle, kept, *, consecutive):
        asked.append(consecutive)
        return spans(handle, kept, consecutive=consecutive)

    monkeypatch.setattr(pdfium_words, "_spans", spy)

    words = _pdfium_words(data)[0]

    assert asked == [False]

    assert [w["text"] for w in words][:2] == ["Kế", "hoạch"]
    assert len(words) == 4
    assert words[2]["top"] > words[0]["bottom"]
