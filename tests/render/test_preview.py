"""Page previews rendered by PDFium from PDFs made by the real LibreOffice converter."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm
from PIL import Image

from render.pdf import PdfConverter
from render.preview import PreviewError
from render.preview import render_preview_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def two_page_a4_docx() -> bytes:
    """Build an A4 .docx: a full paragraph on page 1, one short line on page 2."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_paragraph("QUYẾT ĐỊNH Về việc khen thưởng giáo viên dạy giỏi " * 20)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Trang 2")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdf_bytes() -> Iterator[bytes]:
    with PdfConverter() as converter:
        yield converter.convert_docx_to_pdf(two_page_a4_docx())


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize("width_px", [800, 1, 333, 1201])
def test_render_preview_png_has_requested_width_and_a4_ratio(
    pdf_bytes: bytes, width_px: int
) -> None:
    image = open_png(render_preview_png(pdf_bytes, width_px=width_px))

    assert image.width == width_px
    assert image.height == pytest.approx(width_px * 297 / 210, abs=1.5)


def test_render_preview_png_defaults_to_first_page_800_px(pdf_bytes: bytes) -> None:
    image = open_png(render_preview_png(pdf_bytes)).convert("L")

    assert image.width == 800
    # Page 1 carries text, so it has dark pixels; the background stays white.
    darkest, lightest = image.getextrema()
    assert darkest < 100
    assert lightest == 255


def dark_pixels(png: bytes) -> int:
    histogram = open_png(png).convert("L").histogram()
    return sum(histogram[:128])


def test_render_preview_png_renders_the_requested_page(pdf_bytes: bytes) -> None:
    first = dark_pixels(render_preview_png(pdf_bytes, page=0, width_px=400))
    second = dark_pixels(render_preview_png(pdf_bytes, page=1, width_px=400))

    # Page 2 holds one short line against page 1's long paragraph.
    assert 0 < second < first / 5


@pytest.mark.parametrize(
    ("data", "page", "words"),
    [
        (b"not a pdf at all", 0, "Không đọc được tệp PDF"),
        (b"", 0, "Không đọc được tệp PDF"),
        (None, 2, "không có trang 3 (chỉ có 2 trang)"),
        (None, -1, "không có trang 0"),
    ],
    ids=["garbage", "empty", "page-after-last", "negative-page"],
)
def test_render_preview_png_rejects_bad_input_in_vietnamese(
    pdf_bytes: bytes, data: bytes | None, page: int, words: str
) -> None:
    with pytest.raises(PreviewError) as caught:
        render_preview_png(pdf_bytes if data is None else data, page=page)

    assert words in str(caught.value)


@pytest.mark.parametrize("width_px", [0, -5, 4001])
def test_render_preview_png_rejects_unreasonable_width(pdf_bytes: bytes, width_px: int) -> None:
    with pytest.raises(ValueError, match="width_px"):
        render_preview_png(pdf_bytes, width_px=width_px)
