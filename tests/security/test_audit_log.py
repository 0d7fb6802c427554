"""The audit log: issuing, withdrawing and downloading documents are recorded and shown to
the organization's admin only."""

from datetime import date

from sqlalchemy import select

from storage.models import AuditEvent
from tests.support import drain_queue as work


def _events(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return [
            (e.action, e.user_id, e.object_id, e.detail)
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action.like("document.%"))
                .order_by(AuditEvent.id)
            )
        ]


def test_issue_download_withdraw_are_audited_and_listed(client, auth, app, world, make_draft):
    document_id = make_draft("ke_hoach")
    auth.login("clerk")
    today = date.today().isoformat()
    assert (
        client.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": today}).status_code
        == 302
    )
    work(app)
    assert client.get(f"/van-ban/{document_id}/tai/pdf").status_code == 200
    assert (
        client.post(f"/van-ban/{document_id}/thu-hoi", data={"reason": "Sai đối tượng"}).status_code
        == 302
    )
    events = _events(app)
    assert [e[0] for e in events] == ["document.issue", "document.download", "document.withdraw"]
    assert all(e[1] == world["clerk"] and e[2] == str(document_id) for e in events)
    assert events[0][3]["number"] == 1 and events[1][3]["format"] == "pdf"
    assert events[2][3]["reason"] == "Sai đối tượng"

    auth.logout()
    auth.login("admin")
    page = client.get("/quan-tri/nhat-ky").get_data(as_text=True)
    for sentence in ("Lê Thị Hồng phát hành", "Lê Thị Hồng tải", "Lê Thị Hồng thu hồi"):
        assert sentence in page
    filtered = client.get("/quan-tri/nhat-ky?action=document.withdraw").get_data(as_text=True)
    assert "Thu hồi văn bản" in filtered and "Sai đối tượng" in filtered
    assert "Lê Thị Hồng tải" not in filtered


def test_audit_log_shows_only_own_organization(client, auth, app, world, make_draft):
    document_id = make_draft("ke_hoach")
    auth.login("clerk")
    client.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": date.today().isoformat()})
    auth.logout()
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        from storage.models import Role
        from storage.models import User

        session.get(User, world["other_clerk"]).role = Role.ADMIN.value
    auth.login("other_clerk")
    page = client.get("/quan-tri/nhat-ky").get_data(as_text=True)
    assert "Lê Thị Hồng phát hành" not in page
    assert "Võ Thị Lan đăng nhập" in page  # their own sign-in is there
