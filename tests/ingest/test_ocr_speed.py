"""What makes a scan's OCR fast without changing what it reads (issue 15).

* Each Tesseract is started with one thread (``OMP_THREAD_LIMIT=1``): pages already run in
  parallel, one per core, and Tesseract's own OpenMP threads would only fight them.
* The skew is found by computing each ink pixel's row at every candidate angle instead of
  rotating the page image 31 times; on the corpus's scans it finds the same angle as the
  rotating search.
* Pages are read by Tesseracts in parallel (one a core), and the next page is rendered and
  deskewed while the page before it is read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import ingest.ocr
from ingest.limits import IngestLimits
from ingest.ocr_deskew import estimate_skew
from ingest.ocr_deskew import reference_skew
from ingest.ocr_request import OcrRequest
from tests.shared_data import corpus_file

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract not installed"
)

# Scanned pages of the corpus, tilted both ways (up to 1.4°) and straight, at 200 and 300
# dpi: (corpus, file, page, dpi).
_SKEWED_PAGES = [
    ("dev", "seed-004.scan.pdf", 3, 200),
    ("dev", "seed-004.scan.pdf", 5, 200),
    ("dev", "seed-000.scan.pdf", 1, 200),
    ("partial", "th-taybacson-kh14-2024.scan.pdf", 1, 200),
    ("partial", "bgddt-cv1277-2024.scan.pdf", 1, 200),
    ("real", "ubnd-quangngai-ct05-2020.pdf", 2, 300),
    ("real", "ubnd-quangngai-cv299-2025.pdf", 2, 300),
    ("real", "ubnd-quangngai-ct01-2021.pdf", 1, 300),
]


@pytest.mark.parametrize(("corpus", "name", "page", "dpi"), _SKEWED_PAGES)
def test_skew_found_without_rotating_is_the_rotating_searchs_angle(
    corpus: str, name: str, page: int, dpi: int
) -> None:
    image = ingest.ocr.render_page(corpus_file(corpus, name).read_bytes(), page, dpi)
    assert abs(estimate_skew(image) - reference_skew(image)) < 0.1


def test_the_corpus_pages_compared_are_really_tilted() -> None:
    # The comparison above means something only if some of its pages are tilted.
    data = corpus_file("real", "ubnd-quangngai-ct05-2020.pdf").read_bytes()
    assert estimate_skew(ingest.ocr.render_page(data, 2, 300)) <= -1.0


def test_skew_of_a_blank_page_is_what_the_rotating_search_said() -> None:
    # No ink: every angle scores 0 and the first one searched wins, in both.
    blank = Image.new("L", (1654, 2339), 255)
    assert estimate_skew(blank) == reference_skew(blank) == -3.0


@needs_tesseract
def test_tesseract_is_started_with_one_thread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[dict[str, str]] = []
    real_run = subprocess.run

    def run(args: Any, **kwargs: Any) -> Any:
        seen.append(dict(kwargs.get("env") or os.environ))
        return real_run(args, **kwargs)

    image = Image.new("L", (400, 100), 255)
    path = tmp_path / "page.pgm"
    image.save(path)
    ingest.ocr._tesseract()  # found before the spy, which sees only the page's run
    monkeypatch.setattr(subprocess, "run", run)
    ingest.ocr._run_tesseract(path, 30)
    assert seen and all(env.get("OMP_THREAD_LIMIT") == "1" for env in seen)


def _fake_tesseract(log: Path, seconds: float) -> Callable[[Path, float], str]:
    """A stand-in for Tesseract that notes which process read which page, and when."""

    def run(path: Path, timeout: float) -> str:
        start = time.monotonic()
        time.sleep(seconds)
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"tesseract {path.name} {os.getpid()} {start} {time.monotonic()}\n")
        return ""

    return run


@needs_tesseract
def test_the_next_page_is_prepared_while_tesseract_reads_the_last(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "log.txt"
    real_deskew = ingest.ocr.deskew

    def deskew(image: Image.Image) -> Image.Image:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"deskew - {os.getpid()} {time.monotonic()} {time.monotonic()}\n")
        return real_deskew(image)

    monkeypatch.setattr(ingest.ocr, "_run_tesseract", _fake_tesseract(log, 0.5))
    monkeypatch.setattr(ingest.ocr, "deskew", deskew)
    data = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    requests = [OcrRequest(page, 595.0, 100) for page in (1, 2, 3, 4)]
    done = list(ingest.ocr.ocr_pages(data, requests, IngestLimits(ocr_workers=2)))

    assert [request.page for request, _ in done] == [1, 2, 3, 4]  # still in page order
    entries = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    reads = sorted(
        (float(start), float(end)) for kind, _, _, start, end in entries if kind == "tesseract"
    )
    prepared = sorted(float(at) for kind, _, _, at, _ in entries if kind == "deskew")
    assert len(reads) == 4 and len(prepared) == 4
    # Two Tesseracts at once (one a core), and page 2 prepared while page 1 was read:
    # preparing a page does not wait for the page before it.
    assert sum(1 for a, b in zip(reads, reads[1:], strict=False) if b[0] < a[1]) >= 2
    assert prepared[1] < reads[0][1]
