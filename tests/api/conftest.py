"""Fixtures of the JSON API tests: the app with CSRF on (as in production), a token."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.conftest import seed_world


@pytest.fixture
def api_world(csrf_app):
    return seed_world(csrf_app)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def browser_login(client, key: str) -> None:
    token = csrf_of(client.get("/dang-nhap").get_data(as_text=True))
    response = client.post(
        "/dang-nhap",
        data={"email": f"{key}@truong.edu.vn", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def make_token(client, name: str = "Phần mềm quản lý") -> str:
    """Make a token on the account page, as a person would; returns it as shown (once)."""
    form = csrf_of(client.get("/tai-khoan/").get_data(as_text=True))
    response = client.post("/tai-khoan/ma-api", data={"name": name, "csrf_token": form})
    assert response.status_code == 201
    match = re.search(r'<code class="api-token">([^<]+)</code>', response.get_data(as_text=True))
    assert match
    return match.group(1)


@pytest.fixture
def clerk_token(csrf_app, api_world):
    """A token of the first school's clerk, made through the UI by a browser session."""
    browser = csrf_app.test_client()
    browser_login(browser, "clerk")
    return make_token(browser)
