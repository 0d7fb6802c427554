"""OCR of scanned PDF pages with Tesseract (Vietnamese data), after deskewing the image."""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from ingest.errors import CorruptFileError
from ingest.errors import OcrUnavailableError
from ingest.errors import TimeoutExceededError
from ingest.layout import RawLine
from ingest.layout import Word
from ingest.layout import words_to_lines
from ingest.limits import IngestLimits

_LANG = "vie"
# Page segmentation mode 6 (one uniform block) keeps the two header columns on shared
# lines with their real x positions; our own column splitter does the rest.
_PSM = "6"
_MAX_SKEW_DEGREES = 3.0
_SKEW_STEP = 0.2


@functools.cache
def _tesseract() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise OcrUnavailableError()
    try:
        listed = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailableError() from exc
    langs = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    if _LANG not in langs:
        raise OcrUnavailableError(
            "Không nhận dạng được chữ trên bản quét: Tesseract chưa có dữ liệu tiếng Việt "
            "(cài gói tesseract-ocr-vie)."
        )
    return exe


def ensure_ocr_available() -> None:
    """Raise :class:`OcrUnavailableError` if Tesseract with Vietnamese data is missing."""
    _tesseract()


def render_page(data: bytes, page_number: int, dpi: int) -> Image.Image:
    """Render one PDF page (1-based) to a greyscale image at ``dpi``."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError() from exc
    try:
        page = document[page_number - 1]
        bitmap = page.render(scale=dpi / 72.0, grayscale=True)
        image = bitmap.to_pil().convert("L")
    finally:
        document.close()
    return image


def estimate_skew(image: Image.Image) -> float:
    """Return the rotation (degrees) that makes text lines horizontal.

    Rows of a correctly rotated page alternate between ink and white, so the variance of
    the row ink profile peaks at the right angle (projection-profile method).
    """
    small = image.copy()
    small.thumbnail((900, 900))
    ink = small.point(lambda v: 255 if v < 140 else 0)
    best_angle, best_score = 0.0, -1.0
    steps = int(_MAX_SKEW_DEGREES / _SKEW_STEP)
    for step in range(-steps, steps + 1):
        angle = step * _SKEW_STEP
        rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        profile = np.asarray(rotated, dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


def deskew(image: Image.Image) -> Image.Image:
    """Rotate ``image`` so that its text lines are horizontal."""
    angle = estimate_skew(image)
    if abs(angle) < 0.05:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def ocr_image(image: Image.Image, timeout: float) -> list[dict[str, str]]:
    """Run Tesseract on ``image`` and return its TSV rows (word level and above)."""
    exe = _tesseract()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per page: polite on shared hosts
    with tempfile.TemporaryDirectory(prefix="vanthu-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        try:
            done = subprocess.run(
                [exe, str(path), "stdout", "-l", _LANG, "--psm", _PSM, "tsv"],
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TimeoutExceededError(
                "Nhận dạng chữ (OCR) một trang quét quá thời gian cho phép."
            ) from exc
    if done.returncode != 0:
        raise OcrUnavailableError(
            "Tesseract báo lỗi khi nhận dạng trang quét: "
            + done.stderr.decode("utf-8", "replace").strip()[:200]
        )
    reader = csv.DictReader(
        io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    return list(reader)


def ocr_pdf_page(data: bytes, page_number: int, page_width: float, limits: IngestLimits):
    """OCR one page of a PDF and return its lines in PDF points.

    Raises:
        OcrUnavailableError: Tesseract or its Vietnamese data is not installed.
        TimeoutExceededError: OCR took longer than ``limits.ocr_timeout``.
    """
    _tesseract()
    image = deskew(render_page(data, page_number, limits.ocr_dpi))
    rows = ocr_image(image, limits.ocr_timeout)
    scale = 72.0 / limits.ocr_dpi
    words: list[Word] = []
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = float(row["left"]), float(row["top"])
        width, height = float(row["width"]), float(row["height"])
        words.append(
            Word(
                text=text,
                x0=left * scale,
                x1=(left + width) * scale,
                top=top * scale,
                bottom=(top + height) * scale,
                size=height * scale * 1.15,
            )
        )
    lines: list[RawLine] = words_to_lines(words, page_number, page_width)
    for line in lines:
        line.meta["ocr"] = True
    return lines
