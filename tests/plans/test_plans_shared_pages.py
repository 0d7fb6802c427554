"""Schools that upload the same bytes show the shared reading's page images (issue 15):
no school stores its own copy of them, each sees only its own upload's pages, and what one
school does with its upload (read it again, delete it) leaves the others' pages alone."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

import ingest
from services.plans.uploads import start_parse
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import ParsedFile
from storage.models import ParsedPage
from storage.models import StoredFile
from tests.plans.conftest import CORPUS
from tests.plans.conftest import upload_as
from worker.runner import run_job

PLAN = CORPUS / "seed-000.clean.pdf"  # five pages of text


def _read(app, school, name: str) -> int:
    """Upload the plan as ``school`` and run its parse job as a worker does; its id."""
    incoming_id, job_id = upload_as(app, school, PLAN.read_bytes(), name)
    with app.app_context():
        assert run_job(job_id) == "done"
    return incoming_id


def _read_again(app, incoming_id: int) -> None:
    """The clerk's "Đọc lại": the upload's parse queued again and run."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = session.get_one(IncomingDocument, incoming_id)
        job_id = start_parse(session, app, incoming, user_id=incoming.created_by_id)
    with app.app_context():
        assert run_job(job_id) == "done"


def _shown(app, incoming_id: int) -> list[int | None]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return list(
            session.scalars(
                select(IncomingPage.parsed_page_id)
                .where(IncomingPage.incoming_id == incoming_id)
                .order_by(IncomingPage.page)
            )
        )


def _count(app, model) -> int:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _png(app, parsed_page_id: int) -> bytes:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(ParsedPage.png).where(ParsedPage.id == parsed_page_id))


def test_schools_show_the_shared_page_images_and_store_no_copies(app, world, clerk, schools):
    mine = _read(app, (world["school"], world["clerk"]), "ke-hoach-so.pdf")
    theirs = _read(app, schools[0], "ke-hoach-so-gd.pdf")

    shared = _shown(app, mine)
    assert len(shared) == 5 and None not in shared
    assert _shown(app, theirs) == shared  # the same five images, not copies
    assert _count(app, ParsedPage) == 5
    assert _count(app, StoredFile) == 2  # each school's upload; no page image files
    for page, parsed_page_id in enumerate(shared, start=1):
        image = clerk.get(f"/van-ban-den/{mine}/trang-{page}.png")
        assert image.status_code == 200 and image.data == _png(app, parsed_page_id)
        assert image.data.startswith(b"\x89PNG")
    # The review page still draws each line's box over its page's image.
    page = clerk.get(f"/van-ban-den/{mine}").get_data(as_text=True)
    assert "trang-1.png" in page and 'class="line-box"' in page


def test_another_organizations_clerk_gets_404_for_a_schools_page_images(app, clerk, schools):
    # Both uploads are other schools': the shared images are reached only through one's own.
    theirs = _read(app, schools[0], "ke-hoach-so.pdf")
    _read(app, schools[1], "ke-hoach-so.pdf")
    for page in (1, 5):
        assert clerk.get(f"/van-ban-den/{theirs}/trang-{page}.png").status_code == 404
    assert clerk.get(f"/van-ban-den/{theirs}").status_code == 404


def test_reading_an_upload_again_or_deleting_it_keeps_the_pages_another_school_shows(
    app, world, clerk, schools
):
    mine = _read(app, (world["school"], world["clerk"]), "ke-hoach-so.pdf")
    theirs = _read(app, schools[0], "ke-hoach-so.pdf")
    shared = _shown(app, theirs)

    _read_again(app, theirs)
    assert _shown(app, theirs) == shared == _shown(app, mine)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.delete(session.get_one(IncomingDocument, theirs))
    assert _count(app, ParsedPage) == 5
    assert clerk.get(f"/van-ban-den/{mine}/trang-5.png").status_code == 200


def test_a_superseded_reading_stays_while_a_school_shows_it_and_goes_after(
    app, world, clerk, schools, monkeypatch
):
    mine = _read(app, (world["school"], world["clerk"]), "ke-hoach-so.pdf")
    theirs = _read(app, schools[0], "ke-hoach-so.pdf")
    old = _shown(app, mine)

    # A new parser: the next upload of the bytes reads them again.
    monkeypatch.setattr(ingest, "parser_version", lambda: "parser-next")
    later = _read(app, schools[1], "ke-hoach-so.pdf")
    new = _shown(app, later)
    assert set(new).isdisjoint(old)
    assert _count(app, ParsedFile) == 2  # the old reading: its pages are still shown
    _read_again(app, theirs)
    assert _shown(app, theirs) == new
    assert _count(app, ParsedFile) == 2 and _shown(app, mine) == old  # the first school's
    assert clerk.get(f"/van-ban-den/{mine}/trang-2.png").status_code == 200
    _read_again(app, mine)  # the last upload showing the old reading: it goes
    assert _shown(app, mine) == new
    assert _count(app, ParsedFile) == 1 and _count(app, ParsedPage) == 5
    assert clerk.get(f"/van-ban-den/{mine}/trang-2.png").status_code == 200
