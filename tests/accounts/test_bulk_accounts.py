"""Accounts made in bulk from the staff directory, in the admin's own organization."""

from __future__ import annotations

import re

from sqlalchemy import select

from domain.text import fold
from services import notifications
from storage.models import Notification
from storage.models import Person
from storage.models import User


def _people(app, world) -> dict[str, int]:
    rows = {
        "new": (world["school"], "Hoàng Văn Nam", "nam.hv@truong.edu.vn"),
        "new2": (world["school"], "Lý Thị Mai", "Mai.LT@truong.edu.vn"),
        "has_account": (world["school"], "Nguyễn Thị Ánh", "staff@truong.edu.vn"),
        "no_email": (world["school"], "Đặng Văn Tư", ""),
        "other_org": (world["other"], "Phan Thị Hoa", "hoa@anbinh.edu.vn"),
    }
    ids = {}
    with app.extensions["vanthu.db"].session() as session:
        for key, (org, name, email) in rows.items():
            person = Person(
                organization_id=org, full_name=name, email=email, unit="Tổ Sử - Địa",
                position="Giáo viên", search_key=fold(name), unit_key=fold("Tổ Sử - Địa"),
            )  # fmt: skip
            session.add(person)
            session.flush()
            ids[key] = person.id
    return ids


def test_the_page_lists_only_own_people_without_an_account(client, auth, app, world):
    _people(app, world)
    auth.login("admin")
    page = client.get("/quan-tri/tao-tai-khoan").get_data(as_text=True)
    assert "Hoàng Văn Nam" in page and "Lý Thị Mai" in page
    assert "Đặng Văn Tư" in page and "chưa có địa chỉ thư điện tử" in page
    assert "Nguyễn Thị Ánh" not in page and "Phan Thị Hoa" not in page


def test_chosen_people_get_accounts_with_a_first_password_and_an_invitation(
    client, auth, app, world
):
    ids = _people(app, world)
    auth.login("admin")
    response = client.post(
        "/quan-tri/tao-tai-khoan",
        data={"role": "clerk", "person": [ids["new"], ids["new2"], ids["has_account"],
                                          ids["no_email"], ids["other_org"]]},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    passwords = re.findall(r"<code>([A-Za-z0-9]{10})</code>", page)
    assert len(passwords) == 2
    with app.extensions["vanthu.db"].session() as session:
        emails = ["nam.hv@truong.edu.vn", "mai.lt@truong.edu.vn", "hoa@anbinh.edu.vn"]
        made = session.scalars(select(User).where(User.email.in_(emails))).all()
        assert sorted(u.email for u in made) == ["mai.lt@truong.edu.vn", "nam.hv@truong.edu.vn"]
        assert {(u.organization_id, u.role, u.must_change_password, u.position) for u in made} == {
            (world["school"], "clerk", True, "Giáo viên")
        }
        letters = session.scalars(select(Notification).order_by(Notification.id)).all()
        assert [n.kind for n in letters] == ["invitation", "invitation"]
        assert all("/dat-lai-mat-khau/" in n.body for n in letters)
        assert session.scalar(select(User).where(User.email == "")) is None
    # Doing it again makes nothing: they have accounts now.
    again = client.post("/quan-tri/tao-tai-khoan", data={"role": "staff", "person": [ids["new"]]})
    assert "Không tạo được tài khoản nào" in again.get_data(as_text=True)

    auth.logout()
    email = "nam.hv@truong.edu.vn"
    index = page.index(email)
    first = re.search(r"<code>([A-Za-z0-9]{10})</code>", page[index:]).group(1)
    assert client.post("/dang-nhap", data={"email": email, "password": first}).status_code == 302
    assert client.get("/").headers["Location"].endswith("/doi-mat-khau")


def test_an_invitation_link_lets_the_new_user_choose_a_password(client, auth, app, world):
    ids = _people(app, world)
    auth.login("admin")
    client.post("/quan-tri/tao-tai-khoan", data={"role": "staff", "person": [ids["new"]]})
    auth.logout()
    notifications.sweep(app)  # no SMTP_HOST: kept in the outbox
    with app.extensions["vanthu.db"].session() as session:
        (letter,) = session.scalars(select(Notification)).all()
    assert letter.status == "kept" and letter.to_addr == "nam.hv@truong.edu.vn"
    path = re.search(r"https?://\S+(/dat-lai-mat-khau/\S+)", letter.body).group(1)
    data = {"new_password": "TuChon2026", "confirm": "TuChon2026"}
    assert client.post(path, data=data).status_code == 302
    login = {"email": "nam.hv@truong.edu.vn", "password": "TuChon2026"}
    assert client.post("/dang-nhap", data=login).status_code == 302
    assert client.get("/").status_code == 200  # chose it themselves: no forced change
