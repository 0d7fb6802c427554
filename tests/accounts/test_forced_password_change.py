"""A password someone else chose is changed before anything else can be done."""

from __future__ import annotations

import re

import pytest

from storage.models import User
from tests.conftest import PASSWORD


@pytest.fixture
def first_login(app, world):
    with app.extensions["vanthu.db"].session() as session:
        session.get(User, world["staff"]).must_change_password = True
    return world


@pytest.mark.parametrize("path", ["/", "/ho-so", "/tai-khoan/", "/lich-han/", "/quan-tri/"])
def test_every_page_leads_to_the_password_change_until_it_is_done(client, auth, first_login, path):
    auth.login("staff")
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/doi-mat-khau")


def test_the_change_page_says_why_and_sign_out_still_works(client, auth, first_login):
    auth.login("staff")
    page = client.get("/doi-mat-khau").get_data(as_text=True)
    assert "người khác đặt" in page
    assert client.post("/dang-xuat").headers["Location"].endswith("/dang-nhap")


def test_the_json_api_refuses_until_the_password_is_changed(client, auth, first_login):
    auth.login("staff")
    assert client.get("/api/toi").status_code == 403


def test_after_the_change_pages_open_and_the_flag_is_gone(client, auth, app, first_login):
    auth.login("staff")
    response = client.post(
        "/doi-mat-khau",
        data={"current_password": PASSWORD, "new_password": "CuaToi2026", "confirm": "CuaToi2026"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    with app.extensions["vanthu.db"].session() as session:
        assert session.get(User, first_login["staff"]).must_change_password is False


def test_an_admin_setting_someones_password_makes_them_change_it(client, auth, app, world):
    auth.login("admin")
    response = client.post(
        f"/quan-tri/nguoi-dung/{world['staff']}",
        data={"full_name": "Nguyễn Thị Ánh", "email": "staff@truong.edu.vn", "role": "staff",
              "active": "y", "password": "DatLai2026"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.extensions["vanthu.db"].session() as session:
        assert session.get(User, world["staff"]).must_change_password is True
        assert session.get(User, world["admin"]).must_change_password is False


def test_the_first_admin_of_bootstrap_sets_a_password_of_their_own(
    database_url, redis_url, redis_client
):
    # The first admin's password is printed to a terminal (and whatever logs it).
    from tests.conftest import make_app

    app = make_app(database_url, redis_url)
    result = app.test_cli_runner().invoke(args=["bootstrap", "--admin-email", "dau@truong.vn"])
    assert result.exit_code == 0, result.output
    [printed] = re.findall(r"Mật khẩu:\s+(\S+)", result.output)
    client = app.test_client()
    signed_in = client.post("/dang-nhap", data={"email": "dau@truong.vn", "password": printed})
    assert signed_in.status_code == 302
    assert client.get("/quan-tri/").headers["Location"].endswith("/doi-mat-khau")
    app.extensions["vanthu.db"].dispose()


def test_an_account_made_at_the_console_is_changed_at_first_sign_in(app, world):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "moi@truong.edu.vn", "--name", "Lý Thị Mới",
              "--password", "DoNguoiKhacDat1"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "yêu cầu đặt mật khẩu của riêng mình" in result.output
    client = app.test_client()
    data = {"email": "moi@truong.edu.vn", "password": "DoNguoiKhacDat1"}
    assert client.post("/dang-nhap", data=data).status_code == 302
    assert client.get("/").headers["Location"].endswith("/doi-mat-khau")
