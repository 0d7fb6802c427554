"""The incoming register (sổ đăng ký văn bản đến, NĐ 30/2020 Điều 22–24 and Phụ lục IV).

Every document received — an uploaded file or pasted text (read by the plan parser, see
:mod:`services.plans`), or paper mail typed in by hand — is registered with a **số đến**:
its place in the organization's register for the calendar year of the day it arrived,
from 1 on 1 January, continuous and never reused. Numbers are taken with the outgoing
register's allocation (:func:`services.register.take_number` on this register's own
counter table), in the transaction that writes the line, so a rollback gives the number
back and concurrent clerks queue on the counter row.

A line registered by mistake is *removed*, and one found to duplicate another is *merged*
into it: both keep their line (struck through, with the reason), so the numbers stay
continuous; the audit log records who did it.

Duplicates are recognised before a number is taken: the same file (SHA-256), the same text
once normalised (a PDF and the pasted text of it), the same issuer, number and date, or a
text that is nearly the same (word 3-gram shingles, e.g. the OCR of a scan of it).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from domain.doc_types import DOC_TYPES
from domain.errors import VanthuError
from domain.names import running_name
from domain.text import clean_line
from domain.text import fold
from domain.text import nfc
from services import audit
from services.pagination import Page
from services.pagination import paginate
from services.plans import confirmed_fields
from services.register import take_number
from services.signatures import state_label as signature_state_label
from services.spreadsheets import append_text_row
from services.spreadsheets import new_book
from storage.models import ENTRY_STATUS_LABELS
from storage.models import EntryStatus
from storage.models import IncomingCounter
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from storage.models import IncomingHandler
from storage.models import IncomingStatus
from storage.models import StoredFile
from storage.models import User

CHANNELS = {"file": "Bản điện tử (tệp)", "text": "Bản dán nội dung", "paper": "Bản giấy"}
MAX_REASON = 2000
SHINGLE_WORDS = 3
# Jaccard similarity of word 3-gram shingles from which two texts are "nearly the same".
# The parser's text of one plan as a text PDF, an OCR'd scan and pasted text scores 1.0
# between them and 0.94 against the raw .txt; the 25 different plans of the shared corpus
# score at most 0.10 against each other.
NEAR_DUPLICATE = 0.6
MIN_SHINGLES = 20  # shorter texts (a paper entry's few words) are not compared
NEAR_WINDOW_DAYS = 400  # near-identical texts are looked for among lines of the last 400 days
TEXT_KEY_LIMIT = 200_000


class IncomingError(VanthuError, ValueError):
    """The register refuses the request; the message is Vietnamese and meant for the user."""

    code = "incoming_refused"


class AlreadyRegistered(IncomingError):
    """The upload already has its line (``entry_id``), maybe registered a moment ago by
    another clerk; the caller shows that line."""

    code = "already_registered"
    status = 409

    def __init__(self, entry: IncomingEntry, *, just_now: bool = False) -> None:
        number = f"số đến {entry.number:02d}/{entry.year}"
        super().__init__(
            f"Văn bản này vừa được người khác vào sổ văn bản đến ({number})."
            if just_now
            else f"Văn bản này đã được vào sổ văn bản đến ({number})."
        )
        self.entry_id = entry.id


@dataclass
class EntryData:
    """What the clerk confirms when registering (the Phụ lục IV columns and the source)."""

    received_date: date
    issuer: str = ""
    reference: str = ""  # số, ký hiệu: "1611/KH-BGDĐT"
    doc_date: date | None = None
    doc_type: str = ""  # tên loại: "Kế hoạch"
    summary: str = ""  # trích yếu
    recipient: str = ""  # đơn vị hoặc người nhận
    note: str = ""
    deadline: date | None = None  # hạn giải quyết
    channel: str = "paper"
    text: str = ""  # the document's text, for duplicates and search
    plan_id: int | None = None
    file_id: str | None = None
    file_sha256: str = ""


@dataclass
class Duplicate:
    """A line of the register that the new document (or another line) seems to repeat."""

    entry: IncomingEntry
    reasons: list[str] = field(default_factory=list)
    similarity: float = 0.0


@dataclass(frozen=True)
class HandlingDeadline:
    """A registered document's handling deadline, for the calendar."""

    entry_id: int
    year: int
    number: int
    title: str  # "Số đến 05: Kế hoạch 1611/KH-BGDĐT — Triển khai …"
    due: date
    status: str
    done: bool
    handler_ids: tuple[int, ...]
    handler_names: tuple[str, ...]


# -- suggestions from the parser -------------------------------------------------------


def suggestion_from_plan(plan: IncomingDocument, received: date) -> EntryData:
    """The registration data a parsed (or reviewed) upload suggests; the clerk edits it."""
    fields = confirmed_fields(plan)
    number, symbol = clean_line(fields.get("number")), clean_line(fields.get("symbol"))
    doc_type = DOC_TYPES.get(str(fields.get("doc_type") or ""))
    stored = plan.file
    pasted = stored is not None and stored.mime_type == "text/plain"
    return EntryData(
        received_date=received,
        issuer=running_name(fields.get("issuer")),
        reference="/".join(part for part in (number, symbol) if part),
        doc_date=_as_date(fields.get("issued_date")),
        doc_type=doc_type.label if doc_type else "",
        summary=_sentence_case(clean_line(fields.get("title"))),
        deadline=_first_deadline(fields.get("deadlines") or [], received),
        channel="text" if pasted else "file",
        text=plan_text(plan),
        plan_id=plan.id,
        file_id=plan.file_id,
        file_sha256=stored.sha256 if stored is not None else "",
    )


def plan_text(plan: IncomingDocument) -> str:
    """The text the parser read (lines in reading order)."""
    lines = (plan.extracted or {}).get("text") or []
    return "\n".join(str(line.get("text") or "") for line in lines if isinstance(line, dict))


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _first_deadline(items: Iterable[Any], received: date) -> date | None:
    dates = sorted(
        found
        for item in items
        if isinstance(item, dict) and (found := _as_date(item.get("date"))) and found >= received
    )
    return dates[0] if dates else None


def _sentence_case(text: str) -> str:
    """ "KẾ HOẠCH TRIỂN KHAI …" → "Kế hoạch triển khai …" (titles are printed upper-case)."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        lowered = text.lower()
        return lowered[:1].upper() + lowered[1:]
    return text


# -- duplicate keys ----------------------------------------------------------------------

_WORD = re.compile(r"[0-9a-z]+")


def text_key(text: str) -> str:
    """The text without diacritics, case, punctuation and layout: the words in order."""
    return " ".join(_WORD.findall(fold(text)))[:TEXT_KEY_LIMIT]


def text_sha256(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def reference_key(issuer: str, reference: str, doc_date: date | None) -> str:
    """issuer|number|date, compared without diacritics, spaces or case ("" if incomplete)."""
    issuer_key = "".join(_WORD.findall(fold(issuer)))
    number_key = "".join(_WORD.findall(fold(reference)))
    if not (issuer_key and number_key and doc_date):
        return ""
    return f"{issuer_key[:120]}|{number_key[:80]}|{doc_date.isoformat()}"


def shingles(key: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = key.split()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def similarity(first: str, second: str) -> float:
    """Jaccard similarity of two text keys' word shingles (0 when either is too short)."""
    a, b = shingles(first), shingles(second)
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return 0.0
    return len(a & b) / len(a | b)


def find_duplicates(
    session: Session, organization_id: int, data: EntryData, *, exclude_id: int | None = None
) -> list[Duplicate]:
    """The organization's live lines that ``data`` seems to repeat, the surest first."""
    key = text_key(data.text)
    digest = text_sha256(key)
    ref = reference_key(data.issuer, data.reference, data.doc_date)
    found: dict[int, Duplicate] = {}

    def note(entry: IncomingEntry, reason: str, score: float) -> None:
        duplicate = found.setdefault(entry.id, Duplicate(entry))
        duplicate.reasons.append(reason)
        duplicate.similarity = max(duplicate.similarity, score)

    exact = [
        clause
        for clause in (
            IncomingEntry.file_sha256 == data.file_sha256 if data.file_sha256 else None,
            IncomingEntry.text_sha256 == digest if digest else None,
            IncomingEntry.ref_key == ref if ref else None,
            IncomingEntry.plan_id == data.plan_id if data.plan_id else None,
        )
        if clause is not None
    ]
    live = _live(organization_id, exclude_id)
    if exact:
        for entry in session.scalars(live.where(or_(*exact))):
            if data.plan_id and entry.plan_id == data.plan_id:
                note(entry, "đã vào sổ từ chính tệp này", 1.0)
            if data.file_sha256 and entry.file_sha256 == data.file_sha256:
                note(entry, "cùng một tệp (SHA-256)", 1.0)
            if digest and entry.text_sha256 == digest:
                note(entry, "cùng nội dung văn bản", 1.0)
            if ref and entry.ref_key == ref:
                note(entry, "cùng tác giả, số ký hiệu và ngày văn bản", 1.0)
    if len(shingles(key)) >= MIN_SHINGLES:
        # Only the texts of lines received within NEAR_WINDOW_DAYS are read (ids and text,
        # not whole rows); the lines that match are loaded afterwards.
        since = data.received_date - timedelta(days=NEAR_WINDOW_DAYS)
        texts = session.execute(
            live.with_only_columns(IncomingEntry.id, IncomingEntry.text_key).where(
                IncomingEntry.text_key != "",
                IncomingEntry.text_sha256 != digest,
                IncomingEntry.received_date >= since,
            )
        )
        for entry_id, other in texts:
            score = similarity(key, other)
            if score >= NEAR_DUPLICATE:
                entry = session.get(IncomingEntry, entry_id)
                assert entry is not None
                note(entry, f"nội dung gần giống ({round(score * 100)} %)", score)
    return sorted(found.values(), key=lambda d: (-d.similarity, -len(d.reasons), d.entry.id))


def _live(organization_id: int, exclude_id: int | None = None) -> Any:
    statement = select(IncomingEntry).where(
        IncomingEntry.organization_id == organization_id, IncomingEntry.removed_at.is_(None)
    )
    if exclude_id is not None:
        statement = statement.where(IncomingEntry.id != exclude_id)
    return statement


# -- registering -------------------------------------------------------------------------


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
    _audit(session, "incoming.register", entry, user_id)
    return entry


def update_entry(session: Session, entry: IncomingEntry, data: EntryData) -> None:
    """Correct a line's columns (its số đến and year never change)."""
    _require_live(entry)
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


def add_copy(session: Session, entry: IncomingEntry, data: EntryData, *, user_id: int) -> None:
    """Merge a newly received copy of a registered document into its line: no new số đến;
    the copy (and its upload) is noted on the line."""
    _require_live(entry)
    entry.copies = [
        *(entry.copies or []),
        {
            "plan_id": data.plan_id,
            "channel": data.channel,
            "received": data.received_date.isoformat(),
            "by": user_id,
        },
    ]
    entry.note = _with_line(
        entry.note, f"Nhận thêm {_copy_label(data.channel, data.received_date)}."
    )
    if data.text and not entry.text_key:
        entry.text_key = text_key(data.text)
        entry.text_sha256 = text_sha256(entry.text_key)
    _audit(session, "incoming.merge", entry, user_id, copy=data.channel)


# -- handling ----------------------------------------------------------------------------


def assign(
    session: Session,
    entry: IncomingEntry,
    *,
    user_ids: Sequence[int],
    deadline: date | None,
    assigned_by_id: int,
) -> None:
    """Pass the document to ``user_ids`` (people of its organization) with a deadline.

    Handlers no longer listed are taken off; those kept keep their "received" mark.
    """
    _require_live(entry)
    wanted = set(user_ids)
    if wanted:
        valid = set(
            session.scalars(
                select(User.id).where(
                    User.id.in_(wanted),
                    User.organization_id == entry.organization_id,
                    User.active.is_(True),
                )
            )
        )
        if valid != wanted:
            raise IncomingError("Người xử lý không thuộc cơ quan hoặc đã bị khóa.")
    entry.handlers[:] = [h for h in entry.handlers if h.user_id in wanted]
    present = {h.user_id for h in entry.handlers}
    for user_id in sorted(wanted - present):
        entry.handlers.append(IncomingHandler(user_id=user_id, assigned_by_id=assigned_by_id))
    entry.deadline = deadline
    if not wanted and entry.status == EntryStatus.HANDLING:
        entry.status = EntryStatus.WAITING.value


def set_status(session: Session, entry: IncomingEntry, status: str, *, user_id: int) -> None:
    """Move the handling on (chờ xử lý → đang xử lý → đã xong, or back)."""
    _require_live(entry)
    if status not in ENTRY_STATUS_LABELS:
        raise IncomingError("Tình trạng xử lý không hợp lệ.")
    entry.status = status
    entry.done_at = datetime.now(UTC) if status == EntryStatus.DONE else None
    mark_received(entry, user_id)


def mark_received(entry: IncomingEntry, user_id: int) -> bool:
    """Record that a handler took the document (the register's "ký nhận")."""
    for handler in entry.handlers:
        if handler.user_id == user_id and handler.received_at is None:
            handler.received_at = datetime.now(UTC)
            return True
    return False


def is_handler(entry: IncomingEntry, user_id: int) -> bool:
    return any(h.user_id == user_id for h in entry.handlers)


# -- removing and merging ----------------------------------------------------------------


def remove(session: Session, entry: IncomingEntry, *, user_id: int, reason: str) -> None:
    """Strike a line registered by mistake; its số đến stays used and is never reissued."""
    reason = _reason(reason, "Vui lòng nhập lý do xóa.")
    _require_live(entry)
    entry.removed_at = datetime.now(UTC)
    entry.removed_by_id = user_id
    entry.remove_reason = reason
    entry.handlers.clear()
    _audit(session, "incoming.delete", entry, user_id, reason=reason)


def merge(session: Session, duplicate: IncomingEntry, into: IncomingEntry, *, user_id: int) -> None:
    """Merge a line that repeats another into it: its handlers and note move over, and it is
    struck through as "trùng với số đến N" (its number stays used)."""
    _require_live(duplicate)
    _require_live(into)
    if duplicate.id == into.id or duplicate.organization_id != into.organization_id:
        raise IncomingError("Không gộp được một văn bản vào chính nó.")
    present = {h.user_id for h in into.handlers}
    for handler in duplicate.handlers:
        if handler.user_id not in present:
            into.handlers.append(
                IncomingHandler(
                    user_id=handler.user_id,
                    assigned_by_id=handler.assigned_by_id,
                    received_at=handler.received_at,
                )
            )
    duplicate.handlers.clear()
    into.copies = [*(into.copies or []), *(duplicate.copies or [])]
    copy = _copy_label(duplicate.channel, duplicate.received_date)
    into.note = _with_line(
        into.note, f"Nhận thêm {copy} (số đến {duplicate.number:02d}/{duplicate.year})."
    )
    if into.deadline is None:
        into.deadline = duplicate.deadline
    duplicate.removed_at = datetime.now(UTC)
    duplicate.removed_by_id = user_id
    duplicate.merged_into_id = into.id
    duplicate.remove_reason = f"Trùng với số đến {into.number:02d}/{into.year}"
    _audit(
        session, "incoming.merge", duplicate, user_id, into_number=into.number, into_year=into.year
    )


def _copy_label(channel: str, received: date) -> str:
    """ "bản giấy ngày 05/03/2026" """
    return f"{CHANNELS.get(channel, 'bản').lower()} ngày {received:%d/%m/%Y}"


def _with_line(note: str, line: str) -> str:
    return "\n".join(part for part in (note, line) if part)


def _reason(text: str, missing: str) -> str:
    reason = nfc(text or "").strip()
    if not reason:
        raise IncomingError(missing)
    if len(reason) > MAX_REASON:
        raise IncomingError(f"Lý do tối đa {MAX_REASON} ký tự.")
    return reason


def _require_live(entry: IncomingEntry) -> None:
    if entry.removed_at is not None:
        raise IncomingError("Dòng này đã bị xóa hoặc gộp khỏi sổ văn bản đến.")


def _audit(session: Session, action: str, entry: IncomingEntry, user_id: int, **extra: Any) -> None:
    """Record ``action`` on a line (with its number, so the sentence names it)."""
    detail = {
        "number": entry.number,
        "year": entry.year,
        "reference": entry.reference,
        "summary": entry.summary[:300],
        **extra,
    }
    audit.record(
        session,
        action,
        object_type="incoming_entry",
        object_id=entry.id,
        detail=detail,
        organization_id=entry.organization_id,
        user_id=user_id,
    )


# -- reading the register ----------------------------------------------------------------


def register_years(session: Session, organization_id: int) -> list[int]:
    """Years with lines, newest first."""
    return list(
        session.scalars(
            select(IncomingEntry.year)
            .where(IncomingEntry.organization_id == organization_id)
            .distinct()
            .order_by(IncomingEntry.year.desc())
        )
    )


def register_query(
    organization_id: int,
    year: int,
    *,
    query: str = "",
    status: str = "",
    handler_id: int | None = None,
    include_removed: bool = True,
) -> Select[IncomingEntry]:
    """The lines of ``year`` by số đến (the unique index of organization, year, number),
    filtered by words (without diacritics), status or handler. Removed lines are part of the
    book unless a filter is given."""
    statement = select(IncomingEntry).where(
        IncomingEntry.organization_id == organization_id, IncomingEntry.year == year
    )
    words = fold(query).split()
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(IncomingEntry.search_key.like(f"%{escaped}%", escape="\\"))
    if status:
        statement = statement.where(IncomingEntry.status == status)
    if handler_id is not None:
        statement = statement.where(
            IncomingEntry.handlers.any(IncomingHandler.user_id == handler_id)
        )
    if words or status or handler_id is not None or not include_removed:
        statement = statement.where(IncomingEntry.removed_at.is_(None))
    return statement.order_by(IncomingEntry.number)


def register_entries(
    session: Session, organization_id: int, year: int, **filters: Any
) -> list[IncomingEntry]:
    """Every line of :func:`register_query` (the export, the calendar)."""
    return list(session.scalars(register_query(organization_id, year, **filters)))


def register_page(
    session: Session,
    organization_id: int,
    year: int,
    *,
    number: int,
    size: int,
    query: str = "",
    status: str = "",
) -> Page[IncomingEntry]:
    """One page of the register, with each line's handlers and their names loaded."""
    return paginate(
        session, register_query(organization_id, year, query=query, status=status),
        IncomingEntry, number=number, size=size,
        options=[selectinload(IncomingEntry.handlers).selectinload(IncomingHandler.user)],
    )  # fmt: skip


def assigned_to(session: Session, user_id: int) -> list[IncomingEntry]:
    """Live lines passed to ``user_id`` that are not done, by deadline."""
    return list(
        session.scalars(
            select(IncomingEntry)
            .where(
                IncomingEntry.removed_at.is_(None),
                IncomingEntry.status != EntryStatus.DONE.value,
                IncomingEntry.handlers.any(IncomingHandler.user_id == user_id),
            )
            .order_by(IncomingEntry.deadline.is_(None), IncomingEntry.deadline, IncomingEntry.id)
        )
    )


def handling_deadlines(
    session: Session,
    organization_id: int,
    *,
    user_id: int | None = None,
    include_done: bool = True,
) -> list[HandlingDeadline]:
    """The handling deadlines (hạn giải quyết) of live registered documents, by date — for
    the deadlines calendar and its feed. ``user_id`` keeps only that handler's."""
    statement = select(IncomingEntry).where(
        IncomingEntry.organization_id == organization_id,
        IncomingEntry.removed_at.is_(None),
        IncomingEntry.deadline.is_not(None),
    )
    if user_id is not None:
        statement = statement.where(IncomingEntry.handlers.any(IncomingHandler.user_id == user_id))
    if not include_done:
        statement = statement.where(IncomingEntry.status != EntryStatus.DONE.value)
    found = []
    for entry in session.scalars(statement.order_by(IncomingEntry.deadline, IncomingEntry.id)):
        assert entry.deadline is not None
        found.append(
            HandlingDeadline(
                entry_id=entry.id,
                year=entry.year,
                number=entry.number,
                title=entry_title(entry),
                due=entry.deadline,
                status=entry.status,
                done=entry.status == EntryStatus.DONE,
                handler_ids=tuple(h.user_id for h in entry.handlers),
                handler_names=tuple(h.user.full_name for h in entry.handlers),
            )
        )
    return found


def entry_title(entry: IncomingEntry) -> str:
    """ "Số đến 05: Kế hoạch 1611/KH-BGDĐT — Triển khai …" for lists and the calendar."""
    kind = " ".join(part for part in (entry.doc_type, entry.reference) if part)
    text = " — ".join(part for part in (kind, entry.summary) if part)
    return f"Số đến {entry.number:02d}: {text}" if text else f"Số đến {entry.number:02d}"


def handed_on(entry: IncomingEntry) -> date | None:
    """The "Ngày chuyển" column: the day the document was first passed to a handler
    (Vietnam time); handlers added later show their day in "Ký nhận" when they take it."""
    days = [_vn_moment(handler.assigned_at).date() for handler in entry.handlers]
    return min(days) if days else None


def handler_receipt(entry: IncomingEntry) -> str:
    """The "ký nhận" column: who took the document and when."""
    parts = []
    for handler in entry.handlers:
        when = f" ({_vn_day(handler.received_at)})" if handler.received_at else ""
        parts.append(f"{handler.user.full_name}{when}")
    return "; ".join(parts)


def _vn_day(moment: datetime) -> str:
    return _vn_moment(moment).strftime("%d/%m/%Y")


def _vn_moment(moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))


def stored_file(session: Session, entry: IncomingEntry) -> StoredFile | None:
    return session.get(StoredFile, entry.file_id) if entry.file_id else None


# -- the printed book (.xlsx) ------------------------------------------------------------

# The ten columns of the sổ đăng ký văn bản đến, named and ordered as in NĐ 30/2020/NĐ-CP,
# Phụ lục IV (Mẫu về quản lý văn bản), Mục VI "Mẫu sổ đăng ký văn bản đến", 2. "Nội dung
# đăng ký văn bản đến — tối thiểu gồm 10 nội dung", numbered (1)…(10). The register page
# (templates/incoming/_book_cells.html) shows the same columns.
BOOK_COLUMNS = (
    ("Ngày đến", 11), ("Số đến", 8), ("Tác giả", 22), ("Số, ký hiệu văn bản", 15),
    ("Ngày tháng văn bản", 11), ("Tên loại và trích yếu nội dung văn bản", 42),
    ("Đơn vị hoặc người nhận", 20), ("Ngày chuyển", 11), ("Ký nhận", 20), ("Ghi chú", 24),
)  # fmt: skip


def export_register(entries: Sequence[IncomingEntry], year: int, organization_name: str) -> bytes:
    """The register of ``year`` as the printed book: title, the ten Phụ lục IV columns
    with their numbers (1)…(10), one row per số đến (removed lines struck through), A4
    landscape with the header repeated on every page. User text is always written as
    text, never as a formula."""
    from openpyxl.styles import Alignment
    from openpyxl.styles import Border
    from openpyxl.styles import Font
    from openpyxl.styles import Side
    from openpyxl.utils import get_column_letter

    book, sheet = new_book()
    sheet.title = f"Sổ văn bản đến {year}"
    last = len(BOOK_COLUMNS)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for text, size in (
        (organization_name, 12),
        ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", 14),
        (f"Năm {year}", 12),
    ):
        append_text_row(sheet, [text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.cell(row, 1).font = Font(name="Times New Roman", bold=True, size=size)
        sheet.cell(row, 1).alignment = centre
    header_row = 5
    sheet.append([])
    sheet.append([title for title, _width in BOOK_COLUMNS])
    sheet.append([f"({column})" for column in range(1, last + 1)])
    for row in (header_row, header_row + 1):
        for cell in sheet[row]:
            cell.font = Font(name="Times New Roman", bold=row == header_row, size=11)
            cell.alignment = centre
            cell.border = box
    for column, (_title, width) in enumerate(BOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    top = Alignment(vertical="top", wrap_text=True)
    for entry in entries:
        append_text_row(
            sheet, [None if value in ("", None) else value for value in _book_row(entry)]
        )
        for cell, number_format in zip(sheet[sheet.max_row][:last], BOOK_FORMATS, strict=True):
            cell.font = Font(name="Times New Roman", size=11, strike=entry.removed_at is not None)
            cell.alignment = top
            cell.border = box
            if number_format and cell.data_type != "s":
                cell.number_format = number_format
    sheet.print_title_rows = f"{header_row}:{header_row + 1}"
    sheet.freeze_panes = f"A{header_row + 2}"
    # Filter buttons on the (1)…(9) row, just above the entries.
    sheet.auto_filter.ref = f"A{header_row + 1}:{get_column_letter(last)}{sheet.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    fit = sheet.sheet_properties.pageSetUpPr
    assert fit is not None  # openpyxl always creates it; its stubs say it may be missing
    fit.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Number formats of the book's columns: dates as date cells shown dd/mm/yyyy, the số đến a
# number cell shown 01, 02 …; the rest is text.
BOOK_FORMATS = ("DD/MM/YYYY", "00", "", "", "DD/MM/YYYY", "", "", "DD/MM/YYYY", "", "")


def _book_row(entry: IncomingEntry) -> list[object]:
    kind_and_summary = " ".join(part for part in (entry.doc_type, entry.summary) if part)
    note = entry.note
    if entry.removed_at is not None:
        label = entry.remove_reason if entry.merged_into_id else f"Đã xóa: {entry.remove_reason}"
        note = "\n".join(part for part in (label, note) if part)
    elif entry.deadline:
        status = ENTRY_STATUS_LABELS.get(entry.status, entry.status)
        note = "\n".join(
            part for part in (f"Hạn giải quyết {entry.deadline:%d/%m/%Y}; {status.lower()}", note)
            if part
        )  # fmt: skip
    if entry.signature_state:  # "Ký số" (issue 17)
        signed = f"Ký số: {signature_state_label(entry.signature_state)}"
        note = "\n".join(part for part in (note, signed) if part)
    return [
        entry.received_date,
        entry.number,
        entry.issuer,
        entry.reference,
        entry.doc_date,
        kind_and_summary,
        entry.recipient,
        handed_on(entry),
        handler_receipt(entry),
        note,
    ]
