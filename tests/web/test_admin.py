"""Administration: organization header data, users, rounds, staff import, create-user CLI."""

import io

import openpyxl
import pytest
from sqlalchemy import select

from storage.models import Organization
from storage.models import Person
from storage.models import Round
from storage.models import User


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ORG_OK = {
    "name": "TRƯỜNG THCS MỸ PHƯỚC",
    "parent_name": "UBND PHƯỜNG MỸ PHƯỚC",
    "abbrev": "THCSMP",
    "place": "Mỹ Phước",
    "head_title": "HIỆU TRƯỞNG",
    "head_name": "Nguyễn Văn Giàu",
    "cstdcs_quota_percent": "15",
}


def test_admin_edits_organization_header_and_quota(client, auth, world, app):
    auth.login("admin")
    assert client.post("/quan-tri/co-quan", data=ORG_OK).status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org = session.get(Organization, world["school"])
        assert (org.name, org.abbrev, org.place) == ("TRƯỜNG THCS MỸ PHƯỚC", "THCSMP", "Mỹ Phước")
        assert org.settings["quotas"]["CSTDCS"] == {"max_percent": "15", "of": "LDTT"}


@pytest.mark.parametrize(
    ("abbrev", "ok"), [("THCS MP", False), ("thcsmp", False), ("PGDĐT-TCCB", True), ("GD&ĐT", True)]
)
def test_organization_abbreviation_must_fit_a_symbol(client, auth, world, abbrev, ok):
    auth.login("admin")
    response = client.post("/quan-tri/co-quan", data=ORG_OK | {"abbrev": abbrev})
    assert (response.status_code == 302) is ok


def test_admin_creates_user_who_logs_in_and_must_first_change_the_password(client, auth, world):
    auth.login("admin")
    response = client.post(
        "/quan-tri/nguoi-dung/moi",
        data={
            "full_name": "Bùi Thị Thu",
            "email": "Thu@Truong.edu.vn",
            "role": "clerk",
            "active": "y",
            "password": "MatKhau456",
        },
    )
    assert response.status_code == 302
    auth.logout()
    login = client.post("/dang-nhap", data={"email": "thu@truong.edu.vn", "password": "MatKhau456"})
    assert login.status_code == 302
    # The password the admin chose is changed first; then the clerk's pages open.
    assert client.get("/").headers["Location"].endswith("/doi-mat-khau")
    changed = client.post(
        "/doi-mat-khau",
        data={
            "current_password": "MatKhau456",
            "new_password": "RiengToi789",
            "confirm": "RiengToi789",
        },
    )
    assert changed.status_code == 302
    assert "Xét duyệt" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "staff@truong.edu.vn"}, "đã được dùng"),
        ({"password": "ngan"}, "ít nhất 8"),
        ({"password": "chicochu"}, "cả chữ và số"),
        ({"email": "khong-phai-email"}, "không hợp lệ"),
    ],
)
def test_user_form_validation(client, auth, world, data, message):
    auth.login("admin")
    base = {
        "full_name": "Bùi Thị Thu",
        "email": "thu@truong.edu.vn",
        "role": "staff",
        "password": "MatKhau456",
    }
    page = client.post("/quan-tri/nguoi-dung/moi", data=base | data).get_data(as_text=True)
    assert message in page


def test_round_gets_rule_set_in_force_on_its_reference_date(client, auth, world, app):
    auth.login("admin")
    common = {
        "registration_opens": "2024-09-01",
        "registration_closes": "2024-09-30",
        "nomination_opens": "2025-05-01",
        "nomination_closes": "2025-05-31",
    }
    client.post(
        "/quan-tri/dot-thi-dua/moi",
        data=common
        | {"name": "Năm học 2024-2025", "school_year": "2024-2025", "reference_date": "2025-05-31"},
    )
    client.post(
        "/quan-tri/dot-thi-dua/moi",
        data=common
        | {
            "name": "Năm học 2025-2026 (xét)",
            "school_year": "2025-2026",
            "reference_date": "2025-07-01",
        },
    )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rounds = {r.name: r.ruleset_id for r in session.scalars(select(Round))}
    assert rounds["Năm học 2024-2025"] == "ND98_2023"
    assert rounds["Năm học 2025-2026 (xét)"] == "ND152_2025"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"school_year": "2025-2027"}, "hai năm liên tiếp"),
        ({"registration_closes": "2025-08-01"}, "phải sau ngày mở"),
        ({"reference_date": "2020-05-31"}, "2020"),
        ({"reference_date": "31/05/2026x"}, "Ngày không hợp lệ"),
    ],
)
def test_round_validation(client, auth, world, data, message):
    auth.login("admin")
    base = {
        "name": "Năm học 2025-2026",
        "school_year": "2025-2026",
        "reference_date": "2026-05-31",
        "registration_opens": "2025-09-01",
        "registration_closes": "2025-09-30",
        "nomination_opens": "2026-05-01",
        "nomination_closes": "2026-05-31",
    }
    page = client.post("/quan-tri/dot-thi-dua/moi", data=base | data).get_data(as_text=True)
    assert message in page


def test_staff_list_is_imported_from_the_schools_xlsx_and_reimport_updates(
    client, auth, world, app
):
    auth.login("admin")
    content = _xlsx(
        [
            ["DANH SÁCH CÁN BỘ, GIÁO VIÊN NĂM HỌC 2025-2026"],
            [],
            ["STT", "Họ và tên", "Chức vụ", "Tổ chuyên môn", "Email"],
            [1, "Nguyễn Thị Ánh", "Giáo viên", "Tổ Toán - Tin", "ANH@truong.edu.vn"],
            [2, "Trần Văn Đức", "Tổ trưởng", "Tổ Ngữ văn", None],
            [3, None, None, None, None],
        ]
    )
    response = client.post(
        "/quan-tri/danh-sach-can-bo",
        data={"file": (io.BytesIO(content), "Danh sách CBGV.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    again = _xlsx(
        [["Họ tên", "Chức vụ", "Tổ"], ["Nguyễn Thị Ánh", "Phó Hiệu trưởng", "Tổ Toán - Tin"]]
    )
    client.post(
        "/quan-tri/danh-sach-can-bo",
        data={"file": (io.BytesIO(again), "ds.xlsx")},
        content_type="multipart/form-data",
    )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        people = {p.full_name: (p.position, p.email) for p in session.scalars(select(Person))}
    assert people == {"Nguyễn Thị Ánh": ("Phó Hiệu trưởng", ""), "Trần Văn Đức": ("Tổ trưởng", "")}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a workbook", "không phải Excel"),
        (_xlsx([["Cột A", "Cột B"], ["x", "y"]]), "Họ và tên"),
    ],
)
def test_bad_staff_file_gets_clear_message(client, auth, world, app, content, message):
    auth.login("admin")
    page = client.post(
        "/quan-tri/danh-sach-can-bo",
        data={"file": (io.BytesIO(content), "ds.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert message in page


def test_create_user_command(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "moi@truong.edu.vn",
            "--name",
            "Lý Thị Mới",
            "--role",
            "clerk",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "mật khẩu:" in result.output
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        user = session.scalar(select(User).where(User.email == "moi@truong.edu.vn"))
        assert (user.full_name, user.role) == ("Lý Thị Mới", "clerk")
    again = runner.invoke(args=["create-user", "--email", "moi@truong.edu.vn", "--name", "X"])
    assert again.exit_code != 0 and "Đơn vị đã có tài khoản" in again.output


def test_change_password(client, auth, world):
    auth.login("staff")
    wrong = client.post(
        "/doi-mat-khau",
        data={"current_password": "sai", "new_password": "MoiMoi789", "confirm": "MoiMoi789"},
    )
    assert "không đúng" in wrong.get_data(as_text=True)
    ok = client.post(
        "/doi-mat-khau",
        data={
            "current_password": "MatKhau123",
            "new_password": "MoiMoi789",
            "confirm": "MoiMoi789",
        },
    )
    assert ok.status_code == 302
    auth.logout()
    assert (
        client.post(
            "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MoiMoi789"}
        ).status_code
        == 302
    )
