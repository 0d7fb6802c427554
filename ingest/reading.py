"""Put a document's lines in reading order and tag its zones.

The NĐ 30 header and the closing block (Nơi nhận | chữ ký) are two columns printed side by
side; extracted line by line they interleave. This module splits them into their columns,
finds the title, and joins the wrapped body lines into paragraphs that remember which page
and line each character came from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from dataclasses import field

from domain.doc_types import doc_type_by_name
from ingest.columns import is_left
from ingest.columns import split_closing
from ingest.columns import split_header
from ingest.layout import RawLine
from ingest.patterns import BODY_START
from ingest.patterns import DATE_LINE
from ingest.patterns import KINH_GUI
from ingest.patterns import LIST_MARK
from ingest.patterns import NOI_NHAN
from ingest.patterns import PARTY
from ingest.patterns import QUOC_HIEU
from ingest.patterns import SO_LINE
from ingest.patterns import TIEU_NGU
from ingest.patterns import VV_LINE

_HEADER_SCAN = 16  # the header never runs longer than this many lines
_TITLE_MAX = 5
_TYPE_NAMES = sorted(
    ["KẾ HOẠCH", "QUYẾT ĐỊNH", "THÔNG BÁO", "BÁO CÁO", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "TỜ TRÌNH",
     "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "BIÊN BẢN", "GIẤY MỜI", "PHƯƠNG ÁN",
     "ĐỀ ÁN", "DỰ ÁN", "THÔNG CÁO", "CÔNG ĐIỆN", "GIẤY GIỚI THIỆU", "HỢP ĐỒNG", "KẾT LUẬN",
     "CÔNG VĂN"],
    key=len, reverse=True,
)  # fmt: skip
_TYPE_LINE = re.compile(r"^\s*(?P<name>" + "|".join(_TYPE_NAMES) + r")\b\s*(?P<rest>.*)$")
# Digital-signature stamps of e-government PDFs ("Người ký: …", "Thời gian ký: …").
_STAMP = re.compile(
    r"^\s*(?:Người\s+ký|Ký\s+bởi|Thời\s+gian\s+ký|Signature\s+Not\s+Verified|Signed\s+by|"
    r"Email\s*:|Cơ\s+quan\s*:)",
    re.IGNORECASE,
)


@dataclass
class DocLine:
    """A line in reading order, numbered per page as shown on the review page."""

    page: int
    line: int
    text: str
    zone: str  # header | title | body | closing
    column: str | None = None
    bold: bool = False
    raw: RawLine | None = field(default=None, repr=False)

    def source(self) -> dict[str, int]:
        """Return ``{"page": …, "line": …}`` for this line."""
        return {"page": self.page, "line": self.line}


@dataclass
class Paragraph:
    """Body text joined across wrapped lines, with a map from offsets to source lines."""

    text: str
    starts: list[int]
    lines: list[DocLine]

    def source_at(self, offset: int) -> dict[str, int]:
        """Return the page/line of the character at ``offset``."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.lines[index].source()


@dataclass
class Document:
    """A document split into zones."""

    header_left: list[DocLine]
    header_right: list[DocLine]
    type_line: DocLine | None
    type_name: str | None
    title_lines: list[DocLine]
    title_rest: str
    body: list[DocLine]
    closing_left: list[DocLine]
    closing_right: list[DocLine]
    paragraphs: list[Paragraph]
    lines: list[DocLine]
    # The first line of a second document found after this one in the same file.
    second_document: DocLine | None = None


def build_document(raw: list[RawLine], mode: str) -> Document:
    """Split ``raw`` lines into zones and paragraphs.

    Args:
        raw: every line of the document in extraction order.
        mode: ``"pdf"`` (real geometry), ``"text"`` (columns of characters) or ``"docx"``.
    """
    raw = [r for r in raw if r.text.strip() and not _STAMP.match(r.text)]
    second = _second_document(raw)
    second_raw: list[RawLine] = []
    if second is not None:
        # Another document scanned or saved into the same file: reported, never merged.
        raw, second_raw = raw[:second], raw[second:]
    type_index, type_name, type_rest = _find_type_line(raw)
    header_end = _header_end(raw, type_index)
    left, right = split_header(raw[:header_end])
    title_raw: list[RawLine] = []
    body_start = header_end
    if type_index is not None:
        title_raw, body_start = _title(raw, type_index, type_rest, mode)
    closing_start = _closing_start(raw, body_start)
    closing_end = _appendix_start(raw, closing_start)
    # An appendix (Phụ lục, often the timeline) after the signature is body text again.
    body_raw = raw[body_start:closing_start] + raw[closing_end:]
    c_left, c_right = split_closing(raw[closing_start:closing_end])

    ordered: list[tuple[RawLine, str, str | None, str]] = []
    ordered += [(r, "header", "left", t) for r, t in left]
    ordered += [(r, "header", "right", t) for r, t in right]
    if type_index is not None:
        ordered.append((raw[type_index], "title", None, raw[type_index].text))
    ordered += [(r, "title", None, r.text) for r in title_raw]
    ordered += [(r, "body", None, r.text) for r in body_raw]
    ordered += [(r, "closing", "left", t) for r, t in c_left]
    ordered += [(r, "closing", "right", t) for r, t in c_right]
    ordered += [(r, "second", None, r.text) for r in second_raw]

    counters: dict[int, int] = {}
    lines: list[DocLine] = []
    # Number lines per page in the order they are read, keeping pages in order.
    ordered.sort(key=lambda item: item[0].page)
    for r, zone, column, text in ordered:
        counters[r.page] = counters.get(r.page, 0) + 1
        doc_line = DocLine(r.page, counters[r.page], text, zone, column, r.bold, r)
        lines.append(doc_line)

    def pick(zone: str, column: str | None = None) -> list[DocLine]:
        return [x for x in lines if x.zone == zone and (column is None or x.column == column)]

    type_line = None
    title_lines = pick("title")
    if type_index is not None and title_lines:
        type_line, title_lines = title_lines[0], title_lines[1:]
    body = pick("body")
    second_lines = pick("second")
    return Document(
        header_left=pick("header", "left"),
        header_right=pick("header", "right"),
        type_line=type_line,
        type_name=type_name,
        title_lines=title_lines,
        title_rest=type_rest,
        body=body,
        closing_left=pick("closing", "left"),
        closing_right=pick("closing", "right"),
        paragraphs=build_paragraphs(body, mode),
        lines=lines,
        second_document=second_lines[0] if second_lines else None,
    )


_SECOND_LOOKAHEAD = 8  # the Số line sits within this many lines of the Quốc hiệu


def _second_document(raw: list[RawLine]) -> int | None:
    """Index of the first line of a second document in the same file, if there is one.

    A document starts with the NĐ 30 header: the Quốc hiệu in capitals beside the issuer,
    and a "Số:" line within a few lines. A Quốc hiệu printed again after the first
    document's "Nơi nhận:" with its own Số line opens another document (a Quy định or an
    appendix attached to a Quyết định repeats no Số line, and stays part of it).
    """
    closed = False
    for index, line in enumerate(raw):
        if not closed:
            closed = any(NOI_NHAN.match(s.text) for s in line.segments)
            continue
        match = QUOC_HIEU.search(line.text)
        if not match or not match.group(0).isupper():
            continue
        near = raw[max(0, index - 2) : index + _SECOND_LOOKAHEAD]
        if any(SO_LINE.match(s.text) for x in near for s in x.segments):
            start = index
            while (
                start - 1 >= 0
                and raw[start - 1].page == line.page
                and line.top - raw[start - 1].top <= 2.5 * (line.size or 1.0)
                and not any(NOI_NHAN.match(s.text) for s in raw[start - 1].segments)
                and not _LUU_ITEM.match(raw[start - 1].segments[0].text)
            ):
                start -= 1  # the issuer printed a row above the Quốc hiệu
            return start
    return None


def _find_type_line(raw: list[RawLine]) -> tuple[int | None, str | None, str]:
    for index, line in enumerate(raw[: _HEADER_SCAN + 2]):
        if line.page != raw[0].page:
            break
        # "_ BÁO CÁO": a speck or a rule's end read on the same row before the type name.
        match = _TYPE_LINE.match(re.sub(r"^(?:[^\w\s]|_)+\s*", "", line.text))
        if not match:
            continue
        rest = match.group("rest").strip()
        # "KẾ HOẠCH" alone, or followed by the trích yếu in normal case on the same line.
        if rest and (rest.isupper() and len(rest) > 3 and not rest.startswith("SỐ")):
            # A fully upper-case line that merely starts with a type word ("BÁO CÁO VIÊN")
            # is still a title line when it is short.
            if len(rest) > 60:
                continue
        if rest[:1].islower():
            continue
        if doc_type_by_name(match.group("name")) is None and match.group("name") not in (
            "KẾT LUẬN",
            "CÔNG VĂN",
        ):
            continue
        return index, match.group("name"), rest
    return None, None, ""


def _is_header_line(text: str) -> bool:
    return bool(
        SO_LINE.match(text)
        or QUOC_HIEU.search(text)
        or TIEU_NGU.search(text)
        or PARTY.search(text)
        or DATE_LINE.search(text)
        or VV_LINE.match(text)
    )


def _header_end(raw: list[RawLine], type_index: int | None) -> int:
    if type_index is not None:
        return type_index
    last = -1
    for index, line in enumerate(raw[:_HEADER_SCAN]):
        if line.page != raw[0].page or KINH_GUI.match(line.text):
            break
        if _is_header_line(line.text):
            last = index
        elif last >= 0 and BODY_START.match(line.text):
            break
    if last < 0:
        return 0
    end = last + 1
    # Công văn: the V/v trích yếu may wrap below the Số line in the left column.
    while end < len(raw) and end < _HEADER_SCAN and not BODY_START.match(raw[end].text):
        if KINH_GUI.match(raw[end].text) or raw[end].gap_before:
            break
        if not is_left(raw[end], raw[end].segments[0]):
            break
        end += 1
    return end


def _margins(lines: list[RawLine]) -> tuple[float, float]:
    if not lines:
        return 0.0, 0.0
    xs0 = sorted(line.x0 for line in lines)
    xs1 = sorted(line.x1 for line in lines)
    return xs0[len(xs0) // 10], xs1[-1 - len(xs1) // 10]


def _centered(line: RawLine, left: float, right: float) -> bool:
    if line.meta.get("centered") is not None:
        return bool(line.meta["centered"])
    width = max(right - left, 1.0)
    # Body lines start exactly at the margin (or at a first-line indent with the right edge
    # on the margin); a centred line has equal white space on both sides.
    return abs((line.x0 - left) - (right - line.x1)) < width * 0.05 and line.x0 - left > max(
        3.0, width * 0.005
    )


def _title(raw: list[RawLine], type_index: int, rest: str, mode: str) -> tuple[list[RawLine], int]:
    """Return the trích yếu lines after the type line and the index where the body starts."""
    title: list[RawLine] = []
    index = type_index + 1
    page_lines = [r for r in raw if r.page == raw[type_index].page]
    left, right = _margins(page_lines)
    if raw[type_index].rule_after and rest:
        return title, index
    while index < len(raw) and len(title) < _TITLE_MAX:
        line = raw[index]
        text = line.text
        opens_body = bool(BODY_START.match(text)) or bool(NOI_NHAN.match(text))
        if opens_body and (title or rest or not _first_title_line(text)):
            break
        if (title or rest) and line.gap_before and mode != "pdf":
            break
        if mode == "pdf" and not _centered(line, left, right) and (title or rest):
            # Centred under the type name even when the page's margins are unclear (a scan
            # with stamps and captions in its margins).
            anchor = raw[type_index]
            middle = (anchor.x0 + anchor.x1) / 2
            off_centre = abs((line.x0 + line.x1) / 2 - middle)
            full_width = line.x1 - line.x0 > 0.8 * max(right - left, 1.0)
            if full_width or off_centre > max(12.0, (anchor.page_width or 595) * 0.03):
                break
        if (title or rest) and line.text.lstrip().startswith("("):
            break  # "(Ban hành kèm theo Quyết định số …)" under the trích yếu
        if not title and not rest and VV_LINE.match(text):
            title.append(line)  # "TỜ TRÌNH" / "V/v …": the trích yếu whatever its weight
            index += 1
            continue
        if mode == "pdf" and not line.meta.get("ocr") and raw[type_index].bold and not line.bold:
            break
        if mode == "docx" and line.meta.get("centered") is False and title:
            break
        if mode == "text" and len(text) > 160:
            break
        if title and _all_caps(text) and not _all_caps(title[-1].text):
            break  # "HIỆU TRƯỞNG TRƯỜNG …" under a Quyết định's trích yếu
        if (title or rest) and _AUTHORITY_LINE.match(text) and _all_caps(text):
            break  # "THỦ TƯỚNG CHÍNH PHỦ" / "ỦY BAN NHÂN DÂN TỈNH …" before "QUYẾT ĐỊNH:"
        title.append(line)
        index += 1
        if line.rule_after:
            break
    return title, index


# The authority that enacts a Quyết định or Nghị quyết, printed centred under its trích yếu.
_AUTHORITY_LINE = re.compile(
    r"^\s*(?:THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|CHỦ\s+TỊCH|GIÁM\s+ĐỐC|HIỆU\s+TRƯỞNG|CỤC\s+TRƯỞNG|"
    r"VỤ\s+TRƯỞNG|TỔNG\s+CỤC\s+TRƯỞNG|TRƯỞNG\s+(?:PHÒNG|BAN)|[ỦU][YỶ]\s+BAN\s+NHÂN\s+DÂN|"
    r"HỘI\s+ĐỒNG\s+NHÂN\s+DÂN|BAN\s+(?:CHẤP\s+HÀNH|THƯỜNG\s+VỤ))\b"
)
_CITES = re.compile(r"\bsố\s*\d+\s*/|\d+/\d{4}/|\d+/[A-ZĐ]")


def _first_title_line(text: str) -> bool:
    """Return True when a line right under the type name is a trích yếu, not the body.

    Trích yếu often start with "Thực hiện …" too; a body line cites a numbered document or
    opens with Căn cứ / Kính gửi.
    """
    if re.match(r"^\s*(?:Căn\s+cứ|Kính\s+gửi|[-+•])", text, re.IGNORECASE):
        return False
    return not _CITES.search(text)


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


# What follows the signature block and is not part of it: an appendix, the Quy định a
# Quyết định issues, a list attached, or a second document scanned into the same file.
_APPENDIX = re.compile(
    r"^\s*(?:PHỤ\s+LỤC|Phụ\s+lục\s+[IVX\d]|\((?:Kèm|Ban\s+hành\s+kèm)\s+theo|"
    r"(?:QUY\s+ĐỊNH|QUY\s+CHẾ|ĐIỀU\s+LỆ|DANH\s+SÁCH|DANH\s+MỤC|HƯỚNG\s+DẪN|KẾ\s+HOẠCH|"
    r"CHƯƠNG\s+TRÌNH|BẢNG\s+\S+)(?:\s+[A-ZĐÀ-Ỹ0-9,\-–]+)*\s*$|Chương\s+[IVX]+\b|"
    r"FILE\s+ĐƯỢC\s+ĐÍNH\s+KÈM|C[ỘO]NG\s+H[ÒOÓ][AÀÁ]\s+X[ÃA]\s+H[ỘO]I)"
)


def _appendix_start(raw: list[RawLine], closing_start: int) -> int:
    for index in range(closing_start + 1, len(raw)):
        if _APPENDIX.match(raw[index].segments[0].text):
            return index
    return len(raw)


_LUU_ITEM = re.compile(r"^\s*[-–]\s*Lưu\s*[:.]?\s*\S", re.IGNORECASE)


def _closing_start(raw: list[RawLine], body_start: int) -> int:
    for index in range(len(raw) - 1, body_start - 1, -1):
        line = raw[index]
        if NOI_NHAN.match(line.segments[0].text) or NOI_NHAN.match(line.text):
            return index
    # No "Nơi nhận:" label (lost under a stamp on a scan): the list that ends with the file
    # copy "- Lưu: VT, …" is the block; it starts at its first short dashed item.
    for index in range(len(raw) - 1, max(body_start, len(raw) - 80) - 1, -1):
        if _LUU_ITEM.match(raw[index].segments[0].text) and raw[index].meta.get("ocr"):
            start = index
            while start - 1 > body_start:
                text = raw[start - 1].segments[0].text
                if not re.match(r"^\s*[-–+•]", text) or len(text) > 70:
                    break
                start -= 1
            above = raw[start - 1] if start - 1 > body_start else None
            if above is not None and _label_row(above):
                start -= 1  # the row of the lost label, with the signature's first line
            return start
    return len(raw)


def _label_row(line: RawLine) -> bool:
    """An OCR'd row with a short piece on the left and one past the middle of the page: the
    "Nơi nhận:" row, its label misread, beside the signature's first line."""
    width = line.page_width or 0.0
    segments = line.segments
    return bool(
        line.meta.get("ocr")
        and width
        and len(segments) >= 2
        and segments[0].x1 < width * 0.45
        and segments[-1].x0 > width * 0.5
    )


def _hard_wrapped(lines: list[DocLine]) -> bool:
    lengths = [len(x.text) for x in lines]
    if len(lengths) < 5:
        return False
    longest = max(lengths)
    if longest > 110:
        return False
    near = sum(1 for n in lengths if n > longest * 0.8)
    return near > len(lengths) * 0.4


def build_paragraphs(body: list[DocLine], mode: str) -> list[Paragraph]:
    """Join wrapped body lines into paragraphs.

    A new paragraph starts at a list marker or heading, after a gap, at a first-line
    indent, or after a line that stops well short of the right margin.
    """
    if not body:
        return []
    raws = [x.raw for x in body if x.raw is not None]
    left, right = _margins(raws)
    wrapped = mode == "pdf" or (mode == "text" and _hard_wrapped(body))
    paragraphs: list[Paragraph] = []
    current: list[DocLine] = []

    def flush() -> None:
        if not current:
            return
        text = ""
        starts: list[int] = []
        for doc_line in current:
            piece = doc_line.text.strip()
            if text:
                glue = "" if re.search(r"\S-$", text) and piece[:1].isdigit() else " "
                text += glue
            starts.append(len(text))
            text += piece
        paragraphs.append(Paragraph(text, starts, list(current)))
        current.clear()

    previous: DocLine | None = None
    for doc_line in body:
        raw = doc_line.raw
        new = True
        if wrapped and previous is not None and raw is not None and previous.raw is not None:
            size = (raw.size or 12.0) if mode == "pdf" else 1.0
            indent = raw.x0 > left + (size * 0.8 if mode == "pdf" else 2)
            short = previous.raw.x1 < right - (size * 3 if mode == "pdf" else 12)
            marker = bool(LIST_MARK.match(doc_line.text) or BODY_START.match(doc_line.text))
            # "- 03/02/2025)" wrapped from "(03/02/1930": a dash at the start of a line only
            # opens an item when the line above ended a sentence or a clause.
            if marker and not re.search(r"[.;:!?…]\W*$", previous.text):
                marker = False
            if raw.page != previous.page:
                # The gap at the top of a new page is not a paragraph break.
                new = indent or short or marker
            else:
                new = indent or short or raw.gap_before or marker
        if new:
            flush()
        current.append(doc_line)
        previous = doc_line
    flush()
    return paragraphs
