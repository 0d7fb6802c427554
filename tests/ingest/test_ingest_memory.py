"""The parser's memory stays flat over a long PDF (issue 15): what reading needs beyond the
lines it returns does not grow with the pages (it did: every pdfplumber page's objects were
kept until the file was closed). Text PDFs are now read by PDFium, a page at a time; the
lines themselves are the result, so they are left out of the measure."""

from __future__ import annotations

import tracemalloc

from ingest.limits import IngestLimits
from ingest.pdf_text import read_pdf
from tests.ingest.pdfmaker import make_pdf

LINE = "Các đơn vị triển khai thực hiện nghiêm túc, báo cáo kết quả đúng hạn về Phòng."


def _text_pdf(pages: int) -> bytes:
    return make_pdf([{"lines": [(60.0, 60.0 + 18 * row, LINE, 11) for row in range(40)]}] * pages)


def _transient_peak(data: bytes) -> int:
    """The peak while reading, less what the result (kept alive here) still holds."""
    tracemalloc.start()
    try:
        result = read_pdf(data, IngestLimits())
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.lines
    return peak - kept


def test_reading_four_times_the_pages_does_not_take_four_times_the_memory() -> None:
    short, long = _text_pdf(4), _text_pdf(16)
    _transient_peak(short)  # imports and caches outside the measurement

    assert _transient_peak(long) < 2 * _transient_peak(short)
