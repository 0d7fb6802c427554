"""CSRF protection is on in the real configuration: a post without the token changes nothing."""

import re

from sqlalchemy import func
from sqlalchemy import select

from storage.models import Submission
from tests.web.test_submission_forms import EXEMPLARY_OK


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _login(client):
    page = client.get("/dang-nhap").get_data(as_text=True)
    response = client.post(
        "/dang-nhap",
        data={"email": "staff@truong.edu.vn", "password": "MatKhau123", "csrf_token": _token(page)},
    )
    assert response.status_code == 302


def _count(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(func.count()).select_from(Submission))


def test_login_without_token_is_refused(csrf_app, world):
    client = csrf_app.test_client()
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    assert response.status_code == 400
    assert "mã bảo vệ" in response.get_data(as_text=True)


def test_form_posted_without_token_is_refused_and_saves_nothing(csrf_app, world):
    client = csrf_app.test_client()
    _login(client)
    response = client.post(f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK)
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    assert _count(csrf_app) == 0


def test_form_with_forged_token_is_refused(csrf_app, world):
    client = csrf_app.test_client()
    _login(client)
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK | {"csrf_token": "gia-mao"}
    )
    assert response.status_code == 400
    assert _count(csrf_app) == 0


def test_form_with_token_from_the_page_is_accepted(csrf_app, world):
    client = csrf_app.test_client()
    _login(client)
    page = client.get(f"/dot/{world['round']}/dien-hinh").get_data(as_text=True)
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK | {"csrf_token": _token(page)}
    )
    assert response.status_code == 302
    assert _count(csrf_app) == 1


def test_logout_requires_token(csrf_app, world):
    client = csrf_app.test_client()
    _login(client)
    assert client.post("/dang-xuat").status_code == 400
    assert client.get("/").status_code == 200  # still logged in
