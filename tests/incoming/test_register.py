"""The incoming register's numbers (số đến): from 1 each calendar year of arrival,
continuous, never duplicated, never skipped, given back by a rollback, never reused after a
line is removed or merged — also with many clerks at once (threads and processes), on
SQLite and PostgreSQL, through the outgoing register's allocation."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from services.incoming import EntryData
from services.incoming import IncomingError
from services.incoming import register
from services.incoming import register_entries
from services.incoming import remove
from storage.models import IncomingCounter
from storage.models import IncomingEntry
from storage.models import RegisterCounter
from tests.incoming.conftest import DAY
from tests.incoming.issuers import register_all


def _numbers(app, world, year: int, organization: str = "school") -> list[int]:
    with app.extensions["vanthu.db"].session() as session:
        return [e.number for e in register_entries(session, world[organization], year)]


def _number(app, entry_id: int) -> int:
    with app.extensions["vanthu.db"].session() as session:
        return session.get(IncomingEntry, entry_id).number


def test_first_arrivals_of_a_year_get_1_2_3(app, world, make_entry):
    ids = [make_entry(), make_entry(reference="12/KH-SGDĐT"), make_entry()]
    assert [_number(app, i) for i in ids] == [1, 2, 3]
    assert _numbers(app, world, 2026) == [1, 2, 3]


def test_numbers_follow_the_year_of_arrival_and_restart_on_first_january(app, world, make_entry):
    for _ in range(2):
        make_entry(received_date=date(2026, 12, 31))
    assert _number(app, make_entry(received_date=date(2027, 1, 1))) == 1
    assert _number(app, make_entry(received_date=date(2026, 12, 31))) == 3  # late entry
    assert _numbers(app, world, 2026) == [1, 2, 3]
    assert _numbers(app, world, 2027) == [1]


def test_each_organization_has_its_own_incoming_register(app, world, make_entry):
    assert _number(app, make_entry()) == 1
    assert _number(app, make_entry(organization="other")) == 1
    assert _number(app, make_entry()) == 2


def test_incoming_numbers_do_not_touch_the_outgoing_register(app, world, make_entry):
    make_entry()
    with app.extensions["vanthu.db"].session() as session:
        assert session.scalars(select(RegisterCounter)).all() == []
        counter = session.scalars(select(IncomingCounter)).one()
        assert (counter.year, counter.last_number) == (2026, 1)


def test_rollback_after_registering_gives_the_number_back(app, world, make_entry):
    database = app.extensions["vanthu.db"]
    with pytest.raises(RuntimeError), database.session() as session:
        entry = register(
            session,
            organization_id=world["school"],
            user_id=world["clerk"],
            data=EntryData(received_date=DAY, summary="Sẽ bị hủy"),
        )
        assert entry.number == 1
        raise RuntimeError("e.g. the commit failed")
    assert _number(app, make_entry()) == 1


def test_a_removed_line_keeps_its_number_which_is_never_reissued(app, world, make_entry):
    first = make_entry()
    with app.extensions["vanthu.db"].session() as session:
        remove(session, session.get(IncomingEntry, first), user_id=world["clerk"], reason="Nhầm")
    assert _number(app, make_entry()) == 2
    assert _numbers(app, world, 2026) == [1, 2]


def test_an_empty_line_is_refused_and_takes_no_number(app, world, make_entry):
    with pytest.raises(IncomingError), app.extensions["vanthu.db"].session() as session:
        register(
            session,
            organization_id=world["school"],
            user_id=world["clerk"],
            data=EntryData(received_date=DAY),
        )
    assert _number(app, make_entry()) == 1


def test_hundred_concurrent_registrations_get_exactly_1_to_100(app, world):
    barrier = threading.Barrier(20)

    def one(index: int) -> int:
        if index < 20:
            barrier.wait()  # the first twenty start at the same instant
        with app.extensions["vanthu.db"].session() as session:
            entry = register(
                session,
                organization_id=world["school"],
                user_id=world["clerk"],
                data=EntryData(received_date=DAY, summary=f"Văn bản {index}"),
            )
            return entry.number

    with ThreadPoolExecutor(20) as pool:
        numbers = list(pool.map(one, range(100)))
    assert sorted(numbers) == list(range(1, 101))
    assert _numbers(app, world, 2026) == list(range(1, 101))


def test_concurrent_registrations_in_separate_processes_get_exactly_1_to_100(
    app, world, database_url
):
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        futures = [
            pool.submit(
                register_all, database_url, world["school"], world["clerk"], 25, DAY.isoformat()
            )
            for _ in range(4)
        ]
        numbers = [n for future in futures for n in future.result()]
    assert sorted(numbers) == list(range(1, 101))
    assert _numbers(app, world, 2026) == list(range(1, 101))
