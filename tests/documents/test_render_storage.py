"""Storage of rendered files (issue 15): a new render deletes the files it supersedes in the
transaction that stores it, keeping RENDER_HISTORY_KEEP previous renders of a draft and
every render of an issued document; page images past page 1 are drawn only when asked for.
Real worker on the real queue, real LibreOffice."""

from __future__ import annotations

import io
from datetime import date

import pypdfium2 as pdfium
from flask import Flask
from PIL import Image
from sqlalchemy import func
from sqlalchemy import select

from render.preview import page_file_id
from services.documents import delete_draft
from services.documents import request_render
from services.register import issue_document
from storage.models import Document
from storage.models import DocumentRender
from storage.models import StoredFile
from tests.support import drain_queue


def _render(app: Flask, world: dict, document_id: int, times: int = 1) -> None:
    for _ in range(times):
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            request_render(session, app, session.get(Document, document_id), user_id=world["clerk"])
        drain_queue(app)


def _stored(app: Flask, world: dict) -> tuple[set[str], int]:
    """The school's stored files: their ids and their bytes in all."""
    with app.extensions["vanthu.db"].session() as session:
        rows = session.execute(
            select(StoredFile.id, StoredFile.size).where(
                StoredFile.organization_id == world["school"]
            )
        ).all()
    return {row.id for row in rows}, sum(row.size for row in rows)


def _render_sets(app: Flask, document_id: int) -> list[tuple[str, ...]]:
    """The files of each render row of the document, oldest first."""
    with app.extensions["vanthu.db"].session() as session:
        rows = session.scalars(
            select(DocumentRender)
            .where(DocumentRender.document_id == document_id)
            .order_by(DocumentRender.id)
        ).all()
        return [
            tuple(f for f in (r.docx_file_id, r.pdf_file_id, r.preview_file_id) if f) for r in rows
        ]


def _sizes(app: Flask, ids: set[str]) -> int:
    with app.extensions["vanthu.db"].session() as session:
        return session.scalar(
            select(func.coalesce(func.sum(StoredFile.size), 0)).where(StoredFile.id.in_(ids))
        )


def test_twenty_renders_of_a_draft_leave_one_set_of_files(app, world, make_draft) -> None:
    document_id = make_draft()
    _render(app, world, document_id, times=20)

    with app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert document.render_status == "done", document.render_error
        current = {document.docx_file_id, document.pdf_file_id, document.preview_file_id}
    ids, total = _stored(app, world)
    assert None not in current
    assert ids == current
    assert total == _sizes(app, current)
    assert len(_render_sets(app, document_id)) == 1


def test_history_keeps_the_configured_number_of_previous_renders(app, world, make_draft) -> None:
    app.config["RENDER_HISTORY_KEEP"] = 2
    document_id = make_draft()
    _render(app, world, document_id, times=6)

    sets = _render_sets(app, document_id)
    assert len(sets) == 3  # the current render and the two before it
    kept = {file_id for files in sets for file_id in files}
    ids, total = _stored(app, world)
    assert ids == kept and len(kept) == 9
    assert total == _sizes(app, kept)
    with app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert sets[-1] == (document.docx_file_id, document.pdf_file_id, document.preview_file_id)


def test_an_issued_document_s_renders_are_never_deleted(app, world, make_draft) -> None:
    document_id = make_draft()
    _render(app, world, document_id, times=2)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        issue_document(
            session,
            session.get(Document, document_id),
            user_id=world["clerk"],
            issued_on=date.today(),
        )
    _render(app, world, document_id, times=3)

    sets = _render_sets(app, document_id)
    # The draft's renders are gone; each numbered render stays, the record of the issue.
    assert len(sets) == 3
    kept = {file_id for files in sets for file_id in files}
    ids, _total = _stored(app, world)
    assert ids == kept
    with app.extensions["vanthu.db"].session() as session:
        numbers = session.scalars(
            select(DocumentRender.number).where(DocumentRender.document_id == document_id)
        ).all()
        assert numbers == [session.get(Document, document_id).number] * 3


def test_a_page_never_asked_for_is_never_drawn_nor_stored(
    app, world, make_draft, client, auth
) -> None:
    document_id = make_draft("cong_van")
    paragraph = "Nhà trường đề nghị các tổ chuyên môn thực hiện nghiêm túc kế hoạch. " * 6
    with app.extensions["vanthu.db"].session() as session:
        session.get(Document, document_id).body_fields = {
            "noi_dung": "\n".join([paragraph] * 14) + "./."
        }
    _render(app, world, document_id)
    with app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        first = document.preview_file_id
        count = len(pdfium.PdfDocument(session.get(StoredFile, document.pdf_file_id).content))
    assert count >= 3
    derived = {page_file_id(first, page) for page in range(2, count + 1)}
    ids, _total = _stored(app, world)
    assert not ids & derived  # the job drew page 1 only

    auth.login("clerk")
    page = client.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert f"Xem trước ({count} trang)" in page
    response = client.get(f"/van-ban/{document_id}/xem-truoc.png?trang=3")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert (image.mode, image.width) == ("L", 900)
    ids, _total = _stored(app, world)
    assert ids & derived == {page_file_id(first, 3)}  # stored once drawn; page 2 never
    again = client.get(f"/van-ban/{document_id}/xem-truoc.png?trang=3")
    assert again.data == response.data
    assert client.get(f"/van-ban/{document_id}/xem-truoc.png?trang={count + 1}").status_code == 404

    # A new render deletes the drawn page with its page 1.
    _render(app, world, document_id)
    ids, _total = _stored(app, world)
    assert first not in ids and not ids & derived
    auth.logout()
    auth.login("other_clerk")
    assert client.get(f"/van-ban/{document_id}/xem-truoc.png?trang=2").status_code == 404


def test_deleting_a_draft_deletes_every_kept_render(app, world, make_draft) -> None:
    app.config["RENDER_HISTORY_KEEP"] = 1
    document_id = make_draft()
    _render(app, world, document_id, times=3)
    assert len(_render_sets(app, document_id)) == 2
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        delete_draft(session, session.get(Document, document_id), user_id=world["clerk"])

    ids, total = _stored(app, world)
    assert (ids, total) == (set(), 0)
    assert _render_sets(app, document_id) == []
