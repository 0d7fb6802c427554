"""Render one page of a PDF to a PNG preview image with PDFium (pypdfium2)."""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL.Image import Image

# PDFium is not thread-safe: all calls into it, in every thread, must be serialised.
_PDFIUM_LOCK = threading.Lock()
_MAX_WIDTH_PX = 4000


class PreviewError(Exception):
    """A preview could not be made; ``str(exc)`` is a Vietnamese message for users."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def render_preview_png(pdf_bytes: bytes, *, page: int = 0, width_px: int = 800) -> bytes:
    """Render one page of a PDF as a PNG exactly ``width_px`` pixels wide.

    Args:
        pdf_bytes: The PDF file's bytes.
        page: Zero-based page index (0 is the first page).
        width_px: Width of the image; the height follows the page's aspect ratio.

    Returns:
        The PNG file's bytes (RGB, white background).

    Raises:
        PreviewError: if the PDF cannot be read or has no such page.
        ValueError: if ``width_px`` is not between 1 and 4000.
    """
    if not 0 < width_px <= _MAX_WIDTH_PX:
        raise ValueError(f"width_px must be between 1 and {_MAX_WIDTH_PX}")
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(pdf_bytes)
        except pdfium.PdfiumError as exc:
            raise PreviewError(
                "Không đọc được tệp PDF để tạo ảnh xem trước.", detail=str(exc)
            ) from exc
        try:
            image = _render_page(document, page, width_px)
        finally:
            document.close()
    if image.width != width_px:
        # PDFium rounds the scaled size; fix the last pixel so callers get the promised width.
        height = max(1, round(image.height * width_px / image.width))
        image = image.resize((width_px, height))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _render_page(document: pdfium.PdfDocument, index: int, width_px: int) -> Image:
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
        bitmap = page.render(scale=scale, may_draw_forms=True)
        try:
            return bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
    finally:
        page.close()
