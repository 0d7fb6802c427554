"""Quên mật khẩu: a letter with a signed link, the same answer for any address, the link
good once and for PASSWORD_RESET_MINUTES only."""

from __future__ import annotations

import re
import time

import itsdangerous.timed
import pytest
from sqlalchemy import select

from services import accounts
from services import notifications
from storage.models import Notification
from storage.models import User


def _ask(client, email: str):
    return client.post("/quen-mat-khau", data={"email": email})


def _link(mail_app, mail_server) -> str:
    notifications.sweep(mail_app)
    (letter,) = mail_server.messages
    match = re.search(r"https?://\S+(/dat-lai-mat-khau/\S+)", letter.get_content())
    assert match, letter.get_content()
    return match.group(1)


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()


def _set(client, path: str, password: str = "MoiHon2026"):
    return client.post(path, data={"new_password": password, "confirm": password})


def _login(client, password: str, email: str = "staff@truong.edu.vn"):
    return client.post("/dang-nhap", data={"email": email, "password": password})


def test_the_answer_is_the_same_whether_the_address_has_an_account_or_not(
    mail_app, mail_client, mail_server, world
):
    known = _ask(mail_client, "Staff@Truong.edu.vn")
    unknown = _ask(mail_client, "nobody@truong.edu.vn")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    notifications.sweep(mail_app)
    assert [m["To"] for m in mail_server.messages] == ["staff@truong.edu.vn"]


def test_the_link_sets_a_new_password_once(mail_app, mail_client, mail_server, world):
    _ask(mail_client, "staff@truong.edu.vn")
    path = _link(mail_app, mail_server)
    assert mail_client.get(path).status_code == 200
    assert _set(mail_client, path).status_code == 302
    assert _login(mail_client, "MoiHon2026").status_code == 302
    mail_client.post("/dang-xuat")
    # Used: refused, and the password stays the one just set.
    again = _set(mail_client, path, "LanHai2026")
    assert again.status_code == 400 and "đã được dùng" in again.get_data(as_text=True)
    assert _login(mail_client, "LanHai2026").status_code != 302


def test_asking_again_within_minutes_sends_no_second_letter(
    mail_app, mail_client, mail_server, world
):
    for _ in range(3):
        _ask(mail_client, "staff@truong.edu.vn")
    with mail_app.extensions["vanthu.db"].session() as session:
        assert len(session.scalars(select(Notification)).all()) == 1


def _token_made_ago(app, user_id: int, seconds: int, purpose: str, monkeypatch) -> str:
    real = time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - seconds)
    try:
        with app.extensions["vanthu.db"].session() as session:
            user = session.get(User, user_id)
            return accounts.make_token(app.config["SECRET_KEY"], user, purpose)
    finally:
        monkeypatch.setattr(itsdangerous.timed.time, "time", real)


def test_a_reset_link_expires_after_its_minutes(app, client, world, monkeypatch):
    minutes = app.config["PASSWORD_RESET_MINUTES"]
    fresh = _token_made_ago(app, world["staff"], (minutes - 1) * 60, "reset", monkeypatch)
    stale = _token_made_ago(app, world["staff"], (minutes + 1) * 60, "reset", monkeypatch)
    assert client.get(f"/dat-lai-mat-khau/{fresh}").status_code == 200
    assert client.get(f"/dat-lai-mat-khau/{stale}").status_code == 400
    assert _set(client, f"/dat-lai-mat-khau/{stale}").status_code == 400


def test_an_invitation_link_lasts_days_not_minutes(app, client, world, monkeypatch):
    day_old = _token_made_ago(app, world["staff"], 24 * 3600, "invite", monkeypatch)
    too_old = _token_made_ago(app, world["staff"], 8 * 24 * 3600, "invite", monkeypatch)
    assert client.get(f"/dat-lai-mat-khau/{day_old}").status_code == 200
    assert client.get(f"/dat-lai-mat-khau/{too_old}").status_code == 400


def test_a_tampered_link_or_a_password_changed_since_is_refused(app, client, auth, world):
    with app.extensions["vanthu.db"].session() as session:
        token = accounts.make_token(app.config["SECRET_KEY"], session.get(User, world["staff"]))
    assert client.get(f"/dat-lai-mat-khau/{token[:-2]}xx").status_code == 400
    auth.login("staff")
    client.post(
        "/doi-mat-khau",
        data={
            "current_password": "MatKhau123",
            "new_password": "KhacDi2026",
            "confirm": "KhacDi2026",
        },
    )
    auth.logout()
    assert client.get(f"/dat-lai-mat-khau/{token}").status_code == 400
