"""Read DOCX files (python-docx) into lines, header and signature tables column by column."""

from __future__ import annotations

import io
import re

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from domain.archive import DAMAGED
from domain.archive import NOT_ZIP
from domain.archive import ArchiveLimits
from domain.archive import ArchiveRefused
from domain.archive import check_archive
from ingest.errors import CorruptFileError
from ingest.errors import ZipBombError
from ingest.layout import RawLine
from ingest.layout import Segment
from ingest.layout import clean_text
from ingest.layout import is_rule
from ingest.legacy import fix_legacy
from ingest.limits import IngestLimits

_WIDTH = 100.0  # docx has no page geometry here; columns are placed on a 0-100 scale
_RIGHT_X = 55.0


def check_zip(data: bytes, limits: IngestLimits) -> None:
    """Refuse archives that expand to an unreasonable size, before python-docx opens any part
    (the shared guard, :mod:`domain.archive`: real bytes counted, not declared sizes).

    Raises:
        ZipBombError: too many parts, or total or per-part expansion past the limits.
        CorruptFileError: the archive is damaged.
    """
    guard = ArchiveLimits(
        max_members=5000,
        max_total_bytes=limits.max_unzipped_bytes,
        max_ratio=limits.max_zip_ratio,
    )
    try:
        check_archive(data, guard)
    except ArchiveRefused as refused:
        if refused.kind in (NOT_ZIP, DAMAGED):
            raise CorruptFileError() from refused
        raise ZipBombError() from refused


def read_docx(data: bytes, limits: IngestLimits) -> tuple[list[RawLine], str]:
    """Read the body of a DOCX in document order.

    Returns:
        The lines (all on page 1: Word files carry no reliable page breaks) and the
        dominant legacy encoding found (``unicode`` for modern files).

    Raises:
        ZipBombError: see :func:`check_zip`.
        CorruptFileError: the file is not a readable Word document.
    """
    check_zip(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, lxml errors, ValueError, ...
        raise CorruptFileError() from exc
    lines: list[RawLine] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            _add_paragraph(lines, Paragraph(child, document), None)
        elif child.tag == qn("w:tbl"):
            _add_table(lines, Table(child, document))
    encodings: dict[str, int] = {}
    for line in lines:
        for segment in line.segments:
            segment.text, kind = fix_legacy(segment.text)
            encodings[kind] = encodings.get(kind, 0) + 1
    legacy = {k: v for k, v in encodings.items() if k != "unicode"}
    encoding = max(legacy, key=lambda kind: legacy[kind]) if legacy else "unicode"
    return lines, encoding


def _tab_segments(raw: str, x0: float) -> list[Segment]:
    """Segments of a paragraph laid out with tabs, the way .doc clerks align two columns.

    "- Lưu: VT.<tab><tab><tab>Nguyễn Văn A" is the last Nơi nhận item and, in the right
    column, the signer: the text after a run of tabs starts in the right half of the page.
    """
    parts = [p for p in re.split(r"\t+", raw) if p.strip()]
    if not parts:
        return []
    segments = []
    leading = bool(re.match(r"^\s*\t", raw))
    for index, part in enumerate(parts):
        text = clean_text(part)
        start = x0 if index == 0 and not leading else max(x0, _RIGHT_X)
        segments.append(Segment(text, start, start + len(text) * 0.5))
    return segments


def _add_paragraph(lines: list[RawLine], paragraph: Paragraph, column: str | None) -> None:
    text = clean_text(paragraph.text)
    if not text:
        if lines:
            lines[-1].meta["gap_after"] = True
        return
    if is_rule(text):
        if lines:
            lines[-1].rule_after = True
        return
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold_chars = sum(len(r.text) for r in runs if r.bold)
    x0 = _RIGHT_X if column == "right" else 0.0
    for raw_part in paragraph.text.split("\n"):
        part = clean_text(raw_part)
        if not part:
            continue
        segments = [Segment(part, x0, x0 + len(part) * 0.5)]
        if "\t" in raw_part.strip(" ") and column is None:
            segments = _tab_segments(raw_part, x0) or segments
        line = RawLine(
            page=1,
            segments=segments,
            top=float(len(lines)),
            bold=bold_chars * 2 > sum(len(r.text) for r in runs),
            page_width=_WIDTH,
            column=column,
            gap_before=bool(lines and lines[-1].meta.get("gap_after")),
        )
        line.meta["centered"] = paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        lines.append(line)


def _add_table(lines: list[RawLine], table: Table) -> None:
    for row in table.rows:
        cells = _unique_cells(row.cells)
        if len(cells) == 2:
            # Header (cơ quan | quốc hiệu) and closing (nơi nhận | chữ ký) tables: read each
            # cell top to bottom instead of interleaving their lines.
            for cell, column in zip(cells, ("left", "right"), strict=True):
                for paragraph in cell.paragraphs:
                    _add_paragraph(lines, paragraph, column)
            continue
        segments = []
        for index, cell in enumerate(cells):
            text = clean_text(" ".join(p.text for p in cell.paragraphs))
            if text:
                x0 = index * _WIDTH / max(len(cells), 1)
                segments.append(Segment(text, x0, x0 + 1))
        if segments:
            line = RawLine(page=1, segments=segments, top=float(len(lines)), page_width=_WIDTH)
            line.meta["table"] = True
            lines.append(line)


def _unique_cells(cells):
    # Merged cells are repeated by python-docx; keep each underlying cell once.
    seen: list = []
    for cell in cells:
        if not any(cell._tc is other._tc for other in seen):
            seen.append(cell)
    return seen
