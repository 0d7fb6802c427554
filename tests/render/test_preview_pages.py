"""A preview of every page: rendered by PDFium, stored by the worker, shown on the document's
page (real LibreOffice, real worker on the real queue, the web client)."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm
from PIL import Image

from render.manifest import load_manifest
from render.pdf import PdfConverter
from render.preview import MAX_PREVIEW_PAGES
from render.preview import PreviewError
from render.preview import page_file_id
from render.preview import render_preview_pages
from services.documents import create_document
from services.documents import request_render
from storage.models import Document as DocumentRow
from storage.models import StoredFile
from tests.support import drain_queue


def pages_docx(count: int) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for number in range(1, count + 1):
        document.add_paragraph(f"Trang số {number}")
        if number < count:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    with PdfConverter() as made:
        yield made


def test_every_page_is_rendered_greyscale_at_the_asked_width(converter: PdfConverter) -> None:
    pdf = converter.convert_docx_to_pdf(pages_docx(3))
    pages, count = render_preview_pages(pdf, width_px=450)

    assert count == 3 and len(pages) == 3
    for data in pages:
        image = Image.open(io.BytesIO(data))
        assert (image.format, image.mode, image.width) == ("PNG", "L", 450)
        assert image.height == pytest.approx(450 * 297 / 210, abs=2)
    assert len(set(pages)) == 3  # each page its own picture


def test_pages_beyond_the_limit_are_counted_not_rendered(converter: PdfConverter) -> None:
    pdf = converter.convert_docx_to_pdf(pages_docx(4))
    pages, count = render_preview_pages(pdf, width_px=100, max_pages=2)

    assert (len(pages), count) == (2, 4)


def test_an_unreadable_pdf_is_a_preview_error() -> None:
    with pytest.raises(PreviewError):
        render_preview_pages(b"%PDF-1.4 not really")
    with pytest.raises(ValueError):
        render_preview_pages(b"", width_px=0)


def test_page_file_ids_are_fixed_by_page_1_s_and_look_like_file_ids() -> None:
    first = "0123456789abcdef0123456789abcdef"
    ids = [page_file_id(first, page) for page in range(2, MAX_PREVIEW_PAGES + 1)]

    assert ids == [page_file_id(first, page) for page in range(2, MAX_PREVIEW_PAGES + 1)]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert page_file_id("f" * 32, 2) != ids[0]
    with pytest.raises(ValueError):
        page_file_id(first, 1)


def test_the_document_page_shows_every_page_of_the_last_render(app, world, client, auth) -> None:
    sample = copy.deepcopy(load_manifest("cong_van").sample)
    paragraph = "Nhà trường đề nghị các tổ chuyên môn thực hiện nghiêm túc kế hoạch. " * 6
    sample["body"]["noi_dung"] = "\n".join([paragraph] * 14) + "./."
    header = {k: v for k, v in sample["header"].items() if k != "number"}
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session,
            organization_id=world["school"],
            created_by_id=world["clerk"],
            kind="cong_van",
            header_fields=header,
            body_fields=sample["body"],
        )
        request_render(session, app, document, user_id=world["clerk"])
        document_id = document.id
    drain_queue(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        row = session.get(DocumentRow, document_id)
        assert row.render_status == "done", row.render_error
        pdf = session.get(StoredFile, row.pdf_file_id).content
        first = row.preview_file_id
    count = len(pdfium.PdfDocument(pdf))
    assert count >= 3

    auth.login("clerk")
    page = client.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert f"Xem trước ({count} trang)" in page
    assert page.count(f"/van-ban/{document_id}/xem-truoc.png?trang=") == count - 1
    assert page.count('loading="lazy"') >= count - 1
    assert "<script" not in page.split('class="doc-side"')[1]
    for number in range(1, count + 1):
        query = "" if number == 1 else f"?trang={number}"
        response = client.get(f"/van-ban/{document_id}/xem-truoc.png{query}")
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        image = Image.open(io.BytesIO(response.data))
        assert image.width == 900 and (number == 1 or image.mode == "L")
    for missing in (0, count + 1, MAX_PREVIEW_PAGES + 1):
        assert (
            client.get(f"/van-ban/{document_id}/xem-truoc.png?trang={missing}").status_code == 404
        )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        stored = session.get(StoredFile, page_file_id(first, 2))
        assert stored is not None and stored.organization_id == world["school"]

    auth.logout()
    auth.login("other_clerk")
    assert client.get(f"/van-ban/{document_id}/xem-truoc.png?trang=2").status_code == 404
