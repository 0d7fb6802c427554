"""Find the end part: Nơi nhận, signature blocks, and the body of a Giấy khen."""

from __future__ import annotations

import re

from domain.check.located import Located
from domain.check.located import SignatureLines
from domain.check.located import is_date_line
from domain.check.located import is_rule_line
from domain.check.located import is_upper_text
from domain.check.model import Line
from domain.check.model import Span
from domain.layout import CERTIFICATE_MARKER
from domain.text import fold

_HINT = re.compile(r"^\(.*\)$")
_DRAFTER = re.compile(r"^[\w.()/\-&,+ ]+$")
_DRAFTER_MAX = 32
_SIGNATURE_MAX = 8  # lines of a signature block, name included


def locate_end(found: Located, lines: list[Line], boxes: list[Line] | None = None) -> int:
    """Find Nơi nhận, the drafter's mark and the signature blocks; return where the end
    part starts in ``lines``.

    Layouts read: a borderless table (Nơi nhận left, signature right); paragraphs with tab
    stops (``"Nơi nhận:<tab>HIỆU TRƯỞNG"``, ``"- Lưu: VT.<tab>"``, ``"<tab>Lê Văn An"``);
    the signature typed as paragraphs above the Nơi nhận, or centred/indented below it;
    either part in a text box.
    """
    tail = len(lines)
    label_at = _label_index(lines)
    if label_at is not None:
        tail = _read_end(found, lines, label_at)
    elif boxes:
        box_label = _label_index(boxes)
        if box_label is not None:
            _read_end(found, boxes, box_label)
            found.guessed.update({"recipients_label", "recipient_item"})
    if not found.signatures:
        tail = min(tail, _signature_table(found, lines))
    if not found.signatures:
        tail = min(tail, _signature_paragraphs(found, lines, tail))
    if not found.signatures and boxes:
        _signature_paragraphs(found, boxes, len(boxes))
        if found.signatures:
            found.guessed.update({"signature_authority", "signer_name"})
    return tail


def _label_index(lines: list[Line]) -> int | None:
    for index in range(len(lines) - 1, -1, -1):
        if fold(lines[index].text).startswith("noi nhan"):
            return index
    return None


def _read_end(found: Located, lines: list[Line], label_at: int) -> int:
    """Read the Nơi nhận block starting at ``label_at``; return where the end part starts."""
    label = found.recipients_label = lines[label_at]
    in_table = label.para.table is not None
    right: list[Line] = []
    archived = False
    for line in lines[label_at + 1 :]:
        if in_table:
            # Items may go on one per row below the label's (a Nơi nhận free to break
            # across pages): the rest of the label's column counts as its cell.
            column = (line.para.table, line.para.col) == (label.para.table, label.para.col)
            if not column or (line.para.row or 0) < (label.para.row or 0):
                continue
        elif line.para.table is not None:
            break
        if archived and is_drafter_mark(line):
            found.drafter_mark = line
            continue
        items = found.recipient_items
        if items and line.column > 0 and _bare_bullet(items[-1], line):
            # "-<tab>Sở Giáo dục và Đào tạo;": the tab follows the dash, the text is the item.
            spans = [*items[-1].spans, Span(" ", line.spans[0].props), *line.spans]
            items[-1] = Line(line.para, spans, 0, 1, 0, line.visual)
            continue
        if not in_table and _placed_right(line) and not _is_item(line):
            right.append(line)
            continue
        if in_table or _is_item(line):
            if found.drafter_mark is not None:
                break  # nothing of the list comes after the drafter's mark
            found.recipient_items.append(line)
            archived = archived or fold(_strip_bullet(line.text)).startswith("luu")
            continue
        break
    if _looks_like_signature(right):
        _add_signature(found, right)
        found.guessed.update({"signature_authority", "signer_name"})
    table = label.para.table
    if table is None:
        return label_at
    cells = _cells(lines, table, label.para.row)
    for col, cell in sorted(cells.items()):
        if col != label.para.col:
            _add_signature(found, cell)
    return min(label_at, _first_index(lines, table))


def _is_item(line: Line) -> bool:
    text = line.text.lstrip()
    return (
        text.startswith(("-", "–", "+", "•"))
        or fold(text).startswith("luu")
        or bool(line.para.props.num_id)
    )


def _cell(line: Line) -> tuple[int | None, int | None, int | None]:
    return (line.para.table, line.para.row, line.para.col)


def _placed_right(line: Line) -> bool:
    """Tell whether a line stands in the right-hand column of an end block laid out without
    a table: after a tab, or in a centred, right-aligned or far-indented paragraph."""
    if line.column > 0:
        return True
    props = line.para.props
    if line.segments == 1 and props.jc in ("center", "right"):
        return True
    box = line.para.box_twips
    left = props.left_twips or 0
    if not box:
        return False
    return left >= box / 3


def _looks_like_signature(lines: list[Line]) -> bool:
    """Tell whether right-hand lines read as a signature block. Lines set at a tab stop
    beside the Nơi nhận are one (its defects are then reported); centred or indented
    paragraphs after the list must read as one: upper-case authority lines, then at most
    the signer's name (an annex's centred titles after the Nơi nhận do not)."""
    texts = [x for x in lines if not _HINT.match(x.text) and not is_rule_line(x.text)]
    if not texts or len(texts) > _SIGNATURE_MAX:
        return False
    if all(x.column > 0 for x in texts):
        return True
    return is_upper_text(texts[0].text) and all(is_upper_text(x.text) for x in texts[:-1])


def _bare_bullet(item: Line, line: Line) -> bool:
    """Tell whether ``item`` is a lone dash on the visual row that ``line`` continues."""
    same_row = item.para is line.para and item.visual == line.visual
    return same_row and item.text in ("-", "–", "+", "•")


def _strip_bullet(text: str) -> str:
    return text.lstrip().lstrip("-–+•").strip()


def is_drafter_mark(line: Line) -> bool:
    """Tell whether ``line`` is the drafter's mark and number of copies (Phụ lục I, ô 12),
    e.g. ``"PL.(300)"``, ``"Sonnk/QĐ06.T9/50b"``: a short code with no leading dash, made
    of letters, digits, dots, slashes and brackets, that is not a recipient."""
    text = line.text
    if not text or len(text) > _DRAFTER_MAX or text[0] in "-–+•" or text.endswith(";"):
        return False
    if text.count(" ") > 1 or not _DRAFTER.match(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and any(ch in "./()" or ch.isdigit() for ch in text)


def _cells(lines: list[Line], table: int, row: int | None) -> dict[int, list[Line]]:
    cells: dict[int, list[Line]] = {}
    for line in lines:
        if line.para.table == table and line.para.row == row:
            cells.setdefault(line.para.col or 0, []).append(line)
    return cells


def _first_index(lines: list[Line], table: int) -> int:
    return next(i for i, x in enumerate(lines) if x.para.table == table)


def _signature_table(found: Located, lines: list[Line]) -> int:
    """Use the last table whose cells all start with an upper-case line (e.g. Biên bản)."""
    tables = sorted({x.para.table for x in lines if x.para.table is not None})
    header_table = found.national_title.para.table if found.national_title else None
    for table in reversed(tables):
        if table == header_table:
            continue
        rows = sorted({x.para.row or 0 for x in lines if x.para.table == table})
        for row in rows:
            cells = _cells(lines, table, row)
            if 1 < len(cells) <= 3 and all(
                is_upper_text(c[0].text) and len(c) <= 8 for c in cells.values()
            ):
                for _, cell in sorted(cells.items()):
                    _add_signature(found, cell)
                return _first_index(lines, table)
        break  # only the last table can hold the signatures
    return len(lines)


def _signature_paragraphs(found: Located, lines: list[Line], tail: int) -> int:
    """Read a signature typed as plain paragraphs just before the end part."""
    index = tail - 1
    block: list[Line] = []
    while index >= 0 and lines[index].para.table is None and len(block) < 8:
        line = lines[index]
        if line.text.endswith("./.") or (len(line.text) > 80 and not is_upper_text(line.text)):
            break
        block.insert(0, line)
        index -= 1
    if not any(is_upper_text(x.text) for x in block):
        return tail
    first_upper = next(i for i, x in enumerate(block) if is_upper_text(x.text))
    block = block[first_upper:]
    _add_signature(found, block)
    return tail - len(block)


def _add_signature(found: Located, cell: list[Line]) -> None:
    texts = [x for x in cell if not _HINT.match(x.text) and not is_rule_line(x.text)]
    if not texts:
        return
    name = None
    if len(texts) > 1 and not is_upper_text(texts[-1].text):
        name = texts[-1]
        texts = texts[:-1]
    paragraphs = list({id(x.para): x.para for x in cell}.values())
    found.signatures.append(SignatureLines(texts, name, paragraphs))


def locate_certificate(found: Located, lines: list[Line]) -> None:
    start = lines.index(found.motto) + 1 if found.motto in lines else 0
    for index in range(start, len(lines)):
        line = lines[index]
        key = fold(line.text)
        if key == fold(CERTIFICATE_MARKER) and found.certificate_title is None:
            found.certificate_title = line
        elif key in ("tang", "tang danh hieu") and found.certificate_tang is None:
            found.certificate_tang = line
        elif not found.signatures and is_date_line(line.text):
            found.place_date = line
            _certificate_signature(found, lines[index + 1 :], line)
        elif (
            found.certificate_tang is None
            and is_upper_text(line.text)
            and not is_rule_line(line.text)
            and key != fold(CERTIFICATE_MARKER)
        ):
            found.certificate_awarder.append(line)


def _certificate_signature(found: Located, rest: list[Line], date_line: Line) -> None:
    cell = (date_line.para.table, date_line.para.row, date_line.para.col)
    if date_line.para.table is not None:
        block = [x for x in rest if (x.para.table, x.para.row, x.para.col) == cell]
    else:
        block = rest[:8]
    _add_signature(found, block)
