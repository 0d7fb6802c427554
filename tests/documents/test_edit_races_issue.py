"""An edit in flight when another clerk presses "Phát hành" is refused, not saved after the
issue: the write is conditional on the draft status (real database, two sessions, the issue
made by another request on another thread while the edit request runs)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

import views.documents
from services.documents import DraftError
from services.documents import update_draft
from services.register import issue_document
from storage.models import Document
from tests.conftest import Auth
from tests.documents.conftest import form_data
from tests.documents.conftest import sample


def _in_another_thread(action) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - re-raised below in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and not errors, errors


def test_edit_saved_after_the_issue_fails_and_changes_nothing(
    app, world, clerk, make_draft, monkeypatch
):
    document_id = make_draft("ke_hoach", summary="Kế hoạch gốc")
    other = app.test_client()
    Auth(other).login("admin")
    real_validate = views.documents.validate

    def issue_meanwhile(form, org):
        valid = real_validate(form, org)

        # The edit request has read the draft and checked the form; now the other clerk
        # issues it, in its own request, thread and database session, and commits.
        def issue() -> None:
            response = other.post(
                f"/van-ban/{document_id}/phat-hanh", data={"issued_on": date.today().isoformat()}
            )
            assert response.status_code == 302, response.get_data(as_text=True)

        _in_another_thread(issue)
        return valid

    monkeypatch.setattr(views.documents, "validate", issue_meanwhile)
    header, body = sample("ke_hoach")
    header["summary"] = "Nội dung sửa muộn"
    response = clerk.post(f"/van-ban/{document_id}/sua", data=form_data("ke_hoach", header, body))

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Văn bản vừa được phát hành" in page
    assert 'value="Nội dung sửa muộn"' in page or "Nội dung sửa muộn</textarea>" in page
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert document.status == "issued" and document.number == 1
        assert document.summary == "Kế hoạch gốc"
        assert document.header_fields["summary"] == "Kế hoạch gốc"


def test_two_sessions_edit_loses_to_an_issue_committed_after_it_was_loaded(app, world, make_draft):
    document_id = make_draft("ke_hoach", summary="Kế hoạch gốc")
    database = app.extensions["vanthu.db"]
    editor = database.sessions()
    try:
        draft = editor.get(Document, document_id)
        assert draft.status == "draft"

        def issue() -> None:
            with database.session() as issuer:
                issue_document(
                    issuer,
                    issuer.get(Document, document_id),
                    user_id=world["admin"],
                    issued_on=date.today(),
                )

        _in_another_thread(issue)
        header, body = sample("ke_hoach")
        with pytest.raises(DraftError, match="vừa được phát hành"):
            update_draft(draft, header_fields=header | {"summary": "Muộn"}, body_fields=body)
        editor.commit()
    finally:
        editor.close()
    with database.session() as session:
        document = session.get(Document, document_id)
        assert (document.status, document.summary) == ("issued", "Kế hoạch gốc")
