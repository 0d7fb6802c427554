"""Sign-in e-mails are unique within an organization only: nothing an admin does tells
whether an address has an account in another organization, and a person with accounts in
two organizations (a teacher at two schools) signs in to the one the password opens, or
chooses when one password opens both."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy.exc
from sqlalchemy import select

from domain.text import fold
from services import notifications
from storage.models import Person
from storage.models import User
from tests.conftest import PASSWORD
from views import auth as auth_views

# An address with an account in the other organization (seeded by ``world``).
ELSEWHERE = "other_staff@truong.edu.vn"


def _new_user(client, email: str):
    return client.post(
        "/quan-tri/nguoi-dung/moi",
        data={"full_name": "Bùi Thị Thu", "email": email, "role": "staff",
              "password": "MatKhau456"},
    )  # fmt: skip


def _accounts_of(app, email: str) -> list[tuple[int, str]]:
    with app.extensions["vanthu.db"].session() as session:
        users = session.scalars(select(User).where(User.email == email).order_by(User.id))
        return [(u.organization_id, u.full_name) for u in users]


def _second_account(app, organization_id: int, email: str, password_hash: str) -> int:
    with app.extensions["vanthu.db"].session() as session:
        user = User(
            organization_id=organization_id, email=email, full_name="Đỗ Minh Khoa",
            role="staff", password_hash=password_hash,
        )  # fmt: skip
        session.add(user)
        session.flush()
        return user.id


def test_an_admin_adds_an_address_used_elsewhere_as_if_it_were_new(client, auth, app, world):
    auth.login("admin")
    elsewhere = _new_user(client, ELSEWHERE)
    fresh = _new_user(client, "moi@truong.edu.vn")
    assert elsewhere.status_code == fresh.status_code == 302
    assert elsewhere.headers["Location"] == fresh.headers["Location"]
    assert _accounts_of(app, ELSEWHERE) == [
        (world["other"], "Đỗ Minh Khoa"),
        (world["school"], "Bùi Thị Thu"),
    ]


def test_an_address_is_refused_twice_in_one_organization_only(client, auth, app, world):
    auth.login("admin")
    page = _new_user(client, "Staff2@Truong.edu.vn").get_data(as_text=True)
    assert "đã được dùng cho một tài khoản khác của đơn vị" in page
    assert len(_accounts_of(app, "staff2@truong.edu.vn")) == 1


def test_the_database_keeps_one_account_per_address_in_an_organization(app, world):
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        _second_account(app, world["school"], "STAFF@truong.edu.vn ", "x")
    _second_account(app, world["other"], "STAFF@truong.edu.vn ", "x")
    assert [org for org, _ in _accounts_of(app, "staff@truong.edu.vn")] == [
        world["school"],
        world["other"],
    ]


def test_the_staff_directory_offers_a_person_whose_address_has_an_account_elsewhere(
    client, auth, app, world
):
    with app.extensions["vanthu.db"].session() as session:
        session.add(
            Person(
                organization_id=world["school"], full_name="Đỗ Minh Khoa", email=ELSEWHERE,
                unit="Tổ 1", position="Giáo viên", search_key=fold("Đỗ Minh Khoa"),
                unit_key=fold("Tổ 1"),
            )
        )  # fmt: skip
    auth.login("admin")
    page = client.get("/quan-tri/tao-tai-khoan").get_data(as_text=True)
    assert "Đỗ Minh Khoa" in page


def test_each_password_opens_its_own_organization(client, app, world):
    from services.accounts import hash_password

    _second_account(app, world["school"], ELSEWHERE, hash_password("Truong2Mat9"))
    school = client.post("/dang-nhap", data={"email": ELSEWHERE, "password": "Truong2Mat9"})
    assert school.status_code == 302 and not school.headers["Location"].endswith("chon-don-vi")
    assert "TRƯỜNG THCS MỸ THẠNH" in client.get("/").get_data(as_text=True)
    client.post("/dang-xuat")
    other = client.post("/dang-nhap", data={"email": ELSEWHERE, "password": PASSWORD})
    assert other.status_code == 302
    assert "TRƯỜNG TIỂU HỌC AN BÌNH" in client.get("/").get_data(as_text=True)
    wrong = client.post("/dang-nhap", data={"email": ELSEWHERE, "password": "SaiMatKhau1"})
    assert "Sai địa chỉ thư điện tử hoặc mật khẩu" in wrong.get_data(as_text=True)


def _choice_ids(page: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="account"[^>]*value="(\d+)"', page)]


def test_one_password_of_two_accounts_asks_which_organization(client, app, world):
    from tests.conftest import _password_hash

    mine = _second_account(app, world["school"], ELSEWHERE, _password_hash())
    answer = client.post(
        "/dang-nhap?next=/so-van-ban-den", data={"email": ELSEWHERE, "password": PASSWORD}
    )
    assert answer.headers["Location"].endswith("/dang-nhap/chon-don-vi")
    # Not signed in yet: every page still leads to the sign-in.
    assert client.get("/").status_code == 302
    page = client.get("/dang-nhap/chon-don-vi").get_data(as_text=True)
    assert "TRƯỜNG THCS MỸ THẠNH" in page and "TRƯỜNG TIỂU HỌC AN BÌNH" in page
    assert sorted(_choice_ids(page)) == sorted([mine, world["other_staff"]])
    # An account the password did not open cannot be picked by editing the form.
    forged = client.post("/dang-nhap/chon-don-vi", data={"account": world["staff"]})
    assert forged.status_code == 200 and client.get("/").status_code == 302
    chosen = client.post("/dang-nhap/chon-don-vi", data={"account": mine})
    assert chosen.headers["Location"].endswith("/so-van-ban-den")
    assert "TRƯỜNG THCS MỸ THẠNH" in client.get("/").get_data(as_text=True)
    # The offer is spent with the sign-in.
    client.post("/dang-xuat")
    assert client.get("/dang-nhap/chon-don-vi").headers["Location"].endswith("/dang-nhap")


def test_the_choice_lapses_after_a_few_minutes(client, app, world, monkeypatch):
    from tests.conftest import _password_hash

    mine = _second_account(app, world["school"], ELSEWHERE, _password_hash())
    client.post("/dang-nhap", data={"email": ELSEWHERE, "password": PASSWORD})
    later = time.time() + auth_views.CHOICE_SECONDS + 1
    monkeypatch.setattr(auth_views.time, "time", lambda: later)
    lapsed = client.post("/dang-nhap/chon-don-vi", data={"account": mine})
    assert lapsed.headers["Location"].endswith("/dang-nhap")
    monkeypatch.undo()
    assert client.get("/").status_code == 302


def test_a_reset_request_writes_to_each_account_of_the_address(mail_app, mail_server, world):
    _second_account(mail_app, world["school"], ELSEWHERE, "x")
    mail_app.test_client().post("/quen-mat-khau", data={"email": ELSEWHERE})
    notifications.sweep(mail_app)
    bodies = [m.get_content() for m in mail_server.messages]
    named = sorted(re.search(r"anh/chị tại (.+?)\. Mở", b).group(1) for b in bodies)
    assert named == ["TRƯỜNG THCS MỸ THẠNH", "TRƯỜNG TIỂU HỌC AN BÌNH"]
    links = {re.search(r"/dat-lai-mat-khau/\S+", b).group(0) for b in bodies}
    assert len(links) == 2
