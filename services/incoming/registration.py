"""Registering a document: the next **số đến** of its arrival year and its line, the
correction of a line's columns, and which uploads are registered or still wait.

Numbers are taken with the outgoing register's allocation (:func:`services.register.take_number`
on this register's own counter table), in the transaction that writes the line, so a rollback
gives the number back and concurrent clerks queue on the counter row.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.text import clean_line
from domain.text import fold
from domain.text import nfc
from services.incoming.duplicates import reference_key
from services.incoming.duplicates import text_key
from services.incoming.duplicates import text_sha256
from services.incoming.entries import CHANNELS
from services.incoming.entries import AlreadyRegistered
from services.incoming.entries import EntryData
from services.incoming.entries import IncomingError
from services.incoming.entries import audit_entry
from services.incoming.entries import require_live
from services.register import take_number
from storage.models import EntryStatus
from storage.models import IncomingCounter
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from storage.models import IncomingStatus


def register(
    session: Session, *, organization_id: int, user_id: int, data: EntryData
) -> IncomingEntry:
    """Give ``data`` the next số đến of its arrival year and write its line.

    The number is taken in the session's transaction (given back if it rolls back); the
    caller commits. The session must hold no uncommitted writes (a locked SQLite database
    is retried by rolling back, and so is a lost race for an upload). Duplicates are the
    caller's question (:func:`find_duplicates`), asked before.

    Raises:
        AlreadyRegistered: the upload has its line already, or got one from another clerk
            while this one was being written (the transaction is then rolled back, which
            gives the number back).
        IncomingError: the line is empty.
    """
    data = _cleaned(data)
    if not (data.summary or data.reference or data.issuer):
        raise IncomingError("Hãy nhập ít nhất tác giả, số ký hiệu hoặc trích yếu của văn bản.")
    if data.plan_id is not None and (existing := registered_entry(session, data.plan_id)):
        raise AlreadyRegistered(existing)
    year = data.received_date.year
    number = take_number(session, organization_id, year, IncomingCounter)
    entry = IncomingEntry(
        organization_id=organization_id,
        year=year,
        number=number,
        created_by_id=user_id,
        status=EntryStatus.WAITING.value,
        channel=data.channel,
        plan_id=data.plan_id,
        file_id=data.file_id,
        file_sha256=data.file_sha256,
        remove_reason="",
    )
    _write_fields(entry, data)
    key = text_key(data.text)
    entry.text_key, entry.text_sha256 = key, text_sha256(key)
    if data.plan_id is not None and (plan := session.get(IncomingDocument, data.plan_id)):
        entry.signature_state = plan.signature_state  # "Ký số" (issue 17)
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:
        # Another clerk registered the same upload after the check above: the unique index
        # on plan_id refused this second line. The whole transaction goes, with its number.
        session.rollback()
        existing = registered_entry(session, data.plan_id) if data.plan_id else None
        if existing is None:
            raise
        raise AlreadyRegistered(existing, just_now=True) from None
    audit_entry(session, "incoming.register", entry, user_id)
    return entry


def update_entry(session: Session, entry: IncomingEntry, data: EntryData) -> None:
    """Correct a line's columns (its số đến and year never change)."""
    require_live(entry)
    data = _cleaned(data)
    if data.received_date.year != entry.year:
        raise IncomingError(
            f"Ngày đến phải thuộc năm {entry.year}: số đến {entry.number:02d} là số của sổ năm đó."
        )
    _write_fields(entry, data)


def _cleaned(data: EntryData) -> EntryData:
    if data.channel not in CHANNELS:
        raise IncomingError("Cách nhận văn bản không hợp lệ.")
    for name in ("issuer", "reference", "doc_type", "recipient"):
        setattr(data, name, clean_line(getattr(data, name)))
    data.summary = clean_line(data.summary)
    data.note = nfc(data.note).strip()
    data.text = nfc(data.text)
    return data


def _write_fields(entry: IncomingEntry, data: EntryData) -> None:
    entry.received_date = data.received_date
    entry.issuer = data.issuer[:255]
    entry.reference = data.reference[:120]
    entry.doc_date = data.doc_date
    entry.doc_type = data.doc_type[:120]
    entry.summary = data.summary
    entry.recipient = data.recipient[:255]
    entry.note = data.note
    entry.deadline = data.deadline
    entry.ref_key = reference_key(data.issuer, data.reference, data.doc_date)
    entry.search_key = fold(
        " ".join(
            (entry.issuer, entry.reference, entry.doc_type, entry.summary, entry.recipient,
             entry.note, f"so den {entry.number}")
        )
    )  # fmt: skip


def registered_entry(session: Session, plan_id: int) -> IncomingEntry | None:
    """The line an upload was registered as (a line merged into another counts; a line
    removed as a mistake does not)."""
    return session.scalar(
        select(IncomingEntry).where(
            IncomingEntry.plan_id == plan_id,
            or_(IncomingEntry.removed_at.is_(None), IncomingEntry.merged_into_id.is_not(None)),
        )
    )


def unregistered_plans(session: Session, organization_id: int) -> list[IncomingDocument]:
    """Uploads that were read but are neither registered nor merged as a copy, oldest first."""
    registered = select(IncomingEntry.plan_id).where(
        IncomingEntry.organization_id == organization_id,
        IncomingEntry.plan_id.is_not(None),
        or_(IncomingEntry.removed_at.is_(None), IncomingEntry.merged_into_id.is_not(None)),
    )
    plans = list(
        session.scalars(
            select(IncomingDocument)
            .where(
                IncomingDocument.organization_id == organization_id,
                IncomingDocument.status.in_(
                    [IncomingStatus.PARSED.value, IncomingStatus.CONFIRMED.value]
                ),
                IncomingDocument.id.not_in(registered),
            )
            .order_by(IncomingDocument.created_at, IncomingDocument.id)
        )
    )
    if not plans:  # the usual case: nothing waits, and no line's copies need reading
        return []
    # Only lines that hold copies are read (json_array_length: SQLite and PostgreSQL), not
    # the copies of every line of every year.
    copied = {
        int(copy["plan_id"])
        for copies in session.scalars(
            select(IncomingEntry.copies).where(
                IncomingEntry.organization_id == organization_id,
                func.json_array_length(IncomingEntry.copies) > 0,
            )
        )
        for copy in copies or []
        if copy.get("plan_id")
    }
    return [plan for plan in plans if plan.id not in copied]
