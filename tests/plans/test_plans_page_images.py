"""Page images drawn the first time they are shown (issue 15): the upload job records each
page's size and line boxes only; the first view draws the page (and the next few) in a
limited child, keeps it with the shared reading for every school that uploaded the bytes,
and a page that cannot be drawn answers a Vietnamese message while the web goes on."""

from __future__ import annotations

import struct
import threading

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from services.plans.parse_results import DRAW_AHEAD
from services.plans.parse_results import draw_page
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import ParsedPage
from storage.models import StoredFile
from tests.plans.conftest import CORPUS
from tests.plans.conftest import upload_as
from worker.runner import run_job

PLAN = CORPUS / "seed-000.clean.pdf"  # five pages of text


def _read(app, school, name: str = "ke-hoach-so.pdf") -> int:
    incoming_id, job_id = upload_as(app, school, PLAN.read_bytes(), name)
    with app.app_context():
        assert run_job(job_id) == "done"
    return incoming_id


def _drawn(app) -> list[int]:
    """The pages of the shared readings that have an image."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return list(
            session.scalars(
                select(ParsedPage.page).where(ParsedPage.png.is_not(None)).order_by(ParsedPage.page)
            )
        )


def _page(app, incoming_id: int, page: int) -> IncomingPage:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        row = session.scalars(
            select(IncomingPage).where(
                IncomingPage.incoming_id == incoming_id, IncomingPage.page == page
            )
        ).one()
        session.expunge(row)
        return row


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _login(app, email: str):
    client = app.test_client()
    client.post("/dang-nhap", data={"email": email, "password": "MatKhau123"})
    return client


def test_the_upload_job_draws_no_image_and_the_first_view_draws_and_keeps_it(app, world, clerk):
    mine = _read(app, (world["school"], world["clerk"]))
    assert _drawn(app) == []
    first = _page(app, mine, 1)
    assert first.width == 800 and first.height > 1000 and first.boxes

    image = clerk.get(f"/van-ban-den/{mine}/trang-1.png")
    assert image.status_code == 200, image.get_data(as_text=True)[:500]
    # Drawn at the size the job recorded, which the line boxes are in.
    assert _png_size(image.data) == (first.width, first.height)
    # The next pages were drawn in the same child, ahead of their views.
    assert _drawn(app) == list(range(1, 2 + DRAW_AHEAD))

    # Views after the first read the kept image: no child at all (one given no time
    # would fail the request).
    app.config["PAGE_IMAGE_TIMEOUT"] = 0
    again = clerk.get(f"/van-ban-den/{mine}/trang-1.png")
    assert again.status_code == 200 and again.data == image.data
    assert clerk.get(f"/van-ban-den/{mine}/trang-2.png").status_code == 200
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(ParsedPage)) == 5


def test_schools_with_the_same_bytes_share_one_drawn_image_and_others_get_404(
    app, world, clerk, schools
):
    mine = _read(app, (world["school"], world["clerk"]))
    theirs = _read(app, schools[0], "ke-hoach-so-gd.pdf")
    assert clerk.get(f"/van-ban-den/{mine}/trang-5.png").status_code == 200
    assert _drawn(app) == [5]

    # Their upload shows the same row, drawn once for both.
    assert _page(app, theirs, 5).parsed_page_id == _page(app, mine, 5).parsed_page_id
    # Never through another organization's upload, drawn or not.
    assert clerk.get(f"/van-ban-den/{theirs}/trang-5.png").status_code == 404
    assert clerk.get(f"/van-ban-den/{theirs}/trang-1.png").status_code == 404
    assert _drawn(app) == [5]


def test_two_views_of_a_page_at_once_keep_one_image_and_both_answer(app, world, clerk, auth):
    mine = _read(app, (world["school"], world["clerk"]))
    second = app.test_client()
    second.post("/dang-nhap", data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"})
    answers: dict[str, tuple[int, bytes]] = {}

    def view(name: str, client) -> None:
        response = client.get(f"/van-ban-den/{mine}/trang-4.png")
        answers[name] = (response.status_code, response.data)

    threads = [threading.Thread(target=view, args=(n, c)) for n, c in [("a", clerk), ("b", second)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers["a"][0] == answers["b"][0] == 200
    assert answers["a"][1] == answers["b"][1]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(ParsedPage)) == 5


def test_a_page_stored_by_another_view_meanwhile_is_kept_and_answered(app, world):
    # The losing side of the race, step by step: this view draws while another view
    # stores the page; its UPDATE finds the image there and changes nothing.
    mine = _read(app, (world["school"], world["clerk"]))
    page = _page(app, mine, 3)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.execute(
            update(ParsedPage).where(ParsedPage.id == page.parsed_page_id).values(png=b"first")
        )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        row = session.get_one(IncomingPage, page.id)
        assert draw_page(session, row, memory_mb=512, timeout=60) == b"first"
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(ParsedPage)) == 5
        kept = select(ParsedPage.png).where(ParsedPage.id == page.parsed_page_id)
        assert session.scalar(kept) == b"first"


def _damage(app, incoming_id: int, content: bytes) -> bytes:
    """Put ``content`` in place of the upload's file; returns what was there."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        stored = session.get_one(IncomingDocument, incoming_id).file
        before, stored.content = stored.content, content
        return before


def test_a_damaged_file_answers_a_vietnamese_message_and_a_later_view_tries_again(
    app, world, clerk
):
    mine = _read(app, (world["school"], world["clerk"]))
    good = _damage(app, mine, b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    broken = clerk.get(f"/van-ban-den/{mine}/trang-2.png")
    assert broken.status_code == 503
    assert "Không vẽ được ảnh của trang này" in broken.get_data(as_text=True)
    assert _drawn(app) == []
    # The web process goes on: the review page, then the page once the file is whole.
    assert clerk.get(f"/van-ban-den/{mine}").status_code == 200
    _damage(app, mine, good)
    assert clerk.get(f"/van-ban-den/{mine}/trang-2.png").status_code == 200


def test_a_drawing_child_over_its_time_or_memory_limit_is_stopped(app, world, limited_app):
    mine = _read(app, (world["school"], world["clerk"]))
    no_time = _login(limited_app(PAGE_IMAGE_TIMEOUT=0), "clerk@truong.edu.vn")
    late = no_time.get(f"/van-ban-den/{mine}/trang-1.png")
    assert late.status_code == 503
    assert "quá thời gian cho phép" in late.get_data(as_text=True)
    # Far below what PDFium needs to open a file: allocations fail inside the child.
    no_memory = _login(limited_app(PAGE_IMAGE_MEMORY_MB=1), "clerk@truong.edu.vn")
    large = no_memory.get(f"/van-ban-den/{mine}/trang-1.png")
    assert large.status_code == 503
    assert "bộ nhớ" in large.get_data(as_text=True)
    assert _drawn(app) == []
    # An app with sane limits draws it.
    assert (
        _login(app, "clerk@truong.edu.vn").get(f"/van-ban-den/{mine}/trang-1.png").status_code
        == 200
    )


def test_an_old_upload_with_its_own_image_file_keeps_serving_it(app, world, clerk):
    mine = _read(app, (world["school"], world["clerk"]))
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = session.get_one(IncomingDocument, mine)
        own = StoredFile(
            organization_id=incoming.organization_id,
            original_name="trang-1.png",
            mime_type="image/png",
            size=14,
            sha256="0" * 64,
            content=b"\x89PNG-own-copy",
        )
        session.add(own)
        session.flush()
        row = next(p for p in incoming.pages if p.page == 1)
        row.parsed_page_id, row.file_id = None, own.id
    image = clerk.get(f"/van-ban-den/{mine}/trang-1.png")
    assert image.status_code == 200 and image.data == b"\x89PNG-own-copy"
    assert _drawn(app) == []
