"""The clerk's list (Xét duyệt hồ sơ) and a teacher's own (Hồ sơ của tôi), page by page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from storage.models import Submission

ROW = re.compile(r'href="/ho-so/(\d+)"')


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


def _total(response) -> int:
    found = re.search(r"(\d+) hồ sơ</p>", response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[-2000:]
    return int(found.group(1))


def test_the_clerks_list_pages_by_unit_and_name_with_filters(client, auth, seed_submissions):
    seed_submissions(110)
    seed_submissions(7, author="staff2", name="Trần Thị Đào", status="approved")
    auth.login("clerk")
    first = client.get("/xet-duyet/")
    assert _total(first) == 117 and "Trang 1/3" in first.get_data(as_text=True)
    pages = [_ids(first)] + [_ids(client.get(f"/xet-duyet/?page={n}")) for n in (2, 3)]
    assert [len(p) for p in pages] == [50, 50, 17]
    assert len({i for p in pages for i in p}) == 117
    # Same unit: by name, so "Nguyễn Văn 0000" … "Nguyễn Văn 0109" then "Trần Thị Đào …".
    assert pages[0][:2] == sorted(pages[0][:2])
    assert _total(client.get("/xet-duyet/?status=approved")) == 7
    assert _total(client.get("/xet-duyet/?q=tran+thi+dao")) == 7
    assert _ids(client.get("/xet-duyet/?q=dao&page=9")) == _ids(client.get("/xet-duyet/?q=dao"))


def test_the_clerks_list_never_counts_or_shows_another_organizations_rows(
    client, auth, seed_submissions
):
    seed_submissions(3)
    seed_submissions(90, author="other_staff", name="Người trường khác")
    auth.login("clerk")
    page = client.get("/xet-duyet/")
    assert _total(page) == 3 and "Người trường khác" not in page.get_data(as_text=True)
    assert _total(client.get("/xet-duyet/?q=truong+khac")) == 0


def test_a_teachers_own_list_pages_last_changed_first_and_holds_only_theirs(
    client, auth, seed_submissions
):
    seed_submissions(60)
    seed_submissions(30, author="staff2", name="Trần Thị Đào")
    auth.login("staff")
    first = client.get("/ho-so")
    html = first.get_data(as_text=True)
    assert "Trang 1/2" in html and "Trần Thị Đào" not in html
    both = _ids(first) + _ids(client.get("/ho-so?page=2"))
    assert len(both) == 60 and both == sorted(both, reverse=True)


@pytest.mark.parametrize("path", ["/xet-duyet/", "/ho-so"])
def test_a_submissions_page_runs_the_same_statements_whatever_the_number_of_rows(
    client, auth, seed_submissions, statements, path
):
    seed_submissions(3)
    seed_submissions(2, name="Nguyễn Văn")  # the same people again: possible duplicates
    auth.login("clerk" if path.startswith("/xet") else "staff")
    client.get(path)
    few = statements.during(lambda: client.get(path))
    seed_submissions(400, name="Lê Văn")
    many = statements.during(lambda: client.get(path))
    assert many == few


def test_the_duplicates_check_reads_only_the_people_on_the_page(
    app, world, client, auth, seed_submissions, statements
):
    seed_submissions(2)
    seed_submissions(2, author="staff2")  # the same two people, registered twice
    seed_submissions(300, name="Lê Văn")
    auth.login("clerk")
    statements.during(lambda: client.get("/xet-duyet/?q=nguyen"))
    html = client.get("/xet-duyet/?q=nguyen").get_data(as_text=True)
    assert html.count("Có thể trùng") == 4
    [duplicates_query] = [s for s in statements.statements if "title_code !=" in s]
    assert "search_key IN" in duplicates_query


@pytest.mark.parametrize("which", ["clerk", "own"])
def test_the_submissions_page_queries_read_their_index_on_sqlite(app, world, which):
    if not app.extensions["vanthu.db"].is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from services.submissions import filtered_query
    from services.submissions import own_query

    query, index = {
        "clerk": (filtered_query(world["school"], status="submitted"), "ix_submissions_list"),
        "own": (own_query(world["staff"]), "ix_submissions_own"),
    }[which]
    ids = query.with_only_columns(Submission.id).limit(50).offset(50)
    with app.extensions["vanthu.db"].session() as session:
        sql = ids.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert index in plan and "TEMP B-TREE" not in plan, plan


def test_the_unit_filter_offers_each_unit_once_in_order_and_only_the_organizations(
    app, world, seed_submissions
):
    from services.submissions import units

    seed_submissions(4, unit="Tổ Văn")
    seed_submissions(3, unit="Tổ Anh")
    seed_submissions(2, unit="")
    seed_submissions(5, author="other_staff", unit="Tổ Sử")
    with app.extensions["vanthu.db"].session() as session:
        assert units(session, world["school"]) == ["Tổ Anh", "Tổ Văn"]
        assert units(session, world["other"]) == ["Tổ Sử"]


def test_what_others_sent_naming_a_teacher_is_read_in_the_same_statements_however_many(
    app, client, auth, world, seed_submissions, statements
):
    from domain.text import fold
    from storage.models import Person

    with app.extensions["vanthu.db"].session() as session:
        session.add(
            Person(organization_id=world["school"], full_name="Nguyễn Thị Ánh",
                   unit="Tổ Toán - Tin", email="staff@truong.edu.vn",
                   search_key=fold("Nguyễn Thị Ánh"), unit_key=fold("Tổ Toán - Tin"))
        )  # fmt: skip
    named = {"nominee_name": "Nguyễn Thị Ánh", "search_key": fold("Nguyễn Thị Ánh")}
    seed_submissions(2, author="staff2", **named)
    seed_submissions(5, author="staff2", name="Nguyễn Thị Ánh Hồng")  # not her
    auth.login("staff")
    client.get("/ho-so")
    few = statements.during(lambda: client.get("/ho-so"))
    seed_submissions(40, author="staff2", **named)
    many = statements.during(lambda: client.get("/ho-so"))
    page = client.get("/ho-so").get_data(as_text=True)
    assert many == few
    assert page.count("Trần Văn Đức") >= 42 and "Nguyễn Thị Ánh Hồng" not in page
