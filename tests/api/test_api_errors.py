"""Errors under /api/: JSON with a stable code and a Vietnamese message, never a redirect
to the HTML login page or an HTML error page."""

from __future__ import annotations

import re

import pytest

VIETNAMESE = re.compile(r"[ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôồốổỗộơờớởỡợưừứửữựỳýỷỹỵ]", re.IGNORECASE)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert VIETNAMESE.search(error["message"]), error["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/toi"),
        ("GET", "/api/jobs/abc"),
        ("GET", "/api/van-ban-den/1"),
        ("POST", "/api/van-ban-den"),
        ("POST", "/api/kiem-tra-the-thuc"),
        ("GET", "/api/kiem-tra-the-thuc/abc"),
    ],
)
def test_unauthenticated_call_gets_401_json_not_a_redirect(csrf_app, api_world, method, path):
    response = csrf_app.test_client().open(path, method=method)
    _assert_error(response, 401, "unauthenticated")
    assert "Location" not in response.headers
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_text_that_is_not_a_string_is_400_json(csrf_app, clerk_token):
    program = csrf_app.test_client()
    for body in ({"text": 5}, {"text": None}, [1, 2], "văn bản", {"file": "x"}):
        response = program.post("/api/van-ban-den", json=body, headers=_bearer(clerk_token))
        _assert_error(response, 400, "invalid_input")
    malformed = program.post(
        "/api/van-ban-den",
        data=b"{not json",
        content_type="application/json",
        headers=_bearer(clerk_token),
    )
    _assert_error(malformed, 400, "invalid_input")


def test_202_location_is_the_api_resource_with_json_status(csrf_app, clerk_token):
    program = csrf_app.test_client()
    response = program.post(
        "/api/van-ban-den",
        json={"text": "UBND XÃ MỸ THẠNH\nKẾ HOẠCH\nTổ chức hội thi văn nghệ"},
        headers=_bearer(clerk_token),
    )
    assert response.status_code == 202
    location = response.headers["Location"]
    assert re.search(r"/api/van-ban-den/\d+$", location), location
    status = program.get(location, headers=_bearer(clerk_token))
    assert status.status_code == 200 and status.mimetype == "application/json"
    assert status.get_json()["status"] == "queued"
    assert status.get_json()["id"] == response.get_json()["id"]


def test_forbidden_missing_and_wrong_method_are_json(csrf_app, api_world, clerk_token):
    from tests.api.conftest import browser_login
    from tests.api.conftest import make_token

    staff = csrf_app.test_client()
    browser_login(staff, "staff")
    staff_token = make_token(staff)
    program = csrf_app.test_client()
    _assert_error(program.get("/api/van-ban-den/1", headers=_bearer(staff_token)), 403, "forbidden")
    _assert_error(
        program.get("/api/van-ban-den/999", headers=_bearer(clerk_token)), 404, "not_found"
    )
    _assert_error(program.get("/api/jobs/khong-co", headers=_bearer(clerk_token)), 404, "not_found")
    _assert_error(
        program.delete("/api/van-ban-den", headers=_bearer(clerk_token)),
        405,
        "method_not_allowed",
    )
