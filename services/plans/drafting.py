"""The school's responding plan (Kế hoạch) drafted from a confirmed one: the citation, the
Tiến độ with internal deadlines some days before the superior's, the header and body, and
the draft document created with its render queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from domain.dates import format_short_date
from domain.doc_types import DOC_TYPES
from domain.names import position_title
from domain.names import running_name
from domain.text import clean_line
from services.plans.fields import RECURRENCES
from services.plans.fields import as_date
from services.plans.fields import confirmed_fields
from services.plans.fields import month_day
from services.recurrence import next_occurrence
from services.recurrence import period_end
from services.recurrence import rule_for
from storage.models import Document
from storage.models import IncomingDocument
from storage.models import Organization


def citation_line(fields: Mapping[str, Any]) -> str:
    """``Căn cứ Kế hoạch số 08/KH-PGDĐT ngày 06/4/2021 của Phòng GD&ĐT Bến Cát về …;``"""
    doc_type = DOC_TYPES.get(str(fields.get("doc_type") or ""))
    parts = ["Căn cứ", doc_type.label if doc_type else "Văn bản"]
    number, symbol = clean_line(fields.get("number")), clean_line(fields.get("symbol"))
    if number or symbol:  # a missing number shows as "…" for the clerk to fill in
        parts.append(f"số {number or '…'}/{symbol}" if symbol else f"số {number}")
    issued = as_date(fields.get("issued_date"))
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
        due = as_date(item.get("date"))
        if due is None:
            continue
        end = as_date(item.get("end"))
        what = clean_line(item.get("what")) or "Thực hiện theo kế hoạch"
        recurrence = item.get("recurrence") or ""
        rule = rule_for(recurrence, due, month_day=month_day(item), until=until)
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
