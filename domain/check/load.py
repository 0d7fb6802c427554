"""Read WordprocessingML parts into the checker's model (:mod:`domain.check.model`).

Runs get their effective formatting through :class:`~domain.check.styles.StyleSheet`;
complex fields (``fldChar``/``instrText``) and simple fields are followed to find the
PAGE field of page numbers; text boxes are read as separate paragraphs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from domain.check.drawings import read_drawing
from domain.check.drawings import read_vml
from domain.check.model import Document
from domain.check.model import HeaderRef
from domain.check.model import Paragraph
from domain.check.model import Section
from domain.check.model import Span
from domain.check.package import NS
from domain.check.package import DocxPackage
from domain.check.package import R
from domain.check.package import W
from domain.check.styles import RunProps
from domain.check.styles import StyleSheet
from domain.check.styles import parse_para
from domain.check.styles import twips
from domain.text import nfc

MC = "{" + NS["mc"] + "}"
_DRAWING_TAGS = {f"{W}drawing", f"{W}pict", f"{W}object"}
_SKIP_TAGS = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}rPr", f"{W}pPr"}
_PAGE_FIELD = re.compile(r"^\s*PAGE(\s|$|\\)")
_DEFAULT_CELL_MARGIN = 108  # twips: Word's left/right cell padding when none is given


class _Reader:
    def __init__(self, sheet: StyleSheet) -> None:
        self.sheet = sheet
        self.page_breaks = 0
        self.rendered_breaks = 0
        self.section = 0

    def blocks(
        self,
        container: ET.Element,
        part: str,
        out: list[Paragraph],
        table: tuple[int, int, int] | None,
        table_style: str | None,
        counter: list[int],
        box: int | None = None,
    ) -> None:
        for child in container:
            if child.tag == f"{W}p":
                self.paragraph(child, part, out, table, table_style, box)
            elif child.tag == f"{W}tbl":
                style = child.find(f"{W}tblPr/{W}tblStyle")
                style_id = style.get(f"{W}val") if style is not None else table_style
                if table is None:
                    number = counter[0]
                    counter[0] += 1
                geometry = _TableGeometry(child, box)
                for r, row in enumerate(child.findall(f"{W}tr")):
                    cells = [c for c in row if c.tag in (f"{W}tc", f"{W}sdt")]
                    column = 0
                    for c, cell in enumerate(cells):
                        cell = cell if cell.tag == f"{W}tc" else _sdt_cell(cell)
                        where = table if table is not None else (number, r, c)
                        width, column = geometry.cell_width(cell, column)
                        self.blocks(cell, part, out, where, style_id, counter, width)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                self.blocks(child, part, out, table, table_style, counter, box)

    def paragraph(
        self,
        node: ET.Element,
        part: str,
        out: list[Paragraph],
        table: tuple[int, int, int] | None,
        table_style: str | None,
        box: int | None = None,
    ) -> None:
        ppr = node.find(f"{W}pPr")
        pstyle = ppr.find(f"{W}pStyle") if ppr is not None else None
        style_id = self.sheet.paragraph_style(pstyle.get(f"{W}val") if pstyle is not None else None)
        base_run = self.sheet.style_run(style_id).over(
            self.sheet.style_run(table_style).over(self.sheet.default_run)
        )
        props = parse_para(ppr).over(
            self.sheet.style_para(style_id).over(
                self.sheet.style_para(table_style).over(self.sheet.default_para)
            )
        )
        para = Paragraph(
            index=len(out),
            part=part,
            table=table[0] if table else None,
            row=table[1] if table else None,
            col=table[2] if table else None,
            props=props,
            box_twips=box,
            section=self.section,
        )
        out.append(para)
        if part == "body" and props.page_break_before:
            self.page_breaks += 1
        boxes: list[ET.Element] = []
        state = _FieldState()
        self._walk(node, para, base_run, boxes, state)
        # A text box of a header or footer belongs to it (a page number is often framed).
        box_part = "textbox" if part == "body" else part
        for content in boxes:
            self.blocks(content, box_part, out, None, None, [0])
        if part == "body" and ppr is not None and ppr.find(f"{W}sectPr") is not None:
            self.section += 1

    def _walk(
        self,
        node: ET.Element,
        para: Paragraph,
        base: RunProps,
        boxes: list[ET.Element],
        state: _FieldState,
    ) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIP_TAGS:
                continue
            if tag == f"{W}r":
                self._run(child, para, base, boxes, state)
            elif tag == f"{W}fldSimple":
                if _PAGE_FIELD.match(child.get(f"{W}instr", "")):
                    para.page_field = True
                    before = len(para.spans)
                    self._walk(child, para, base, boxes, state)
                    para.field_spans.extend(para.spans[before:])
                    if not para.field_spans:
                        para.field_spans.append(Span("", base))
                else:
                    self._walk(child, para, base, boxes, state)
            elif tag in _DRAWING_TAGS:
                _drawing(child, para, boxes)
            else:
                self._walk(child, para, base, boxes, state)

    def _run(
        self,
        run: ET.Element,
        para: Paragraph,
        base: RunProps,
        boxes: list[ET.Element],
        state: _FieldState,
    ) -> None:
        rpr = run.find(f"{W}rPr")
        rstyle = rpr.find(f"{W}rStyle") if rpr is not None else None
        props = self.sheet.parse_run(rpr).over(
            self.sheet.style_run(rstyle.get(f"{W}val") if rstyle is not None else None).over(base)
        )
        text: list[str] = []
        for child in _run_items(run):
            tag = child.tag
            if tag == f"{W}t":
                text.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                text.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                text.append("\n")
                if para.part == "body" and child.get(f"{W}type") == "page":
                    self.page_breaks += 1
            elif tag == f"{W}lastRenderedPageBreak":
                if para.part == "body":
                    self.rendered_breaks += 1
            elif tag == f"{W}noBreakHyphen":
                text.append("-")
            elif tag == f"{W}fldChar":
                state.char(child.get(f"{W}fldCharType", ""))
            elif tag == f"{W}instrText":
                state.instr += child.text or ""
                if state.is_page():
                    para.page_field = True
                    state.code_props = props
            elif tag in _DRAWING_TAGS:
                _drawing(child, para, boxes)
        joined = nfc("".join(text))
        if state.in_result and state.page:
            para.field_spans.append(Span(joined, props))
        if joined:
            para.spans.append(Span(joined, props))
        if state.ended and state.page:
            if not para.field_spans and state.code_props is not None:
                para.field_spans.append(Span("", state.code_props))
            state.reset()


class _FieldState:
    """Track one complex field (fldChar begin … separate … end) inside a paragraph."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.instr = ""
        self.in_result = False
        self.page = False
        self.ended = False
        self.code_props: RunProps | None = None

    def char(self, kind: str) -> None:
        if kind == "begin":
            self.reset()
        elif kind == "separate":
            self.page = self.is_page()
            self.in_result = True
        elif kind == "end":
            self.page = self.page or self.is_page()
            self.in_result = False
            self.ended = True

    def is_page(self) -> bool:
        return bool(_PAGE_FIELD.match(self.instr))


def _run_items(run: ET.Element) -> Iterator[ET.Element]:
    """Yield the elements of a run in document order, without the VML fallback of a
    drawing (it repeats the drawing), deleted text, or what lies inside a drawing."""
    for child in run:
        if child.tag in _SKIP_TAGS:
            continue
        yield child
        if child.tag not in _DRAWING_TAGS:
            yield from _run_items(child)


def _drawing(node: ET.Element, para: Paragraph, boxes: list[ET.Element]) -> None:
    """Record a drawing, VML picture or embedded object, and collect its text boxes."""
    para.has_drawing = True
    if node.tag == f"{W}drawing":
        drawn = read_drawing(node)
        if drawn is not None:
            para.drawings.append(drawn)
    elif node.tag == f"{W}pict":
        para.drawings.extend(read_vml(node))
    boxes.extend(_text_boxes(node))


def _text_boxes(node: ET.Element) -> list[ET.Element]:
    found: list[ET.Element] = []
    for child in node:
        if child.tag in _SKIP_TAGS:
            continue
        if child.tag == f"{W}txbxContent":
            found.append(child)
        else:
            found.extend(_text_boxes(child))
    return found


class _TableGeometry:
    """Widths of the cells of one table, in twips, without the cells' own padding."""

    def __init__(self, table: ET.Element, box: int | None) -> None:
        self.grid = [_int_attr(col, "w") or 0 for col in table.findall(f"{W}tblGrid/{W}gridCol")]
        width = table.find(f"{W}tblPr/{W}tblW")
        self.width = _width(width, box)
        if self.width is None and self.grid:
            self.width = sum(self.grid)
        self.margins = _cell_margins(table.find(f"{W}tblPr/{W}tblCellMar"), (None, None))

    def cell_width(self, cell: ET.Element, column: int) -> tuple[int | None, int]:
        """Return the usable width of ``cell`` and the grid column after it."""
        span_node = cell.find(f"{W}tcPr/{W}gridSpan")
        span = max(_int_attr(span_node, "val") or 1, 1) if span_node is not None else 1
        width = _width(cell.find(f"{W}tcPr/{W}tcW"), self.width)
        if not width and self.grid[column : column + span]:
            width = sum(self.grid[column : column + span])
        left, right = _cell_margins(cell.find(f"{W}tcPr/{W}tcMar"), self.margins)
        pad = (_DEFAULT_CELL_MARGIN if left is None else left) + (
            _DEFAULT_CELL_MARGIN if right is None else right
        )
        usable = width - pad if width else None
        return (usable if usable and usable > 0 else None), column + span


def _width(node: ET.Element | None, whole: int | None) -> int | None:
    """Read a ``w:tblW``/``w:tcW``: twips, or a percentage of ``whole``."""
    if node is None:
        return None
    kind = node.get(f"{W}type", "dxa")
    value = (node.get(f"{W}w") or "").strip()
    if value.endswith("%") or kind == "pct":
        share = twips(value.rstrip("%"))
        if share is None or not whole:
            return None
        return int(share / (100 if value.endswith("%") else 5000) * whole)
    number = twips(value)
    return number if kind == "dxa" and number is not None and number > 0 else None


def _cell_margins(
    node: ET.Element | None, inherited: tuple[int | None, int | None]
) -> tuple[int | None, int | None]:
    if node is None:
        return inherited
    sides = []
    for names, default in ((("left", "start"), inherited[0]), (("right", "end"), inherited[1])):
        value = default
        for name in names:
            side = node.find(f"{W}{name}")
            if side is not None and side.get(f"{W}type", "dxa") == "dxa":
                value = _int_attr(side, "w")
                break
        sides.append(value)
    return sides[0], sides[1]


def _int_attr(node: ET.Element | None, name: str) -> int | None:
    if node is None:
        return None
    return twips(node.get(f"{W}{name}"))


def _sdt_cell(sdt: ET.Element) -> ET.Element:
    tc = sdt.find(f"{W}sdtContent/{W}tc")
    return tc if tc is not None else sdt


def load_document(package: DocxPackage) -> Document:
    """Build the checker's model from an opened package."""
    sheet = StyleSheet(package.styles, package.theme)
    reader = _Reader(sheet)
    body = package.document.find(f"{W}body")
    paragraphs: list[Paragraph] = []
    counter = [0]
    if body is not None:
        reader.blocks(body, "body", paragraphs, None, None, counter)
    for number, para in enumerate(paragraphs):
        para.index = number
    breaks, rendered = reader.page_breaks, reader.rendered_breaks
    sections = _sections(package, body, reader)
    for para in paragraphs:
        if para.table is None and para.part == "body" and sections:
            para.box_twips = sections[min(para.section, len(sections) - 1)].text_width_twips
    breaks += sum(1 for section in sections[1:] if section.start != "continuous")
    return Document(
        paragraphs=paragraphs,
        sections=sections,
        tables=counter[0],
        page_count=_page_count(package),
        numbering_bullets=_bullets(package.numbering),
        even_odd_headers=_even_odd(package),
        page_breaks=breaks,
        rendered_breaks=rendered,
    )


def _sections(package: DocxPackage, body: ET.Element | None, reader: _Reader) -> list[Section]:
    if body is None:
        return []
    nodes = [n for p in body.iter(f"{W}p") if (n := p.find(f"{W}pPr/{W}sectPr")) is not None]
    last = body.find(f"{W}sectPr")
    if last is not None:
        nodes.append(last)
    sections: list[Section] = []
    inherited: dict[tuple[str, str], HeaderRef] = {}
    for node in nodes:
        size = node.find(f"{W}pgSz")
        margin = node.find(f"{W}pgMar")
        margins: dict[str, int] = {}
        if margin is not None:
            for side in ("top", "bottom", "left", "right", "gutter"):
                value = twips(margin.get(f"{W}{side}"))
                if value is not None:
                    margins[side] = abs(value)
        title = node.find(f"{W}titlePg")
        start = node.find(f"{W}type")
        for kind in ("header", "footer"):
            for ref in node.findall(f"{W}{kind}Reference"):
                root = package.parts_by_rid.get(ref.get(f"{R}id", ""))
                ref_type = ref.get(f"{W}type", "default")
                paras: list[Paragraph] = []
                if root is not None:
                    reader.blocks(root, kind, paras, None, None, [0])
                # A section without its own reference inherits the previous section's.
                inherited[(kind, ref_type)] = HeaderRef(kind, ref_type, paras)
        sections.append(
            Section(
                width=_twips(size, "w"),
                height=_twips(size, "h"),
                orient=size.get(f"{W}orient") if size is not None else None,
                margins=margins,
                title_page=title is not None
                and title.get(f"{W}val", "true").lower() not in ("0", "false", "off"),
                refs=list(inherited.values()),
                start=start.get(f"{W}val", "nextPage") if start is not None else "nextPage",
            )
        )
    return sections


def _twips(node: ET.Element | None, attr: str) -> int | None:
    if node is None:
        return None
    return twips(node.get(f"{W}{attr}"))


def _even_odd(package: DocxPackage) -> bool:
    """Tell whether settings.xml switches on separate even-page headers."""
    if package.settings is None:
        return False
    node = package.settings.find(f"{W}evenAndOddHeaders")
    return node is not None and node.get(f"{W}val", "true").lower() not in ("0", "false", "off")


def _page_count(package: DocxPackage) -> int | None:
    if package.app is None:
        return None
    node = package.app.find("{" + NS["ep"] + "}Pages")
    if node is None or not (node.text or "").strip().isdigit():
        return None
    return int((node.text or "0").strip())


def _bullets(numbering: ET.Element | None) -> dict[tuple[str, int], str]:
    """Map (numId, level) to the level text of bullet lists, e.g. ``"-"``."""
    if numbering is None:
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in numbering.findall(f"{W}abstractNum"):
        levels: dict[int, str] = {}
        for lvl in node.findall(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            text = lvl.find(f"{W}lvlText")
            if fmt is not None and fmt.get(f"{W}val") == "bullet" and text is not None:
                levels[int(lvl.get(f"{W}ilvl", "0"))] = text.get(f"{W}val", "")
        abstract[node.get(f"{W}abstractNumId", "")] = levels
    found: dict[tuple[str, int], str] = {}
    for num in numbering.findall(f"{W}num"):
        abstract_ref = num.find(f"{W}abstractNumId")
        key = abstract_ref.get(f"{W}val", "") if abstract_ref is not None else ""
        levels = abstract.get(key, {})
        for level, bullet in levels.items():
            found[(num.get(f"{W}numId", ""), level)] = bullet
    return found
