"""Read PDF pages into positioned lines: PDFium words (pdfplumber's where its geometry is
needed), or OCR for image-only pages."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import Page

from ingest.anchors import repair_ocr_lines
from ingest.errors import CorruptFileError
from ingest.errors import EncryptedPdfError
from ingest.errors import IngestError
from ingest.errors import NoPagesError
from ingest.errors import TimeoutExceededError
from ingest.errors import TooManyPagesError
from ingest.layout import RawLine
from ingest.layout import Segment
from ingest.layout import Word
from ingest.layout import words_to_lines
from ingest.legacy import Encoding
from ingest.legacy import detect_legacy
from ingest.legacy import tcvn3_to_unicode
from ingest.legacy import vni_to_unicode
from ingest.limits import IngestLimits
from ingest.ocr_request import OcrRequest
from ingest.patterns import NOI_NHAN
from ingest.pdf_forms import flatten_widgets
from ingest.pdf_forms import has_widgets
from ingest.pdf_forms import read_signatures
from ingest.pdfium_words import extract_words
from ingest.pdfium_words import large_image
from ingest.pdfium_words import page_chars
from ingest.syllables import layer_quality

log = logging.getLogger(__name__)

# A page with fewer characters than this in its text layer is treated as a scan.
_MIN_TEXT_CHARS = 20
# A page mostly covered by an image, with only a stamp's worth of text, is a scan too.
_STAMP_CHARS = 300
_PAGE_NUMBER = re.compile(r"^[\W_]*(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[\W_]*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


class PdfResult:
    """Lines of a PDF plus what was learnt while reading it."""

    def __init__(self) -> None:
        self.lines: list[RawLine] = []
        self.pages = 0
        self.ocr_pages: list[int] = []
        self.unread_pages: list[int] = []  # scanned pages whose OCR overran its time
        self.wanted: list[OcrRequest] = []  # with plan_only: the pages to OCR
        self.encodings: Counter[str] = Counter()
        self.signatures: list[dict[str, object]] = []
        self.ocr_dpi: dict[int, int] = {}
        self.widgets = False


def plan_ocr(data: bytes, limits: IngestLimits, *, at_least: int = 0) -> list[OcrRequest]:
    """The pages of a PDF that :func:`read_pdf` would OCR, each at its resolution: its
    first pass alone, so that the OCR can be spread over several jobs beforehand.

    When fewer than ``at_least`` pages look scanned (almost no text, by PDFium's quick
    count), nothing is planned and pdfplumber's slower pass is not run: a text PDF, the
    common case, is read once, by :func:`read_pdf`.
    """
    if at_least and _scan_like_pages(_pdf_start(data)) < at_least:
        return []
    return read_pdf(data, limits, plan_only=True).wanted


def _scan_like_pages(data: bytes) -> int:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return 0  # read_pdf gives the reason
    try:
        count = 0
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            count += text.count_chars() < _STAMP_CHARS
            text.close()
            page.close()
        return count
    finally:
        document.close()


def ocr_into_cache(
    data: bytes,
    requests: list[OcrRequest],
    limits: IngestLimits,
    on_done: Callable[[OcrRequest], None] | None = None,
) -> list[int]:
    """OCR ``requests`` (from :func:`plan_ocr`) into ``limits.ocr_cache_dir``, from the
    bytes :func:`read_pdf` OCRs, so that its later reading finds every page there.
    Returns the pages that ran out of time (left for the reading to try again)."""
    from ingest.ocr import ocr_pages  # imported lazily: OCR is optional

    if not limits.ocr_cache_dir:
        raise ValueError("ocr_into_cache needs limits.ocr_cache_dir")
    data, _signatures, _flat = _as_read(data)
    return [r.page for r, lines in ocr_pages(data, requests, limits, on_done) if lines is None]


def _as_read(data: bytes) -> tuple[bytes, list[dict[str, object]], bool]:
    """The bytes the reader works on (from ``%PDF-``, signature widgets drawn into the
    pages: they carry the Số number and the day), the signatures, and whether drawn."""
    data = _pdf_start(data)
    if not has_widgets(data):
        return data, [], False
    signatures = read_signatures(data)
    flat = flatten_widgets(data)
    return (flat, signatures, True) if flat else (data, signatures, False)


def read_pdf(
    data: bytes,
    limits: IngestLimits,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    plan_only: bool = False,
) -> PdfResult:
    """Extract the lines of every page, using OCR for pages without a text layer.

    With ``plan_only``, stop before OCR: ``result.wanted`` lists the pages to OCR.

    Raises:
        EncryptedPdfError: the PDF needs a password.
        CorruptFileError: the PDF is damaged or truncated.
        NoPagesError: the PDF has no page.
        TooManyPagesError: more pages than ``limits.max_pages``.
        OcrUnavailableError: a scanned page cannot be read because Tesseract is missing.
    """
    result = PdfResult()
    data, result.signatures, result.widgets = _as_read(data)
    document = _open_pdfium(data)
    plumber = _Plumber(data)
    try:
        total = len(document) if document is not None else plumber.count()
        if total == 0:
            raise NoPagesError()
        if total > limits.max_pages:
            raise TooManyPagesError(
                f"PDF có {total} trang, vượt giới hạn {limits.max_pages} trang."
            )
        result.pages = total
        heights: dict[int, float] = {}
        by_page: dict[int, list[RawLine]] = {}
        wanted: list[OcrRequest] = []
        for index in range(1, total + 1):
            page = document[index - 1] if document is not None else None
            try:
                lines, request, heights[index] = _read_any_page(
                    page, plumber, index, limits, result
                )
            finally:
                if page is not None:
                    page.close()
            by_page[index] = lines
            if request is not None:
                wanted.append(request)
            elif on_progress:
                on_progress(index, total)
    finally:
        plumber.close()
        if document is not None:
            document.close()
    if plan_only:
        result.wanted = wanted
        return result
    if wanted:
        from ingest.ocr import ocr_pages  # imported lazily: OCR is optional

        def done(request: OcrRequest) -> None:
            if on_progress:
                on_progress(request.page, total)

        for request, ocr_lines in ocr_pages(data, wanted, limits, done):
            if ocr_lines is None:
                # Out of time (a busy machine, a huge page): its text layer, if any, stands,
                # and the reading says the page is unread so that it is not taken as final.
                result.unread_pages.append(request.page)
                ocr_lines = []
            chosen = _better_reading(by_page[request.page], ocr_lines, request)
            if chosen is ocr_lines:
                result.ocr_pages.append(request.page)
                result.ocr_dpi[request.page] = request.dpi
            by_page[request.page] = repair_ocr_lines(chosen) if chosen is ocr_lines else chosen
        result.ocr_pages.sort()
        _reread_closing(data, wanted, by_page, result, limits)
    for index in sorted(by_page):
        result.lines.extend(by_page[index])
    result.lines = drop_running_lines(result.lines, heights)
    return result


def _reread_closing(
    data: bytes,
    requests: list[OcrRequest],
    by_page: dict[int, list[RawLine]],
    result: PdfResult,
    limits: IngestLimits,
) -> None:
    """OCR the closing block (Nơi nhận | chữ ký) of a scan again, on its own.

    The last OCR'd page with a "Nơi nhận:" label is cropped from that label's row down and
    read alone; its lines replace the whole-page reading of that part when the label is
    read again there.
    """
    from ingest.ocr import ocr_region

    for request in sorted(requests, key=lambda r: -r.page):
        if request.page not in result.ocr_pages:
            continue
        lines = by_page[request.page]
        label = next(
            (x for x in reversed(lines) if x.segments and NOI_NHAN.match(x.segments[0].text)),
            None,
        )
        top = _closing_top(lines, label)
        if top is None:
            continue
        try:
            region = repair_ocr_lines(ocr_region(data, request, top, limits))
        except TimeoutExceededError:
            return  # the whole-page reading stands
        if any(x.segments and _BLOCK_MARK.match(x.segments[0].text) for x in region):
            # Lines of the whole-page reading that reach into the region are read again there.
            kept = [x for x in lines if float(x.meta.get("bottom") or x.top) <= top + 2.0]
            by_page[request.page] = kept + region
        return


_BLOCK_MARK = re.compile(r"^\s*(?:Nơi\s+nhận|[-–]\s*Lưu\b)", re.IGNORECASE)
_DASHED = re.compile(r"^\s*[-–]")


def _closing_top(lines: list[RawLine], label: RawLine | None) -> float | None:
    """Where the closing block starts: its "Nơi nhận:" row, or (the label lost under a
    stamp) a line above the dashed items that end with "- Lưu: …"."""
    if label is not None:
        return max(0.0, label.top - 2.0)
    last = next(
        (i for i in range(len(lines) - 1, -1, -1)
         if lines[i].segments and re.match(r"^\s*[-–]\s*Lưu\b", lines[i].segments[0].text)),
        None,
    )  # fmt: skip
    if last is None:
        return None
    first = last
    while (
        first > 0 and lines[first - 1].segments and _DASHED.match(lines[first - 1].segments[0].text)
    ):
        first -= 1
    if first == last:
        return None
    line = lines[first]
    return max(0.0, line.top - 1.5 * (line.size or 12.0))


def _open_error(exc: BaseException) -> IngestError:
    """Map a pdfminer/pdfplumber failure to our error (pdfplumber wraps the real cause)."""
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            break
        if isinstance(seen, (PDFPasswordIncorrect, PDFEncryptionError)):
            return EncryptedPdfError()
        inner = [a for a in getattr(seen, "args", ()) if isinstance(a, BaseException)]
        seen = seen.__cause__ or seen.__context__ or (inner[0] if inner else None)
    if "password" in str(exc).lower():
        return EncryptedPdfError()
    return CorruptFileError()


def _pdf_start(data: bytes) -> bytes:
    """Drop bytes before ``%PDF-`` (within the first 1024, as PDF readers allow)."""
    start = data.find(b"%PDF-", 0, 1024 + 5)
    return data[start:] if start > 0 else data


def _drop_covered_spaces(page):
    """Remove space characters drawn under other characters.

    A flattened widget writes "4646" over the blank spaces that the clerk left in the
    printed "Số:" line; those spaces would cut the number into single digits.
    """
    rows: dict[int, list[tuple[float, float]]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault(round(float(char["top"]) / 3), []).append(
                (float(char["x0"]), float(char["x1"]))
            )

    def covered(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char" or obj["text"].strip():
            return False
        x0, x1 = float(obj["x0"]), float(obj["x1"])
        key = round(float(obj["top"]) / 3)
        for near in (key - 1, key, key + 1):
            for a, b in rows.get(near, ()):
                if min(b, x1) - max(a, x0) > (x1 - x0) * 0.3:
                    return True
        return False

    return page.filter(lambda obj: not covered(obj))


class _Plumber:
    """pdfplumber, opened on the first page that needs its geometry (and only then)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: pdfplumber.PDF | None = None

    def _open(self) -> pdfplumber.PDF:
        if self._pdf is None:
            try:
                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            except Exception as exc:  # pdfminer raises many unrelated types for broken files
                raise _open_error(exc) from exc
        return self._pdf

    def count(self) -> int:
        try:
            return len(self._open().pages)
        except IngestError:
            raise
        except Exception as exc:
            raise _open_error(exc) from exc

    def page(self, index: int) -> Page:
        try:
            return self._open().pages[index - 1]
        except IngestError:
            raise
        except Exception as exc:
            raise _open_error(exc) from exc

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _open_pdfium(data: bytes) -> pdfium.PdfDocument | None:
    """The PDF in PDFium; None when PDFium refuses it (no page, a damage it does not
    repair): pdfplumber then reads it, or says why not, as it always did."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedPdfError() from exc
        return None


def _read_any_page(
    page: pdfium.PdfPage | None,
    plumber: _Plumber,
    index: int,
    limits: IngestLimits,
    result: PdfResult,
) -> tuple[list[RawLine], OcrRequest | None, float]:
    """Read a page's text layer from PDFium, or from pdfplumber where its geometry is
    needed: spaces under flattened widgets, a rotated page, an image that may be a scan
    (its resolution sets the OCR's). Returns the lines, the OCR wanted, the page height."""
    if page is None or result.widgets or page.get_rotation() or large_image(page):
        plumber_page = plumber.page(index)
        try:
            # pdfplumber keeps every page's objects until the page is closed: memory
            # would grow with the file's length (282 → 41 MiB on 60 pages).
            lines, request = _read_page(plumber_page, index, limits, result)
            return lines, request, float(plumber_page.height)
        finally:
            plumber_page.close()
    left, bottom, right, top = page.get_mediabox()
    try:
        raw_words = extract_words(page_chars(page))
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"Trang {index} của PDF bị hỏng, không đọc được.") from exc
    lines, request = _reading(raw_words, None, float(right - left), index, limits, result)
    return lines, request, float(top - bottom)


def _read_page(
    page: Page, index: int, limits: IngestLimits, result: PdfResult
) -> tuple[list[RawLine], OcrRequest | None]:
    """Read a page's text layer with pdfplumber; say whether the page must be OCR'd."""
    if result.widgets:
        page = _drop_covered_spaces(page)
    try:
        # Words are not cut where the font changes: Vietnamese letters often come from a
        # fallback font ("d" "ẫ" "n" would be three words); the weight and size are each
        # word's majority instead.
        raw_words = [
            _word_style(w) for w in page.extract_words(use_text_flow=False, return_chars=True)
        ]
    except IngestError:
        raise
    except Exception as exc:
        raise CorruptFileError(f"Trang {index} của PDF bị hỏng, không đọc được.") from exc
    return _reading(raw_words, _page_image(page), float(page.width), index, limits, result)


def _reading(
    raw_words: list[dict[str, Any]],
    image: dict[str, Any] | None,
    width: float,
    index: int,
    limits: IngestLimits,
    result: PdfResult,
) -> tuple[list[RawLine], OcrRequest | None]:
    """Lines of a page's words; say whether the page must be OCR'd (and how).

    A page is OCR'd when it has no real text layer (a scan, or only a stamp's caption on a
    page-sized image), and also when its text layer is not trustworthy Vietnamese: a
    scanner's own OCR ("SO GIAO DVC vA DA° TAO"), or text without diacritics. Its reading
    is then compared with the OCR's and the better one kept.
    """
    chars = sum(len(w["text"].strip()) for w in raw_words)
    words = [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            size=float(w.get("size") or 0.0),
            bold="bold" in str(w.get("fontname", "")).lower(),
        )
        for w in raw_words
    ]
    lines = words_to_lines(words, index, width)
    for line in lines:
        for segment in line.segments:
            segment.text, kind = _fix_segment(segment)
            result.encodings[kind] += 1
            if kind != Encoding.UNICODE and segment.words:
                # The words keep their boxes for column cuts: convert them the same way.
                convert = tcvn3_to_unicode if kind == Encoding.TCVN3 else vni_to_unicode
                segment.words = [(convert(w), x0, x1) for w, x0, x1 in segment.words]
    request = OcrRequest(index, width, _native_dpi(image, limits))
    if chars < _MIN_TEXT_CHARS or (chars < _STAMP_CHARS and image is not None):
        request.reason = "scan"
        return [], request
    if image is not None:
        quality = layer_quality(" ".join(line.text for line in lines))
        if quality.poor():
            # An image page under a text layer that is not Vietnamese: the scanner's OCR.
            request.reason = "poor-layer"
            request.layer_score = quality.score
            return lines, request
    return lines, None


def _page_image(page: Page) -> dict[str, Any] | None:
    """The image that covers most of the page (a scan), if any."""
    area = float(page.width) * float(page.height) or 1.0
    try:
        images = page.images
    except Exception:  # broken image dictionaries: judge by text alone
        return None
    best, best_area = None, 0.0
    for image in images:
        covered = max(0.0, float(image["x1"]) - float(image["x0"])) * max(
            0.0, float(image["bottom"]) - float(image["top"])
        )
        if covered > best_area:
            best, best_area = image, covered
    return best if best_area > area * 0.5 else None


def _native_dpi(image: dict[str, Any] | None, limits: IngestLimits) -> int:
    """The scan's own resolution (pixels per inch of the page image), within sane bounds."""
    if image is None:
        return limits.ocr_dpi
    try:
        pixels = float(image["srcsize"][0])
        inches = (float(image["x1"]) - float(image["x0"])) / 72.0
        dpi = round(pixels / inches)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return limits.ocr_dpi
    return max(limits.ocr_min_dpi, min(limits.ocr_max_dpi, dpi))


def _better_reading(layer: list[RawLine], ocr: list[RawLine], request: OcrRequest) -> list[RawLine]:
    if request.reason == "scan" or not layer:
        return ocr
    ocr_quality = layer_quality(" ".join(line.text for line in ocr))
    return ocr if ocr_quality.score > request.layer_score else layer


def _word_style(word: dict) -> dict:
    chars = word.pop("chars", None) or []
    if chars:
        weight: Counter[str] = Counter()
        sizes: Counter[float] = Counter()
        for char in chars:
            weight[str(char.get("fontname", ""))] += 1
            sizes[round(float(char.get("size") or 0.0), 1)] += 1
        bold = sum(n for name, n in weight.items() if "bold" in name.lower())
        word["fontname"] = "Bold" if bold * 2 > len(chars) else weight.most_common(1)[0][0]
        word["size"] = sizes.most_common(1)[0][0]
    return word


def _fix_segment(segment: Segment) -> tuple[str, str]:
    kind = detect_legacy(segment.text)
    if kind == Encoding.TCVN3:
        return tcvn3_to_unicode(segment.text), kind
    if kind == Encoding.VNI:
        return vni_to_unicode(segment.text), kind
    return segment.text, kind


def drop_running_lines(lines: list[RawLine], heights: dict[int, float]) -> list[RawLine]:
    """Remove page numbers and running headers/footers repeated in the page margins."""
    if not lines:
        return lines
    by_page: dict[int, list[RawLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)

    def in_margin(line: RawLine, page_lines: list[RawLine]) -> bool:
        height = heights.get(line.page, 842.0)
        first, last = page_lines[0], page_lines[-1]
        edge = line is first or line is last
        return edge and (line.top < height * 0.12 or line.top > height * 0.85)

    repeated: Counter[str] = Counter()
    for page_lines in by_page.values():
        for line in (page_lines[0], page_lines[-1]):
            if in_margin(line, page_lines):
                repeated[_DIGITS.sub("#", line.text.lower())] += 1
    kept: list[RawLine] = []
    for page_lines in by_page.values():
        for line in page_lines:
            if in_margin(line, page_lines):
                key = _DIGITS.sub("#", line.text.lower())
                if _PAGE_NUMBER.match(line.text) or (len(by_page) >= 3 and repeated[key] >= 3):
                    continue
            kept.append(line)
    return kept
