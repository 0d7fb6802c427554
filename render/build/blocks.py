"""Reusable blocks of an NĐ 30 document: header table, title, căn cứ, Kính gửi, signature.

Each block writes Jinja placeholders for the common header variables documented in
``render.context`` (``issuer``, ``number_line``, ``place_date_line``...). Texts are
formatted by the context builder; the templates only place them.
"""

from __future__ import annotations

from functools import cache

from docx.shared import Mm

from domain import layout
from render.build.kit import LEFT
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import body_par
from render.build.kit import borderless_table
from render.build.kit import bottom_border
from render.build.kit import element_fmt
from render.build.kit import rule_par
from render.build.kit import tag_par

CELL_MARGIN_MM = 1.9  # Word's default left/right cell padding (108 twips)
HEADER_WIDTHS_MM = [70.0, 95.0]
SIGNATURE_WIDTHS_MM = [80.0, 85.0]
ISSUER_RULE_MM = 25.0
SUMMARY_RULE_MM = 45.0
# Liberation Serif 2.x has the advance widths of Times New Roman and every Vietnamese glyph
# (1.x lacks letters such as "ộ" and would under-measure them).
_FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")


@cache
def _font(bold: bool, italic: bool):
    from PIL import ImageFont

    style = {
        (False, False): "Regular",
        (True, False): "Bold",
        (False, True): "Italic",
        (True, True): "BoldItalic",
    }[(bold, italic)]
    for folder in _FONT_DIRS:
        try:
            return ImageFont.truetype(f"{folder}/LiberationSerif-{style}.ttf", 1000)
        except OSError:
            continue
    raise RuntimeError("Cần phông Liberation Serif (gói fonts-liberation2) để dựng mẫu.")


def measure_mm(text: str, fmt: Fmt) -> float:
    """Return the printed width of ``text`` in millimetres (Times New Roman metrics)."""
    return _font(fmt.bold, fmt.italic).getlength(text) * fmt.size / 1000 / 72 * 25.4


def motto_par(cell, fmt: Fmt, cell_width_mm: float, after: float = 0):
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
    document,
    *,
    with_number: bool = True,
    with_vv: bool = False,
    with_date: bool = True,
    with_issuer: bool = True,
    widths: list[float] | None = None,
):
    """Add the two-column header: issuer | Quốc hiệu, then Số (+V/v) | place and date."""
    widths = widths or HEADER_WIDTHS_MM
    table = borderless_table(document, widths)
    left, right = table.rows[0].cells
    if with_issuer:
        tag_par(left, "{%p if parent_issuer %}")
        add_par(left, "{{ parent_issuer }}", element_fmt("parent_issuer"))
        tag_par(left, "{%p endif %}")
        add_par(left, "{{ issuer }}", element_fmt("issuer"))
        rule_par(left, ISSUER_RULE_MM)
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


def title_block(document, *, summary: bool = True, before: float = 18):
    """Add the type name (KẾ HOẠCH, QUYẾT ĐỊNH...) and the trích yếu with its short line."""
    add_par(
        document, "{{ type_name }}", element_fmt("doc_type_name"), before=before, keep_next=True
    )
    if summary:
        add_par(document, "{{ summary }}", element_fmt("summary"), keep_next=True)
        rule_par(document, SUMMARY_RULE_MM).paragraph_format.space_after = 12


def can_cu_block(document):
    """Add one italic paragraph per căn cứ line (punctuation is set by the context)."""
    tag_par(document, "{%p for line in can_cu %}")
    body_par(document, "{{ line }}", element_fmt("legal_basis"))
    tag_par(document, "{%p endfor %}")


def paragraphs_block(document, expression: str, fmt: Fmt | None = None):
    """Add one body paragraph per line of a multi-line field: ``{%p for ... %}``."""
    tag_par(document, f"{{%p for para in {expression}|paragraphs %}}")
    body_par(document, "{{ para }}", fmt or element_fmt("body"))
    tag_par(document, "{%p endfor %}")


def heading_par(document, text: str):
    """Add a bold section heading ("I. MỤC ĐÍCH, YÊU CẦU") on its own line."""
    return body_par(document, text, element_fmt("section_heading"))


def kinh_gui_block(document):
    """Add "Kính gửi:" — one addressee on the same line, several as a dash list.

    ``kinh_gui`` comes from ``domain.recipients.kinh_gui_lines``: its first line holds the
    label (with the single addressee, if there is only one).
    """
    fmt = element_fmt("kinh_gui")
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


def authority_cell(
    cell, *, lines_var: str = "sign_authority", name_var: str = "signer_name", note: str = ""
):
    """Fill a signature cell: quyền hạn/chức vụ lines, room to sign, name."""
    authority = element_fmt("signature_authority")
    tag_par(cell, f"{{%p for line in {lines_var} %}}")
    add_par(cell, "{{ line }}", authority)
    tag_par(cell, "{%p endfor %}")
    if note:
        add_par(cell, note, Fmt(14, italic=True))
    for _ in range(4):
        add_par(cell, "", Fmt(14))
    add_par(cell, f"{{{{ {name_var} }}}}", element_fmt("signer_name"))


def recipients_cell(cell):
    """Fill the "Nơi nhận:" cell: 12 pt bold italic label, 11 pt items."""
    add_par(cell, "Nơi nhận:", element_fmt("recipients_label"), align=LEFT)
    tag_par(cell, "{%p for item in recipients %}")
    add_par(cell, "{{ item }}", element_fmt("recipient_item"), align=LEFT)
    tag_par(cell, "{%p endfor %}")


def signature_block(document, *, recipients: bool = True):
    """Add the closing table: Nơi nhận (left) and the signature (right)."""
    add_par(document, "", Fmt(14))
    table = borderless_table(document, SIGNATURE_WIDTHS_MM)
    left, right = table.rows[0].cells
    if recipients:
        recipients_cell(left)
    else:
        add_par(left, "", Fmt(14))
    authority_cell(right)
    return table


def list_table(
    document, rows_var: str, columns: list[tuple[str, str, float, str]], *, header_rows=None
):
    """Add a bordered table: a header row, then one row per item of ``rows_var``.

    Args:
        document: where to add the table.
        rows_var: the list variable (``"nguoi_de_nghi"``).
        columns: (header text, Jinja expression on ``row``, width in mm, "c"/"l"/"j").
        header_rows: optional callable filling custom header rows (merged cells); it gets
            the table and returns nothing. The default is one bold row of header texts.
    """
    from render.build.kit import CENTER
    from render.build.kit import JUSTIFY
    from render.build.kit import cell_par
    from render.build.kit import grid_table
    from render.build.kit import repeat_header_row

    widths = [c[2] for c in columns]
    table = grid_table(document, widths, rows=1)
    if header_rows is None:
        for cell, (title, _, _, _) in zip(table.rows[0].cells, columns, strict=True):
            cell._tc.remove(cell.paragraphs[0]._p)
            cell_par(cell, title, Fmt(13, bold=True))
        repeat_header_row(table.rows[0])
    else:
        header_rows(table)
    aligns = {"c": CENTER, "l": LEFT, "j": JUSTIFY}
    loop_row = table.add_row()
    loop_row.cells[0].paragraphs[0].text = ""
    from render.build.kit import add_run

    add_run(loop_row.cells[0].paragraphs[0], f"{{%tr for row in {rows_var} %}}", Fmt(13))
    data_row = table.add_row()
    for cell, (_, expr, _, align) in zip(data_row.cells, columns, strict=True):
        cell._tc.remove(cell.paragraphs[0]._p)
        cell_par(cell, f"{{{{ {expr} }}}}", Fmt(13), align=aligns[align])
    end_row = table.add_row()
    add_run(end_row.cells[0].paragraphs[0], "{%tr endfor %}", Fmt(13))
    from render.build.kit import set_widths

    set_widths(table, widths)
    return table
