"""The work around Tesseract on a scanned page, cut without changing what is read (issue 15).

* A page tilted by one step of the skew search (0.2°) is read as it is: Tesseract fits such
  a baseline itself, and turning the page cost a tenth of Tesseract's own time. A page
  tilted by more is still turned straight.
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
from PIL import Image

import ingest.ocr
from ingest.limits import IngestLimits
from ingest.ocr_deskew import estimate_skew
from ingest.ocr_request import OcrRequest
from tests.shared_data import corpus_file

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract not installed"
)


def _page(name: str) -> Image.Image:
    return ingest.ocr.render_page(corpus_file("partial", name).read_bytes(), 1, 200)


def test_a_page_tilted_by_one_search_step_is_read_unturned() -> None:
    image = _page("pgddt-dongxoai-tb151-2012.scan.pdf")
    assert estimate_skew(image) == pytest.approx(-0.2)
    assert ingest.ocr.deskew(image) is image


def test_a_page_tilted_by_more_is_turned_straight() -> None:
    image = _page("bgddt-cv1277-2024.scan.pdf")
    assert estimate_skew(image) == pytest.approx(0.6)
    turned = ingest.ocr.deskew(image)
    assert turned is not image
    assert estimate_skew(turned) == pytest.approx(0.0, abs=0.01)


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
