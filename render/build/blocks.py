"""Reusable blocks of an NĐ 30 document: header table, title, căn cứ, Kính gửi, signature.

Each block writes Jinja placeholders for the common header variables documented in
``render.context`` (``issuer``, ``number_line``, ``place_date_line``...). Texts are
formatted by the context builder; the templates only place them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from domain import layout
from render.build.flow import annex_section
from render.build.flow import cant_split
from render.build.flow import inherit_headers
from render.build.flow import keep_row_with_next
from render.build.flow import keep_with_next
from render.build.kit import CENTER
from render.build.kit import JUSTIFY
from render.build.kit import LEFT
from render.build.kit import Container
from render.build.kit import Fmt
from render.build.kit import Xml
from render.build.kit import add_par
from render.build.kit import add_run
from render.build.kit import body_par
from render.build.kit import borderless_table
from render.build.kit import bottom_border
from render.build.kit import cell_par
from render.build.kit import element_fmt
from render.build.kit import grid_table
from render.build.kit import repeat_header_row
from render.build.kit import set_widths
from render.build.kit import tag_par
from render.build.measure import CELL_MARGIN_MM
from render.build.measure import HEADER_WIDTHS_MM
from render.build.measure import width_mm

SIGNATURE_WIDTHS_MM = [80.0, 85.0]
# "STT" in 13 pt bold is 8.7 mm wide: with Word's 1.9 mm cell padding on each side a
# column narrower than 12.6 mm wraps it to "ST/T".
STT_WIDTH_MM = 14.0


def measure_mm(text: str, fmt: Fmt) -> float:
    """Return the printed width of ``text`` in millimetres (Times New Roman metrics)."""
    return width_mm(text, fmt.size, bold=fmt.bold, italic=fmt.italic)


def rule_tag_par(container: Container, variable: str, *, before: float = 3) -> Paragraph:
    """Add a centred paragraph whose ``{{r variable }}`` run the context fills with a line.

    The line's length is measured from the text above it when the document is rendered
    (:func:`render.context.layout_context`); a little space above keeps it off the
    descenders of that text.
    """
    return add_par(container, f"{{{{r {variable} }}}}", Fmt(4), before=before)


def motto_par(cell: Container, fmt: Fmt, cell_width_mm: float, after: float = 0) -> Paragraph:
    """Add the Tiêu ngữ with a bottom border exactly as long as the motto text."""
    paragraph = add_par(cell, layout.MOTTO, fmt, after=after)
    usable = cell_width_mm - 2 * CELL_MARGIN_MM
    # 0.5 mm of slack on each side so rounding never wraps the motto onto two lines.
    side = max((usable - measure_mm(layout.MOTTO, fmt)) / 2 - 0.5, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    bottom_border(paragraph)
    return paragraph


def header_table(
    document: DocxDocument,
    *,
    with_number: bool = True,
    with_vv: bool = False,
    with_date: bool = True,
    with_issuer: bool = True,
    widths: list[float] | None = None,
) -> Table:
    """Add the two-column header: issuer | Quốc hiệu, then Số (+V/v) | place and date."""
    widths = widths or HEADER_WIDTHS_MM
    table = borderless_table(document, widths)
    left, right = table.rows[0].cells
    if with_issuer:
        tag_par(left, "{%p if parent_issuer %}")
        add_par(left, "{{ parent_issuer }}", element_fmt("parent_issuer"))
        tag_par(left, "{%p endif %}")
        add_par(left, "{{ issuer }}", element_fmt("issuer"))
        rule_tag_par(left, "issuer_rule")
    else:
        add_par(left, "", Fmt(12))
    add_par(right, layout.NATIONAL_TITLE, element_fmt("national_title"))
    motto_par(right, element_fmt("motto"), widths[1])
    if not (with_number or with_date or with_vv):
        return table
    row = table.add_row()
    left, right = row.cells
    for cell in row.cells:
        cell._tc.remove(cell.paragraphs[0]._p)
    if with_number:
        add_par(left, "{{ number_line }}", element_fmt("number_line"), before=6)
    else:
        add_par(left, "", Fmt(13), before=6)
    if with_vv:
        add_par(
            left, "{{ vv_line }}", element_fmt("cv_summary"), before=layout.CV_SUMMARY_SPACING_PT
        )
    if with_date:
        add_par(right, "{{ place_date_line }}", element_fmt("place_date"), before=6)
    else:
        add_par(right, "", Fmt(13), before=6)
    return table


def title_block(document: DocxDocument, *, summary: bool = True, before: float = 18) -> None:
    """Add the type name (KẾ HOẠCH, QUYẾT ĐỊNH...) and the trích yếu with its short line."""
    add_par(
        document, "{{ type_name }}", element_fmt("doc_type_name"), before=before, keep_next=True
    )
    if summary:
        add_par(document, "{{ summary }}", element_fmt("summary"), keep_next=True)
        keep_with_next(rule_tag_par(document, "summary_rule")).paragraph_format.space_after = 12


def can_cu_block(document: DocxDocument) -> None:
    """Add one italic paragraph per căn cứ line (punctuation is set by the context)."""
    tag_par(document, "{%p for line in can_cu %}")
    body_par(document, "{{ line }}", element_fmt("legal_basis"))
    tag_par(document, "{%p endfor %}")


def paragraphs_block(
    document: DocxDocument, expression: str, fmt: Fmt | None = None, *, keep_last: bool = False
) -> None:
    """Add one body paragraph per line of a multi-line field: ``{%p for ... %}``.

    With ``keep_last`` (the body's last field, right before the end block) the last
    paragraph keeps with the end block, so the signature never starts a page alone.
    """
    fmt = fmt or element_fmt("body")
    tag_par(document, f"{{%p for para in {expression}|paragraphs %}}")
    if keep_last:
        tag_par(document, "{%p if loop.last %}")
        keep_with_next(body_par(document, "{{ para }}", fmt))
        tag_par(document, "{%p else %}")
    body_par(document, "{{ para }}", fmt)
    if keep_last:
        tag_par(document, "{%p endif %}")
    tag_par(document, "{%p endfor %}")


def heading_par(document: DocxDocument, text: str) -> Paragraph:
    """Add a bold section heading ("I. MỤC ĐÍCH, YÊU CẦU") on its own line."""
    return body_par(document, text, element_fmt("section_heading"))


def kinh_gui_block(document: DocxDocument, *, optional: bool = False) -> None:
    """Add "Kính gửi:" — one addressee on the same line, several as a dash list.

    ``kinh_gui`` comes from ``domain.recipients.kinh_gui_lines``: its first line holds the
    label (with the single addressee, if there is only one). With ``optional`` (a Báo cáo,
    sent to a superior or not) nothing is printed when there is no addressee.
    """
    fmt = element_fmt("kinh_gui")
    if optional:
        tag_par(document, "{%p if kinh_gui %}")
    tag_par(document, "{%p if kinh_gui|length == 1 %}")
    add_par(document, "{{ kinh_gui[0] }}", fmt, before=6, after=6)
    tag_par(document, "{%p else %}")
    label = add_par(document, "{{ kinh_gui[0] }}", fmt, align=LEFT, before=6)
    label.paragraph_format.left_indent = Mm(25)
    tag_par(document, "{%p for item in kinh_gui[1:] %}")
    item = add_par(document, "{{ item }}", fmt, align=LEFT)
    item.paragraph_format.left_indent = Mm(47)
    tag_par(document, "{%p endfor %}")
    tag_par(document, "{%p endif %}")
    add_par(document, "", Fmt(6))
    if optional:
        tag_par(document, "{%p endif %}")


def labelled_par(document: DocxDocument, label: str, value: str) -> Paragraph:
    """Add a body paragraph: a bold label ("Địa điểm: ") followed by its value."""

    paragraph = body_par(document, label, Fmt(14, bold=True))
    add_run(paragraph, value, Fmt(14))
    return paragraph


def sections_block(document: DocxDocument, rows_var: str) -> None:
    """Add the numbered parts of a body: per row, its heading line ("I. MỤC ĐÍCH, YÊU CẦU",
    the context's ``heading_line``) and one paragraph per line of its ``noi_dung``."""
    tag_par(document, f"{{%p for section in {rows_var} %}}")
    keep_with_next(heading_par(document, "{{ section.heading_line }}"))
    paragraphs_block(document, "section.noi_dung")
    tag_par(document, "{%p endfor %}")


def lead_paragraphs_block(
    document: DocxDocument, rows_var: str, *, keep_last: bool = False
) -> None:
    """Add one body paragraph per item of ``rows_var``: its bold ``lead`` ("Điều 2. ",
    or nothing), then its ``text``.

    With ``keep_last`` the last paragraph keeps with the end block (see
    :func:`paragraphs_block`).
    """

    def paragraph():
        made = body_par(document, "{{ item.lead }}", Fmt(14, bold=True))
        add_run(made, "{{ item.text }}", Fmt(14))
        return made

    tag_par(document, f"{{%p for item in {rows_var} %}}")
    if keep_last:
        tag_par(document, "{%p if loop.last %}")
        keep_with_next(paragraph())
        tag_par(document, "{%p else %}")
    paragraph()
    if keep_last:
        tag_par(document, "{%p endif %}")
    tag_par(document, "{%p endfor %}")


def styled_lines_block(document: DocxDocument, rows_var: str) -> None:
    """Add the lines of an attached Quy chế / Quy định, each as its ``style`` says.

    ``"chapter"``: "Chương I", centred, bold, a line of space above it; ``"chapter_title"``:
    the chapter's name under it; both kept with what follows; ``"article"``: "Điều 1. Phạm vi
    điều chỉnh", bold, kept with its first paragraph; anything else: a body paragraph.
    """
    heading = element_fmt("section_heading")
    tag_par(document, f"{{%p for item in {rows_var} %}}")
    tag_par(document, '{%p if item.style == "chapter" %}')
    add_par(document, "{{ item.text }}", heading, before=12, keep_next=True)
    tag_par(document, '{%p elif item.style == "chapter_title" %}')
    add_par(document, "{{ item.text }}", heading, after=6, keep_next=True)
    tag_par(document, '{%p elif item.style == "article" %}')
    keep_with_next(body_par(document, "{{ item.text }}", Fmt(14, bold=True)))
    tag_par(document, "{%p else %}")
    body_par(document, "{{ item.text }}", element_fmt("body"))
    tag_par(document, "{%p endif %}")
    tag_par(document, "{%p endfor %}")


def authority_cell(
    cell: _Cell, *, lines_var: str = "sign_authority", name_var: str = "signer_name", note: str = ""
) -> None:
    """Fill a signature cell: quyền hạn/chức vụ lines, room to sign, name.

    The cell's row is made unsplittable by its caller, which keeps the title and the name
    on one page. Its paragraphs do not keep with the next: in a row, that would tie the row
    to the row below it (Word and LibreOffice read it so), and the rows of Nơi nhận items
    after the signature are free to go to the next page.
    """
    authority = element_fmt("signature_authority")
    tag_par(cell, f"{{%p for line in {lines_var} %}}")
    add_par(cell, "{{ line }}", authority)
    tag_par(cell, "{%p endfor %}")
    if note:
        add_par(cell, note, Fmt(14, italic=True))
    for _ in range(4):
        add_par(cell, "", Fmt(14))
    add_par(cell, f"{{{{ {name_var} }}}}", element_fmt("signer_name"))


def recipients_cell(cell: _Cell, items_var: str = "recipients") -> None:
    """Fill the "Nơi nhận:" cell: 12 pt bold italic label, 11 pt items."""
    add_par(cell, "Nơi nhận:", element_fmt("recipients_label"), align=LEFT)
    tag_par(cell, f"{{%p for item in {items_var} %}}")
    add_par(cell, "{{ item }}", element_fmt("recipient_item"), align=LEFT)
    tag_par(cell, "{%p endfor %}")


def end_spacer(document: DocxDocument) -> Paragraph:
    """Add the blank line between the body and the end block, kept with the end block."""
    return add_par(document, "", Fmt(14), keep_next=True)


def signature_block(document: DocxDocument, *, recipients: bool = True) -> Table:
    """Add the end block: Nơi nhận (left) and the signature (right).

    Laid out so that it holds under any length of body and of Nơi nhận:

    - the first row holds "Nơi nhận:" with its items (``recipients_head``: all of them up
      to a page's worth) and the whole signature, and cannot split: the authority line,
      the room to sign, the name and the whole Nơi nhận are always on one page;
    - the blank line before it and the body's last paragraph keep with it (the builders
      pass ``keep_last``), so when the row does not fit, at least the body's last lines
      go with it to the next page: the signature never stands on a page without body
      text (a body that ends with a list carries its end block in the list's closing
      row instead, see :func:`list_table`);
    - only a Nơi nhận longer than a page has more items (``recipients_tail``): they follow
      one row each and continue on the next page, as a văn thư would continue it by hand.

    A table keeps the left column level with the signature, as Phụ lục I places them
    (the label level with the authority line).
    """
    end_spacer(document)
    table = borderless_table(document, SIGNATURE_WIDTHS_MM)
    first = table.rows[0]
    cant_split(first)
    left, right = first.cells
    if recipients:
        recipients_cell(left, "recipients_head")
    else:
        add_par(left, "", Fmt(14))
    authority_cell(right)
    if recipients:
        recipient_rows(table, "recipients_tail")
    return table


def recipient_rows(table: Table, items_var: str) -> None:
    """Add one row per Nơi nhận item of ``items_var`` under the first column of ``table``.

    One line per row: a long Nơi nhận breaks between rows onto the next page, where a
    single tall row of items could make the word processor move the whole end block.
    """

    opening = table.add_row()
    add_run(opening.cells[0].paragraphs[0], f"{{%tr for item in {items_var} %}}", Fmt(11))
    row = table.add_row()
    left, *others = row.cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    add_par(left, "{{ item }}", element_fmt("recipient_item"), align=LEFT)
    for cell in others:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        add_par(cell, "", element_fmt("recipient_item"))
    closing = table.add_row()
    add_run(closing.cells[0].paragraphs[0], "{%tr endfor %}", Fmt(11))


def list_table(
    document: DocxDocument,
    rows_var: str,
    columns: list[tuple[str, str, float, str]],
    *,
    header_rows: Callable[[Table], None] | None = None,
    closing: Callable[[Table], None] | None = None,
) -> Table:
    """Add a bordered table: a header row, then one row per item of ``rows_var``.

    Header rows repeat on every page and keep with the first data row; a data row never
    splits across pages.

    A list that ends the body carries the end block in its own last row (``closing``),
    borderless and unsplittable, and its last data row keeps with that row. Kept in one
    table, the keep holds in LibreOffice too, which does not reliably keep the end of a
    table that runs over several pages with a paragraph or table after it (measured: the
    signature then stood alone on the last page): so the signature always has at least
    the list's last row, under the repeated header, on its page.

    Args:
        document: where to add the table.
        rows_var: the list variable (``"nguoi_de_nghi"``).
        columns: (header text, Jinja expression on ``row``, width in mm, "c"/"l"/"j").
        header_rows: optional callable filling custom header rows (merged cells); it gets
            the table and returns nothing. The default is one bold row of header texts.
        closing: optional callable that fills the end row: it gets the table and adds the
            row with :func:`closing_row`.
    """

    widths = [c[2] for c in columns]
    table = grid_table(document, widths, rows=1)
    if header_rows is None:
        for cell, (title, _, _, _) in zip(table.rows[0].cells, columns, strict=True):
            cell._tc.remove(cell.paragraphs[0]._p)
            cell_par(cell, title, Fmt(13, bold=True))
        repeat_header_row(table.rows[0])
    else:
        header_rows(table)
    for row in table.rows:
        cant_split(row)
        keep_row_with_next(row)
    aligns = {"c": CENTER, "l": LEFT, "j": JUSTIFY}

    def tag_row(text: str) -> None:
        row = table.add_row()
        add_run(row.cells[0].paragraphs[0], text, Fmt(13))

    def data_row(last: bool) -> None:
        row = table.add_row()
        cant_split(row)
        for cell, (_, expr, _, align) in zip(row.cells, columns, strict=True):
            cell._tc.remove(cell.paragraphs[0]._p)
            cell_par(cell, f"{{{{ {expr} }}}}", Fmt(13), align=aligns[align])
        if last:
            keep_row_with_next(row)
            for cell in row.cells:
                cell_borders(cell, bottom="single")

    tag_row(f"{{%tr for row in {rows_var} %}}")
    if closing is not None:
        tag_row("{%tr if loop.last %}")
        data_row(True)
        tag_row("{%tr else %}")
    data_row(False)
    if closing is not None:
        tag_row("{%tr endif %}")
    tag_row("{%tr endfor %}")
    set_widths(table, widths)
    if closing is not None:
        closing(table)
    return table


def closing_row(table: Table, left_columns: int) -> tuple[_Cell, _Cell]:
    """Add the end row of a list: borderless, unsplittable, two cells (left, right).

    The left cell spans the first ``left_columns`` columns, the right one the rest. Their
    first paragraphs should leave room above (the blank line that separates a body from
    its end block).
    """
    row = table.add_row()
    cant_split(row)
    cells = row.cells
    left = cells[0].merge(cells[left_columns - 1]) if left_columns > 1 else cells[0]
    right = cells[left_columns].merge(cells[-1]) if len(cells) - left_columns > 1 else cells[-1]
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph._p.getparent().remove(paragraph._p)
        cell_borders(cell, top="nil", left="nil", bottom="nil", right="nil")
    return left, right


def cell_borders(cell: _Cell, **edges: str) -> None:
    """Set a cell's own borders (``"nil"`` or ``"single"``) over the table's."""
    tc_pr: Xml = cell._tc.get_or_add_tcPr()
    borders: Xml = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        # CT_TcPr: tcW, gridSpan, hMerge, vMerge, tcBorders, shd, noWrap, tcMar, ...
        tc_pr.insert_element_before(
            borders,
            "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
            "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
        )  # fmt: skip
    for side in ("top", "left", "bottom", "right"):  # CT_TcBorders order (start/end unused)
        value = edges.get(side)
        if value is None:
            continue
        edge = borders.find(qn(f"w:{side}"))
        if edge is None:
            edge = OxmlElement(f"w:{side}")
            borders.append(edge)
        edge.set(qn("w:val"), value)
        if value != "nil":
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "auto")
    # Keep the children in schema order whatever order they were added in.
    order = {qn(f"w:{side}"): i for i, side in enumerate(("top", "left", "bottom", "right"))}
    for child in sorted(borders, key=lambda c: order.get(c.tag, 9)):
        borders.append(child)


def list_annex(
    document: DocxDocument,
    rows_var: str,
    columns: list[tuple[str, str, float, str]],
    **options: Any,
) -> Table:
    """Add a Quyết định's list as an annex: a new section on a new page whose pages are
    numbered from 1 (NĐ 30, Phụ lục I, Mục III.1.đ), "DANH SÁCH", its title
    (``tieu_de_danh_sach``), "(Kèm theo Quyết định số …)" (``annex_line``) and the table.

    With ``optional=True`` (the template drops the annex when the list is empty, and its
    section break with it) the last section numbers its pages itself.
    """

    annex_section(document)
    if options.get("optional"):
        inherit_headers(document)
    add_par(document, "DANH SÁCH", element_fmt("doc_type_name"))
    add_par(document, "{{ tieu_de_danh_sach }}", element_fmt("summary"))
    add_par(document, "{{ annex_line }}", Fmt(14, italic=True), after=12)
    table = list_table(document, rows_var, columns)
    body_par(document, "", Fmt(14))
    return table
