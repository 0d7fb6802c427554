"""Events issue 12 found missing from the audit log: making an admin (on the admin page and
on the server's command line), an admin resetting a password, downloads of a dossier's
documents, its Giấy khen and a superior plan's file, and a document created. Each is
recorded by the real route or command and read on the audit page as a sentence."""

from __future__ import annotations

import html

from sqlalchemy import select

from services.audit import describe
from storage.models import AuditEvent
from tests.documents.conftest import form_data
from tests.documents.conftest import sample
from tests.web import authz_dossier
from tests.web import authz_plans


def _events(app, action: str) -> list[tuple[AuditEvent, str]]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        return [(row, describe(row)) for row in rows]


def _user_form(**values: str) -> dict[str, str]:
    return {"full_name": "", "email": "", "position": "", "unit": "", "role": "staff",
            "active": "y", "password": ""} | values  # fmt: skip


def test_admin_made_on_the_admin_page_is_recorded(client, auth, app, world):
    auth.login("admin")
    response = client.post(
        "/quan-tri/nguoi-dung/moi",
        data=_user_form(
            full_name="Hồ Văn Tâm", email="tam@truong.edu.vn", role="admin", password="MatKhauMoi1"
        ),  # fmt: skip
    )
    assert response.status_code == 302
    [(event, sentence)] = _events(app, "user.create_admin")
    assert event.user_id == world["admin"] and event.organization_id == world["school"]
    assert sentence == ("Phạm Quốc Bảo tạo tài khoản quản trị Hồ Văn Tâm (tam@truong.edu.vn).")
    page = html.unescape(client.get("/quan-tri/nhat-ky").get_data(as_text=True))
    assert sentence in page


def test_promotion_to_admin_and_password_reset_are_recorded(client, auth, app, world):
    auth.login("admin")
    response = client.post(
        f"/quan-tri/nguoi-dung/{world['staff']}",
        data=_user_form(
            full_name="Nguyễn Thị Ánh",
            email="staff@truong.edu.vn",
            role="admin",
            password="DatLai2026x",
        ),  # fmt: skip
    )
    assert response.status_code == 302
    assert [s for _e, s in _events(app, "user.grant_admin")] == [
        "Phạm Quốc Bảo cấp quyền quản trị cho tài khoản Nguyễn Thị Ánh (staff@truong.edu.vn)."
    ]
    assert [s for _e, s in _events(app, "user.password_reset")] == [
        "Phạm Quốc Bảo đặt lại mật khẩu của tài khoản Nguyễn Thị Ánh (staff@truong.edu.vn)."
    ]


def test_saving_an_account_without_changes_records_nothing(client, auth, app, world):
    auth.login("admin")
    client.post(
        f"/quan-tri/nguoi-dung/{world['staff2']}",
        data=_user_form(full_name="Trần Văn Đức", email="staff2@truong.edu.vn"),
    )
    assert _events(app, "user.password_reset") == _events(app, "user.grant_admin") == []


def test_admins_made_on_the_command_line_are_recorded(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "qt@truong.edu.vn",
            "--name",
            "Lâm Quản Trị",
            "--role",
            "admin",
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    staff = runner.invoke(
        args=["create-user", "--email", "gv@truong.edu.vn", "--name", "Giáo Viên"]
    )
    assert staff.exit_code == 0
    [(event, sentence)] = _events(app, "user.create_admin")
    assert event.user_id is None and event.organization_id == world["school"]
    assert sentence == (
        "Hệ thống tạo tài khoản quản trị Lâm Quản Trị (qt@truong.edu.vn) bằng dòng lệnh "
        "trên máy chủ."
    )


def test_the_first_admin_of_bootstrap_is_recorded(database_url, redis_url, redis_client):
    from tests.conftest import make_app

    app = make_app(database_url, redis_url)
    result = app.test_cli_runner().invoke(args=["bootstrap", "--admin-email", "a@b.vn"])
    assert result.exit_code == 0, result.output
    [(_event, sentence)] = _events(app, "user.create_admin")
    assert "tạo tài khoản quản trị Quản trị viên (a@b.vn)" in sentence
    app.extensions["vanthu.db"].dispose()


def test_dossier_certificate_and_plan_downloads_are_recorded(client, auth, app, world):
    found = authz_dossier.targets(app, world) | authz_plans.targets(app, world)
    auth.login("clerk")
    dossier = f"/ho-so-khen-thuong/{found['dossier']}"
    assert client.get(f"{dossier}/van-ban/{found['dossier_document']}.docx").status_code == 200
    assert client.get(f"{dossier}/giay-khen.zip").status_code == 200
    assert client.get(f"/van-ban-den/{found['incoming']}/tep").status_code == 200
    [(document, _s)] = _events(app, "document.download")
    assert document.object_id == str(found["dossier_document"])
    [(_e, certificates)] = _events(app, "certificates.download")
    assert certificates.startswith("Lê Thị Hồng tải bộ Giấy khen của hồ sơ khen thưởng đợt “")
    assert certificates.endswith("(tệp nén .zip).")
    [(_e, plan)] = _events(app, "incoming.download")
    assert plan.startswith("Lê Thị Hồng tải tệp văn bản cấp trên “")


def test_a_document_created_on_the_form_is_recorded(client, auth, app, world):
    auth.login("clerk")
    header, body = sample("ke_hoach")
    response = client.post("/van-ban/moi/ke_hoach", data=form_data("ke_hoach", header, body))
    assert response.status_code == 302
    document_id = int(response.headers["Location"].rsplit("/", 1)[1])
    [(event, sentence)] = _events(app, "document.create")
    assert event.object_id == str(document_id) and event.user_id == world["clerk"]
    assert sentence.startswith("Lê Thị Hồng soạn dự thảo Kế hoạch “")


def test_every_action_has_its_own_sentence():
    from services.audit import _PHRASES
    from services.audit import ACTIONS

    assert set(_PHRASES) == set(ACTIONS)
