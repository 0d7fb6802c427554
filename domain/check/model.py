"""The document as the checker sees it: paragraphs, text spans with effective formatting,
visual lines, sections, headers and footers.

Only what the rules of Phụ lục I need is modelled. Text inside tracked deletions and the
VML fallback of drawings is skipped (it would be counted twice); text boxes are kept as
separate paragraphs so their fonts are still checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from domain.check.styles import ParaProps
from domain.check.styles import RunProps
from domain.text import clean_line


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
    even_odd_headers: bool = False

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
