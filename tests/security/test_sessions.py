"""Sessions end on logout and password change; their lifetime counts from the login."""

import time

import pytest


def _copy_session(source, target) -> None:
    """Give ``target`` the session cookie ``source`` holds (a stolen or shared cookie)."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def _signed_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200 and "/dang-nhap" not in response.headers.get("Location", "")


def test_logout_ends_a_copied_session(app, client, auth, world):
    auth.login("clerk")
    thief = app.test_client()
    _copy_session(client, thief)
    assert _signed_in(thief)
    auth.logout()
    assert not _signed_in(thief)
    assert not _signed_in(client)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, auth, world):
    auth.login("staff")
    other = app.test_client()
    _copy_session(client, other)
    response = client.post(
        "/doi-mat-khau",
        data={
            "current_password": "MatKhau123",
            "new_password": "MoiHon2026",
            "confirm": "MoiHon2026",
        },
    )
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(other)


def test_admin_password_reset_ends_the_users_sessions(app, client, auth, world):
    staff = app.test_client()
    staff.post("/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"})
    assert _signed_in(staff)
    auth.login("admin")
    form = client.get(f"/quan-tri/nguoi-dung/{world['staff']}")
    assert form.status_code == 200
    response = client.post(
        f"/quan-tri/nguoi-dung/{world['staff']}",
        data={
            "full_name": "Nguyễn Thị Ánh", "email": "staff@truong.edu.vn", "role": "staff",
            "active": "y", "password": "DatLai2026x",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    assert not _signed_in(staff)
    assert _signed_in(client)


@pytest.mark.parametrize("hours_ago", [12.01, 30])
def test_session_lifetime_counts_from_login_not_last_request(client, auth, world, hours_ago):
    auth.login("staff")
    with client.session_transaction() as session:
        session["login_at"] = int(time.time() - hours_ago * 3600)
    # Requests made meanwhile do not renew it.
    assert not _signed_in(client)


def test_requests_do_not_push_the_cookie_expiry_forward(client, auth, world):
    auth.login("staff")
    with client.session_transaction() as session:
        session["login_at"] = int(time.time() - 11 * 3600)
    response = client.get("/ho-so")
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("session="):
            expires = header.split("Expires=")[1].split(";")[0]
            remaining = time.mktime(time.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT")) - (
                time.mktime(time.gmtime())
            )
            assert remaining < 1.5 * 3600
    assert _signed_in(client)
