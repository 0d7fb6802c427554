"""Văn bản đi: one page at a time in SQL, filtered in SQL, one organization's rows only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import text

from storage.models import Document

ROW = re.compile(r'href="/van-ban/(\d+)"')


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


def test_pages_split_the_list_last_changed_first_and_clamp_out_of_range_numbers(
    client, auth, seed_documents
):
    seed_documents(120)
    auth.login("clerk")
    first = client.get("/van-ban/")
    html = first.get_data(as_text=True)
    assert "120 văn bản" in html and "Trang 1/3" in html and "Trang sau" in html
    pages = [_ids(first)] + [_ids(client.get(f"/van-ban/?page={n}")) for n in (2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    everything = [i for p in pages for i in p]
    assert len(set(everything)) == 120
    assert everything == sorted(everything, reverse=True)  # seeded oldest first
    assert 'rel="prev"' in client.get("/van-ban/?page=2").get_data(as_text=True)
    assert _ids(client.get("/van-ban/?page=99")) == pages[2]
    assert _ids(client.get("/van-ban/?page=0")) == pages[0]
    assert _ids(client.get("/van-ban/?page=abc")) == pages[0]
    small = client.get("/van-ban/?size=20&page=2")
    assert _ids(small) == everything[20:40]
    assert "Trang 2/6" in small.get_data(as_text=True)


def test_a_list_of_one_page_shows_no_page_links(client, auth, seed_documents):
    seed_documents(3)
    auth.login("clerk")
    html = client.get("/van-ban/").get_data(as_text=True)
    assert "3 văn bản" in html and "Trang sau" not in html and "Trang 1/" not in html


def test_filters_by_status_kind_year_and_search_without_diacritics_in_sql(
    client, auth, seed_documents
):
    seed_documents(30)
    seed_documents(7, kind="cong_van", summary="Về việc đăng ký thi đua")
    seed_documents(4, status="issued", year=2024, number=1, symbol="KH-THCSMT",
                   summary="Kế hoạch năm trước")  # fmt: skip
    auth.login("clerk")

    def count(query: str) -> int:
        html = client.get(f"/van-ban/?{query}").get_data(as_text=True)
        return int(re.search(r"(\d+) văn bản</p>", html).group(1))

    assert count("") == 41
    assert count("kind=cong_van") == 7
    assert count("status=issued") == 4
    assert count("year=2024") == 4  # register year of the issued ones
    assert count("year=2025") == 37  # creation year of the drafts
    assert count("q=dang+ky+THI") == 7
    assert count("q=nam+truoc&status=issued&year=2024") == 4
    assert count("q=khong+co+dau") == 0


def test_another_organizations_documents_are_never_counted_or_shown(client, auth, seed_documents):
    seed_documents(5)
    seed_documents(80, organization="other", summary="Của trường khác")
    auth.login("clerk")
    html = client.get("/van-ban/?q=truong").get_data(as_text=True)
    assert "0 văn bản" in html
    html = client.get("/van-ban/").get_data(as_text=True)
    assert "5 văn bản" in html and "Của trường khác" not in html and "Trang 1/" not in html


def test_a_page_runs_the_same_statements_whatever_the_number_of_rows_and_authors(
    client, auth, seed_documents, statements
):
    auth.login("clerk")
    seed_documents(3, authors=3)
    client.get("/van-ban/")
    statements.counting = True
    client.get("/van-ban/?status=draft")
    statements.counting = False
    few = len(statements.statements)
    statements.statements.clear()
    seed_documents(300, authors=60)
    statements.counting = True
    client.get("/van-ban/?status=draft")
    assert len(statements.statements) == few
    assert few <= 12


def test_the_page_query_reads_the_list_index_on_sqlite(app, world):
    if not app.extensions["vanthu.db"].is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from services.documents import documents_query

    query = documents_query(world["school"], status="draft")
    ids = query.with_only_columns(Document.id).limit(50).offset(50)
    with app.extensions["vanthu.db"].session() as session:
        compiled = ids.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(
            str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        )
    assert "ix_documents_list" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort of the whole list


def test_a_new_draft_and_an_issued_number_are_searchable(app, world, client, auth):
    from services.documents import create_document
    from services.register import issue_document

    with app.extensions["vanthu.db"].session() as session:
        draft = create_document(session, organization_id=world["school"],
                                created_by_id=world["clerk"], kind="cong_van",
                                header_fields={"summary": "Về việc Hội khỏe Phù Đổng"},
                                body_fields={})  # fmt: skip
        issue_document(session, draft, user_id=world["clerk"], issued_on=date(2026, 3, 2))
    auth.login("clerk")
    for query in ("hoi+khoe+phu+dong", "01%2FTHCSMT"):  # a công văn's ký hiệu: the abbrev
        assert len(_ids(client.get(f"/van-ban/?q={query}"))) == 1, query
