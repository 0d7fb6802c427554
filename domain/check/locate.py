"""Find the components of Phụ lục I in an arbitrary .docx, heuristically.

The usual layout is a borderless two-column table for the header (left: chủ quản, cơ quan
ban hành, Số; right: Quốc hiệu, Tiêu ngữ, date) and another for the end (left: Nơi nhận;
right: signature), but plain paragraphs with tabs are accepted too. Elements are found
by their wording first and by their position second, so that a badly formatted element
is still found and reported rather than silently missed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.check.locate_end import locate_certificate
from domain.check.locate_end import locate_end
from domain.check.located import Located
from domain.check.located import all_bold
from domain.check.located import is_date_line
from domain.check.located import is_rule_line
from domain.check.located import is_upper_text
from domain.check.model import Document
from domain.check.model import Line
from domain.check.model import Paragraph
from domain.doc_types import DOC_TYPES
from domain.doc_types import DocType
from domain.doc_types import doc_type_by_name
from domain.layout import CERTIFICATE_MARKER
from domain.text import fold

_NUMBER = re.compile(r"^\s*s[oố]\b", re.IGNORECASE)
_TITLE_STOP = ("can cu", "kinh gui", "thuc hien", "xet de nghi", "theo de nghi", "(kem theo")
_HEADING = re.compile(r"^([IVXLC]+|\d+|[a-zđ])[.)]\s")
REPORT_MARKER = "bao cao thanh tich"
ANNEX_MARKER = "(kem theo"


def _is_certificate_title(line: Line) -> bool:
    """A "GIẤY KHEN" title line, not a cell of a list that names the form (a Quyết định's
    annex lists "Giấy khen" in its table; a certificate framed by a one-cell table keeps
    its title in the first cell)."""
    para = line.para
    if para.table is not None and (para.row or para.col):
        return False
    return fold(line.text) == fold(CERTIFICATE_MARKER)


def locate(doc: Document) -> Located:
    """Find every component the rules check."""
    lines = [line for line in doc.lines() if line.para.part == "body"]
    found = Located()
    if any(_is_certificate_title(line) for line in lines[:60]):
        found.profile = "certificate"
    qh_index = _find(lines, lambda t: "cong hoa" in t and "viet nam" in t, limit=80)
    left, right, header_end = _split_header(lines, qh_index)
    if qh_index is not None:
        found.national_title = lines[qh_index]
    _classify_right(found, right)
    if found.profile == "certificate":
        locate_certificate(found, lines)
        return found
    _classify_left(found, left)
    after = lines[header_end + 1 :]
    if any(fold(x.text).startswith(REPORT_MARKER) for x in after[:8]):
        found.profile = "report"
    title_end = _locate_title(found, after, doc.paragraphs)
    if title_end < len(after) and fold(after[title_end].text).startswith(ANNEX_MARKER):
        found.annex_reference = after[title_end]
        title_end += 1
        if found.profile == "document" and found.number is None:
            found.profile = "annex"
    boxes = [line for line in doc.lines() if line.para.part == "textbox"]
    tail_start = locate_end(found, lines, boxes)
    _locate_kinh_gui(found, lines[header_end + 1 : tail_start])
    body_start = header_end + 1 + title_end
    taken = {id(x) for x in found.kinh_gui}
    found.body = [x for x in lines[body_start:tail_start] if id(x) not in taken]
    _resolve_type(found)
    return found


def _find(
    lines: list[Line], test: Callable[[str], bool], start: int = 0, limit: int | None = None
) -> int | None:
    end = len(lines) if limit is None else min(len(lines), start + limit)
    for index in range(start, end):
        if test(fold(lines[index].text)):
            return index
    return None


def _split_header(lines: list[Line], qh_index: int | None) -> tuple[list[Line], list[Line], int]:
    """Return (left block, right block, index of the last header line)."""
    if qh_index is None:
        return _header_without_title(lines)
    qh = lines[qh_index]
    if qh.para.table is not None:
        table, col = qh.para.table, qh.para.col or 0
        in_table = [i for i, x in enumerate(lines) if x.para.table == table]
        right = [lines[i] for i in in_table if lines[i].para.col == col]
        left = [lines[i] for i in in_table if (lines[i].para.col or 0) < col]
        if not left:
            left = [x for x in lines[: in_table[0]] if x.para.table is None]
        return left, right, in_table[-1]
    end = qh_index
    for index in range(qh_index, min(len(lines), qh_index + 14)):
        text = lines[index].text
        if is_date_line(text) or _NUMBER.match(text) or "hanh phuc" in fold(text):
            end = index
    while end + 1 < len(lines) and fold(lines[end + 1].text).startswith("v/v"):
        end += 1
    left = []
    right = []
    for line in lines[: end + 1]:
        if line.segments > 1:
            (left if line.segment == 0 else right).append(line)
        elif _right_side(line.text) or (right and is_rule_line(line.text) and not left):
            right.append(line)
        else:
            left.append(line)
    return left, right, end


def _right_side(text: str) -> bool:
    key = fold(text)
    return ("cong hoa" in key and "viet nam" in key) or "hanh phuc" in key or is_date_line(text)


def _header_without_title(lines: list[Line]) -> tuple[list[Line], list[Line], int]:
    if lines and lines[0].para.table is not None:
        table = lines[0].para.table
        in_table = [i for i, x in enumerate(lines) if x.para.table == table]
        left = [lines[i] for i in in_table if (lines[i].para.col or 0) == 0]
        right = [lines[i] for i in in_table if (lines[i].para.col or 0) > 0]
        return left, right, in_table[-1]
    end = _find(lines, lambda t: t.startswith("so") and ":" in t, limit=10)
    return (lines[: end + 1], [], end) if end is not None else ([], [], -1)


def _classify_right(found: Located, right: list[Line]) -> None:
    start = 0
    if found.national_title in right:
        start = right.index(found.national_title) + 1
    for line in right[start:]:
        key = fold(line.text)
        if found.motto is None and ("doc lap" in key or "hanh phuc" in key or "tu do" in key):
            found.motto = line
        elif found.place_date is None and is_date_line(line.text):
            found.place_date = line


def _classify_left(found: Located, left: list[Line]) -> None:
    texts = [x for x in left if not is_rule_line(x.text)]
    number_at = next((i for i, x in enumerate(texts) if _NUMBER.match(x.text)), None)
    org = texts if number_at is None else texts[:number_at]
    if number_at is not None:
        found.number = texts[number_at]
        rest = texts[number_at + 1 :]
        start = next((i for i, x in enumerate(rest) if fold(x.text).startswith("v/v")), None)
        if start is not None:
            found.cv_summary = rest[start:]
    if not org:
        return
    first_bold = next((i for i, x in enumerate(org) if all_bold(x)), None)
    if first_bold is None:
        found.parent, found.issuer = org[:-1], org[-1:]
    else:
        found.parent, found.issuer = org[:first_bold], org[first_bold:]


def _locate_title(found: Located, after: list[Line], paragraphs: list[Paragraph]) -> int:
    """Find the type line and trích yếu; return how many lines of ``after`` they use."""
    index = 0
    while index < len(after) and is_rule_line(after[index].text):
        index += 1
    if index >= len(after) or after[index].para.table is not None:
        return 0
    candidate = after[index]
    key = fold(candidate.text)
    doc_type = doc_type_by_name(candidate.text) or _type_prefix(candidate.text)
    looks_like_title = (
        is_upper_text(candidate.text) and len(candidate.text) <= 60 and not key.startswith("kinh")
    )
    if doc_type is None and not looks_like_title:
        return 0
    found.type_line, found.doc_type = candidate, doc_type
    index += 1
    previous = candidate
    while index < len(after) and len(found.summary) < 4:
        line = after[index]
        key = fold(line.text)
        if (
            is_rule_line(line.text)
            or line.para.table is not None
            or key.startswith(_TITLE_STOP)
            or _HEADING.match(line.text)
            or is_date_line(line.text)
            or _rule_between(paragraphs, previous, line)
        ):
            break
        centred = line.para.props.jc == "center" or all_bold(line)
        if (found.summary or found.title_extra) and not centred:
            break
        if not found.summary and not centred and len(line.text) > 120:
            break  # a first body paragraph, not a trích yếu
        if found.profile == "report" and not found.summary and is_upper_text(line.text):
            found.title_extra.append(line)  # "ĐỀ NGHỊ TẶNG …" continues the title
        else:
            found.summary.append(line)
        previous = line
        index += 1
    while index < len(after) and is_rule_line(after[index].text):
        index += 1
    return index


def _rule_between(paragraphs: list[Paragraph], previous: Line, line: Line) -> bool:
    """Tell whether a drawn rule or bottom border separates two lines of the title."""
    if previous.para is line.para:
        return False
    if previous.para.props.border_bottom:
        return True
    start, end = previous.para.index, line.para.index
    return any(p.has_drawing for p in paragraphs[start + 1 : end] if not p.text)


def _type_prefix(text: str) -> DocType | None:
    upper = " ".join(text.split())
    for doc_type in DOC_TYPES.values():
        if doc_type.name and upper.startswith(doc_type.name + " "):
            return doc_type
    return None


def _resolve_type(found: Located) -> None:
    if found.doc_type is not None:
        return
    if found.type_line is None and (found.cv_summary or found.kinh_gui):
        found.doc_type = DOC_TYPES["CV"]


def _locate_kinh_gui(found: Located, lines: list[Line]) -> None:
    start = _find(lines, lambda t: t.startswith("kinh gui"))
    if start is None:
        return
    label = lines[start]
    found.kinh_gui = [label]
    if label.text.split(":", 1)[-1].strip() and ":" in label.text:
        return
    for line in lines[start + 1 :]:
        if not line.text.lstrip().startswith(("-", "–", "+", "•")):
            break
        found.kinh_gui.append(line)
