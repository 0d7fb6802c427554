"""The căn cứ of a document are ticked on its form, stored with it, and never printed
without a date."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Document
from tests.documents.conftest import form_data
from tests.documents.conftest import sample


def _latest(app) -> Document:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.scalars(select(Document).order_by(Document.id.desc())).first()
        session.expunge(document)
        return document


def test_the_form_offers_each_instrument_with_the_suggested_ones_ticked(clerk):
    page = clerk.get("/van-ban/moi/quyet_dinh").get_data(as_text=True)
    assert 'value="LUAT_TDKT_2022" checked' in page
    assert 'value="TT_15_2025_BNV">' in page  # offered, not ticked: its date is not confirmed
    assert 'name="legal_basis_date_TT_15_2025_BNV"' in page
    assert "Căn cứ bổ sung" in page


def test_a_plan_saved_without_ticks_cites_nothing_and_keeps_that_choice(app, clerk):
    header, body = sample("ke_hoach")
    header |= {"summary": "Tổ chức Hội giảng cấp trường", "can_cu": [], "legal_basis": []}
    response = clerk.post("/van-ban/moi/ke_hoach", data=form_data("ke_hoach", header, body))
    assert response.status_code == 302
    assert _latest(app).header_fields["legal_basis"] == []


def test_a_ticked_circular_without_its_date_is_refused_on_the_form(app, clerk):
    header, body = sample("quyet_dinh")
    header["legal_basis"] = ["LUAT_TDKT_2022", "TT_29_2023_BGDDT"]
    response = clerk.post("/van-ban/moi/quyet_dinh", data=form_data("quyet_dinh", header, body))
    assert response.status_code == 400
    assert "Chưa có ngày ban hành của Thông tư số 29/2023/TT-BGDĐT" in response.text
    header["legal_basis_dates"] = {"TT_29_2023_BGDDT": "2023-12-29"}
    response = clerk.post("/van-ban/moi/quyet_dinh", data=form_data("quyet_dinh", header, body))
    assert response.status_code == 302
    stored = _latest(app).header_fields
    assert stored["legal_basis"] == ["LUAT_TDKT_2022", "TT_29_2023_BGDDT"]
    assert stored["legal_basis_dates"] == {"TT_29_2023_BGDDT": "2023-12-29"}
