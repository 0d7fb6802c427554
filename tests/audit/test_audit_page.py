"""The audit page (Quản trị → Nhật ký thao tác): Vietnam time, one sentence per event, the
address; the action filter; only the admin's own organization."""

from __future__ import annotations

import html
from datetime import date
from datetime import datetime

from storage.models import AuditEvent


def _page(client, query: str = "") -> str:
    response = client.get(f"/quan-tri/nhat-ky{query}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _add(app, *events: AuditEvent) -> None:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.add_all(events)


def test_events_read_as_sentences_in_vietnam_time(client, auth, app, world, make_draft):
    document_id = make_draft("ke_hoach")
    decision = {"kind_label": "Quyết định", "number_label": "05/QĐ-THCSMT"}
    _add(
        app,
        AuditEvent(
            organization_id=world["school"], user_id=world["clerk"], action="document.withdraw",
            object_type="document", object_id=str(document_id),
            detail=decision | {"reason": "Sai đối tượng"}, ip="10.0.0.7",
            created_at=datetime(2026, 6, 3, 1, 30),  # UTC: 08:30 in Vietnam
        ),
        AuditEvent(
            organization_id=world["school"], user_id=None, action="dossier.regenerate",
            detail={"round": "Năm học 2025-2026", "parts": 6},
        ),
        # A deleted draft: its events stay, without a link to a page that is gone.
        AuditEvent(
            organization_id=world["school"], user_id=world["clerk"], action="document.delete",
            object_type="document", object_id="987654",
            detail={"kind_label": "Kế hoạch", "summary": "Dự thảo thừa"},
        ),
    )  # fmt: skip
    auth.login("admin")
    page = _page(client)
    assert (
        "<td>03/06/2026 08:30</td>\n      <td>Lê Thị Hồng thu hồi Quyết định số 05/QĐ-THCSMT. "
        "Lý do: Sai đối tượng."
    ) in page
    assert "<td>10.0.0.7</td>" in page
    assert f'href="/van-ban/{document_id}"' in page
    assert "Hệ thống lập lại hồ sơ khen thưởng đợt “Năm học 2025-2026” (6 văn bản)." in page
    assert "Lê Thị Hồng xóa dự thảo Kế hoạch “Dự thảo thừa”." in page
    assert 'href="/van-ban/987654"' not in page
    assert "Phạm Quốc Bảo đăng nhập." in page
    # No raw keys or JSON any more.
    assert "kind_label" not in page and "number_label" not in page and "reason:" not in page


def test_filter_by_action(client, auth, app, world):
    _add(
        app,
        AuditEvent(
            organization_id=world["school"], user_id=world["clerk"], action="document.withdraw",
            detail={"number_label": "05/QĐ-THCSMT", "reason": "Sai đối tượng"},
        ),
    )  # fmt: skip
    auth.login("admin")
    filtered = _page(client, "?action=document.withdraw")
    assert "Lê Thị Hồng thu hồi văn bản số 05/QĐ-THCSMT. Lý do: Sai đối tượng." in filtered
    assert "Phạm Quốc Bảo đăng nhập." not in filtered
    assert '<option value="document.withdraw" selected>' in filtered
    # An unknown filter value is ignored, not an error.
    assert "Phạm Quốc Bảo đăng nhập." in _page(client, "?action=x.y")


def test_issuing_through_the_page_is_described(client, auth, app, world, make_draft):
    document_id = make_draft("ke_hoach", summary="Tổ chức phong trào thi đua năm học 2025-2026")
    auth.login("clerk")
    today = date.today()
    response = client.post(
        f"/van-ban/{document_id}/phat-hanh", data={"issued_on": today.isoformat()}
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("admin")
    assert (
        f"Lê Thị Hồng phát hành Kế hoạch số 01/KH-THCSMT ngày {today:%d/%m/%Y} "
        "(Tổ chức phong trào thi đua năm học 2025-2026)."
    ) in _page(client)


def test_only_the_own_organization(client, auth, app, world):
    _add(
        app,
        AuditEvent(
            organization_id=world["other"], user_id=world["other_clerk"], action="report.save",
            detail={"nominee": "Đỗ Minh Khoa"},
        ),
    )  # fmt: skip
    auth.login("admin")
    page = _page(client)
    assert "Đỗ Minh Khoa" not in page and "Võ Thị Lan" not in page
    assert "Phạm Quốc Bảo đăng nhập." in page
