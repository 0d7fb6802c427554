"""OCR of scanned PDF pages with Tesseract (Vietnamese data), after deskewing the image."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from PIL import ImageChops

from ingest.errors import CorruptFileError
from ingest.errors import OcrUnavailableError
from ingest.errors import TimeoutExceededError
from ingest.layout import RawLine
from ingest.layout import Word
from ingest.layout import words_to_lines
from ingest.limits import IngestLimits
from ingest.ocr_deskew import estimate_skew
from ingest.ocr_request import OcrRequest

_LANG = "vie"
# Page segmentation mode 6 (one uniform block) keeps the two header columns on shared
# lines with their real x positions; our own column splitter does the rest.
_PSM = "6"


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
        bitmap = page.render(scale=dpi / 72.0)
        image = drop_colour_ink(bitmap.to_pil())
    finally:
        document.close()
    return image


def drop_colour_ink(image: Image.Image) -> Image.Image:
    """Grey page with red stamps and blue signatures faded out, printed black text kept.

    Printed text is dark in every channel; a red stamp is bright in red and a blue
    signature bright in blue, so the brightest channel of each pixel keeps the print and
    washes out the ink that OCR would read as "SẠN nh)", "$\\ #Amd".
    """
    if image.mode not in ("RGB", "RGBA"):
        return image.convert("L")
    red, green, blue = image.convert("RGB").split()
    # ImageChops in C: 5× faster than numpy's max over the channels, same pixels.
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def deskew(image: Image.Image) -> Image.Image:
    """Rotate ``image`` so that its text lines are horizontal."""
    angle = estimate_skew(image)
    if abs(angle) < 0.05:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def _run_tesseract(path: Path, timeout: float) -> str:
    """Run Tesseract on the image file ``path`` and return its TSV output."""
    exe = _tesseract()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per page: polite on shared hosts
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
    return done.stdout.decode("utf-8", "replace")


def _rows(tsv: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    return list(reader)


def ocr_image(image: Image.Image, timeout: float) -> list[dict[str, str]]:
    """Run Tesseract on ``image`` and return its TSV rows (word level and above)."""
    with tempfile.TemporaryDirectory(prefix="vanthu-ocr-") as tmp:
        path = Path(tmp) / "page.pgm"
        image.save(path)
        return _rows(_run_tesseract(path, timeout))


def rows_to_lines(
    rows: list[dict[str, str]], page_number: int, page_width: float, dpi: int
) -> list[RawLine]:
    """Turn Tesseract's word rows (pixels at ``dpi``) into lines in PDF points."""
    scale = 72.0 / dpi
    words: list[Word] = []
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = float(row["left"]), float(row["top"])
        width, height = float(row["width"]), float(row["height"])
        try:
            confidence = float(row.get("conf") or -1)
        except ValueError:
            confidence = -1.0
        words.append(
            Word(
                text=text,
                x0=left * scale,
                x1=(left + width) * scale,
                top=top * scale,
                bottom=(top + height) * scale,
                size=height * scale * 1.15,
                confidence=confidence,
            )
        )
    lines: list[RawLine] = words_to_lines(words, page_number, page_width)
    for line in lines:
        line.meta["ocr"] = True
    return lines


def ocr_pdf_page(data: bytes, page_number: int, page_width: float, limits: IngestLimits,
                 dpi: int | None = None) -> list[RawLine]:  # fmt: skip
    """OCR one page of a PDF and return its lines in PDF points.

    Raises:
        OcrUnavailableError: Tesseract or its Vietnamese data is not installed.
        TimeoutExceededError: OCR took longer than ``limits.ocr_timeout``.
    """
    request = OcrRequest(page_number, page_width, dpi or limits.ocr_dpi)
    for _, lines in ocr_pages(data, [request], limits):
        return lines or []
    return []


_CACHE_VERSION = "2"  # 2: colour ink faded before OCR


def _cache_path(
    limits: IngestLimits, digest: str, request: OcrRequest, part: str = ""
) -> Path | None:
    if not limits.ocr_cache_dir:
        return None
    name = f"{digest}-p{request.page}{part}-{request.dpi}-{_LANG}-{_PSM}-v{_CACHE_VERSION}.tsv"
    return Path(limits.ocr_cache_dir) / name


def ocr_pages(
    data: bytes,
    requests: list[OcrRequest],
    limits: IngestLimits,
    on_done: Callable[[OcrRequest], None] | None = None,
) -> Iterator[tuple[OcrRequest, list[RawLine] | None]]:
    """OCR several pages, in parallel across the machine's cores, in page order.

    Each page is rendered at its own resolution (``request.dpi``), deskewed, written to a
    temporary file and handed to a Tesseract process; at most ``limits.ocr_workers`` (the
    number of cores) run at once, so memory stays at a few page images. A page has its own
    time budget (``limits.ocr_timeout``): a page that overruns it comes back as None
    (unread) and the others go on. With ``limits.ocr_cache_dir`` each page's result is kept
    under the file's hash, so a retried job does not OCR its pages again.

    A page is handed over as soon as it and the pages before it are read, while later pages
    are still with Tesseract: the caller's work on its lines (repairs, the better of two
    readings) runs beside the Tesseracts instead of after the last of them.

    Raises:
        OcrUnavailableError: Tesseract or its Vietnamese data is not installed.
        TimeoutExceededError: every page overran its budget (raised after the pages).
    """
    _tesseract()
    digest = hashlib.sha256(data).hexdigest()
    workers = max(1, limits.ocr_workers or os.cpu_count() or 1)
    results: dict[int, str | None] = {}
    timeouts = 0
    handed = 0  # requests[:handed] have been yielded

    def ready() -> Iterator[tuple[OcrRequest, list[RawLine] | None]]:
        nonlocal handed
        while handed < len(requests) and requests[handed].page in results:
            request = requests[handed]
            handed += 1
            yield request, _lines(results[request.page], request)

    with (
        tempfile.TemporaryDirectory(prefix="vanthu-ocr-") as tmp,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        running: dict[Future[str], tuple[OcrRequest, Path | None]] = {}

        def collect(wait_all: bool) -> None:
            nonlocal timeouts
            while running and (wait_all or len(running) >= workers):
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    request, cache = running.pop(future)
                    try:
                        tsv = future.result()
                    except TimeoutExceededError:
                        timeouts += 1
                        tsv = None
                    results[request.page] = tsv
                    if tsv is not None and cache is not None:
                        _store(cache, tsv)
                    if on_done:
                        on_done(request)

        for request in requests:
            cache = _cache_path(limits, digest, request)
            if cache is not None and cache.is_file():
                results[request.page] = cache.read_text(encoding="utf-8")
                if on_done:
                    on_done(request)
                continue
            collect(wait_all=False)
            # pdfium is not thread-safe: pages are rendered here, one at a time.
            image = deskew(render_page(data, request.page, request.dpi))
            # Uncompressed greyscale (PGM): Tesseract reads the same pixels, and the pages
            # are rendered one at a time on this thread, so a PNG's compression (0.25 s a
            # page at 200 dpi) held back the Tesseracts running in parallel.
            path = Path(tmp) / f"page-{request.page}.pgm"
            image.save(path)
            del image
            running[pool.submit(_run_tesseract, path, limits.ocr_timeout)] = (request, cache)
            # The page just submitted keeps its core busy while the caller takes the pages
            # read so far.
            yield from ready()
        collect(wait_all=True)
    if requests and timeouts == len(requests):
        raise TimeoutExceededError("Nhận dạng chữ (OCR) các trang quét quá thời gian cho phép.")
    yield from ready()


def _lines(tsv: str | None, request: OcrRequest) -> list[RawLine] | None:
    """A page's lines from its TSV; None when it overran its budget (unread, which is not
    the same as blank)."""
    if tsv is None:
        return None
    return rows_to_lines(_rows(tsv), request.page, request.width, request.dpi) if tsv else []


def _store(path: Path, tsv: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(tsv, encoding="utf-8")
        partial.replace(path)
    except OSError:  # a cache that cannot be written is only a lost speed-up
        pass


# A region is OCR'd at no less than this: its lines are few, and small print read at a
# low-resolution scan's own 100 dpi loses its diacritics.
_REGION_MIN_DPI = 200


def ocr_region(data: bytes, request: OcrRequest, top: float, limits: IngestLimits) -> list[RawLine]:
    """OCR the part of a page below ``top`` (PDF points) on its own and return its lines.

    Read with the whole page, the closing block's rows merge with the stamp and the
    signature beside them ("›vĂ" for "CHỦ TỊCH", "DBND ví huyện" for a Nơi nhận item):
    Tesseract finds the rows of one block at a time, and the body above sets them. Alone,
    the block's two columns are read as the rows they are.

    Raises:
        OcrUnavailableError: Tesseract or its Vietnamese data is not installed.
        TimeoutExceededError: OCR took longer than ``limits.ocr_timeout``.
    """
    dpi = max(request.dpi, _REGION_MIN_DPI)
    region = OcrRequest(request.page, request.width, dpi, request.reason)
    digest = hashlib.sha256(data).hexdigest()
    cache = _cache_path(limits, digest, region, f"-from{round(top)}")
    if cache is not None and cache.is_file():
        tsv = cache.read_text(encoding="utf-8")
    else:
        page = deskew(render_page(data, request.page, dpi))
        offset = max(0, int(top * dpi / 72.0))
        if offset >= page.height - 10:
            return []
        crop = page.crop((0, offset, page.width, page.height))
        rows = ocr_image(crop, limits.ocr_timeout)
        for row in rows:
            if row.get("top", "").lstrip("-").isdigit():
                row["top"] = str(int(row["top"]) + offset)
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(
                buffer,
                fieldnames=list(rows[0]),
                delimiter="\t",
                quoting=csv.QUOTE_NONE,
                escapechar="\\",
            )
            writer.writeheader()
            writer.writerows(rows)
        tsv = buffer.getvalue()
        if cache is not None:
            _store(cache, tsv)
    return rows_to_lines(_rows(tsv), request.page, request.width, dpi) if tsv else []
