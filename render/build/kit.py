"""Low-level python-docx helpers for the template builder: fonts, paragraphs, lines, tables.

Every run gets Times New Roman on all four ``w:rFonts`` slots and an explicit size, so a
template stays compliant even when an admin pastes it into a document with other styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.rel import Relationships
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.shared import Pt
from docx.shared import RGBColor
from docx.table import Table
from docx.table import _Cell
from docx.table import _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from domain import layout

# Where a builder adds paragraphs and tables: the document's body or a table cell.
Container = DocxDocument | _Cell
# A raw OOXML element (python-docx's oxml classes and lxml's stubs disagree on its type).
Xml = Any

FONT = layout.FONT_NAME
RED = RGBColor(0xC0, 0x00, 0x00)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
BODY_STYLE = "Body Text"
BODY_INDENT = Mm(layout.BODY_FIRST_LINE_INDENT_MM[-1])
BODY_AFTER = Pt(layout.BODY_PARAGRAPH_SPACING_MIN_PT)
BODY_LINE_SPACING = 1.15
# Children that follow w:sz in CT_RPr (ECMA-376 Part 1, 17.3.2.28): a new w:sz or w:szCs goes
# before the first of these present, so the run properties stay in schema order.
RPR_AFTER_SZ = (
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
# Children that follow w:tblBorders in CT_TblPr (17.4.60).
TBLPR_AFTER_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
# python-docx's default template carries Word 2010's stylesWithEffects.xml, a second copy of
# the styles that no longer matches them once they are changed (validators report it, and Word
# may then take the file for damaged), and a blank thumbnail: a template needs neither.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


@dataclass(frozen=True)
class Fmt:
    """Character format of a run: size in points, bold, italic, colour."""

    size: float = 14
    bold: bool = False
    italic: bool = False
    red: bool = False


def element_fmt(key: str, *, certificate: bool = False) -> Fmt:
    """Return the default format of a NĐ 30 element from ``domain.layout``."""
    rules = layout.CERTIFICATE_ELEMENTS if certificate else layout.ELEMENTS
    rule = rules[key]
    return Fmt(float(rule.size_default or 14), bool(rule.bold), bool(rule.italic))


def set_rfonts(rpr: Xml) -> None:
    """Put Times New Roman on the four font slots and drop theme fonts that override them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def add_run(paragraph: Paragraph, text: str, fmt: Fmt) -> Run:
    """Append a run with an explicit font, size and style."""
    run = paragraph.add_run(text)
    run.font.name = FONT
    set_rfonts(run._r.get_or_add_rPr())
    run.font.size = Pt(fmt.size)
    run.font.bold = fmt.bold
    run.font.italic = fmt.italic
    if fmt.red:
        run.font.color.rgb = RED
    return run


def add_par(
    container: Container,
    text: str = "",
    fmt: Fmt = Fmt(),  # noqa: B008 - Fmt is frozen
    *,
    align: WD_ALIGN_PARAGRAPH | None = CENTER,
    before: float = 0,
    after: float = 0,
    style: str | None = None,
    keep_next: bool = False,
) -> Paragraph:
    """Add a paragraph with one formatted run (no run at all when ``text`` is empty)."""
    paragraph = container.add_paragraph(style=style)
    fmt_p = paragraph.paragraph_format
    if style is None:
        fmt_p.alignment = align
        fmt_p.space_before = Pt(before)
        fmt_p.space_after = Pt(after)
        fmt_p.line_spacing = 1.0
    if keep_next:
        fmt_p.keep_with_next = True
    if text:
        add_run(paragraph, text, fmt)
    else:
        # The paragraph mark still has a size: keep it compliant too.
        _mark_format(paragraph, fmt)
    return paragraph


def _mark_format(paragraph: Paragraph, fmt: Fmt) -> None:
    ppr: Xml = paragraph._p.get_or_add_pPr()
    rpr: Xml = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    set_rfonts(rpr)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(fmt.size * 2)))
    rpr.insert_element_before(size, *RPR_AFTER_SZ)


def body_par(
    container: Container,
    text: str = "",
    fmt: Fmt = Fmt(),  # noqa: B008 - Fmt is frozen
    *,
    indent: bool = True,
) -> Paragraph:
    """Add a body paragraph (justified, first-line indent, 6 pt after) with one run."""
    paragraph = container.add_paragraph(style=BODY_STYLE)
    if not indent:
        paragraph.paragraph_format.first_line_indent = Mm(0)
    if text:
        add_run(paragraph, text, fmt)
    return paragraph


def tag_par(container: Container, tag: str) -> Paragraph:
    """Add a paragraph holding only a ``{%p ... %}`` tag (docxtpl removes it on render)."""
    paragraph = container.add_paragraph()
    add_run(paragraph, tag, Fmt(14))
    return paragraph


def page_break(container: Container) -> None:
    """Add a paragraph holding a page break."""
    paragraph = container.add_paragraph()
    add_run(paragraph, "", Fmt(14)).add_break(WD_BREAK.PAGE)


def bottom_border(paragraph: Paragraph, size_eighths: int = 6) -> None:
    """Draw a solid line under the paragraph (w:pBdr/w:bottom), as long as its text box."""
    ppr: Xml = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("val", "single"),
        ("sz", str(size_eighths)),
        ("space", "1"),
        ("color", "000000"),
    ):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    # w:pBdr must precede w:spacing/w:ind/w:jc in CT_PPr; python-docx inserts in order.
    ppr.insert_element_before(
        borders,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def borderless_table(container: DocxDocument, widths_mm: list[float]) -> Table:
    """Add a one-row table without borders, fixed column widths (header/signature blocks)."""
    table = container.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_widths(table, widths_mm)
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)
    for cell in table.rows[0].cells:
        # Drop the empty paragraph python-docx puts in a new cell; builders add their own.
        cell._tc.remove(cell.paragraphs[0]._p)
    return table


def grid_table(container: Container, widths_mm: list[float], rows: int = 1) -> Table:
    """Add a bordered table (Table Grid) with fixed column widths."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_widths(table, widths_mm)
    return table


def set_widths(table: Table, widths_mm: list[float]) -> None:
    """Fix each column's width on the grid and on every cell (Word reads the cells)."""
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def cell_par(
    cell: _Cell,
    text: str = "",
    fmt: Fmt = Fmt(13),  # noqa: B008 - Fmt is frozen
    *,
    align: WD_ALIGN_PARAGRAPH | None = CENTER,
    after: float = 0,
) -> Paragraph:
    """Add a paragraph to a table cell (single spacing, no indent)."""
    return add_par(cell, text, fmt, align=align, after=after)


def repeat_header_row(row: _Row) -> None:
    """Mark a table row as a header row repeated on every page."""
    tr_pr: Xml = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def setup_page(
    document: DocxDocument, *, landscape: bool = False, margins: dict[str, float] | None = None
) -> None:
    """Set A4, the orientation and margins (NĐ 30 defaults unless ``margins`` is given)."""
    section = document.sections[0]
    width, height = Mm(layout.A4.width_mm), Mm(layout.A4.height_mm)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
    values = margins or {key: rule.default_mm for key, rule in layout.MARGINS.items()}
    section.top_margin = Mm(values["top"])
    section.bottom_margin = Mm(values["bottom"])
    section.left_margin = Mm(values["left"])
    section.right_margin = Mm(values["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def text_width_mm(document: DocxDocument) -> float:
    """Return the usable text width of the first section in millimetres."""
    section = document.sections[0]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    assert width is not None and left is not None and right is not None  # setup_page set them
    return (width - left - right) / 36000


def add_page_numbers(document: DocxDocument) -> None:
    """Number pages top centre from page 2: PAGE field in the default header, titlePg set."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = CENTER
    fmt = element_fmt("page_number")
    _mark_format(paragraph, fmt)
    _field(paragraph, "PAGE", "2", fmt)
    first = section.first_page_header
    first.is_linked_to_previous = False
    _mark_format(first.paragraphs[0], fmt)


def _field(paragraph: Paragraph, instruction: str, placeholder: str, fmt: Fmt) -> None:
    begin = add_run(paragraph, "", fmt)
    char: Xml = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "begin")
    begin._r.append(char)
    instr_run = add_run(paragraph, "", fmt)
    instr: Xml = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run._r.append(instr)
    sep = add_run(paragraph, "", fmt)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "separate")
    sep._r.append(char)
    add_run(paragraph, placeholder, fmt)
    end = add_run(paragraph, "", fmt)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def new_document() -> DocxDocument:
    """Return an empty python-docx document whose styles all use Times New Roman 14."""
    from docx import Document

    document = Document()
    drop_relationships(document.part.rels, STYLES_WITH_EFFECTS)
    drop_relationships(document.part.package.rels, RT.THUMBNAIL)
    document.core_properties.comments = ""  # "generated by python-docx"
    body = document.element.body
    for child in list(body):
        if child.tag == qn("w:p"):
            body.remove(child)
    styles_root = document.styles.element
    defaults = styles_root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_rfonts(rpr)
    for index, size_tag in enumerate(("w:sz", "w:szCs")):
        for old in rpr.findall(qn(size_tag)):
            rpr.remove(old)
        size = OxmlElement(size_tag)
        size.set(qn("w:val"), "28")
        rpr.insert_element_before(size, *RPR_AFTER_SZ[index:])
    for fonts in styles_root.iter(qn("w:rFonts")):
        set_rfonts(fonts.getparent())
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    body_style = document.styles[BODY_STYLE]
    body_style.font.name = FONT
    body_style.font.size = Pt(14)
    set_rfonts(body_style.element.get_or_add_rPr())
    fmt = body_style.paragraph_format
    fmt.alignment = JUSTIFY
    fmt.first_line_indent = BODY_INDENT
    fmt.space_before = Pt(0)
    fmt.space_after = BODY_AFTER
    fmt.line_spacing = BODY_LINE_SPACING
    return document


def drop_relationships(rels: Relationships, reltype: str) -> None:
    """Remove every relationship of ``reltype``; a part nothing refers to is not saved."""
    for rid in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
        del rels[rid]
