"""Find the horizontal line drawn under a line of text, whatever way the clerk drew it.

Forms seen in real documents, all accepted:

* a bottom border (``w:pBdr/w:bottom``) on the text's paragraph or on an empty paragraph
  right under it: as long as the paragraph's box, between its indents;
* a DrawingML line, a thin picture or a VML line/thin rectangle, in the text's paragraph,
  in a paragraph right under it, anywhere in the same table cell (a floating line may be
  anchored to any paragraph of its cell), or alone in the cell right below (a header table
  whose second row only holds the lines);
* characters typed on the next visual line, after a line break in the same paragraph or
  in the next paragraph: ``"______"`` (underscores join into a solid line) or
  ``"-------"`` (hyphens print as a dashed line, which is not the solid line of the decree);
* the text itself underlined.

:func:`rule_below` returns what it found with its length in points when it can be known.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.check.located import is_rule_line
from domain.check.metrics import text_width_pt
from domain.check.model import Document
from domain.check.model import DrawnLine
from domain.check.model import Line
from domain.check.model import Paragraph
from domain.check.model import Span
from domain.check.model import split_lines
from domain.check.styles import DEFAULT_SIZE_PT

_SOLID_TYPED = frozenset("_")
_EMPTY_GAP = 2  # empty paragraphs allowed between the text and a line drawn under it


@dataclass(frozen=True)
class RuleBelow:
    """A horizontal line found under a text line.

    Attributes:
        kind: ``"border"``, ``"drawing"``, ``"typed"`` or ``"underline"``.
        length_pt: its printed length, or ``None`` if it cannot be known.
        solid: a continuous line (typed hyphens and dashed strokes are not).
        measured: the length comes from the file (a drawing's extent, a border's box)
            rather than from character widths.
        typed: the characters typed for a typed line.
        line_like: ``False`` when only a drawing of another shape was found near the text
            (it may be the line, drawn in a way the checker cannot read).
        fonts: the fonts of typed or underlined characters (their widths depend on it).
    """

    kind: str
    length_pt: float | None
    solid: bool = True
    measured: bool = True
    typed: str = ""
    line_like: bool = True
    fonts: tuple[str | None, ...] = ()


def rule_below(doc: Document, line: Line) -> RuleBelow | None:
    """Return the horizontal line drawn under ``line``, or ``None`` when there is none."""
    para = line.para
    rows = split_lines(para)
    later = [x for x in rows if x.visual > line.visual]
    if later:
        # Text follows in the same paragraph: a line typed right after it, or a floating
        # line anchored to the paragraph.
        row = [x for x in later if x.visual == later[0].visual]
        found = _typed(_matching(later[0], row, line)) or _drawn(para.drawings)
    else:
        found = (
            _drawn(para.drawings)
            or (_border(para) if para.props.border_bottom else None)
            or _underline(line)
            or _following(doc, para, line)
        )
    if found is not None:
        return found
    if para.table is not None:
        cell = [p for p in doc.paragraphs if _same_cell(p, para) and p.part == para.part]
        found = _drawn([d for p in cell for d in p.drawings]) or _first_rule(
            _cell_below(doc, para), line
        )
        if found is not None:
            return found
        if any(p.has_drawing for p in cell):
            return RuleBelow("drawing", None, line_like=False)
    if para.has_drawing:
        return RuleBelow("drawing", None, line_like=False)
    return None


def _underline(line: Line) -> RuleBelow | None:
    spans = line.text_spans
    if spans and all(s.props.underline for s in spans):
        width = sum(_span_width(s.text, s) for s in spans)
        return RuleBelow("underline", width, measured=False, fonts=_fonts(spans))
    return None


def _following(doc: Document, para: Paragraph, line: Line) -> RuleBelow | None:
    """Look at the paragraphs right under ``para`` in the same cell or body."""
    gap = 0
    index = para.index + 1
    while index < len(doc.paragraphs):
        candidate = doc.paragraphs[index]
        if candidate.part != para.part or not _same_cell(candidate, para):
            return None
        found = _first_rule([candidate], line)
        if found is not None:
            return found
        if candidate.text or candidate.has_drawing or gap >= _EMPTY_GAP:
            return None
        gap += 1
        index += 1
    return None


def _first_rule(paragraphs: list[Paragraph], line: Line) -> RuleBelow | None:
    """Return the line drawn or typed in the first of ``paragraphs`` that holds one."""
    for para in paragraphs:
        drawn = _drawn(para.drawings)
        if drawn is not None:
            return drawn
        if para.has_drawing and not para.text:
            # A drawing alone under the text that does not read as a line (a group, a
            # damaged extent): probably the line, of unknown length.
            return RuleBelow("drawing", None, line_like=False)
        rows = split_lines(para)
        if rows:
            first = [x for x in rows if x.visual == rows[0].visual]
            typed = _typed(_matching(first[0], first, line))
            if typed is not None:
                return typed
            if any(not is_rule_line(x.text) for x in rows):
                return None
        elif para.props.border_bottom:
            return _border(para)
    return None


def _matching(first: Line, row: list[Line], line: Line) -> Line:
    """Pick, on a visual row, the piece under ``line`` (same tab column when laid out
    with tabs: ``"________<tab>______________"`` under ``"TRƯỜNG …<tab>Độc lập …"``)."""
    if len(row) == line.segments and line.segment < len(row):
        return row[line.segment]
    rules = [x for x in row if is_rule_line(x.text)]
    return rules[0] if rules else first


def _typed(piece: Line) -> RuleBelow | None:
    if not is_rule_line(piece.text):
        return None
    chars = "".join(s.text for s in piece.spans).strip()
    width = 0.0
    for span in piece.spans:
        width += _span_width(span.text.strip() if len(piece.spans) == 1 else span.text, span)
    solid = set(chars.replace(" ", "")) <= _SOLID_TYPED
    return RuleBelow(
        "typed", width, solid=solid, measured=False, typed=chars, fonts=_fonts(piece.spans)
    )


def _fonts(spans: list[Span]) -> tuple[str | None, ...]:
    return tuple(font for s in spans for font in (s.props.font_ascii, s.props.font_hansi))


def _span_width(text: str, span: Span) -> float:
    props = span.props
    return text_width_pt(
        text,
        props.size or DEFAULT_SIZE_PT,
        bold=bool(props.bold),
        italic=bool(props.italic),
        caps=bool(props.caps),
    )


def _drawn(drawings: list[DrawnLine]) -> RuleBelow | None:
    for drawn in drawings:
        if drawn.line_like:
            return RuleBelow("drawing", drawn.length_pt, solid=drawn.solid)
    return None


def _border(para: Paragraph) -> RuleBelow:
    width = para.width_twips
    return RuleBelow("border", width / 20 if width is not None else None)


def _same_cell(a: Paragraph, b: Paragraph) -> bool:
    return (a.table, a.row, a.col) == (b.table, b.row, b.col)


def _cell_below(doc: Document, para: Paragraph) -> list[Paragraph]:
    """Return the paragraphs of the cell right under ``para``'s cell if it holds no text."""
    cell = [
        p
        for p in doc.paragraphs
        if p.part == para.part
        and p.table == para.table
        and p.row == (para.row or 0) + 1
        and p.col == para.col
    ]
    if not cell or any(p.text and not is_rule_line(p.text) for p in cell):
        return []
    return cell
