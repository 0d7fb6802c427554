"""Benchmark the plan parser against pdfplumber's own word extraction on the same files.

Usage::

    .venv/bin/python bench/ingest.py [--corpus DIR] [--repeat N] [--no-ocr]

Prints seconds per page for the whole pipeline (parse_bytes) and for pdfplumber's
``extract_words`` (the baseline, measured in the same run), their ratio, and OCR seconds
per page on the scanned variants.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest import parse_bytes  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def _baseline(data: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            page.extract_words(extra_attrs=["fontname", "size"])
    return time.perf_counter() - start, pages


def _pipeline(data: bytes, name: str) -> float:
    start = time.perf_counter()
    parse_bytes(data, name)
    return time.perf_counter() - start


def _best(func, repeat: int) -> float:
    return min(func() for _ in range(repeat))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-ocr", action="store_true", help="skip the scanned variants")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    rows = []
    ratios = []
    for variant in ("clean", "plain"):
        for path in sorted(args.corpus.glob(f"*.{variant}.pdf")):
            data = path.read_bytes()
            base, pages = _baseline(data)
            base = min(base, _best(lambda d=data: _baseline(d)[0], args.repeat - 1 or 1))
            full = _best(lambda d=data, n=path.name: _pipeline(d, n), args.repeat)
            ratios.append(full / base)
            rows.append((path.name, pages, base / pages, full / pages, full / base))
    print(f"{'file':28} {'pages':>5} {'plumber s/p':>12} {'ingest s/p':>11} {'ratio':>6}")
    for name, pages, base, full, ratio in rows:
        print(f"{name:28} {pages:5d} {base:12.4f} {full:11.4f} {ratio:6.2f}")
    if ratios:
        print(f"median ratio ingest/pdfplumber: {statistics.median(ratios):.2f}")
    if not args.no_ocr:
        ocr_rows = []
        for path in sorted(args.corpus.glob("*.scan.pdf")):
            data = path.read_bytes()
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages = len(pdf.pages)
            seconds = _pipeline(data, path.name)
            ocr_rows.append((path.name, pages, seconds / pages))
        print()
        print(f"{'scanned file':28} {'pages':>5} {'OCR s/page':>11}")
        for name, pages, per_page in ocr_rows:
            print(f"{name:28} {pages:5d} {per_page:11.2f}")
        if ocr_rows:
            total_pages = sum(r[1] for r in ocr_rows)
            total = sum(r[1] * r[2] for r in ocr_rows)
            print(f"mean OCR seconds per page: {total / total_pages:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
