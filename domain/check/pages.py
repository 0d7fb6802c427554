"""How many pages a document has, when the .docx does not say.

A .docx stores no page count that can be trusted: ``docProps/app.xml`` keeps whatever the
last editor wrote (python-docx keeps its template's), and only Word writes
``w:lastRenderedPageBreak`` where it last broke pages. So the count is known when the body
holds hard page breaks, breaks Word rendered, or sections starting on a new page;
otherwise it is estimated from the content's height: each paragraph's lines (wrapped with
Times New Roman widths in its box), line height (1.15 × the font size for single spacing,
as Times New Roman's ascent and descent give), spacing before and after, table rows as
tall as their tallest cell, against the height between the top and bottom margins.

The estimate ignores pictures, widow control and keep-with-next; it is good to about a
quarter of a page on administrative documents, which is what the page-number rule needs
(NĐ 30 numbers pages from the second one: a one-page document needs no number).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.check.metrics import text_width_pt
from domain.check.metrics import wrap_widths
from domain.check.model import Document
from domain.check.model import Paragraph
from domain.check.styles import DEFAULT_SIZE_PT

SINGLE_LINE_EM = 1.15
_A4_TEXT_HEIGHT_PT = (297 - 40) / 25.4 * 72


@dataclass(frozen=True)
class PageCount:
    """The number of pages of a document.

    Attributes:
        pages: the estimated number of pages (content height / page text height), or the
            known lower bound when ``known``.
        known: the count comes from breaks in the file, not from an estimate.
    """

    pages: float
    known: bool


def page_count(doc: Document) -> PageCount:
    """Return the number of pages, known from breaks or estimated from the content."""
    breaks = doc.page_breaks + doc.rendered_breaks
    if breaks:
        return PageCount(float(breaks + 1), True)
    return PageCount(content_height_pt(doc) / _page_height_pt(doc), False)


def content_height_pt(doc: Document) -> float:
    """Return the estimated height of the body's content in points."""
    total = 0.0
    rows: dict[tuple[int, int], dict[int, float]] = {}
    for para in doc.paragraphs:
        if para.part != "body":
            continue
        height = paragraph_height_pt(para)
        if para.table is None:
            total += height
        else:
            cells = rows.setdefault((para.table, para.row or 0), {})
            cells[para.col or 0] = cells.get(para.col or 0, 0.0) + height
    total += sum(max(cells.values(), default=0.0) for cells in rows.values())
    return total


def paragraph_height_pt(para: Paragraph) -> float:
    """Return the estimated height of one paragraph in points."""
    props = para.props
    sizes = [s.props.size or DEFAULT_SIZE_PT for s in para.spans if s.text.strip()]
    size = max(sizes, default=DEFAULT_SIZE_PT)
    width = para.width_twips / 20 if para.width_twips else None
    lines = 0
    for row in _rows(para):
        lines += len(wrap_widths(row, width))
    line, rule = props.line, props.line_rule or "auto"
    single = size * SINGLE_LINE_EM
    if line is None:
        height = single
    elif rule == "auto":
        height = single * line / 240
    elif rule == "exact":
        height = line / 20
    else:  # atLeast
        height = max(single, line / 20)
    spacing = ((props.space_before_twips or 0) + (props.space_after_twips or 0)) / 20
    return max(lines, 1) * height + spacing


def _rows(para: Paragraph) -> list[list[tuple[str, float, float]]]:
    """Return the paragraph's visual rows (between line breaks) as measured words."""
    rows: list[list[tuple[str, float, float]]] = [[]]
    for span in para.spans:
        props = span.props
        size = props.size or DEFAULT_SIZE_PT
        style = {"bold": bool(props.bold), "italic": bool(props.italic), "caps": bool(props.caps)}
        for index, chunk in enumerate(span.text.split("\n")):
            if index:
                rows.append([])
            for word in chunk.replace("\t", " ").split(" "):
                if word:
                    rows[-1].append(
                        (
                            word,
                            text_width_pt(word, size, **style),
                            text_width_pt(" ", size, **style),
                        )
                    )
    return rows


def _page_height_pt(doc: Document) -> float:
    for section in doc.sections:
        height = section.text_height_twips
        if height and height > 0:
            return height / 20
    return _A4_TEXT_HEIGHT_PT
