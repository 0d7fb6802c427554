"""Sổ văn bản đến: a year's lines by số đến, one page at a time, handlers loaded per page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from domain.text import fold
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from storage.models import IncomingHandler
from storage.models import Role
from storage.models import StoredFile
from storage.models import User

ROW = re.compile(r'href="/so-van-ban-den/(\d+)"')


@pytest.fixture
def seed_entries(app, world):
    """``count`` lines of 2026 after the ones already there, each handed to its own new
    user when ``handlers``; "other" puts them in the other organization."""

    def seed(count: int, organization: str = "school", handlers: bool = False, **values):
        org_id = world[organization]
        clerk = world["clerk" if organization == "school" else "other_clerk"]
        with app.extensions["vanthu.db"].session() as session:
            last = (
                session.scalar(
                    select(IncomingEntry.number)
                    .where(IncomingEntry.organization_id == org_id)
                    .order_by(IncomingEntry.number.desc())
                )
                or 0
            )
            summary = values.pop("summary", "Triển khai nhiệm vụ năm học")
            rows = [
                {"organization_id": org_id, "year": 2026, "number": last + i + 1,
                 "received_date": date(2026, 1, 5), "issuer": "Sở GDĐT",
                 "summary": f"{summary} {i}", "search_key": fold(f"{summary} {i}"),
                 "created_by_id": clerk, "copies": []} | values
                for i in range(count)
            ]  # fmt: skip
            ids = list(session.scalars(insert(IncomingEntry).returning(IncomingEntry.id), rows))
            if handlers:
                users = list(session.scalars(insert(User).returning(User.id), [
                    {"organization_id": org_id, "email": f"h{last}-{i}@truong.edu.vn",
                     "full_name": f"Người xử lý {i}", "role": Role.STAFF.value,
                     "password_hash": "x"} for i in range(count)
                ]))  # fmt: skip
                session.execute(
                    insert(IncomingHandler),
                    [{"entry_id": e, "user_id": u} for e, u in zip(ids, users, strict=True)],
                )

    return seed


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


def test_the_register_pages_by_number_and_filters_in_sql(client, auth, seed_entries):
    seed_entries(70)
    seed_entries(5, summary="Hội khỏe Phù Đổng", status="done")
    auth.login("clerk")
    first = client.get("/so-van-ban-den/?year=2026")
    html = first.get_data(as_text=True)
    assert "75 dòng" in html and "Trang 1/2" in html
    both = _ids(first) + _ids(client.get("/so-van-ban-den/?year=2026&page=2"))
    assert len(both) == 75 and both == sorted(both)
    found = client.get("/so-van-ban-den/?year=2026&q=hoi+khoe").get_data(as_text=True)
    assert "5 dòng" in found and "Trang 1/" not in found
    assert "5 dòng" in client.get("/so-van-ban-den/?year=2026&status=done").get_data(as_text=True)


def test_the_register_never_counts_or_shows_another_organizations_lines(client, auth, seed_entries):
    seed_entries(2)
    seed_entries(60, organization="other", summary="Của trường khác")
    auth.login("clerk")
    html = client.get("/so-van-ban-den/?year=2026").get_data(as_text=True)
    assert "2 dòng" in html and "Của trường khác" not in html


def test_a_register_page_runs_the_same_statements_whatever_the_lines_and_handlers(
    client, auth, seed_entries, statements
):
    seed_entries(3, handlers=True)
    auth.login("clerk")
    client.get("/so-van-ban-den/?year=2026")
    few = statements.during(lambda: client.get("/so-van-ban-den/?year=2026"))
    seed_entries(200, handlers=True)
    many = statements.during(lambda: client.get("/so-van-ban-den/?year=2026&page=3"))
    assert many == few


def test_the_register_page_query_reads_the_number_index_on_sqlite(app, world):
    if not app.extensions["vanthu.db"].is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from services.incoming.listing import register_query

    ids = register_query(world["school"], 2026).with_only_columns(IncomingEntry.id)
    with app.extensions["vanthu.db"].session() as session:
        sql = (
            ids.limit(50)
            .offset(50)
            .compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        )
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "INDEX" in plan and "TEMP B-TREE" not in plan, plan


def test_the_waiting_uploads_read_only_the_lines_holding_copies(
    app, world, client, auth, seed_entries, statements
):
    seed_entries(30)
    with app.extensions["vanthu.db"].session() as session:  # one upload waits
        file_id = session.scalar(insert(StoredFile).returning(StoredFile.id), [
            {"organization_id": world["school"], "original_name": "kh.pdf", "size": 5,
             "mime_type": "application/pdf", "sha256": "x", "content": b"%PDF-"}
        ])  # fmt: skip
        session.execute(insert(IncomingDocument), [
            {"organization_id": world["school"], "file_id": file_id, "status": "parsed",
             "extracted": {"title": "Kế hoạch chờ vào sổ"}, "corrections": {},
             "created_by_id": world["clerk"]}
        ])  # fmt: skip
    auth.login("clerk")
    statements.during(lambda: client.get("/so-van-ban-den/?year=2026"))
    [copies] = [s for s in statements.statements if s.startswith("SELECT incoming_entries.copies")]
    assert "json_array_length" in copies
    assert "Kế hoạch chờ vào sổ" in client.get("/so-van-ban-den/?year=2026").get_data(as_text=True)
