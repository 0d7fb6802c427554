"""Render pages of a PDF to PNG preview images with PDFium (pypdfium2).

A document's page shows a preview of every page (up to :data:`MAX_PREVIEW_PAGES`): the
worker stores page 1 as the document's preview file; each further page is drawn when first
asked for and stored as a file whose id is derived from page 1's (:func:`page_file_id`), so
it is found from the document row alone and deleted with page 1 (services.renders).

Images are greyscale PNGs written without ``optimize``: a page of black text at 900 px is
drawn and encoded in about 13 ms and takes 50–120 KB; ``optimize`` would cost several times
that for a few per cent of size.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
from PIL.Image import Image

from domain.errors import VanthuError

# PDFium is not thread-safe: all calls into it, in every thread, must be serialised.
PDFIUM_LOCK = threading.Lock()
_MAX_WIDTH_PX = 4000
# Pages previewed at most; a longer document is read in its PDF.
MAX_PREVIEW_PAGES = 20


class PreviewError(VanthuError):
    """A preview could not be made; ``str(exc)`` is a Vietnamese message for users."""

    code = "preview_failed"
    status = 422


def render_preview_png(pdf_bytes: bytes, *, page: int = 0, width_px: int = 800) -> bytes:
    """Render one page of a PDF as a greyscale PNG exactly ``width_px`` pixels wide.

    Args:
        pdf_bytes: The PDF file's bytes.
        page: Zero-based page index (0 is the first page).
        width_px: Width of the image; the height follows the page's aspect ratio.

    Returns:
        The PNG file's bytes (greyscale, white background, not ``optimize``d: that costs
        several times the drawing for a few per cent of size).

    Raises:
        PreviewError: if the PDF cannot be read or has no such page.
        ValueError: if ``width_px`` is not between 1 and 4000.
    """
    images, _count = render_preview_pages(
        pdf_bytes, width_px=width_px, first_page=page, max_pages=1
    )
    return images[0]


def render_preview_pages(
    pdf_bytes: bytes,
    *,
    width_px: int = 900,
    max_pages: int = MAX_PREVIEW_PAGES,
    first_page: int = 0,
) -> tuple[list[bytes], int]:
    """Render ``max_pages`` pages of a PDF from zero-based ``first_page`` on as greyscale
    PNGs ``width_px`` wide.

    Greyscale and without ``optimize`` (which costs several times the rendering): a page of
    black text is 60–120 KB at 900 px.

    Returns:
        The PNG files' bytes, ``first_page`` first, and the PDF's page count (which may be
        larger).

    Raises:
        PreviewError: if the PDF cannot be read or has no such page.
        ValueError: if ``width_px`` is not between 1 and 4000 or ``max_pages`` below 1.
    """
    _check_width(width_px)
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1")
    with PDFIUM_LOCK, _opened(pdf_bytes) as document:
        count = len(document)
        if not count:
            raise PreviewError("Tài liệu PDF không có trang nào.", detail="0 pages")
        last = max(first_page + 1, min(count, first_page + max_pages))  # no such page: raises
        images = [
            _render_page(document, index, width_px, grey=True) for index in range(first_page, last)
        ]
    return [_png(image, width_px) for image in images], count


def page_file_id(first_id: str, page: int) -> str:
    """Return the stored-file id of preview page ``page`` (2, 3 …) of a render whose page 1
    is stored as ``first_id``: 32 hex digits, like every file id, fixed by the two."""
    if page < 2:
        raise ValueError("page 1 is the preview file itself")
    return hashlib.sha256(f"{first_id}/trang-{page}".encode()).hexdigest()[:32]


def _render_page(
    document: pdfium.PdfDocument, index: int, width_px: int, *, grey: bool = False
) -> Image:
    """Render page ``index`` at the scale that makes it ``width_px`` wide."""
    count = len(document)
    if not 0 <= index < count:
        raise PreviewError(
            f"Tài liệu PDF không có trang {index + 1} (chỉ có {count} trang).",
            detail=f"page index {index}, {count} pages",
        )
    page = document[index]
    try:
        scale = width_px / page.get_width()
        bitmap = page.render(scale=scale, may_draw_forms=True, grayscale=grey)
        try:
            return bitmap.to_pil().convert("L" if grey else "RGB")
        finally:
            bitmap.close()
    finally:
        page.close()


def _check_width(width_px: int) -> None:
    if not 0 < width_px <= _MAX_WIDTH_PX:
        raise ValueError(f"width_px must be between 1 and {_MAX_WIDTH_PX}")


@contextmanager
def _opened(pdf_bytes: bytes) -> Iterator[pdfium.PdfDocument]:
    """The PDF opened with PDFium (call with :data:`PDFIUM_LOCK` held), closed after."""
    try:
        document = pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError as exc:
        raise PreviewError("Không đọc được tệp PDF để tạo ảnh xem trước.", detail=str(exc)) from exc
    try:
        yield document
    finally:
        document.close()


def _png(image: Image, width_px: int) -> bytes:
    """The image as PNG bytes exactly ``width_px`` wide: PDFium rounds the scaled size, so
    the last pixel is fixed here to keep the promised width."""
    if image.width != width_px:
        height = max(1, round(image.height * width_px / image.width))
        image = image.resize((width_px, height))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
