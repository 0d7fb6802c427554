"""Deleting a draft (POST /van-ban/<id>/xoa): only drafts, never while rendering, only with
the confirmation ticked, only in the own organization; files and subject rows go with it."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy import update

from render.preview import page_file_id
from services.documents import DOCX_MIME
from services.documents import DraftError
from services.documents import delete_draft
from services.register import issue_document
from storage.files import save_file
from storage.models import AuditEvent
from storage.models import Document
from storage.models import DocumentSubject
from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionStatus

CONFIRM = {"confirm": "yes"}


def _attach(app, world, document_id: int) -> dict[str, object]:
    """Give the draft a .docx, a PDF and a preview, a nominee it names and a document that
    says it replaces it; the PDF is also another draft's (so it must be kept)."""
    owner = {"organization_id": world["school"], "created_by_id": world["clerk"]}
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        files = {
            name: save_file(session, content=content, original_name=f"Dự thảo.{name}",
                            mime_type=mime, **owner).id
            for name, content, mime in (
                ("docx", b"PK\x03\x04 docx", DOCX_MIME),
                ("pdf", b"%PDF-1.4 du thao", "application/pdf"),
                ("png", b"\x89PNG xem truoc", "image/png"),
            )
        }  # fmt: skip
        document.docx_file_id = files["docx"]
        document.pdf_file_id = files["pdf"]
        document.preview_file_id = files["png"]
        submission = Submission(
            organization_id=world["school"], round_id=world["round"], kind="registration",
            status=SubmissionStatus.APPROVED.value, created_by_id=world["staff"],
            nominee_name="Trần Văn Bình", title_code="CSTDCS", search_key="tran van binh",
        )  # fmt: skip
        session.add(submission)
        session.flush()
        session.add(DocumentSubject(document_id=document_id, submission_id=submission.id))
        sibling = Document(
            organization_id=world["school"], created_by_id=world["clerk"], kind="ke_hoach",
            summary="Bản thay thế", replaces_id=document_id, pdf_file_id=files["pdf"],
        )  # fmt: skip
        session.add(sibling)
        # The preview's second page, stored under the id derived from page 1's.
        page_two = save_file(session, content=b"\x89PNG trang 2", original_name="Trang 2.png",
                             mime_type="image/png", **owner)  # fmt: skip
        page_two.id = page_file_id(files["png"], 2)
        session.flush()
        files["png2"] = page_two.id
        return {"files": files, "sibling": sibling.id}


def _state(app, document_id: int) -> dict[str, object]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return {
            "document": session.get(Document, document_id) is not None,
            "files": set(session.scalars(select(StoredFile.id))),
            "subjects": session.scalars(
                select(DocumentSubject.submission_id).where(
                    DocumentSubject.document_id == document_id
                )
            ).all(),
            "deletions": [
                (e.user_id, e.object_id, e.detail)
                for e in session.scalars(
                    select(AuditEvent).where(AuditEvent.action == "document.delete")
                )
            ],
        }


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_draft_is_deleted_with_its_files_subject_rows_and_audited(app, world, clerk, make_draft):
    document_id = make_draft("ke_hoach", summary="Kế hoạch thừa do lập lại hồ sơ")
    attached = _attach(app, world, document_id)
    files = attached["files"]

    response = clerk.post(f"/van-ban/{document_id}/xoa", data=CONFIRM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/van-ban/"
    assert "Đã xóa dự thảo Kế hoạch “Kế hoạch thừa do lập lại hồ sơ”." in _text(
        clerk.get("/van-ban/")
    )
    state = _state(app, document_id)
    assert not state["document"]
    assert files["docx"] not in state["files"] and files["png"] not in state["files"]
    assert files["png2"] not in state["files"]  # every preview page goes with it
    assert files["pdf"] in state["files"]  # still another document's file
    assert state["subjects"] == []
    assert state["deletions"] == [
        (
            world["clerk"],
            str(document_id),
            {"kind_label": "Kế hoạch", "summary": "Kế hoạch thừa do lập lại hồ sơ"},
        )
    ]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Document, attached["sibling"]).replaces_id is None
        # The nomination the draft named is untouched.
        assert session.scalar(select(Submission.nominee_name)) == "Trần Văn Bình"


def test_issued_document_is_refused(app, world, clerk, make_draft):
    document_id = make_draft("ke_hoach")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        issue_document(
            session, session.get(Document, document_id), user_id=world["clerk"],
            issued_on=date.today(),
        )  # fmt: skip
    response = clerk.post(f"/van-ban/{document_id}/xoa", data=CONFIRM)
    assert response.status_code == 400
    assert "Chỉ xóa được văn bản dự thảo" in _text(response)
    state = _state(app, document_id)
    assert state["document"] and state["deletions"] == []


@pytest.mark.parametrize("render_status", ["queued", "running"])
def test_document_being_rendered_is_refused(app, world, clerk, make_draft, render_status):
    document_id = make_draft("ke_hoach")
    files = _attach(app, world, document_id)["files"]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(Document, document_id).render_status = render_status
    response = clerk.post(f"/van-ban/{document_id}/xoa", data=CONFIRM)
    assert response.status_code == 400
    assert "Văn bản đang được soạn; hãy chờ xong rồi xóa." in _text(response)
    state = _state(app, document_id)
    assert state["document"] and set(files.values()) <= state["files"] and state["subjects"]


@pytest.mark.parametrize("data", [{}, {"confirm": ""}, {"confirm": "no"}])
def test_without_the_confirmation_tick_nothing_is_deleted(app, world, clerk, make_draft, data):
    document_id = make_draft("ke_hoach")
    files = _attach(app, world, document_id)["files"]
    response = clerk.post(f"/van-ban/{document_id}/xoa", data=data)
    assert response.status_code == 400
    assert "Hãy đánh dấu ô xác nhận trước khi xóa dự thảo." in _text(response)
    state = _state(app, document_id)
    assert state["document"] and set(files.values()) <= state["files"] and state["subjects"]
    assert state["deletions"] == []


def test_another_organization_gets_404(app, world, auth, client, make_draft):
    document_id = make_draft("ke_hoach")
    auth.login("other_clerk")
    assert client.post(f"/van-ban/{document_id}/xoa", data=CONFIRM).status_code == 404
    assert _state(app, document_id)["document"]


def test_staff_cannot_delete(app, world, auth, client, make_draft):
    document_id = make_draft("ke_hoach")
    auth.login("staff")
    assert client.post(f"/van-ban/{document_id}/xoa", data=CONFIRM).status_code == 403
    assert _state(app, document_id)["document"]


def test_only_a_draft_page_offers_deletion(app, world, clerk, make_draft):
    draft = make_draft("ke_hoach")
    page = _text(clerk.get(f"/van-ban/{draft}"))
    assert f'action="/van-ban/{draft}/xoa"' in page
    assert 'name="confirm" value="yes"' in page
    assert "Tôi chắc chắn muốn xóa dự thảo này" in page
    issued = make_draft("ke_hoach")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        issue_document(
            session, session.get(Document, issued), user_id=world["clerk"], issued_on=date.today()
        )
    assert "/xoa" not in _text(clerk.get(f"/van-ban/{issued}"))


def test_a_draft_issued_since_it_was_loaded_is_not_deleted(app, world, make_draft):
    """The delete is guarded by the status in the database, not the one loaded earlier."""
    document_id = make_draft("ke_hoach")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        # Another clerk issues it; this session's object still says "draft".
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(status="issued", year=2026, number=1, symbol="KH-THCSMT")
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(DraftError, match="vừa được phát hành"):
            delete_draft(session, document, user_id=world["clerk"])
    assert _state(app, document_id)["document"]


def test_deletion_needs_the_csrf_token_from_the_page(csrf_app, world, make_draft):
    client = csrf_app.test_client()
    login = client.get("/dang-nhap").get_data(as_text=True)
    client.post(
        "/dang-nhap",
        data={
            "email": "clerk@truong.edu.vn",
            "password": "MatKhau123",
            "csrf_token": _token(login),
        },
    )
    document_id = make_draft("ke_hoach")
    assert client.post(f"/van-ban/{document_id}/xoa", data=CONFIRM).status_code == 400
    assert _state(csrf_app, document_id)["document"]
    page = client.get(f"/van-ban/{document_id}").get_data(as_text=True)
    form = page[page.index(f'action="/van-ban/{document_id}/xoa"') :]
    response = client.post(
        f"/van-ban/{document_id}/xoa", data=CONFIRM | {"csrf_token": _token(form)}
    )
    assert response.status_code == 302
    assert not _state(csrf_app, document_id)["document"]


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
