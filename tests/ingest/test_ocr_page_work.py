"""The work around Tesseract on a scanned page, cut without changing what is read (issue 15).

* Pages are handed to the reader as soon as they (and the pages before them) are read,
  while later pages are still with Tesseract, so the reader's own work on their lines runs
  beside the Tesseracts instead of after the last one.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import ingest.ocr
from ingest.limits import IngestLimits
from ingest.ocr_request import OcrRequest
from tests.shared_data import corpus_file

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract not installed"
)


def _held_tesseract(release: threading.Event, held_page: str) -> Callable[[Path, float], str]:
    """A stand-in for Tesseract that reads every page at once except ``held_page``, which
    it finishes only when ``release`` is set."""

    def run(path: Path, timeout: float) -> str:
        if path.name == held_page:
            assert release.wait(10), "the last page was never released"
        return ""

    return run


@needs_tesseract
def test_pages_read_are_handed_over_while_a_later_page_is_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    monkeypatch.setattr(ingest.ocr, "_run_tesseract", _held_tesseract(release, "page-4.pgm"))
    data = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    requests = [OcrRequest(page, 595.0, 100) for page in (1, 2, 3, 4)]
    handed: list[tuple[int, bool]] = []
    for request, lines in ingest.ocr.ocr_pages(data, requests, IngestLimits(ocr_workers=2)):
        handed.append((request.page, release.is_set()))
        assert lines == []
        if request.page == 1:
            release.set()  # page 4 ends only now: page 1 came while it was being read
    assert handed[0] == (1, False)
    assert [page for page, _ in handed] == [1, 2, 3, 4]  # still in page order
