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
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy import text

from services.incoming.corrections import remove
from services.incoming.entries import AlreadyRegistered
from services.incoming.entries import EntryData
from services.incoming.entries import IncomingError
from services.incoming.handling import assign
from services.incoming.listing import register_entries
from services.incoming.registration import register
from services.incoming.registration import registered_entry
from storage.migrate import alembic_config
from storage.migrate import upgrade
from storage.models import IncomingCounter
from storage.models import IncomingEntry
from storage.models import RegisterCounter
from tests.incoming.conftest import DAY
from tests.incoming.issuers import register_all

ONE_LINE_PER_UPLOAD = "e8b2c4d6f1a3"  # the migration adding the unique index on plan_id


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


def _register_upload(app, world, plan_id: int | None, summary: str) -> IncomingEntry:
    with app.extensions["vanthu.db"].session() as session:
        return register(
            session,
            organization_id=world["school"],
            user_id=world["clerk"],
            data=EntryData(received_date=DAY, summary=summary, plan_id=plan_id),
        )


def test_clerks_registering_one_upload_at_once_get_one_line_and_numbers_stay_gapless(
    app, world, make_upload
):
    upload = make_upload()
    clerks = 12
    barrier = threading.Barrier(clerks)

    def one(index: int) -> tuple[str, int]:
        # Even clerks all register the same upload; odd ones type in paper mail meanwhile,
        # so that a number taken by a refused line and not given back would show as a gap.
        plan_id = upload if index % 2 == 0 else None
        barrier.wait()
        try:
            entry = _register_upload(app, world, plan_id, f"Văn bản {index}")
        except AlreadyRegistered as refused:
            assert "vào sổ văn bản đến (số đến" in refused.message
            return "refused", refused.entry_id
        return "line", entry.id

    with ThreadPoolExecutor(clerks) as pool:
        outcomes = list(pool.map(one, range(clerks)))
    with app.extensions["vanthu.db"].session() as session:
        lines = session.scalars(select(IncomingEntry).where(IncomingEntry.plan_id == upload)).all()
        assert len(lines) == 1
        assert registered_entry(session, upload).id == lines[0].id
    refused = [entry_id for outcome, entry_id in outcomes if outcome == "refused"]
    assert refused and set(refused) == {lines[0].id}
    assert len(refused) == clerks // 2 - 1
    assert _numbers(app, world, 2026) == list(range(1, clerks // 2 + 2))


def test_an_upload_struck_as_a_mistake_can_be_registered_again(app, world, make_upload):
    upload = make_upload()
    first = _register_upload(app, world, upload, "Lần đầu")
    with pytest.raises(AlreadyRegistered):
        _register_upload(app, world, upload, "Lần hai")
    with app.extensions["vanthu.db"].session() as session:
        remove(session, session.get(IncomingEntry, first.id), user_id=world["clerk"], reason="Nhầm")
    again = _register_upload(app, world, upload, "Vào sổ lại")
    assert (first.number, again.number) == (1, 2)


def test_the_migration_keeps_the_first_line_of_an_upload_registered_twice(
    app, world, make_upload, database_url
):
    """Lines written by the race before the unique index: the later one is struck (its
    number stays used) and its handler moves to the first, so the index can be built."""
    upload = make_upload()
    config = alembic_config(database_url)
    before = ScriptDirectory.from_config(config).get_revision(ONE_LINE_PER_UPLOAD).down_revision
    database = app.extensions["vanthu.db"]
    with database.engine.begin() as connection:
        connection.execute(text("DROP INDEX uq_incoming_entries_plan_id"))
    first = _register_upload(app, world, upload, "Lần đầu")
    second = _register_upload(app, world, None, "Lần hai")
    with database.session() as session:
        line = session.get(IncomingEntry, second.id)
        line.plan_id = upload
        assign(session, line, user_ids=[world["staff"]], deadline=None, assigned_by_id=1)
    database.dispose()
    try:
        command.stamp(config, before)
        upgrade(database_url, ONE_LINE_PER_UPLOAD)
    finally:
        command.stamp(config, "head")
    with database.session() as session:
        kept, struck = session.get(IncomingEntry, first.id), session.get(IncomingEntry, second.id)
        assert kept.removed_at is None and [h.user_id for h in kept.handlers] == [world["staff"]]
        assert struck.removed_at is not None and struck.handlers == []
        assert struck.remove_reason == "Vào sổ hai lần cùng một tệp: trùng với số đến 01/2026"
        assert registered_entry(session, upload).id == first.id
    with pytest.raises(AlreadyRegistered):
        _register_upload(app, world, upload, "Lần ba")
