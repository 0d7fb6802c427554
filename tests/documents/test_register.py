"""The outgoing register: numbers from 1 each calendar year, continuous, never duplicated,
never skipped, given back by a rollback, never reused after a withdrawal — also when many
clerks (threads, processes) issue at the same moment, on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from services.register import RegisterError
from services.register import issue_document
from services.register import register_entries
from services.register import withdraw_document
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import RegisterCounter
from tests.documents.issuers import issue_all

DAY = date(2026, 3, 2)


def _issue(app, world, document_id: int, issued_on: date = DAY) -> int:
    database = app.extensions["vanthu.db"]
    with database.session() as session:
        document = session.get(Document, document_id)
        return issue_document(session, document, user_id=world["clerk"], issued_on=issued_on)


def _load(app, document_id: int) -> Document:
    with app.extensions["vanthu.db"].session() as session:
        return session.get(Document, document_id)


def _numbers(app, world, year: int) -> list[int]:
    with app.extensions["vanthu.db"].session() as session:
        return [d.number for d in register_entries(session, world["school"], year)]


def test_first_documents_of_a_year_get_1_2_3_with_symbol_and_date(app, world, make_draft):
    ids = [make_draft("ke_hoach"), make_draft("quyet_dinh"), make_draft("cong_van")]
    assert [_issue(app, world, i) for i in ids] == [1, 2, 3]
    plan, decision, letter = (_load(app, i) for i in ids)
    assert plan.status == DocumentStatus.ISSUED and plan.year == 2026 and plan.issued_date == DAY
    assert plan.issued_by_id == world["clerk"] and plan.issued_at is not None
    assert (plan.symbol, decision.symbol, letter.symbol) == ("KH-THCSMT", "QĐ-THCSMT", "THCSMT")


def test_cong_van_symbol_carries_the_drafting_unit(app, world, make_draft):
    document_id = make_draft("cong_van", unit_abbrev="TCM")
    _issue(app, world, document_id)
    assert _load(app, document_id).symbol == "THCSMT-TCM"


def test_numbers_restart_at_1_on_first_january(app, world, make_draft):
    for _ in range(3):
        _issue(app, world, make_draft(), date(2026, 12, 31))
    new_year = make_draft()
    assert _issue(app, world, new_year, date(2027, 1, 1)) == 1
    assert _issue(app, world, make_draft(), date(2027, 1, 2)) == 2
    assert _issue(app, world, make_draft(), date(2026, 12, 31)) == 4  # late entry, old year
    assert _load(app, new_year).year == 2027
    assert _numbers(app, world, 2026) == [1, 2, 3, 4]
    assert _numbers(app, world, 2027) == [1, 2]


def test_each_organization_has_its_own_register(app, world, make_draft):
    assert _issue(app, world, make_draft()) == 1
    assert _issue(app, world, make_draft(organization="other")) == 1
    assert _issue(app, world, make_draft()) == 2
    assert _load(app, make_draft(organization="other")).number is None


def test_withdrawn_number_is_never_reused(app, world, make_draft):
    first, second = make_draft(), make_draft()
    _issue(app, world, first)
    database = app.extensions["vanthu.db"]
    with database.session() as session:
        withdraw_document(
            session, session.get(Document, first), user_id=world["clerk"], reason="Sai nội dung"
        )
    withdrawn = _load(app, first)
    assert withdrawn.status == DocumentStatus.WITHDRAWN and withdrawn.number == 1
    assert withdrawn.withdraw_reason == "Sai nội dung"
    assert withdrawn.withdrawn_by_id == world["clerk"]
    assert _issue(app, world, second) == 2
    assert _numbers(app, world, 2026) == [1, 2]


def test_withdrawing_needs_a_reason_and_an_issued_document(app, world, make_draft):
    draft, issued = make_draft(), make_draft()
    _issue(app, world, issued)
    database = app.extensions["vanthu.db"]
    with database.session() as session:
        with pytest.raises(RegisterError, match="lý do"):
            withdraw_document(session, session.get(Document, issued), user_id=1, reason="  ")
        with pytest.raises(RegisterError, match="đã phát hành"):
            withdraw_document(session, session.get(Document, draft), user_id=1, reason="x")
    assert _load(app, issued).status == DocumentStatus.ISSUED


def test_rollback_after_allocation_gives_the_number_back(app, world, make_draft):
    first, second = make_draft(), make_draft()
    database = app.extensions["vanthu.db"]
    with pytest.raises(RuntimeError), database.session() as session:
        assert (
            issue_document(
                session, session.get(Document, first), user_id=world["clerk"], issued_on=DAY
            )
            == 1
        )
        raise RuntimeError("e.g. the re-render job could not be created")
    assert _load(app, first).status == DocumentStatus.DRAFT and _load(app, first).number is None
    assert _issue(app, world, second) == 1
    assert _issue(app, world, first) == 2


def test_issuing_twice_is_refused_and_takes_no_number(app, world, make_draft):
    document_id = make_draft()
    _issue(app, world, document_id)
    with pytest.raises(RegisterError):
        _issue(app, world, document_id)
    assert _issue(app, world, make_draft()) == 2


def test_kinds_without_a_number_line_are_not_registered(app, world, make_draft):
    with pytest.raises(RegisterError, match="không có số"):
        _issue(app, world, make_draft("giay_khen"))
    with app.extensions["vanthu.db"].session() as session:
        assert session.scalars(select(RegisterCounter)).all() == []


def test_two_clerks_issuing_the_same_draft_at_once_get_one_number(app, world, make_draft):
    document_id = make_draft()
    barrier = threading.Barrier(2)

    def attempt(_: int) -> int | str:
        barrier.wait()
        try:
            return _issue(app, world, document_id)
        except RegisterError:
            return "refused"

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(attempt, range(2)), key=str)
    assert results == [1, "refused"]
    assert _issue(app, world, make_draft()) == 2  # the refused attempt gave its number back


def test_hundred_concurrent_issuers_get_exactly_1_to_100(app, world, make_draft):
    ids = [make_draft(summary=f"Văn bản {i}") for i in range(100)]
    barrier = threading.Barrier(20)

    def issue(document_id: int) -> int:
        if document_id in ids[:20]:
            barrier.wait()  # the first twenty start at the same instant
        return _issue(app, world, document_id)

    with ThreadPoolExecutor(20) as pool:
        numbers = list(pool.map(issue, ids))
    assert sorted(numbers) == list(range(1, 101))
    assert _numbers(app, world, 2026) == list(range(1, 101))
    assert {_load(app, i).number for i in ids} == set(range(1, 101))


def test_concurrent_issuers_in_separate_processes_get_exactly_1_to_100(
    app, world, make_draft, database_url
):
    ids = [make_draft(summary=f"Văn bản {i}") for i in range(100)]
    chunks = [ids[i::4] for i in range(4)]  # interleaved, so the processes contend
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        futures = [
            pool.submit(issue_all, database_url, chunk, world["clerk"], DAY.isoformat())
            for chunk in chunks
        ]
        numbers = [n for future in futures for n in future.result()]
    assert sorted(numbers) == list(range(1, 101))
    assert _numbers(app, world, 2026) == list(range(1, 101))
