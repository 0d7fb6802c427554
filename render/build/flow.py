"""Pagination controls of the templates: what never splits and what travels together.

A document's end must come out whole whatever the length of its body (NĐ 30 gives the
signature its own block; a văn thư never sends a page that starts with the signer's name or
holds the signature alone). The templates say so with the word processor's own controls,
which Word and LibreOffice both honour:

- ``w:cantSplit`` on a table row: the row moves to the next page whole (the end block's
  first row: "Nơi nhận:" with its first items and the whole signature; each data row of a
  list);
- ``w:keepNext`` on a paragraph: it stays on the page of what follows (the last body
  paragraph and the blank line before the end block, so at least one line of body text
  goes with the signature to a new page; the title and header rows of a list);
- ``w:widowControl`` on every paragraph (Word's default, absent from python-docx's
  template): no paragraph leaves a single line at the foot or the head of a page.
"""

from __future__ import annotations

import copy

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Row
from docx.text.paragraph import Paragraph

from render.build.kit import Xml


def cant_split(row: _Row) -> None:
    """Keep a table row on one page (``w:trPr/w:cantSplit``)."""
    tr_pr: Xml = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        # CT_TrPr's children are a choice group: any order is schema-valid.
        tr_pr.append(OxmlElement("w:cantSplit"))


def keep_with_next(paragraph: Paragraph) -> Paragraph:
    """Keep ``paragraph`` on the same page as the next paragraph or table row."""
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def keep_row_with_next(row: _Row) -> None:
    """Keep a table row on the page of the next row (or of what follows the table)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            keep_with_next(paragraph)


def widow_control(document: DocxDocument) -> None:
    """Turn on widow and orphan control for every paragraph (via the Normal style)."""
    document.styles["Normal"].paragraph_format.widow_control = True


def annex_section(document: DocxDocument) -> None:
    """Start a new section on a new page whose page numbers restart at 1.

    NĐ 30 (Phụ lục I, Phần I, Mục III.1.đ) numbers each phụ lục's pages separately, and,
    as for the document itself, shows no number on its first page (the section keeps the
    "different first page" header of the document, which is empty).
    """
    section = document.add_section(WD_SECTION.NEW_PAGE)
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        # CT_SectPr: ... pgBorders, lnNumType, pgNumType, cols, formProt, vAlign, noEndnote,
        # titlePg, textDirection, bidi, rtlGutter, docGrid, printerSettings, sectPrChange.
        sect_pr.insert_element_before(
            numbering,
            "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
            "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
        )  # fmt: skip
    numbering.set(qn("w:start"), "1")
    section.different_first_page_header_footer = True


def inherit_headers(document: DocxDocument) -> None:
    """Give the last section the header references of the one before it.

    python-docx leaves a new section's headers "linked to the previous" (no references of its
    own). When a template drops an optional annex, its section break goes with it and the
    document's own pages fall under the last section's properties: with references of its
    own, they keep their page numbers.
    """
    previous, last = document.sections[-2]._sectPr, document.sections[-1]._sectPr
    for reference in reversed(previous.findall(qn("w:headerReference"))):
        last.insert(0, copy.deepcopy(reference))
