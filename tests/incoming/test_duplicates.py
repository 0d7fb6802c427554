"""Duplicates: the same plan received as a text PDF, as pasted text and as a scan (OCR) is
recognised — by its text, by issuer/number/date and, for a text that differs a little, by
shingle similarity — and offered for merge; different plans are not; a line registered by
mistake is removed with an audit entry, its number kept."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from ingest import parse_path
from services.incoming.corrections import add_copy
from services.incoming.corrections import merge
from services.incoming.corrections import remove
from services.incoming.duplicates import find_duplicates
from services.incoming.duplicates import similarity
from services.incoming.duplicates import text_key
from services.incoming.entries import EntryData
from services.incoming.listing import register_entries
from services.incoming.registration import register
from services.incoming.registration import unregistered_plans
from services.incoming.suggestions import suggestion_from_plan
from storage.models import AuditEvent
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from tests.incoming.conftest import CORPUS
from tests.incoming.conftest import DAY
from tests.shared_data import shared_path


@pytest.fixture(autouse=True)
def _needs_the_corpus() -> None:
    shared_path("corpus", "partial")


PLAN = "bgddt-kh1611-2022"
VARIANTS = {
    "clean": (f"{PLAN}.clean.pdf", "application/pdf"),
    "txt": (f"{PLAN}.txt", "text/plain"),
    "scan": (f"{PLAN}.scan.pdf", "application/pdf"),
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict]:
    """The real parser's output for the three variants (the scan goes through OCR)."""
    return {name: parse_path(CORPUS / file) for name, (file, _mime) in VARIANTS.items()}


def _suggest(app, plan_id: int) -> EntryData:
    with app.extensions["vanthu.db"].session() as session:
        return suggestion_from_plan(session.get(IncomingDocument, plan_id), DAY)


def _register(app, world, data: EntryData) -> int:
    with app.extensions["vanthu.db"].session() as session:
        entry = register(
            session, organization_id=world["school"], user_id=world["clerk"], data=data
        )
        return entry.id


def _duplicates(app, world, data: EntryData) -> dict[int, list[str]]:
    with app.extensions["vanthu.db"].session() as session:
        found = find_duplicates(session, world["school"], data)
        return {d.entry.id: d.reasons for d in found}


def test_pdf_pasted_text_and_scan_of_one_plan_are_recognised(app, world, make_plan, parsed):
    plans = {}
    for name, (file, mime) in VARIANTS.items():
        content = (CORPUS / file).read_bytes()
        plans[name] = make_plan(parsed[name], content, file, mime)
    pdf = _suggest(app, plans["clean"])
    assert (pdf.issuer, pdf.reference, pdf.doc_date) == (
        "Bộ Giáo dục và Đào tạo",
        "1611/KH-BGDĐT",
        date(2022, 11, 15),
    )
    assert pdf.doc_type == "Kế hoạch" and pdf.summary.startswith("Triển khai thực hiện")
    first = _register(app, world, pdf)
    for name in ("txt", "scan"):
        reasons = _duplicates(app, world, _suggest(app, plans[name]))
        assert list(reasons) == [first], name
        assert "cùng tác giả, số ký hiệu và ngày văn bản" in reasons[first]
        assert "cùng nội dung văn bản" in reasons[first] or any(
            r.startswith("nội dung gần giống") for r in reasons[first]
        )
    # The scan is merged as a copy: no new number, and it no longer waits to be registered.
    with app.extensions["vanthu.db"].session() as session:
        entry = session.get(IncomingEntry, first)
        add_copy(session, entry, suggestion_from_plan(
            session.get(IncomingDocument, plans["scan"]), DAY), user_id=world["clerk"])  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        waiting = [p.id for p in unregistered_plans(session, world["school"])]
        assert waiting == [plans["txt"]]
        entry = session.get(IncomingEntry, first)
        assert "Nhận thêm bản điện tử (tệp) ngày 02/03/2026." in entry.note
        assert [e.number for e in register_entries(session, world["school"], 2026)] == [1]


def test_near_identical_text_is_found_by_similarity_alone(app, world, parsed):
    pasted = (CORPUS / f"{PLAN}.txt").read_text()
    first = _register(app, world, EntryData(received_date=DAY, summary="Kế hoạch", text=pasted))
    # A retyped copy: other spacing and capitals, a sentence dropped, no number or issuer.
    lines = pasted.splitlines()
    retyped = "\n".join(line.upper() for line in lines[:-1]) + "\nthêm một dòng ghi tay"
    reasons = _duplicates(app, world, EntryData(received_date=DAY, text=retyped))
    assert list(reasons) == [first]
    assert reasons[first][0].startswith("nội dung gần giống")


def test_different_plans_are_not_duplicates(app, world):
    texts = sorted(CORPUS.glob("*.txt"))
    keys = [text_key(path.read_text()) for path in texts]
    assert max(similarity(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]) < 0.2
    first = _register(
        app, world, EntryData(received_date=DAY, summary="A", text=texts[0].read_text())
    )
    assert first
    assert _duplicates(app, world, EntryData(received_date=DAY, text=texts[1].read_text())) == {}


def test_same_issuer_number_and_date_match_without_diacritics_or_spacing(app, world):
    first = _register(
        app,
        world,
        EntryData(received_date=DAY, issuer="Sở Giáo dục và Đào tạo", reference="12/KH-SGDĐT",
                  doc_date=date(2026, 2, 20), summary="Kế hoạch thi đua"),
    )  # fmt: skip
    same = EntryData(received_date=DAY, issuer="SO GIAO DUC VA DAO TAO",
                     reference="12 / KH-SGDDT", doc_date=date(2026, 2, 20))  # fmt: skip
    assert list(_duplicates(app, world, same)) == [first]
    other_day = EntryData(received_date=DAY, issuer="Sở Giáo dục và Đào tạo",
                          reference="12/KH-SGDĐT", doc_date=date(2026, 2, 21))  # fmt: skip
    assert _duplicates(app, world, other_day) == {}


def test_two_registered_lines_merge_keeping_both_numbers(app, world, make_entry):
    keep = make_entry(reference="5/CV-PGD", issuer="Phòng GD", doc_date=date(2026, 1, 5))
    again = make_entry(reference="5/CV-PGD", issuer="Phòng GD", doc_date=date(2026, 1, 5),
                       deadline=date(2026, 4, 1))  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        merge(session, session.get(IncomingEntry, again), session.get(IncomingEntry, keep),
              user_id=world["clerk"])  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        merged = session.get(IncomingEntry, again)
        assert merged.merged_into_id == keep and merged.remove_reason == "Trùng với số đến 01/2026"
        assert session.get(IncomingEntry, keep).deadline == date(2026, 4, 1)
        assert [e.number for e in register_entries(session, world["school"], 2026)] == [1, 2]
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "incoming.merge"))
        assert [e.object_id for e in events] == [str(again)]


def test_removing_a_mistaken_line_is_audited_and_keeps_its_number(app, world, make_entry):
    entry_id = make_entry(reference="99/TB-X")
    with app.extensions["vanthu.db"].session() as session:
        remove(session, session.get(IncomingEntry, entry_id), user_id=world["clerk"],
               reason="Vào sổ nhầm văn bản của trường khác")  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "incoming.delete"))
        assert event.user_id == world["clerk"] and event.organization_id == world["school"]
        assert (
            json.loads(json.dumps(event.detail))["reason"] == "Vào sổ nhầm văn bản của trường khác"
        )
        # no longer a duplicate candidate, still a line of the book
        assert find_duplicates(session, world["school"], EntryData(
            received_date=DAY, reference="99/TB-X")) == []  # fmt: skip
        assert [e.number for e in register_entries(session, world["school"], 2026)] == [1]
