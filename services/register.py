"""The outgoing register (sổ văn bản đi): numbers per organization and calendar year.

Nghị định 30/2020, Điều 15: a document's number is its place in the issuing body's register
for the calendar year, starting at 01 on 1 January; numbers are continuous and unique. Here
one sequence covers every numbered kind of an organization (the head of the body decides how
administrative documents are numbered; one sequence is the common choice for a school).

A number is taken by incrementing the year's :class:`RegisterCounter` row inside the
transaction that marks the document issued, so:

* two issuers never get the same number: on PostgreSQL the ``UPDATE`` holds the row lock
  until commit; on SQLite the ``UPDATE`` is the transaction's first write and takes the
  database's write lock (the busy timeout queues the others; a "database is locked" that
  still gets through is retried from the start);
* a rollback (a failure anywhere after the allocation) gives the number back, so no gap;
* a withdrawn document keeps its number: the counter never goes down.
"""

from __future__ import annotations

import time
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from domain.doc_types import get_doc_type
from domain.errors import VanthuError
from domain.names import position_title
from domain.names import strip_honorific
from domain.numbering import format_symbol
from domain.text import clean_line
from domain.text import nfc
from render.manifest import load_manifest
from services.documents import search_key as document_search_key
from storage.db import rowcount
from storage.models import DOCUMENT_STATUS_LABELS
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import Organization
from storage.models import RegisterCounter
from storage.models import YearCounter

# How often a SQLite "database is locked" is retried before giving up (each attempt already
# waited for the busy timeout or hit a snapshot conflict, which retrying resolves).
LOCK_RETRIES = 8
MAX_REASON = 2000
# A register year before this is a typing error (01/01/0001 from a bare date field), not a
# document of this service: such a number would open a register year nobody keeps.
FIRST_REGISTER_YEAR = 2000


class RegisterError(VanthuError, ValueError):
    """The register refuses the request; the message is Vietnamese and meant for the user."""

    code = "register_refused"


def is_numbered(kind: str) -> bool:
    """Whether documents of ``kind`` carry a "Số:" line and so take a register number."""
    return load_manifest(kind).header.number


def symbol_for(document: Document, organization: Organization) -> str:
    """The ký hiệu the document gets in the register: ``KH-THCSMT``, ``THCSMT-VP``..."""
    spec = load_manifest(document.kind).header
    unit = clean_line(str((document.header_fields or {}).get("unit_abbrev") or ""))
    try:
        return format_symbol(get_doc_type(spec.doc_type or "BC"), organization.abbrev, unit)
    except ValueError as exc:
        raise RegisterError(str(exc)) from exc


def allocate_number(
    session: Session,
    organization_id: int,
    year: int,
    counter: type[YearCounter] = RegisterCounter,
) -> int:
    """Take the next number of the organization's register for ``year`` (in the session's
    transaction; it is given back if that transaction rolls back). ``counter`` is the
    register's counter table (the incoming register has its own).

    Must be the transaction's first write on SQLite (see the module docstring).
    """
    number = _increment(session, counter, organization_id, year)
    if number is None:
        # First document of the year: create the row; a concurrent creator may win the race,
        # which ON CONFLICT DO NOTHING absorbs, and the increment then finds its row.
        _insert_counter(session, counter, organization_id, year)
        number = _increment(session, counter, organization_id, year)
    if number is None:  # pragma: no cover - the row exists after the insert above
        raise RuntimeError("register counter row missing after insert")
    return number


def take_number(
    session: Session,
    organization_id: int,
    year: int,
    counter: type[YearCounter] = RegisterCounter,
) -> int:
    """:func:`allocate_number`, retrying a SQLite "database is locked" from the start.

    The session must hold no uncommitted writes: a retry rolls the transaction back.
    """
    for attempt in range(LOCK_RETRIES):
        try:
            return allocate_number(session, organization_id, year, counter)
        except OperationalError as exc:
            if not _is_locked(exc) or attempt == LOCK_RETRIES - 1:
                raise
            session.rollback()
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _increment(
    session: Session, counter: type[YearCounter], organization_id: int, year: int
) -> int | None:
    statement = (
        update(counter)
        .where(counter.organization_id == organization_id, counter.year == year)
        .values(last_number=counter.last_number + 1)
        .returning(counter.last_number)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).scalar_one_or_none()


def _insert_counter(
    session: Session, counter: type[YearCounter], organization_id: int, year: int
) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(counter)
        .values(organization_id=organization_id, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["organization_id", "year"])
    )
    session.execute(statement)


def issue_document(session: Session, document: Document, *, user_id: int, issued_on: date) -> int:
    """Issue (phát hành) a draft: give it the next number of ``issued_on``'s year.

    The number, the symbol, the dates and the status are written in the session's current
    transaction; the caller commits (together with the re-render job). The session must
    hold no uncommitted writes when this is called: on SQLite a locked database is retried
    by rolling the transaction back and starting again.

    Returns:
        The number.

    Raises:
        RegisterError: the document is not a draft, its kind has no number, or the
            organization has no abbreviation for the ký hiệu.
    """
    if document.status != DocumentStatus.DRAFT:
        raise RegisterError("Văn bản này đã được phát hành hoặc thu hồi.")
    check_issue_date(issued_on)
    if not is_numbered(document.kind):
        raise RegisterError("Loại văn bản này không có số, không vào sổ văn bản đi.")
    organization = session.get_one(Organization, document.organization_id)
    symbol = symbol_for(document, organization)
    document_id, organization_id = document.id, document.organization_id
    number = take_number(session, organization_id, issued_on.year)
    # Conditional on still being a draft: of two clerks pressing "Phát hành" at once, the
    # second waits for the first's counter lock, then finds the document issued here and
    # rolls back, which returns its number.
    _transition(
        session,
        document,
        document_id,
        DocumentStatus.DRAFT,
        "Văn bản này vừa được phát hành bởi người khác.",
        status=DocumentStatus.ISSUED.value,
        year=issued_on.year,
        number=number,
        symbol=symbol,
        search_key=document_search_key(document.summary, number, symbol),
        issued_date=issued_on,
        issued_at=datetime.now(UTC),
        issued_by_id=user_id,
    )
    return number


def check_issue_date(issued_on: date, *, today: date | None = None) -> None:
    """Refuse an issue date outside the years a register can be kept for.

    Raises:
        RegisterError: the year is before FIRST_REGISTER_YEAR or after next year.
    """
    last = (today or date.today()).year + 1
    if not FIRST_REGISTER_YEAR <= issued_on.year <= last:
        raise RegisterError(
            f"Ngày phát hành {issued_on:%d/%m/%Y} không hợp lệ: năm phải từ "
            f"{FIRST_REGISTER_YEAR} đến {last}."
        )


def withdraw_document(session: Session, document: Document, *, user_id: int, reason: str) -> None:
    """Withdraw (thu hồi) an issued document. Its number stays used and is never reissued.

    Raises:
        RegisterError: the document is not issued, or no reason was given.
    """
    reason = nfc(reason or "").strip()
    if not reason:
        raise RegisterError("Vui lòng nhập lý do thu hồi.")
    if len(reason) > MAX_REASON:
        raise RegisterError(f"Lý do thu hồi tối đa {MAX_REASON} ký tự.")
    if document.status != DocumentStatus.ISSUED:
        raise RegisterError("Chỉ thu hồi được văn bản đã phát hành.")
    _transition(
        session,
        document,
        document.id,
        DocumentStatus.ISSUED,
        "Văn bản này vừa được thu hồi bởi người khác.",
        status=DocumentStatus.WITHDRAWN.value,
        withdrawn_at=datetime.now(UTC),
        withdrawn_by_id=user_id,
        withdraw_reason=reason,
    )


def _transition(
    session: Session,
    document: Document,
    document_id: int,
    expected: DocumentStatus,
    lost_race: str,
    **values: Any,
) -> None:
    """Change the row only if it still has status ``expected`` (another clerk may have
    acted meanwhile); otherwise roll back (giving back an allocated number) and refuse."""
    changed = rowcount(
        session.execute(
            update(Document)
            .where(Document.id == document_id, Document.status == expected.value)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        session.rollback()
        raise RegisterError(lost_race)
    session.expire(document)


def register_years(session: Session, organization_id: int) -> list[int]:
    """Years that have numbered documents, newest first."""
    return list(
        session.scalars(
            select(Document.year)
            .where(Document.organization_id == organization_id, Document.number.is_not(None))
            .distinct()
            .order_by(Document.year.desc())
        )
    )


def register_entries(session: Session, organization_id: int, year: int) -> list[Document]:
    """The register of ``year``: every numbered document (withdrawn ones too), by number."""
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.organization_id == organization_id,
                Document.year == year,
                Document.number.is_not(None),
            )
            .order_by(Document.number)
        )
    )


def _is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def export_register(
    entries: list[Document],
    year: int,
    organization: Organization | str,
    signing_notes: dict[int, str] | None = None,
) -> bytes:
    """The register of one year as an .xlsx laid out as the printed book: the organization's
    header lines, the title, one row per number (a number cell shown 01, the date a date
    cell), frozen and filtered header, A4 landscape. ``signing_notes``: whether each
    document was signed digitally, written in its Ghi chú."""

    from services.spreadsheets import Column
    from services.spreadsheets import SheetHeader
    from services.spreadsheets import new_book
    from services.spreadsheets import save_book
    from services.spreadsheets import sheet_header
    from services.spreadsheets import write_table

    columns = (
        Column("Số", 7, "number2"), Column("Ký hiệu", 16), Column("Ngày văn bản", 13, "date"),
        Column("Loại văn bản", 22), Column("Trích yếu nội dung", 60), Column("Người ký", 26),
        Column("Tình trạng", 16), Column("Ghi chú", 36),
    )  # fmt: skip
    title = f"Sổ đăng ký văn bản đi năm {year}"
    if isinstance(organization, str):
        header = SheetHeader("", organization, title)
    else:
        header = sheet_header(organization, title)
    rows = []
    for document in entries:
        notes = [(signing_notes or {}).get(document.id, "")]
        if document.status == DocumentStatus.WITHDRAWN:
            notes.append(f"Thu hồi: {document.withdraw_reason}")
        note = "; ".join(n for n in notes if n)
        rows.append([
            document.number, document.symbol, document.issued_date,
            load_manifest(document.kind).label, document.summary, signer_of(document),
            DOCUMENT_STATUS_LABELS.get(document.status, document.status), note,
        ])  # fmt: skip
    book, sheet = new_book()
    sheet.title = f"Sổ văn bản đi {year}"
    write_table(sheet, header, columns, rows)
    return save_book(book)


def signer_of(document: Document) -> str:
    """ "Hiệu trưởng Nguyễn Văn An" from the header fields, for lists and the register."""
    header = document.header_fields or {}
    position = position_title(str(header.get("signer_position") or ""))
    name = strip_honorific(str(header.get("signer_name") or ""))
    return " ".join(part for part in (position, name) if part)
