"""A scanned page whose OCR runs out of time is reported unread (not taken as blank): the
reading says which pages, the review page warns, and the shared parse cache does not hand
the incomplete reading to the next upload of the same bytes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import ingest.ocr
from ingest import parse_bytes
from tests.shared_data import corpus_file


def _first_pages(path: Path, count: int) -> bytes:
    source = pdfium.PdfDocument(path)
    kept = pdfium.PdfDocument.new()
    kept.import_pages(source, list(range(count)))
    out = io.BytesIO()
    kept.save(out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_a_page_whose_ocr_overruns_is_reported_unread_and_the_others_are_read(monkeypatch):
    data = _first_pages(corpus_file("dev", "seed-000.scan.pdf"), 2)
    real = ingest.ocr._run_tesseract

    def slow_second_page(path: Path, timeout: float) -> str:
        # The real Tesseract, given no time for page 2: the real timeout path.
        return real(path, 0.001 if path.name.startswith("page-2") else timeout)

    monkeypatch.setattr(ingest.ocr, "_run_tesseract", slow_second_page)
    result = parse_bytes(data, "ke-hoach.pdf")
    assert result["unread_pages"] == [2]
    assert any(w.startswith("Trang 2 là ảnh quét") for w in result["warnings"])
    assert {x["page"] for x in result["text"]} == {1}
    assert result["issuer"] == "TRƯỜNG THCS MỸ THẠNH"  # page 1 was read

    monkeypatch.setattr(ingest.ocr, "_run_tesseract", real)
    again = parse_bytes(data, "ke-hoach.pdf")
    assert again["unread_pages"] == [] and {x["page"] for x in again["text"]} == {1, 2}
