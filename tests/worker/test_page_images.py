"""The upload job's page images (issue 15: the whole job ≤ 1.5× the parse): PNGs written
without Pillow's per-row filter search, holding exactly the pixels PDFium drew."""

from __future__ import annotations

import base64
import io

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from tests.shared_data import corpus_file
from worker.jobs.plans import _emit_page_images
from worker.jobs.plans import grey_png


def test_page_images_are_pngs_of_the_pixels_pdfium_draws() -> None:
    data = corpus_file("dev", "seed-001.clean.pdf").read_bytes()
    messages: list[dict] = []

    _emit_page_images(data, 800, messages.append)

    images = [m["image"] for m in messages if "image" in m]
    document = pdfium.PdfDocument(data)
    try:
        assert [i["page"] for i in images] == list(range(1, len(document) + 1))
        for item in images:
            page = document[item["page"] - 1]
            drawn = page.render(scale=800 / page.get_size()[0], grayscale=True).to_pil()
            decoded = Image.open(io.BytesIO(base64.b64decode(item["png"])))
            decoded.load()
            assert decoded.format == "PNG" and decoded.mode == "L"
            assert (decoded.width, decoded.height) == (item["width"], item["height"])
            assert np.array_equal(np.asarray(decoded), np.asarray(drawn))
    finally:
        document.close()


def test_grey_png_of_an_odd_sized_picture_reads_back_the_same() -> None:
    pixels = np.arange(7 * 5, dtype=np.uint8).reshape(7, 5) * 7

    decoded = Image.open(io.BytesIO(grey_png(pixels)))

    assert decoded.size == (5, 7)
    assert np.array_equal(np.asarray(decoded), pixels)
