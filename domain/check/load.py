"""Read WordprocessingML parts into the checker's model (:mod:`domain.check.model`).

Runs get their effective formatting through :class:`~domain.check.styles.StyleSheet`;
complex fields (``fldChar``/``instrText``) and simple fields are followed to find the
PAGE field of page numbers; text boxes are read as separate paragraphs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

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
from domain.text import nfc

MC = "{" + NS["mc"] + "}"
_DRAWING_TAGS = {f"{W}drawing", f"{W}pict", f"{W}object"}
_SKIP_TAGS = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}rPr", f"{W}pPr"}
_PAGE_FIELD = re.compile(r"^\s*PAGE(\s|$|\\)")


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
        even_odd_headers=_even_odd(package),
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
        ref = num.find(f"{W}abstractNumId")
        levels = abstract.get(ref.get(f"{W}val", "") if ref is not None else "", {})
        for level, text in levels.items():
            found[(num.get(f"{W}numId", ""), level)] = text
    return found
