"""Personal API tokens: made on the account page, shown once, stored hashed, revocable;
``Authorization: Bearer`` authenticates /api/ calls without CSRF."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from storage.models import ApiToken
from storage.models import User
from tests.api.conftest import browser_login
from tests.api.conftest import csrf_of
from tests.api.conftest import make_token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_shown_once_and_stored_only_as_its_hash(csrf_app, api_world):
    browser = csrf_app.test_client()
    browser_login(browser, "clerk")
    token = make_token(browser, "Máy chủ sở")
    page = browser.get("/tai-khoan/").get_data(as_text=True)
    assert token not in page  # not shown again
    assert "Máy chủ sở" in page and token[:10] in page  # listed by name and beginning
    with csrf_app.app_context(), csrf_app.extensions["vanthu.db"].session() as session:
        row = session.scalar(select(ApiToken))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.token_hash, row.prefix, row.name)


def test_bearer_token_authenticates_api_calls_without_csrf(csrf_app, clerk_token):
    program = csrf_app.test_client()  # no session, no cookie, no CSRF token
    me = program.get("/api/toi", headers=_bearer(clerk_token))
    assert me.status_code == 200
    assert me.get_json()["email"] == "clerk@truong.edu.vn"
    assert me.get_json()["authenticated_by"] == "token"
    posted = program.post(
        "/api/van-ban-den",
        json={"text": "UBND XÃ MỸ THẠNH\nKẾ HOẠCH\nTổ chức hội thi"},
        headers=_bearer(clerk_token),
    )
    assert posted.status_code == 202, posted.get_json()
    assert "Set-Cookie" not in posted.headers


def test_bearer_token_does_not_open_html_pages(csrf_app, clerk_token):
    program = csrf_app.test_client()
    response = program.get("/van-ban-den/", headers=_bearer(clerk_token))
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_revoked_or_wrong_token_gets_401_json(csrf_app, api_world):
    browser = csrf_app.test_client()
    browser_login(browser, "clerk")
    token = make_token(browser)
    program = csrf_app.test_client()
    assert program.get("/api/toi", headers=_bearer(token)).status_code == 200
    page = browser.get("/tai-khoan/").get_data(as_text=True)
    token_id = re.search(r"/tai-khoan/ma-api/(\d+)/thu-hoi", page).group(1)
    revoked = browser.post(
        f"/tai-khoan/ma-api/{token_id}/thu-hoi", data={"csrf_token": csrf_of(page)}
    )
    assert revoked.status_code == 302
    for header in (_bearer(token), _bearer(token + "x"), {"Authorization": f"Token {token}"}):
        response = program.get("/api/toi", headers=header)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_token"
        assert (
            "thu hồi" in response.get_json()["error"]["message"]
            or "Bearer" in (response.get_json()["error"]["message"])
        )


def test_a_user_cannot_revoke_another_users_token(csrf_app, api_world):
    owner = csrf_app.test_client()
    browser_login(owner, "clerk")
    token = make_token(owner)
    page = owner.get("/tai-khoan/").get_data(as_text=True)
    token_id = re.search(r"/tai-khoan/ma-api/(\d+)/thu-hoi", page).group(1)
    other = csrf_app.test_client()
    browser_login(other, "staff")
    form = csrf_of(other.get("/tai-khoan/").get_data(as_text=True))
    assert (
        other.post(f"/tai-khoan/ma-api/{token_id}/thu-hoi", data={"csrf_token": form}).status_code
        == 404
    )
    assert csrf_app.test_client().get("/api/toi", headers=_bearer(token)).status_code == 200


def test_session_calls_still_need_the_csrf_token(csrf_app, api_world):
    browser = csrf_app.test_client()
    browser_login(browser, "clerk")
    body = {"text": "UBND XÃ MỸ THẠNH\nKẾ HOẠCH\nTổ chức hội thi"}
    refused = browser.post("/api/van-ban-den", json=body)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    token = browser.get("/api/csrf-token").get_json()["csrf_token"]
    accepted = browser.post("/api/van-ban-den", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 202


def test_a_token_is_refused_while_its_owner_must_change_the_password(csrf_app, clerk_token):
    program = csrf_app.test_client()
    assert program.get("/api/toi", headers=_bearer(clerk_token)).status_code == 200
    with csrf_app.app_context(), csrf_app.extensions["vanthu.db"].session() as session:
        clerk = session.scalar(select(User).where(User.email == "clerk@truong.edu.vn"))
        clerk.must_change_password = True  # as an admin's reset leaves it
        session.commit()
    for call in (
        lambda: program.get("/api/toi", headers=_bearer(clerk_token)),
        lambda: program.post(
            "/api/van-ban-den", json={"text": "KẾ HOẠCH\nHội thi"}, headers=_bearer(clerk_token)
        ),
    ):
        response = call()
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "password_change_required"
        assert "đổi mật khẩu" in response.get_json()["error"]["message"]
    with csrf_app.app_context(), csrf_app.extensions["vanthu.db"].session() as session:
        clerk = session.scalar(select(User).where(User.email == "clerk@truong.edu.vn"))
        clerk.must_change_password = False
        session.commit()
    assert program.get("/api/toi", headers=_bearer(clerk_token)).status_code == 200
