"""Benchmark the plan parser against the libraries it stands on, measured in the same run.

Usage::

    .venv/bin/python -m bench.ingest [--corpus DIR ...] [--repeat N] [--no-ocr]

Text PDFs: seconds per page for the whole pipeline (``parse_bytes``) beside pypdfium2's own
text extraction and pdfplumber's ``extract_words`` on the same files, with the ratios; and
the upload job's work (the parse plus the page sizes the parser child records; no image is
drawn) against the parse (issue 15: ≤ 1.5×), and what a page's first view costs: the
web's child drawing it (start, PDFium, PNG; with the pages drawn ahead) and its storing.
VANTHU_OCR_CACHE (a folder) keeps the OCR that sorts real/'s files into text and scans
from one run to the next.
Scanned PDFs: OCR seconds per page of the pipeline (render at the scan's own resolution,
deskew, colour ink faded, Tesseract, pages in parallel, no cache) beside plain ``tesseract``
on the same page rendered at the same resolution, one page at a time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest import IngestLimits  # noqa: E402
from ingest import parse_bytes  # noqa: E402
from ingest.page_images import PAGE_IMAGE_WIDTH  # noqa: E402
from ingest.page_images import draw_in_child  # noqa: E402
from services.plans.parse_results import DRAW_AHEAD  # noqa: E402
from worker.jobs.plans import _emit_page_sizes  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT_CORPORA = [SHARED / "dev", SHARED / "partial", SHARED / "real"]


def _plumber(data: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            page.extract_words(extra_attrs=["fontname", "size"])
    return time.perf_counter() - start, pages


def _pdfium(data: bytes) -> float:
    start = time.perf_counter()
    document = pdfium.PdfDocument(data)
    for index in range(len(document)):
        page = document[index]
        page.get_textpage().get_text_range()
    document.close()
    return time.perf_counter() - start


def _pipeline(data: bytes, name: str, cache: str | None = None) -> dict:
    start = time.perf_counter()
    result = parse_bytes(data, name, limits=IngestLimits(ocr_cache_dir=cache))
    result["_seconds"] = time.perf_counter() - start
    return result


def _job(data: bytes, name: str) -> float:
    """The parser child's work for a PDF upload: the parse, then every page's image size."""
    start = time.perf_counter()
    parse_bytes(data, name, limits=IngestLimits())
    _emit_page_sizes(data, PAGE_IMAGE_WIDTH, _encode)
    return time.perf_counter() - start


def _first_view(data: bytes, ahead: int) -> tuple[float, float, int]:
    """A page's first view: seconds of the web's child drawing page 1 (and ``ahead`` more)
    from start to end, seconds storing the images (SQLite, a file, one transaction), and
    page 1's PNG bytes."""
    start = time.perf_counter()
    images = draw_in_child(data, list(range(1, 2 + ahead)), memory_mb=512, timeout=60)
    drawn = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        database = sqlite3.connect(Path(folder) / "pages.db")
        database.execute("CREATE TABLE parsed_pages (id INTEGER PRIMARY KEY, png BLOB)")
        database.executemany("INSERT INTO parsed_pages VALUES (?, NULL)", [(n,) for n in images])
        database.commit()
        start = time.perf_counter()
        database.executemany(
            "UPDATE parsed_pages SET png = ? WHERE id = ? AND png IS NULL",
            [(png, n) for n, png in images.items()],
        )
        database.commit()
        stored = time.perf_counter() - start
        database.close()
    return drawn, stored, len(images[1])


def _encode(message: dict) -> None:
    """What the child does with each message before the pipe: JSON-encode it."""
    json.dumps(message, ensure_ascii=False)


def _print_first_views(paths: list[Path], repeat: int) -> None:
    """What the first view of a page costs (a few files: each is a child's start)."""
    alone, ahead, stored, sizes = [], [], [], []
    for path in paths:
        data = path.read_bytes()
        alone.append(min(_first_view(data, 0)[0] for _ in range(max(1, repeat))))
        with_ahead = min(_first_view(data, DRAW_AHEAD) for _ in range(max(1, repeat)))
        ahead.append(with_ahead[0])
        stored.append(with_ahead[1])
        sizes.append(with_ahead[2])
    print(
        f"first view of a page ({len(paths)} files, median): the web's child drawing it "
        f"{statistics.median(alone) * 1000:.0f} ms (start + PDFium + PNG), with the next "
        f"{DRAW_AHEAD} pages {statistics.median(ahead) * 1000:.0f} ms; storing them "
        f"{statistics.median(stored) * 1000:.1f} ms (SQLite); "
        f"{statistics.median(sizes) / 1000:.0f} KB a page"
    )


def _best(func: Callable[..., float], repeat: int) -> float:
    return min(func() for _ in range(max(1, repeat)))


def tesseract_alone(data: bytes, pages: list[dict]) -> float:
    """Plain ``tesseract`` on each OCR'd page rendered at the pipeline's resolution."""
    exe = shutil.which("tesseract")
    assert exe is not None, "tesseract is needed for this benchmark"
    total = 0.0
    document = pdfium.PdfDocument(data)
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        for item in pages:
            page = document[item["page"] - 1]
            image = page.render(scale=item["dpi"] / 72.0, grayscale=True).to_pil()
            path = Path(tmp) / "page.png"
            image.save(path)
            start = time.perf_counter()
            subprocess.run(
                [exe, str(path), "stdout", "-l", "vie", "--psm", "6", "tsv"],
                capture_output=True,
                check=False,
                env=dict(os.environ, OMP_THREAD_LIMIT="1"),
            )
            total += time.perf_counter() - start
    document.close()
    return total


def _files(corpora: list[Path]) -> tuple[list[Path], list[Path]]:
    text, scans = [], []
    for corpus in corpora:
        for path in sorted(corpus.glob("*.pdf")):
            if path.name.endswith(".scan.pdf"):
                scans.append(path)
            elif path.name.endswith((".clean.pdf", ".plain.pdf")):
                text.append(path)
            else:  # real/: judged by what the pipeline did with it
                data = path.read_bytes()
                cache = os.environ.get("VANTHU_OCR_CACHE") or None
                (scans if _pipeline(data, path.name, cache)["ocr"] else text).append(path)
    return text, scans


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-ocr", action="store_true", help="skip the scanned files")
    args = parser.parse_args(argv)
    corpora = [c for c in (args.corpus or DEFAULT_CORPORA) if c.is_dir()]
    if not corpora:
        print("no corpus found (the ../shared folder is absent)", file=sys.stderr)
        return 2
    text, scans = _files(corpora)
    rows = []
    for path in text:
        data = path.read_bytes()
        plumber, pages = _plumber(data)
        plumber = min(plumber, _best(lambda d=data: _plumber(d)[0], args.repeat - 1))
        own = _best(lambda d=data: _pdfium(d), args.repeat)
        full = _best(lambda d=data, n=path.name: _pipeline(d, n)["_seconds"], args.repeat)
        job = _best(lambda d=data, n=path.name: _job(d, n), args.repeat)
        rows.append((path.name, pages, own / pages, plumber / pages, full / pages, job / pages))
    print(f"{'text PDF':44} {'pages':>5} {'pdfium s/p':>10} {'plumber s/p':>11} "
          f"{'ingest s/p':>10} {'÷pdfium':>8} {'÷plumber':>8} "
          f"{'job s/p':>8} {'÷ingest':>8}")  # fmt: skip
    for name, pages, own, plumber, full, job in rows:
        print(f"{name[:44]:44} {pages:5d} {own:10.4f} {plumber:11.4f} {full:10.4f} "
              f"{full / own:8.1f} {full / plumber:8.2f} {job:8.4f} {job / full:8.2f}")  # fmt: skip
    if rows:
        print(
            f"median per page: pdfium {statistics.median(r[2] for r in rows):.4f} s, "
            f"pdfplumber {statistics.median(r[3] for r in rows):.4f} s, "
            f"ingest {statistics.median(r[4] for r in rows):.4f} s; median ratio "
            f"ingest/pdfium {statistics.median(r[4] / r[2] for r in rows):.1f}×, "
            f"ingest/pdfplumber {statistics.median(r[4] / r[3] for r in rows):.2f}×"
        )
        job_median = statistics.median(r[5] for r in rows)
        print(
            f"upload job (parse + page sizes) per page: median {job_median:.4f} s; "
            f"median ratio job/ingest {statistics.median(r[5] / r[4] for r in rows):.2f}×, "
            f"all pages {sum(r[5] * r[1] for r in rows) / sum(r[4] * r[1] for r in rows):.2f}×"
        )
        _print_first_views(text[:: max(1, len(text) // 5)], args.repeat)
    if args.no_ocr or not scans or not shutil.which("tesseract"):
        return 0
    print()
    print(f"{'scanned PDF':44} {'pages':>5} {'dpi':>5} {'ingest s/p':>10} {'tesseract s/p':>13}")
    totals = [0, 0.0, 0.0]
    for path in scans:
        data = path.read_bytes()
        result = _pipeline(data, path.name)
        pages = result["ocr_pages"]
        if not pages:
            continue
        alone = tesseract_alone(data, pages)
        dpis = ",".join(sorted({str(p["dpi"]) for p in pages}))
        per_page = result["_seconds"] / len(pages)
        print(f"{path.name[:44]:44} {len(pages):5d} {dpis:>5} {per_page:10.2f} "
              f"{alone / len(pages):13.2f}")  # fmt: skip
        totals[0] += len(pages)
        totals[1] += result["_seconds"]
        totals[2] += alone
    if totals[0]:
        print(
            f"OCR seconds per page: ingest {totals[1] / totals[0]:.2f} (whole pipeline, pages in "
            f"parallel on {os.cpu_count()} cores), plain tesseract {totals[2] / totals[0]:.2f} "
            f"(one page at a time, OCR only): ratio {totals[1] / totals[2]:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
