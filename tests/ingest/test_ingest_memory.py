"""The parser's memory stays flat over a long PDF (issue 15): each pdfplumber page is
closed once read, so four times the pages do not take four times the memory (they did:
every page's objects were kept until the file was closed)."""

from __future__ import annotations

import tracemalloc

from ingest.limits import IngestLimits
from ingest.pdf_text import read_pdf
from tests.ingest.pdfmaker import make_pdf

LINE = "Các đơn vị triển khai thực hiện nghiêm túc, báo cáo kết quả đúng hạn về Phòng."


def _text_pdf(pages: int) -> bytes:
    return make_pdf([{"lines": [(60.0, 60.0 + 18 * row, LINE, 11) for row in range(40)]}] * pages)


def _peak_while_reading(data: bytes) -> int:
    tracemalloc.start()
    try:
        result = read_pdf(data, IngestLimits())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.lines
    return peak


def test_reading_four_times_the_pages_does_not_take_four_times_the_memory() -> None:
    short, long = _text_pdf(4), _text_pdf(16)
    _peak_while_reading(short)  # imports and caches outside the measurement

    assert _peak_while_reading(long) < 2 * _peak_while_reading(short)
