"""Incoming plans (văn bản đến): upload, parse results, review, deadlines, responding draft.

The parser itself runs in a job (:func:`worker.jobs.plans.parse_incoming`); this module
holds what the views and the job share: creating the record, storing what was read,
applying the clerk's corrections, turning confirmed deadlines into :class:`Deadline` rows
and drafting the school's own plan from a confirmed one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from domain.dates import format_short_date
from domain.doc_types import DOC_TYPES
from domain.names import position_title
from domain.names import running_name
from domain.text import clean_line
from domain.text import nfc
from outbox.queues import create_job
from services.pagination import Page
from services.pagination import paginate
from services.recurrence import next_occurrence
from services.recurrence import period_end
from services.recurrence import rule_for
from storage.files import save_file
from storage.models import Deadline
from storage.models import Document
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import IncomingStatus
from storage.models import Organization
from storage.models import StoredFile
from storage.uploads import CheckedUpload
from storage.uploads import UploadRejected
from storage.uploads import sniff

# The contract fields (docs/ingest-output.md) a clerk reviews, in form order.
SCALAR_FIELDS = (
    "doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "issued_date",
    "title", "period", "signer_title", "signer_name",
)  # fmt: skip
LIST_FIELDS = ("references", "themes", "deadlines", "recipients")
FIELDS = SCALAR_FIELDS + LIST_FIELDS
RECURRENCES = {
    "": "Không lặp",
    "yearly": "Hằng năm",
    "quarterly": "Hằng quý",
    "monthly": "Hằng tháng",
    "weekly": "Hằng tuần",
}
ENCODING_LABELS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}
PASTED_NAME = "Văn bản dán"


# -- upload -------------------------------------------------------------------------------


def check_plan_upload(filename: str, content: bytes) -> CheckedUpload:
    """Accept a PDF, DOCX, DOC or plain-text file, judged by content (libmagic).

    Raises:
        UploadRejected: empty file, or a type the parser cannot read (an executable
            renamed ``.pdf``, an image, a spreadsheet...), with a Vietnamese message.
    """
    from ingest.detect import detect_kind
    from ingest.errors import IngestError

    name = nfc(filename).strip() or "tệp không tên"
    try:
        detect_kind(content)
    except IngestError as exc:
        raise UploadRejected(f"Tệp “{name}”: {exc.message}") from exc
    return CheckedUpload(name, sniff(content), content)


def pasted_upload(text: str, now: datetime | None = None) -> CheckedUpload:
    """Pasted text stored as a UTF-8 ``.txt`` file, named after its time of pasting."""
    now = now or datetime.now(UTC)
    content = nfc(text).replace("\r\n", "\n").strip().encode("utf-8") + b"\n"
    return CheckedUpload(
        f"{PASTED_NAME} {now.strftime('%Y-%m-%d %H%M%S')}.txt", "text/plain", content
    )


def find_duplicate(
    session: Session, organization_id: int, content: bytes
) -> IncomingDocument | None:
    """The organization's earlier upload of exactly these bytes (same SHA-256), if any."""
    digest = hashlib.sha256(content).hexdigest()
    return session.scalar(
        select(IncomingDocument)
        .join(StoredFile, StoredFile.id == IncomingDocument.file_id)
        .where(IncomingDocument.organization_id == organization_id, StoredFile.sha256 == digest)
        .order_by(IncomingDocument.created_at)
        .limit(1)
    )


def create_incoming(
    session: Session, app: Flask, *, organization_id: int, user_id: int, upload: CheckedUpload
) -> IncomingDocument:
    """Store the upload and queue its parse (enqueued when the session commits)."""
    stored = save_file(
        session,
        organization_id=organization_id,
        content=upload.content,
        original_name=upload.filename,
        mime_type=upload.mime_type,
        created_by_id=user_id,
    )
    incoming = IncomingDocument(
        organization_id=organization_id,
        file_id=stored.id,
        created_by_id=user_id,
        status=IncomingStatus.QUEUED.value,
        extracted={},
        corrections={},
    )
    session.add(incoming)
    session.flush()
    start_parse(session, app, incoming, user_id=user_id)
    return incoming


def start_parse(session: Session, app: Flask, incoming: IncomingDocument, *, user_id: int) -> str:
    """Queue (again) the parse of ``incoming``; returns the job id."""
    job = create_job(
        session,
        app,
        function="parse_incoming",
        kind="Đọc văn bản cấp trên",
        args={"incoming_id": incoming.id},
        organization_id=incoming.organization_id,
        created_by_id=user_id,
    )
    incoming.job_id = job.id
    incoming.status = IncomingStatus.QUEUED.value
    incoming.error = ""
    return job.id


# -- parse results (called by the job) ---------------------------------------------------


def mark_parsing(incoming: IncomingDocument) -> None:
    incoming.status = IncomingStatus.PARSING.value
    incoming.error = ""


def mark_failed(incoming: IncomingDocument | None, reason: str) -> None:
    if incoming is not None:
        incoming.status = IncomingStatus.FAILED.value
        incoming.error = reason


def store_parse_result(
    session: Session,
    incoming: IncomingDocument,
    result: dict[str, Any],
    images: Sequence[tuple[int, bytes, int, int, float]],
) -> None:
    """Keep the parser's output and the page images ``(page, png, width, height, points)``.

    Line boxes come from the result's ``text[].box`` (PDF points), scaled to image pixels.
    """
    old_files = [page.file_id for page in incoming.pages]
    incoming.pages.clear()
    session.flush()
    if old_files:
        session.execute(delete(StoredFile).where(StoredFile.id.in_(old_files)))
    boxes: dict[int, list[dict[str, Any]]] = {}
    for line in result.get("text", ()):
        if line.get("box"):
            boxes.setdefault(int(line["page"]), []).append(line)
    for page, png, width, height, points_width in images:
        scale = width / points_width if points_width else 1.0
        stored = save_file(
            session,
            organization_id=incoming.organization_id,
            content=png,
            original_name=f"trang-{page}.png",
            mime_type="image/png",
        )
        incoming.pages.append(
            IncomingPage(
                page=page,
                file_id=stored.id,
                width=width,
                height=height,
                boxes=[
                    {
                        "line": line["line"],
                        "x0": round(line["box"][0] * scale),
                        "top": round(line["box"][1] * scale),
                        "x1": round(line["box"][2] * scale),
                        "bottom": round(line["box"][3] * scale),
                    }
                    for line in boxes.get(page, ())
                ],
            )
        )
    incoming.extracted = result
    incoming.page_count = int(result.get("pages") or 1)
    incoming.status = IncomingStatus.PARSED.value
    incoming.error = ""


# -- review -------------------------------------------------------------------------------


def confirmed_fields(incoming: IncomingDocument) -> dict[str, Any]:
    """The fields as the clerk sees them: what was read, overridden by the corrections."""
    extracted = incoming.extracted or {}
    corrections = incoming.corrections or {}
    return {name: corrections.get(name, extracted.get(name)) for name in FIELDS}


def field_sources(extracted: Mapping[str, Any]) -> dict[str, Any]:
    """Where each field was read: ``{field: {"page", "line"}}`` and per-item lists."""
    sources: dict[str, Any] = dict(extracted.get("sources") or {})
    for name, key in (("themes", "theme_sources"), ("recipients", "recipient_sources")):
        sources[name] = list(extracted.get(key) or [])
    for name in ("references", "deadlines"):
        sources[name] = [item.get("source") for item in extracted.get(name) or []]
    return sources


def _comparable(name: str, value: Any) -> Any:
    """A value normalised for "did the clerk change it?" (spaces, "" vs None, sources)."""

    def scalar(item: Any) -> Any:
        if isinstance(item, str):
            return clean_line(item) or None
        return item if item not in ("", None) else None

    if name in ("references", "deadlines"):
        return [{k: scalar(v) for k, v in item.items() if k != "source"} for item in value or []]
    if name in ("themes", "recipients"):
        return [clean_line(v) for v in value or [] if clean_line(v)]
    return scalar(value)


def save_review(
    session: Session,
    incoming: IncomingDocument,
    values: Mapping[str, Any],
    *,
    confirm: bool,
    user_id: int,
) -> None:
    """Store the clerk's values as corrections (the extracted output is never changed).

    Confirming (or saving a document already confirmed) turns the deadlines into
    :class:`Deadline` rows, see :func:`sync_deadlines`.
    """
    extracted = incoming.extracted or {}
    corrections: dict[str, Any] = {}
    for name in FIELDS:
        value = values.get(name)
        if _comparable(name, value) != _comparable(name, extracted.get(name)):
            corrections[name] = value
    incoming.corrections = corrections
    if confirm or incoming.status == IncomingStatus.CONFIRMED:
        incoming.status = IncomingStatus.CONFIRMED.value
        incoming.confirmed_at = datetime.now(UTC)
        incoming.confirmed_by_id = user_id
        sync_deadlines(session, incoming)


def sync_deadlines(session: Session, incoming: IncomingDocument) -> None:
    """Make the document's Deadline rows match its confirmed deadlines.

    Rows are matched to items first on (date, end, recurrence, what), then on the dates
    alone, so an item that stays keeps its done state and assignee even if its wording was
    corrected. Unmatched rows that are not done are removed; done ones stay as history.
    """
    fields = confirmed_fields(incoming)
    items = [d for d in fields["deadlines"] or [] if d.get("date")]
    until = period_end(fields.get("period"))
    existing = list(
        session.scalars(
            select(Deadline).where(Deadline.incoming_id == incoming.id).order_by(Deadline.id)
        )
    )
    unmatched = list(existing)

    def dates_key(row_or_item: Any) -> tuple[Any, ...]:
        if isinstance(row_or_item, Deadline):
            return (row_or_item.due_date, row_or_item.end_date, row_or_item.recurrence or "")
        return (
            _as_date(row_or_item.get("date")),
            _as_date(row_or_item.get("end")),
            row_or_item.get("recurrence") or "",
        )

    def full_key(row_or_item: Any) -> tuple[Any, ...]:
        what = row_or_item.what if isinstance(row_or_item, Deadline) else row_or_item.get("what")
        return (*dates_key(row_or_item), clean_line(what).casefold())

    pending: list[dict[str, Any]] = []
    for item in items:
        row = next((r for r in unmatched if full_key(r) == full_key(item)), None)
        if row is None:
            pending.append(item)
        else:
            unmatched.remove(row)
            _fill_deadline(row, item, until)
    for item in pending:
        row = next((r for r in unmatched if dates_key(r) == dates_key(item)), None)
        if row is None:
            row = Deadline(organization_id=incoming.organization_id, incoming_id=incoming.id)
            session.add(row)
        else:
            unmatched.remove(row)
        _fill_deadline(row, item, until)
    for row in unmatched:
        if not row.done:
            session.delete(row)
    session.flush()


def _fill_deadline(row: Deadline, item: Mapping[str, Any], until: date | None) -> None:
    """Copy an item onto its row; a recurring one ends at the plan's period (``until``)."""
    source = item.get("source") or {}
    row.what = clean_line(item.get("what")) or "Hạn công việc"
    row.due_date = _as_date(item["date"])  # type: ignore[assignment]  # an item has a date
    row.end_date = _as_date(item.get("end"))
    row.recurrence = item.get("recurrence") or ""
    row.month_day = _month_day(item) if row.recurrence else None
    row.until = until if row.recurrence else None
    row.source_page = source.get("page")
    row.source_line = source.get("line")


def _month_day(item: Mapping[str, Any]) -> int | None:
    value = item.get("month_day")
    try:
        day = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return day if day is not None and (day == -1 or 1 <= day <= 31) else None


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# -- the responding plan --------------------------------------------------------------------


def citation_line(fields: Mapping[str, Any]) -> str:
    """``Căn cứ Kế hoạch số 08/KH-PGDĐT ngày 06/4/2021 của Phòng GD&ĐT Bến Cát về …;``"""
    doc_type = DOC_TYPES.get(str(fields.get("doc_type") or ""))
    parts = ["Căn cứ", doc_type.label if doc_type else "Văn bản"]
    number, symbol = clean_line(fields.get("number")), clean_line(fields.get("symbol"))
    if number or symbol:  # a missing number shows as "…" for the clerk to fill in
        parts.append(f"số {number or '…'}/{symbol}" if symbol else f"số {number}")
    issued = _as_date(fields.get("issued_date"))
    if issued:
        parts.append(f"ngày {format_short_date(issued)}")
    issuer = running_name(str(fields.get("issuer") or ""))
    if issuer:
        parts.append(f"của {issuer}")
    title = clean_line(fields.get("title")).rstrip(" .;")
    if title:
        parts.append(f"về {title[:1].lower() + title[1:] if _starts_with_common(title) else title}")
    return " ".join(parts) + ";"


def _starts_with_common(title: str) -> bool:
    # "Thực hiện công tác ..." reads "về thực hiện ..."; a name ("Hội khỏe Phù Đổng") stays.
    first = title.split(" ", 1)[0]
    return first[:1].isupper() and first[1:].islower() and first not in {"Hội", "Đại", "Ngày"}


def lead_days(app: Flask, org: Organization) -> int:
    """Days internal deadlines come before the superior body's (organization override)."""
    value = (org.settings or {}).get("draft_lead_days")
    try:
        return max(0, int(value)) if value not in (None, "") else int(app.config["DRAFT_LEAD_DAYS"])
    except (TypeError, ValueError):
        return int(app.config["DRAFT_LEAD_DAYS"])


@dataclass(frozen=True)
class Draft:
    header_fields: dict[str, Any]
    body_fields: dict[str, Any]
    notes: tuple[str, ...] = ()  # what the clerk must look at: items left out or flagged


@dataclass(frozen=True)
class Schedule:
    """The Tiến độ rows of a responding plan and the notes for the clerk."""

    rows: list[dict[str, str]]
    notes: list[str]


def _span(first: date, last: date | None) -> str:
    return format_short_date(first) + (f" - {format_short_date(last)}" if last else "")


def draft_schedule(fields: Mapping[str, Any], lead: int, today: date) -> Schedule:
    """The internal deadlines, ``lead`` days before the superior's and never before ``today``
    (the draft's date).

    A recurring item takes its next occurrence whose internal deadline is still ahead (a
    weekly meeting its next week, not the first one the plan named); a series that ended
    with the plan's period, and a one-off item whose superior deadline has passed, are
    left out; an item that can no longer get ``lead`` days is kept at today and flagged.
    Every such case is a note for the clerk; a flagged row says so in its Ghi chú.
    """
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    until = period_end(fields.get("period"))
    for item in fields.get("deadlines") or []:
        due = _as_date(item.get("date"))
        if due is None:
            continue
        end = _as_date(item.get("end"))
        what = clean_line(item.get("what")) or "Thực hiện theo kế hoạch"
        recurrence = item.get("recurrence") or ""
        rule = rule_for(recurrence, due, month_day=_month_day(item), until=until)
        if rule is not None:
            length = (end - due) if end else timedelta(0)
            upcoming = next_occurrence(due, rule, today - length + timedelta(days=lead))
            if upcoming is None:
                upcoming = next_occurrence(due, rule, today - length)
            if upcoming is None:
                notes.append(
                    f"Bỏ “{what}” ({RECURRENCES.get(recurrence, '').lower()}): đã hết kỳ "
                    f"của kế hoạch cấp trên"
                    + (f" (đến {format_short_date(until)})." if until else ".")
                )
                continue
            due, end = upcoming, (upcoming + length if end else None)
        if (end or due) < today:
            notes.append(f"Bỏ “{what}”: hạn của cấp trên ({_span(due, end)}) đã qua.")
            continue
        first = max(due - timedelta(days=lead), today)
        last = max(end - timedelta(days=lead), today) if end else None
        remark = ""
        left = ((end or due) - today).days
        if left < lead:
            remark = f"Chỉ còn {left} ngày, không đủ {lead} ngày chuẩn bị"
            notes.append(f"“{what}”: {remark.lower()} trước hạn của cấp trên ({_span(due, end)}).")
        if last is not None and last > first:
            when = f"Từ ngày {format_short_date(first)} đến ngày {format_short_date(last)}"
        else:
            when = f"Trước ngày {format_short_date(last or first)}"
        if recurrence:
            when += f" ({RECURRENCES.get(recurrence, '').lower()})"
        # The superior's dates go in the Thời gian column, which is wide enough for a date
        # (Ghi chú, 23 mm, is not: a date there broke as "31/12/202 / 5").
        when += f"; hạn của cấp trên: {_span(due, end)}"
        rows.append({"thoi_gian": when, "noi_dung": what, "thuc_hien": "", "ghi_chu": remark})
    return Schedule(rows, notes)


def draft_fields(
    fields: Mapping[str, Any], org: Organization, lead: int, today: date | None = None
) -> Draft:
    """Header and body of a Kế hoạch responding to the confirmed ``fields``, drafted on
    ``today`` (see :func:`draft_schedule`)."""
    citation = citation_line(fields)
    title = clean_line(fields.get("title")).rstrip(" .;") or "Triển khai văn bản của cấp trên"
    org_name = running_name(org.name)
    themes = [clean_line(t) for t in fields.get("themes") or [] if clean_line(t)]
    content = "Triển khai đến toàn thể cán bộ, giáo viên, nhân viên và học sinh nội dung "
    content += f"{citation[len('Căn cứ ') :].rstrip(';')}."
    if themes:
        content += "\n" + "\n".join(f"- Hưởng ứng “{t}”." for t in themes)
    schedule = draft_schedule(fields, lead, today or date.today())
    header = {
        "date": None,
        "summary": title,
        "can_cu": [citation],
        "recipients": [
            line for line in (org.default_recipients or "").splitlines() if line.strip()
        ],
        "signer_authority": "",
        "signer_collective": "",
        "signer_position": position_title(org.head_title) or "Hiệu trưởng",
        "signer_name": org.head_name or "",
    }
    body = {
        "mo_dau": f"{org_name} xây dựng Kế hoạch {title[:1].lower() + title[1:]} như sau:",
        "phan": [
            {
                "tieu_de": "Mục đích, yêu cầu",
                "noi_dung": "1. Mục đích\nTriển khai kịp thời, đầy đủ các nội dung của cấp trên."
                "\n2. Yêu cầu\nCác bộ phận thực hiện đúng nội dung và thời hạn.",
            },
            {"tieu_de": "Nội dung thực hiện", "noi_dung": content},
            {
                "tieu_de": "Tổ chức thực hiện",
                "noi_dung": "Các bộ phận nộp kết quả, hồ sơ về văn thư nhà trường trước các "
                f"thời hạn nêu tại Tiến độ thực hiện ({lead} ngày trước hạn của cấp trên).",
            },
        ],
        "tien_do": schedule.rows,
        "ket_luan": f"Trên đây là Kế hoạch {title[:1].lower() + title[1:]} của {org_name}. "
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các bộ phận báo cáo về "
        "Ban Giám hiệu để giải quyết./.",
    }
    return Draft(header, body, tuple(schedule.notes))


def create_draft_plan(
    session: Session,
    app: Flask,
    incoming: IncomingDocument,
    *,
    user_id: int,
    today: date | None = None,
) -> tuple[Document, str, tuple[str, ...]]:
    """Create the responding Kế hoạch and queue its render; returns it, the job id and
    the notes for the clerk (items left out or flagged)."""
    from services.documents import create_document
    from services.documents import request_render

    org = session.get(Organization, incoming.organization_id)
    assert org is not None
    draft = draft_fields(confirmed_fields(incoming), org, lead_days(app, org), today)
    document = create_document(
        session,
        organization_id=incoming.organization_id,
        created_by_id=user_id,
        kind="ke_hoach",
        header_fields=draft.header_fields,
        body_fields=draft.body_fields,
        incoming_id=incoming.id,
    )
    job_id = request_render(session, app, document, user_id=user_id)
    return document, job_id, draft.notes


def uploads_page(
    session: Session, organization_id: int, *, number: int, size: int
) -> Page[IncomingDocument]:
    """One page of the organization's uploads, newest first (ix_incoming_documents_list),
    with each file's name but never its content."""
    query = (
        select(IncomingDocument)
        .where(IncomingDocument.organization_id == organization_id)
        .order_by(IncomingDocument.created_at.desc(), IncomingDocument.id.desc())
    )
    loads = selectinload(IncomingDocument.file).load_only(StoredFile.id, StoredFile.original_name)
    return paginate(session, query, IncomingDocument, number=number, size=size, options=[loads])
