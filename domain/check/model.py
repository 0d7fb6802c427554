"""The document as the checker sees it: paragraphs, text spans with effective formatting,
visual lines, sections, headers and footers.

Only what the rules of Phụ lục I need is modelled. Text inside tracked deletions and the
VML fallback of drawings is skipped (it would be counted twice); text boxes are kept as
separate paragraphs so their fonts are still checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from dataclasses import field

from domain.check.package import NS
from domain.check.package import DocxPackage
from domain.check.package import R
from domain.check.package import W
from domain.check.styles import ParaProps
from domain.check.styles import RunProps
from domain.check.styles import StyleSheet
from domain.check.styles import parse_para
from domain.text import clean_line
from domain.text import nfc

MC = "{" + NS["mc"] + "}"
_DRAWING_TAGS = {f"{W}drawing", f"{W}pict", f"{W}object"}
_SKIP_TAGS = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}rPr", f"{W}pPr"}
_PAGE_FIELD = re.compile(r"^\s*PAGE(\s|$|\\)")


@dataclass(frozen=True)
class Span:
    """A piece of text with its effective run formatting."""

    text: str
    props: RunProps


@dataclass
class Paragraph:
    """One ``w:p`` with its place in the document.

    Attributes:
        index: position among all paragraphs of its part, in reading order.
        part: ``"body"``, ``"header"``, ``"footer"`` or ``"textbox"``.
        table: ordinal of the top-level table holding it (``None`` outside tables).
        row: row index in that table.
        col: column (cell) index in that row.
        spans: text spans in order; ``"\\n"`` marks a line break, ``"\\t"`` a tab.
        props: effective paragraph properties.
        has_drawing: contains a drawing, picture, VML shape or line.
        page_field: contains a PAGE field.
        field_spans: spans of the PAGE field result (or its code, if no result is cached).
    """

    index: int
    part: str
    table: int | None
    row: int | None
    col: int | None
    spans: list[Span] = field(default_factory=list)
    props: ParaProps = field(default_factory=ParaProps)
    has_drawing: bool = False
    page_field: bool = False
    field_spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the paragraph text (NFC, white space collapsed)."""
        return clean_line("".join(s.text for s in self.spans))

    @property
    def where(self) -> str:
        """Describe the paragraph's position in Vietnamese."""
        if self.part == "header":
            return "đầu trang (header)"
        if self.part == "footer":
            return "chân trang (footer)"
        if self.part == "textbox":
            return "hộp văn bản"
        if self.table is not None:
            return f"bảng {self.table + 1}, hàng {(self.row or 0) + 1}, ô {(self.col or 0) + 1}"
        return f"đoạn {self.index + 1}"


@dataclass
class Line:
    """A visual line of text: a paragraph piece between line breaks and tabs.

    ``segment``/``segments`` say which tab-separated piece of its visual line this is, so a
    header typed as ``"UBND XÃ A<tab>CỘNG HÒA …"`` splits into a left and a right part.
    """

    para: Paragraph
    spans: list[Span]
    segment: int
    segments: int

    @property
    def text(self) -> str:
        """Return the line text (NFC, white space collapsed)."""
        return clean_line("".join(s.text for s in self.spans))

    @property
    def text_spans(self) -> list[Span]:
        """Return the spans that carry visible characters."""
        return [s for s in self.spans if s.text.strip()]


@dataclass(frozen=True)
class HeaderRef:
    """A header or footer reference of a section: its type and part root."""

    kind: str  # "header" or "footer"
    ref_type: str  # "default", "first" or "even"
    paragraphs: list[Paragraph]


@dataclass
class Section:
    """Page set-up of one section (``w:sectPr``), sizes in twips."""

    width: int | None
    height: int | None
    orient: str | None
    margins: dict[str, int]
    title_page: bool
    refs: list[HeaderRef]


@dataclass
class Document:
    """Everything the rules look at."""

    paragraphs: list[Paragraph]
    sections: list[Section]
    tables: int
    page_count: int | None
    numbering_bullets: dict[tuple[str, int], str]

    def lines(self) -> list[Line]:
        """Return the visual lines of the body, in reading order, without empty ones."""
        found: list[Line] = []
        for para in self.paragraphs:
            found.extend(split_lines(para))
        return found


def split_lines(para: Paragraph) -> list[Line]:
    """Split a paragraph at line breaks, then at tabs, dropping empty pieces."""
    visual: list[list[list[Span]]] = [[[]]]
    for span in para.spans:
        for piece in re.split(r"(\n|\t)", span.text):
            if piece == "\n":
                visual.append([[]])
            elif piece == "\t":
                visual[-1].append([])
            elif piece:
                visual[-1][-1].append(Span(piece, span.props))
    lines: list[Line] = []
    for segments in visual:
        filled = [seg for seg in segments if clean_line("".join(s.text for s in seg))]
        for number, seg in enumerate(filled):
            lines.append(Line(para, seg, number, len(filled)))
    return lines


class _Reader:
    def __init__(self, sheet: StyleSheet) -> None:
        self.sheet = sheet

    def blocks(
        self,
        container: ET.Element,
        part: str,
        out: list[Paragraph],
        table: tuple[int, int, int] | None,
        table_style: str | None,
        counter: list[int],
    ) -> None:
        for child in container:
            if child.tag == f"{W}p":
                self.paragraph(child, part, out, table, table_style)
            elif child.tag == f"{W}tbl":
                style = child.find(f"{W}tblPr/{W}tblStyle")
                style_id = style.get(f"{W}val") if style is not None else table_style
                if table is None:
                    number = counter[0]
                    counter[0] += 1
                for r, row in enumerate(child.findall(f"{W}tr")):
                    cells = [c for c in row if c.tag in (f"{W}tc", f"{W}sdt")]
                    for c, cell in enumerate(cells):
                        cell = cell if cell.tag == f"{W}tc" else _sdt_cell(cell)
                        where = table if table is not None else (number, r, c)
                        self.blocks(cell, part, out, where, style_id, counter)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                self.blocks(child, part, out, table, table_style, counter)

    def paragraph(
        self,
        node: ET.Element,
        part: str,
        out: list[Paragraph],
        table: tuple[int, int, int] | None,
        table_style: str | None,
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
        )
        out.append(para)
        boxes: list[ET.Element] = []
        state = _FieldState()
        self._walk(node, para, base_run, boxes, state)
        for box in boxes:
            self.blocks(box, "textbox", out, None, None, [0])

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
                para.has_drawing = True
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
        for child in run.iter():
            tag = child.tag
            if tag == f"{W}t":
                text.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                text.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                text.append("\n")
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
                para.has_drawing = True
            elif tag == f"{W}txbxContent":
                boxes.append(child)
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
    sections = _sections(package, body, reader)
    return Document(
        paragraphs=paragraphs,
        sections=sections,
        tables=counter[0],
        page_count=_page_count(package),
        numbering_bullets=_bullets(package.numbering),
    )


def _sections(package: DocxPackage, body: ET.Element | None, reader: _Reader) -> list[Section]:
    if body is None:
        return []
    nodes = [p.find(f"{W}pPr/{W}sectPr") for p in body.iter(f"{W}p")]
    nodes = [n for n in nodes if n is not None]
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
                value = margin.get(f"{W}{side}")
                if value is not None:
                    margins[side] = abs(int(float(value)))
        title = node.find(f"{W}titlePg")
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
            )
        )
    return sections


def _twips(node: ET.Element | None, attr: str) -> int | None:
    if node is None or node.get(f"{W}{attr}") is None:
        return None
    return int(float(node.get(f"{W}{attr}", "0")))


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
        ref = num.find(f"{W}abstractNumId")
        levels = abstract.get(ref.get(f"{W}val", "") if ref is not None else "", {})
        for level, text in levels.items():
            found[(num.get(f"{W}numId", ""), level)] = text
    return found
