"""A confidence for every field (issue 11): how it was read, whether the cues agree."""

from __future__ import annotations

from ingest import parse_bytes
from ingest.confidence import LISTS
from ingest.confidence import SCALARS
from storage.models import IncomingDocument
from tests.ingest.test_ingest_real_scans import HEADER_OCR
from tests.ingest.test_ingest_real_scans import _ocr_document
from tests.plans.conftest import clerk  # noqa: F401 - fixtures of the review page
from tests.plans.conftest import parsed_text  # noqa: F401

TEXT = (
    "SỞ GD&ĐT A          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TRƯỜNG THCS B          Độc lập - Tự do - Hạnh phúc\n"
    "Số: 15/KH-THCS          B, ngày 10 tháng 9 năm 2024\n\n"
    "KẾ HOẠCH\nThi đua năm học 2024-2025\n\nNội dung./.\n"
)


def test_every_field_has_a_confidence_and_a_typed_text_is_trusted() -> None:
    result = parse_bytes(TEXT.encode())
    confidence = result["confidence"]
    assert set(confidence) == set(SCALARS) | set(LISTS)
    for key in ("doc_type", "number", "symbol", "issuer", "place", "issued_date", "title"):
        assert confidence[key]["level"] == "high", key
        assert confidence[key]["via"] == "text"
    # The contract's own keys are unchanged beside it.
    assert (result["number"], result["symbol"]) == ("15", "KH-THCS")


def test_ocr_fields_say_so_and_an_unreadable_number_is_doubtful() -> None:
    from ingest.anchors import repair_ocr_lines
    from ingest.confidence import field_confidence
    from ingest.extract import extract
    from ingest.layout import Word
    from ingest.layout import words_to_lines
    from ingest.reading import build_document

    words = []
    for x, y, text in HEADER_OCR:
        for piece in text.split():
            words.append(Word(piece, x, x + 6.0 * len(piece), y, y + 12, 12.0, confidence=55.0))
            x += 6.0 * len(piece) + 4.0
    lines = words_to_lines(words, 1, 595.0)
    for line in lines:
        line.meta["ocr"] = True
    document = build_document(repair_ocr_lines(lines), "pdf")
    values = extract(document)
    confidence = field_confidence(values, document)
    assert confidence["symbol"]["via"] == "ocr" and confidence["symbol"]["level"] != "high"
    assert "OCR" in confidence["symbol"]["why"]
    assert values["number"] is None and confidence["number"]["level"] != "high"
    assert _ocr_document(HEADER_OCR)["symbol"] == "CT-UBND"


def test_review_page_marks_doubtful_fields(app, clerk, parsed_text) -> None:  # noqa: F811
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = session.get(IncomingDocument, parsed_text)
        extracted = dict(incoming.extracted)
        assert extracted["confidence"]["symbol"]["level"] == "high"
        extracted["confidence"] = {
            **extracted["confidence"],
            "symbol": {"score": 0.4, "level": "low", "via": "ocr", "why": "đọc bằng OCR"},
        }
        incoming.extracted = extracted
        session.commit()
    page = clerk.get(f"/van-ban-den/{parsed_text}").get_data(as_text=True)
    assert page.count("cần kiểm tra") == 1
    assert 'title="đọc bằng OCR">cần kiểm tra</span>' in page
