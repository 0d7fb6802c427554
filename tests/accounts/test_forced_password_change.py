"""A password someone else chose is changed before anything else can be done."""

from __future__ import annotations

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
