"""An issued document keeps its register entry when re-rendered later."""

from datetime import date

from storage.models import Organization
from tests.documents.conftest import docx_texts
from tests.support import drain_queue as work


def test_rerender_after_abbreviation_change_keeps_the_registered_symbol(
    app, client, auth, world, make_draft
):
    document_id = make_draft("ke_hoach")
    auth.login("clerk")
    client.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": date.today().isoformat()})
    work(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(Organization, world["school"]).abbrev = "THCSMTH"  # renamed later
    assert client.post(f"/van-ban/{document_id}/soan-lai").status_code == 302
    work(app)
    texts = docx_texts(client.get(f"/van-ban/{document_id}/tai/docx").data)
    assert "Số: 01/KH-THCSMT" in texts


def test_a_symbol_typed_into_a_draft_is_ignored(app, world):
    from services.documents import create_document

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session,
            organization_id=world["school"],
            created_by_id=world["clerk"],
            kind="ke_hoach",
            header_fields={"summary": "Thử", "symbol": "GIẢ-MẠO", "number": 99},
            body_fields={},
        )
        assert "symbol" not in document.header_fields and "number" not in document.header_fields
