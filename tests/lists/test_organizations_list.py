"""An office's list of the organizations below it (Đơn vị trực thuộc) a page at a time: a
Sở has hundreds of schools, read by name over an index, searched without diacritics, and
never another office's schools."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from storage.models import Organization

SCHOOL = re.compile(r'href="/quan-tri/don-vi/\d+">([^<]+)</a>')
PATH = "/quan-tri/don-vi/"


@pytest.fixture
def seed_schools(app: Flask, tree: dict[str, Any]) -> Callable[..., list[int]]:
    """Add ``count`` schools below ``parent`` (a ``tree`` key) named "<name> <i:03d>",
    through the model, so each keeps its folded name as a created school's would."""

    def seed(count: int, parent: str = "phong", name: str = "TRƯỜNG TIỂU HỌC SỐ") -> list[int]:
        with app.extensions["vanthu.db"].session() as session:
            schools = [
                Organization(name=f"{name} {i:03d}".strip(), abbrev=f"TH{i}", place="Mỹ Thọ",
                             settings={}, org_kind="truong_th", parent_id=tree[parent])
                for i in range(count)
            ]  # fmt: skip
            session.add_all(schools)
            session.flush()
            return [s.id for s in schools]

    return seed


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def _total(page: str) -> int:
    found = re.search(r"(\d+) đơn vị\s*(·|</p>)", page)
    assert found, page[-1500:]
    return int(found.group(1))


def test_page_two_holds_the_next_schools_by_name(client, auth, seed_schools):
    seed_schools(120)
    auth.login("phong")
    first = _page(client, PATH)
    assert _total(first) == 120 and "Trang 1/3" in first
    names = [SCHOOL.findall(_page(client, f"{PATH}?page={n}")) for n in (1, 2, 3)]
    assert [len(n) for n in names] == [50, 50, 20]
    assert names[0][:2] == ["TRƯỜNG TIỂU HỌC SỐ 000", "TRƯỜNG TIỂU HỌC SỐ 001"]
    assert names[1][:2] == ["TRƯỜNG TIỂU HỌC SỐ 050", "TRƯỜNG TIỂU HỌC SỐ 051"]
    assert len({n for page in names for n in page}) == 120


def test_a_school_is_found_by_its_name_typed_without_diacritics(client, auth, seed_schools):
    seed_schools(60)
    seed_schools(1, name="Trường Tiểu học Ấp Bắc")
    auth.login("phong")
    found = _page(client, f"{PATH}?q=ap+bac")
    assert SCHOOL.findall(found) == ["Trường Tiểu học Ấp Bắc 000"] and _total(found) == 1
    assert _total(_page(client, f"{PATH}?q=ẤP+BẮC")) == 1
    assert _total(_page(client, f"{PATH}?q=tieu+hoc+so")) == 60
    assert "Không có đơn vị nào khớp" in _page(client, f"{PATH}?q=khong+co")


def test_schools_below_a_phong_below_the_office_are_listed_with_their_phong(
    app, client, auth, tree, seed_schools
):
    # The Phòng's list holds a school two levels down, named with the level between.
    with app.extensions["vanthu.db"].session() as session:
        middle = Organization(
            name="CỤM TRƯỜNG XÃ MỸ THỌ", abbrev="CUM", place="Mỹ Thọ", settings={},
            org_kind="phong_gddt", parent_id=tree["phong"],
        )  # fmt: skip
        session.add(middle)
        session.flush()
        tree["cum"] = middle.id
    seed_schools(2, parent="cum", name="TRƯỜNG MẦM NON")
    auth.login("phong")
    page = _page(client, PATH)
    assert SCHOOL.findall(page) == [
        "CỤM TRƯỜNG XÃ MỸ THỌ",
        "TRƯỜNG MẦM NON 000",
        "TRƯỜNG MẦM NON 001",
    ]
    assert page.count("CỤM TRƯỜNG XÃ MỸ THỌ") == 3  # its row and the two schools' Trực thuộc


def test_the_list_never_counts_or_shows_another_offices_schools(client, auth, seed_schools):
    seed_schools(3)
    seed_schools(70, parent="phong2", name="TRƯỜNG PHÒNG KHÁC")
    auth.login("phong")
    page = _page(client, PATH)
    assert _total(page) == 3 and "TRƯỜNG PHÒNG KHÁC" not in page and "TÂN THÀNH" not in page
    assert _total(_page(client, f"{PATH}?q=phong+khac")) == 0


def test_the_list_runs_the_same_statements_whatever_the_number_of_schools(
    client, auth, statements, seed_schools
):
    seed_schools(3)
    auth.login("phong")
    client.get(PATH)
    few = statements.during(lambda: client.get(PATH))
    seed_schools(300, name="TRƯỜNG THCS")
    many = statements.during(lambda: client.get(PATH))
    assert many == few


def test_the_tree_walk_and_order_read_the_children_index_on_sqlite(app, tree):
    if not app.extensions["vanthu.db"].is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from services.organizations import children_query

    ids = children_query(tree["phong"]).with_only_columns(Organization.id).limit(50).offset(50)
    with app.extensions["vanthu.db"].session() as session:
        sql = ids.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    # The walk goes down an index on parent_id, level by level (ix_organizations_children
    # or the older single-column one: both cover the id on SQLite), never reading every
    # organization of the province; only the office's own descendants are sorted by name.
    assert re.search(r"USING COVERING INDEX ix_organizations_\w+ \(parent_id=\?\)", plan), plan
    assert "SCAN organizations" not in plan, plan
