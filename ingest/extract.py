"""Turn a read document into the output contract (see docs/ingest-output.md)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ingest.dates import YearContext
from ingest.deadlines import find_deadlines
from ingest.header import parse_header
from ingest.reading import Document
from ingest.reading import Paragraph
from ingest.recipients import parse_closing
from ingest.references import find_references
from ingest.references import merge_references
from ingest.themes import find_themes

_TAIL_LINES = 8


def extract(doc: Document) -> dict[str, Any]:
    """Extract every contract field from ``doc``, with a ``sources`` map of page/line."""
    info = parse_header(doc)
    values: dict[str, Any] = dict(info.values)
    sources = dict(info.sources)

    own = None
    if values.get("symbol"):
        own = f"{values.get('number') or ''}/{values['symbol']}"
    refs = []
    for paragraph in doc.paragraphs:
        refs += find_references(paragraph, own)
    values["references"] = [r.as_dict() for r in merge_references(refs)]

    title_paragraph = _title_paragraph(doc)
    themes = find_themes(([title_paragraph] if title_paragraph else []) + doc.paragraphs)
    values["themes"] = [name for name, _ in themes]
    values["theme_sources"] = [source for _, source in themes]

    ctx, floor = _year_context(info.values, info.issue_year, info.school_year)
    floor = _report_floor(values, floor)
    deadlines = find_deadlines(doc.paragraphs, ctx, floor)
    if values.get("doc_type") == "BB":
        deadlines = []  # minutes record what happened at a meeting: nothing is due
    values["deadlines"] = [d.as_dict() for d in deadlines]

    closing = parse_closing(doc.closing_left, doc.closing_right, doc.body[-_TAIL_LINES:])
    values["recipients"] = [text for text, _ in closing.recipients]
    values["recipient_sources"] = [source for _, source in closing.recipients]
    values["signer_title"] = closing.signer_title
    values["signer_position"] = closing.signer_position
    values["signer_name"] = closing.signer_name
    sources.update(closing.sources)
    values["sources"] = sources
    values["warnings"] = []
    if doc.second_document is not None:
        # A second document in the same file is reported, not merged: its fields, dates
        # and recipients are not read into this one's.
        second = doc.second_document
        values["second_document"] = second.source()
        values["warnings"].append(
            f"Tệp có thêm một văn bản khác từ trang {second.page} (dòng {second.line}); "
            "chỉ văn bản đầu tiên được đọc, hãy tải văn bản kia lên riêng."
        )
    return values


def _title_paragraph(doc: Document) -> Paragraph | None:
    lines = ([doc.type_line] if doc.type_line else []) + doc.title_lines
    if not lines:
        return None
    text, starts = "", []
    for line in lines:
        starts.append(len(text) + (1 if text else 0))
        text = f"{text} {line.text}" if text else line.text
    return Paragraph(text, starts, lines)


_REPORT_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE)


def _report_floor(values: dict[str, Any], floor: date | None) -> date | None:
    """A báo cáo of "tháng 01/2025" reports that month: its dates are history, not tasks."""
    if values.get("doc_type") != "BC":
        return floor
    match = _REPORT_MONTH.search(str(values.get("title") or ""))
    if not match or not 1 <= int(match[1]) <= 12:
        return floor
    year, month = int(match[2]), int(match[1])
    after = date(year + (month == 12), month % 12 + 1, 1)
    return max(floor, after) if floor else after


def _year_context(
    values: dict[str, Any], issue_year: int | None, school_year: tuple[int, int] | None
) -> tuple[YearContext, date | None]:
    issued = values.get("issued_date")
    anchor = date.fromisoformat(issued) if isinstance(issued, str) else None
    period = str(values.get("period") or "")
    period_start = int(period[:4]) if period[:4].isdigit() else None
    year = issue_year or period_start
    ctx = YearContext(school_year=school_year, year=year, anchor=anchor)
    if anchor:
        floor = anchor
    elif school_year:
        floor = date(school_year[0], 8, 1)
    elif year:
        floor = date(year, 1, 1)
    else:
        floor = None
    return ctx, floor
