"""The admin's lists a page at a time: the accounts (Quản trị), the staff directory (Danh
sách cán bộ), the audit log (Nhật ký thao tác) and the outbox (Hộp thư đi), each filtered
and searched in SQL and holding only the admin's own organization's rows."""

from __future__ import annotations

import html
import re

import pytest

ACCOUNT = re.compile(r'href="/quan-tri/nguoi-dung/\d+">([^<]+)</a>')
PERSON = re.compile(r"<tr><td>([^<]+)</td>")
EVENT = re.compile(r"tải Kế hoạch số (\d{3})/KH-THCSMT")
LETTER = re.compile(r"<summary>Thư số (\d{3})</summary>")


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def _total(page: str, noun: str) -> int:
    found = re.search(rf"(\d+) {noun}\s*(·|</p>)", page)
    assert found, page[-1500:]
    return int(found.group(1))


# -- accounts ------------------------------------------------------------------------------


def test_the_accounts_page_two_holds_the_next_names_in_order(client, auth, seed_accounts):
    seed_accounts(120)  # Hoàng Văn 000 … 119, plus the world's four
    auth.login("admin")
    first = _page(client, "/quan-tri/")
    assert _total(first, "tài khoản") == 124 and "Trang 1/3" in first
    names = [ACCOUNT.findall(_page(client, f"/quan-tri/?page={n}")) for n in (1, 2, 3)]
    assert [len(n) for n in names] == [50, 50, 24]
    assert names[1][:2] == ["Hoàng Văn 050", "Hoàng Văn 051"]
    flat = [n for page in names for n in page]
    assert len(set(flat)) == 124


def test_accounts_are_found_by_name_without_diacritics_role_state_and_email(
    client, auth, seed_accounts
):
    seed_accounts(60)
    seed_accounts(3, name="Đặng Thị Ánh", prefix="anh", role="clerk", active=False)
    auth.login("admin")
    assert ACCOUNT.findall(_page(client, "/quan-tri/?q=dang+anh")) == [
        "Đặng Thị Ánh 000", "Đặng Thị Ánh 001", "Đặng Thị Ánh 002",
    ]  # fmt: skip
    assert _total(_page(client, "/quan-tri/?q=ĐẶNG"), "tài khoản") == 3
    assert _total(_page(client, "/quan-tri/?q=anh2%40truong"), "tài khoản") == 1
    # The world's clerk and the three new ones; the three are locked.
    assert _total(_page(client, "/quan-tri/?role=clerk"), "tài khoản") == 4
    assert _total(_page(client, "/quan-tri/?role=clerk&state=locked"), "tài khoản") == 3
    assert _total(_page(client, "/quan-tri/?state=active&q=dang"), "tài khoản") == 0
    # An unknown role or state is no filter, not an error.
    assert _total(_page(client, "/quan-tri/?role=root&state=x"), "tài khoản") == 67


def test_the_accounts_page_never_counts_or_shows_another_organizations(client, auth, seed_accounts):
    seed_accounts(80, organization="other", name="Người trường khác", prefix="o")
    auth.login("admin")
    page = _page(client, "/quan-tri/")
    assert _total(page, "tài khoản") == 4 and "Người trường khác" not in page
    assert "Võ Thị Lan" not in page  # the other school's clerk
    assert _total(_page(client, "/quan-tri/?q=truong+khac"), "tài khoản") == 0


# -- the staff directory -------------------------------------------------------------------


def test_the_directory_pages_by_unit_then_name(client, auth, seed_people):
    seed_people(70, unit="Tổ Toán - Tin")
    seed_people(40, name="Lê Văn", unit="Tổ Ngữ văn")
    auth.login("admin")
    first = _page(client, "/quan-tri/danh-sach-can-bo")
    assert _total(first, "người") == 110 and "Trang 1/3" in first
    pages = [
        PERSON.findall(_page(client, f"/quan-tri/danh-sach-can-bo?page={n}")) for n in (1, 2, 3)
    ]
    assert [len(p) for p in pages] == [50, 50, 10]
    # Tổ Ngữ văn (40 lines) before Tổ Toán - Tin: page 2 starts at its 11th line.
    assert pages[0][:1] == ["Lê Văn 000"] and pages[1][:2] == ["Nguyễn Thị 010", "Nguyễn Thị 011"]


def test_the_directory_filters_by_unit_and_finds_names_without_diacritics(
    client, auth, seed_people
):
    seed_people(70)
    seed_people(5, name="Trần Đình Đông", unit="Văn phòng")
    seed_people(4, organization="other", name="Trần Đình Đông", unit="Tổ Sử")
    auth.login("admin")
    assert _total(_page(client, "/quan-tri/danh-sach-can-bo?unit=Văn+phòng"), "người") == 5
    found = _page(client, "/quan-tri/danh-sach-can-bo?q=tran+dinh+dong")
    assert _total(found, "người") == 5 and "Tổ Sử" not in found
    assert PERSON.findall(_page(client, "/quan-tri/danh-sach-can-bo?q=dong+004")) == [
        "Trần Đình Đông 004"
    ]
    # The unit filter offers the organization's own units, each once.
    page = _page(client, "/quan-tri/danh-sach-can-bo")
    assert re.findall(r'<option value="([^"]+)"', page) == ["Tổ Toán - Tin", "Văn phòng"]


def test_the_directory_never_counts_or_shows_another_organizations_lines(client, auth, seed_people):
    seed_people(3)
    seed_people(90, organization="other", name="Người trường khác")
    auth.login("admin")
    page = _page(client, "/quan-tri/danh-sach-can-bo")
    assert _total(page, "người") == 3 and "Người trường khác" not in page
    assert _total(_page(client, "/quan-tri/danh-sach-can-bo?q=truong+khac"), "người") == 0


# -- the audit log -------------------------------------------------------------------------


def test_the_audit_log_pages_newest_first_past_the_old_five_hundred(client, auth, seed_events):
    seed_events(560)
    auth.login("admin")
    second = _page(client, "/quan-tri/nhat-ky?page=2")
    # The admin's own sign-in is the newest event: page 2 starts at the 51st.
    assert EVENT.findall(second) == [f"{i:03d}" for i in range(510, 460, -1)]
    last = _page(client, "/quan-tri/nhat-ky?page=12")
    assert "Trang 12/12" in last and EVENT.findall(last)[-1] == "000"


def test_the_audit_log_filters_by_action_and_by_person(client, auth, world, seed_events):
    seed_events(30)
    seed_events(20, user="staff", action="file.download")
    auth.login("admin")
    assert _total(_page(client, "/quan-tri/nhat-ky?action=file.download"), "thao tác") == 20
    by_clerk = _page(client, f"/quan-tri/nhat-ky?user={world['clerk']}")
    assert _total(by_clerk, "thao tác") == 30 and len(EVENT.findall(by_clerk)) == 30
    assert f'<option value="{world["clerk"]}" selected>' in by_clerk
    both = f"/quan-tri/nhat-ky?user={world['staff']}&action=document.download"
    assert _total(_page(client, both), "thao tác") == 0


def test_the_audit_log_never_counts_or_shows_another_organizations_events(
    client, auth, world, seed_events
):
    seed_events(4)
    seed_events(70, organization="other", user="other_clerk")
    auth.login("admin")
    page = _page(client, "/quan-tri/nhat-ky")
    # The four and the admin's sign-in.
    assert _total(page, "thao tác") == 5 and "Võ Thị Lan" not in page
    # Another organization's person as the filter finds nothing, and is not offered.
    assert f'value="{world["other_clerk"]}"' not in page
    assert _total(_page(client, f"/quan-tri/nhat-ky?user={world['other_clerk']}"), "thao tác") == 0


# -- the outbox ----------------------------------------------------------------------------


def test_the_outbox_pages_newest_first_past_the_old_two_hundred(client, auth, seed_letters):
    seed_letters(230)
    auth.login("admin")
    second = _page(client, "/quan-tri/hop-thu-di?page=2")
    assert LETTER.findall(second) == [f"{i:03d}" for i in range(179, 129, -1)]
    assert "Trang 2/5" in second and _total(second, "thư") == 230
    assert LETTER.findall(_page(client, "/quan-tri/hop-thu-di?page=5"))[-1] == "000"


def test_the_outbox_filters_by_status_and_holds_only_the_organizations_letters(
    client, auth, seed_letters
):
    seed_letters(7)
    seed_letters(3, status="failed")
    seed_letters(60, organization="other")
    auth.login("admin")
    page = _page(client, "/quan-tri/hop-thu-di")
    assert _total(page, "thư") == 10
    failed = _page(client, "/quan-tri/hop-thu-di?status=failed")
    assert LETTER.findall(failed) == ["002", "001", "000"] and _total(failed, "thư") == 3
    assert _total(_page(client, "/quan-tri/hop-thu-di?status=nonsense"), "thư") == 10


@pytest.mark.parametrize(
    ("path", "seed"),
    [("/quan-tri/", "seed_accounts"), ("/quan-tri/danh-sach-can-bo", "seed_people"),
     ("/quan-tri/nhat-ky", "seed_events"), ("/quan-tri/hop-thu-di", "seed_letters")],
)  # fmt: skip
def test_an_admin_list_runs_the_same_statements_whatever_the_number_of_rows(
    client, auth, statements, request, path, seed
):
    add = request.getfixturevalue(seed)
    add(3)
    auth.login("admin")
    client.get(path)
    few = statements.during(lambda: client.get(path))
    add(300, **{"seed_accounts": {"name": "Bùi Văn", "prefix": "b"},
                "seed_people": {"name": "Bùi Văn"}}.get(seed, {}))  # fmt: skip
    many = statements.during(lambda: client.get(path))
    assert many == few
