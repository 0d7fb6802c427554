"""Benchmark .docx → PDF: the warm converter against a cold ``soffice --convert-to`` per document.

Run from the project root::

    .venv/bin/python -m bench.pdf --docs 20

Baselines measured in the same run:

* cold, fresh profile: ``soffice --headless --convert-to pdf`` per document, each with a new
  profile directory (what a naive worker that isolates jobs does);
* cold, shared profile: the same, reusing one already-initialised profile (the cheapest way
  to run LibreOffice per document).

The warm figure excludes the one-off start of LibreOffice, which is printed separately.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.shared import Mm
from docx.shared import Pt

from render.pdf import PdfConverter

SAMPLE_LINES = (
    "ỦY BAN NHÂN DÂN QUẬN 1",
    "TRƯỜNG TIỂU HỌC NGUYỄN VĂN TRỖI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "QUYẾT ĐỊNH",
    "Về việc khen thưởng giáo viên đạt danh hiệu giáo viên dạy giỏi cấp trường",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
    "Xét đề nghị của Hội đồng Thi đua - Khen thưởng nhà trường,",
)


def make_document(number: int) -> bytes:
    """Build a one-page A4 Vietnamese decision with a short list of awardees."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(14)
    for line in SAMPLE_LINES:
        document.add_paragraph(line)
    document.add_paragraph(f"Điều 1. Khen thưởng {number + 3} giáo viên có tên sau:")
    table = document.add_table(rows=1, cols=3)
    for cell, title in zip(table.rows[0].cells, ("STT", "Họ và tên", "Tổ chuyên môn"), strict=True):
        cell.text = title
    for row in range(number % 5 + 3):
        cells = table.add_row().cells
        cells[0].text = str(row + 1)
        cells[1].text = f"Nguyễn Thị Ánh {number}-{row}"
        cells[2].text = "Tổ khối 3"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def time_each(items: list[Path], convert: Callable[[Path], bytes]) -> list[float]:
    """Convert every item, checking each result is a PDF; return the seconds per item."""
    durations = []
    for item in items:
        started = time.perf_counter()
        output = convert(item)
        durations.append(time.perf_counter() - started)
        if not output.startswith(b"%PDF-"):
            raise SystemExit(f"not a PDF for {item.name}")
    return durations


def cold_convert(source: Path, profile: Path) -> bytes:
    """Convert one file with a LibreOffice started just for it."""
    outdir = source.parent / "cold-out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (outdir / f"{source.stem}.pdf").read_bytes()


def report(label: str, durations: list[float]) -> float:
    mean = statistics.fmean(durations)
    print(
        f"{label:<28} {mean:8.3f} s/doc   median {statistics.median(durations):.3f}"
        f"   min {min(durations):.3f}   max {max(durations):.3f}   (n={len(durations)})"
    )
    return mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20, help="documents per method")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vanthu-bench-") as work_dir:
        work = Path(work_dir)
        sources = []
        for number in range(args.docs):
            path = work / f"van-ban-{number:03d}.docx"
            path.write_bytes(make_document(number))
            sources.append(path)

        with PdfConverter() as converter:
            started = time.perf_counter()
            converter.convert_docx_to_pdf(make_document(999))
            startup = time.perf_counter() - started
            warm = time_each(sources, lambda path: converter.convert_docx_to_pdf(path.read_bytes()))

        fresh = time_each(
            sources,
            lambda path: cold_convert(path, work / f"profile-{path.stem}"),
        )
        shared_profile = work / "profile-shared"
        cold_convert(sources[0], shared_profile)  # initialise it outside the measurement
        shared = time_each(sources, lambda path: cold_convert(path, shared_profile))

    print(f"{args.docs} one-page Vietnamese .docx documents\n")
    print(f"{'warm: first start':<28} {startup:8.3f} s (once per worker process)")
    warm_mean = report("warm PdfConverter", warm)
    fresh_mean = report("cold, fresh profile", fresh)
    shared_mean = report("cold, shared profile", shared)
    print()
    print(f"warm is {fresh_mean / warm_mean:5.1f}x faster than cold with a fresh profile")
    print(f"warm is {shared_mean / warm_mean:5.1f}x faster than cold with a shared profile")


if __name__ == "__main__":
    main()
