"""The whole incoming register (Sổ văn bản đến) counted and paged by số đến: its exact total
and any page from a few index seeks, however many lines the year holds; a book whose
numbers are not whole (lines written around the counter, a gap) is counted line by line."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from domain.text import fold
from storage.models import IncomingCounter
from storage.models import IncomingEntry

NUMBER = re.compile(r'data-label="Số đến"><a href="[^"]+">(\d+)</a>')
PATH = "/so-van-ban-den/?year=2026"


@pytest.fixture
def book(app: Flask, world: dict[str, Any]) -> Callable[..., None]:
    """``count`` lines of ``year`` numbered from 1 with the register's counter at the last
    one, as :func:`services.incoming.registration.register` leaves them."""

    def seed(count: int, year: int = 2026, counter: bool = True) -> None:
        rows = [
            {"organization_id": world["school"], "year": year, "number": i + 1,
             "received_date": date(year, 1, 5), "issuer": "Sở GDĐT",
             "summary": f"Công văn {i + 1}", "search_key": fold(f"so gddt cong van {i + 1}"),
             "created_by_id": world["clerk"], "copies": []}
            for i in range(count)
        ]  # fmt: skip
        with app.extensions["vanthu.db"].session() as session:
            session.execute(insert(IncomingEntry), rows)
            if counter:
                session.add(
                    IncomingCounter(organization_id=world["school"], year=year, last_number=count)
                )

    return seed


def _page(client, path: str) -> tuple[int, list[int], str]:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    total = re.search(r"(\d+) dòng\s*(·|</p>)", html)
    assert total, html[-1500:]
    return int(total.group(1)), [int(n) for n in NUMBER.findall(html)], html


def test_the_whole_book_pages_by_number_with_its_exact_total(client, auth, book):
    book(130)
    auth.login("clerk")
    total, numbers, html = _page(client, PATH)
    assert total == 130 and "Trang 1/3" in html and numbers[:2] == [1, 2]
    assert _page(client, PATH + "&page=2")[1] == list(range(51, 101))
    assert _page(client, PATH + "&page=3")[1] == list(range(101, 131))
    assert _page(client, PATH + "&page=99")[1] == list(range(101, 131))  # past the end: the last
    assert _page(client, PATH + "&page=2&size=20")[1] == list(range(21, 41))


def test_the_whole_book_is_not_counted_line_by_line(client, auth, book, statements):
    book(120)
    auth.login("clerk")
    client.get(PATH)
    statements.during(lambda: client.get(PATH + "&page=2"))
    counted = [s for s in statements.statements if "count(" in s.lower()]
    assert counted == [], counted
    assert not [s for s in statements.statements if "OFFSET" in s.upper()]
    # A filter counts its matches (the whole book's numbers say nothing of them).
    statements.during(lambda: client.get(PATH + "&q=cong+van+11"))
    assert _page(client, PATH + "&q=cong+van+11")[0] == 11  # 11, 110…119 … of 120
    assert [s for s in statements.statements if "count(" in s.lower() or "LIMIT" in s.upper()]


@pytest.mark.parametrize("change", ["no counter", "counter behind", "gap"])
def test_a_book_not_whole_is_counted_exactly(app, client, auth, world, book, change):
    book(120, counter=change != "no counter")
    with app.extensions["vanthu.db"].session() as session:
        if change == "counter behind":  # lines written around the counter
            session.execute(update(IncomingCounter).values(last_number=100))
        if change == "gap":  # a line deleted by hand in the database
            session.execute(delete(IncomingEntry).where(IncomingEntry.number == 60))
    auth.login("clerk")
    expected = 119 if change == "gap" else 120
    total, numbers, _html = _page(client, PATH + "&page=2")
    assert total == expected
    assert numbers == (
        [*range(51, 60), *range(61, 102)] if change == "gap" else list(range(51, 101))
    )


def test_the_years_offered_are_those_with_lines_newest_first(app, client, auth, world, book):
    book(3, year=2024)
    book(2, year=2026)
    auth.login("clerk")
    html = _page(client, PATH)[2]
    offered = [int(y) for y in re.findall(r'<option value="(\d{4})"', html)]
    assert 2024 in offered and 2026 in offered and 2025 not in offered
    assert offered == sorted(offered, reverse=True)
    with app.extensions["vanthu.db"].session() as session:
        from services.incoming.listing import register_years

        assert register_years(session, world["school"]) == [2026, 2024]
        assert register_years(session, world["other"]) == []


def test_the_page_range_and_the_ends_read_the_register_index_on_sqlite(app, world):
    if not app.extensions["vanthu.db"].is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    where = (IncomingEntry.organization_id == world["school"], IncomingEntry.year == 2026)
    from sqlalchemy import func

    queries = [
        select(IncomingEntry.id).where(*where, IncomingEntry.number.between(51, 100))
        .order_by(IncomingEntry.number),
        select(func.max(IncomingEntry.number)).where(*where),
    ]  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        for query in queries:
            sql = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = " ".join(
                str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            )
            assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plan
