"""Find the end part: Nơi nhận, signature blocks, and the body of a Giấy khen."""

from __future__ import annotations

import re

from domain.check.located import Located
from domain.check.located import SignatureLines
from domain.check.located import is_date_line
from domain.check.located import is_rule_line
from domain.check.located import is_upper_text
from domain.check.model import Line
from domain.layout import CERTIFICATE_MARKER
from domain.text import fold

_HINT = re.compile(r"^\(.*\)$")


def locate_end(found: Located, lines: list[Line]) -> int:
    """Find Nơi nhận and the signature blocks; return where the end part starts."""
    label_at = None
    for index in range(len(lines) - 1, -1, -1):
        if fold(lines[index].text).startswith("noi nhan"):
            label_at = index
            break
    tail = len(lines)
    if label_at is not None:
        label = found.recipients_label = lines[label_at]
        tail = label_at
        for line in lines[label_at + 1 :]:
            same_cell = (line.para.table, line.para.row, line.para.col) == (
                label.para.table,
                label.para.row,
                label.para.col,
            )
            if label.para.table is not None and not same_cell:
                continue
            if label.para.table is None and not _is_item(line):
                break
            found.recipient_items.append(line)
        if label.para.table is not None:
            cells = _cells(lines, label.para.table, label.para.row)
            for col, cell in sorted(cells.items()):
                if col != label.para.col:
                    _add_signature(found, cell)
            tail = min(tail, _first_index(lines, label.para.table))
    if not found.signatures:
        tail = min(tail, _signature_table(found, lines))
    if not found.signatures:
        tail = min(tail, _signature_paragraphs(found, lines, tail))
    return tail


def _is_item(line: Line) -> bool:
    text = line.text.lstrip()
    return (
        text.startswith(("-", "–", "+", "•"))
        or fold(text).startswith("luu")
        or bool(line.para.props.num_id)
    )


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
