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
class DrawnLine:
    """A drawing that may be a horizontal rule: a DrawingML shape or picture, or VML.

    Attributes:
        length_pt: horizontal length in points (``None`` when the file does not say, e.g. a
            VML ``o:hr`` rule as wide as the paragraph).
        line_like: thin and wide (or a line shape): it prints as a rule, not a picture.
        solid: drawn with a continuous stroke (no dash pattern).
        kind: ``"drawing"`` (DrawingML) or ``"vml"``.
    """

    length_pt: float | None
    line_like: bool
    solid: bool = True
    kind: str = "drawing"


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
        drawings: the drawings and VML shapes it holds, as possible rules.
        box_twips: width of its container (table cell without cell margins, or the
            section's text width), before the paragraph's own indents; ``None`` if unknown.
        section: ordinal of the section holding it (body paragraphs).
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
    drawings: list[DrawnLine] = field(default_factory=list)
    box_twips: int | None = None
    section: int = 0

    @property
    def text(self) -> str:
        """Return the paragraph text (NFC, white space collapsed)."""
        return clean_line("".join(s.text for s in self.spans))

    @property
    def width_twips(self) -> int | None:
        """Return the width lines of this paragraph may use (container minus indents)."""
        if self.box_twips is None:
            return None
        width = self.box_twips - (self.props.left_twips or 0) - (self.props.right_twips or 0)
        return width if width > 0 else None

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
    header typed as ``"UBND XÃ A<tab>CỘNG HÒA …"`` splits into a left and a right part;
    ``column`` counts the tabs before the piece (empty pieces included), so a signature
    typed as ``"<tab><tab>HIỆU TRƯỞNG"`` is known to stand at a tab stop. ``visual`` is the
    index of the visual line (between line breaks) in its paragraph.
    """

    para: Paragraph
    spans: list[Span]
    segment: int
    segments: int
    column: int = 0
    visual: int = 0

    @property
    def tabbed(self) -> bool:
        """Tell whether the piece is placed by tab stops rather than by paragraph alignment."""
        return self.column > 0 or self.segments > 1

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
    start: str = "nextPage"  # w:type: how the section starts ("continuous" = same page)

    @property
    def text_width_twips(self) -> int | None:
        """Return the width between the left and right margins (gutter included)."""
        if self.width is None:
            return None
        side = sum(self.margins.get(k, 1440) for k in ("left", "right"))
        return self.width - side - self.margins.get("gutter", 0)

    @property
    def text_height_twips(self) -> int | None:
        """Return the height between the top and bottom margins."""
        if self.height is None:
            return None
        return self.height - sum(self.margins.get(k, 1440) for k in ("top", "bottom"))


@dataclass
class Document:
    """Everything the rules look at."""

    paragraphs: list[Paragraph]
    sections: list[Section]
    tables: int
    page_count: int | None
    numbering_bullets: dict[tuple[str, int], str]
    even_odd_headers: bool = False
    page_breaks: int = 0  # hard page breaks in the body (w:br page, pageBreakBefore)
    rendered_breaks: int = 0  # w:lastRenderedPageBreak: where Word last broke pages

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
    for row, segments in enumerate(visual):
        filled = [
            (column, seg)
            for column, seg in enumerate(segments)
            if clean_line("".join(s.text for s in seg))
        ]
        for number, (column, seg) in enumerate(filled):
            lines.append(Line(para, seg, number, len(filled), column, row))
    return lines
