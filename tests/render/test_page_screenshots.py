"""Every kind's sample, page by page, as the văn thư sees the printout.

Each sample is rendered, converted by the warm LibreOffice and rasterised with pdftoppm at a
modest resolution; the pictures are written to ``tests/render/artifacts/pages/<kind>-<n>.png``
and committed, so a change of a template shows in the review as changed pictures (look at
them). The test asserts that there is one picture per PDF page and that every page has
something printed on it.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from domain import layout
from render.context import sample_context
from render.engine import render_docx
from render.manifest import KINDS
from render.manifest import template_path
from render.pdf import PdfConverter

pytestmark = pytest.mark.slow

PAGES_DIR = Path(__file__).resolve().parent / "artifacts" / "pages"
RESOLUTION_DPI = 50  # an A4 page is 414 × 585 pixels: readable headings, a small repository
# A printed page: below the page number (the top margin, 20 mm), some pixels darker than
# this grey, more than this share of the page (a page holding only its number is blank; one
# line of 11 pt text is about 0.0002 of an A4 page).
INK_LEVEL = 128
MIN_INK_SHARE = 0.00005
TOP_MARGIN_PX = round(layout.MARGINS["top"].default_mm / 25.4 * RESOLUTION_DPI)


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    with PdfConverter() as made:
        yield made


def screenshots(pdf: bytes, kind: str) -> list[Path]:
    """Write one PNG per page of ``pdf`` as ``<kind>-<n>.png`` (replacing older ones)."""
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob(f"{kind}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "sample.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(RESOLUTION_DPI), "-png", str(source), f"{work}/page"],
            check=True,
            timeout=120,
        )
        pages = sorted(Path(work).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        written = []
        for number, page in enumerate(pages, start=1):
            target = PAGES_DIR / f"{kind}-{number}.png"
            target.write_bytes(page.read_bytes())
            written.append(target)
    return written


def ink_share(path: Path) -> float:
    """Return the share of a page's pixels under its top margin darker than :data:`INK_LEVEL`."""
    with Image.open(path) as image:
        grey = image.convert("L")
        body = grey.crop((0, TOP_MARGIN_PX, grey.width, grey.height))
        return sum(body.histogram()[:INK_LEVEL]) / (grey.width * grey.height)


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_of_each_kind_s_sample_is_pictured_and_printed_on(
    converter: PdfConverter, kind: str
) -> None:
    docx = render_docx(template_path(kind).read_bytes(), sample_context(kind))
    pdf = converter.convert_docx_to_pdf(docx)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        page_count = len(opened.pages)

    pictures = screenshots(pdf, kind)

    assert len(pictures) == page_count >= 1
    assert sorted(PAGES_DIR.glob(f"{kind}-*.png")) == sorted(pictures)
    for picture in pictures:
        assert ink_share(picture) > MIN_INK_SHARE, f"{picture.name} is blank"
