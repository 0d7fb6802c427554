"""Text measured with the font's own metrics, and the short lines sized from it.

NĐ 30 (Phụ lục I, Mục II.2.b and II.5.b) wants the line under the issuer and the line under
the trích yếu 1/3 to 1/2 as long as the text line above it. A fixed length cannot do that
for every name and every trích yếu, so the context builder measures the text as it will be
printed (Times New Roman metrics, wrapped the way Word and LibreOffice wrap it: greedily at
spaces) and hands the template a line of the right length.

The line is an inline DrawingML line shape, given to the template as a docxtpl ``RichText``
run (``{{r summary_rule }}``): its length is the shape's extent, an attribute, which a
template can only take from a run the context builds. The template itself keeps a plain
text tag, so it stays a valid .docx that an administrator can open and edit in Word.

This module needs Pillow only (no python-docx), so the web and worker processes import it
cheaply.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from domain import layout

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

EMU_PER_MM = 36000
CELL_MARGIN_MM = 1.9  # Word's default left/right cell padding (108 twips)
# Header table: issuer | Quốc hiệu, for portrait kinds and for the landscape Danh sách.
HEADER_WIDTHS_MM = [70.0, 95.0]
WIDE_HEADER_WIDTHS_MM = [100.0, 152.0]
# Aim at the middle of the allowed range, so that the small differences between these
# metrics and the printer's (kerning, rounding) never take a line out of it.
RULE_RATIO = sum(layout.ELEMENTS["summary_underline"].line_ratio or (1 / 3, 1 / 2)) / 2
RULE_WEIGHT_EMU = 9525  # 0.75 pt, as Word draws a default line
# Liberation Serif 2.x has the advance widths of Times New Roman and every Vietnamese glyph
# (1.x lacks letters such as "ộ" and would under-measure them).
_FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
_DML = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


@cache
def _font(bold: bool, italic: bool) -> FreeTypeFont:
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
    raise RuntimeError("Cần phông Liberation Serif (gói fonts-liberation2) để đo chữ.")


def width_mm(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Return the printed width of ``text`` at ``size`` points, in millimetres."""
    return _font(bold, italic).getlength(text) * size / 1000 / 72 * 25.4


def wrap(
    text: str, box_mm: float, size: float, *, bold: bool = False, italic: bool = False
) -> list[str]:
    """Break ``text`` into the lines a ``box_mm`` wide paragraph prints (greedy, at spaces).

    A word longer than the box stays on a line of its own, as the word processors leave it
    (they would break it inside; the line is then the box's width, which the caller's
    measure of that line overstates only slightly).
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and width_mm(candidate, size, bold=bold, italic=italic) > box_mm:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def longest_line_mm(
    texts: list[str], box_mm: float, size: float, *, bold: bool = False, italic: bool = False
) -> float:
    """Return the width of the longest printed line of the paragraphs ``texts``."""
    widths = [
        min(width_mm(line, size, bold=bold, italic=italic), box_mm)
        for text in texts
        for line in wrap(text, box_mm, size, bold=bold, italic=italic)
    ]
    return max(widths, default=0.0)


def rule_length_mm(
    texts: list[str], box_mm: float, size: float, *, bold: bool = False, italic: bool = False
) -> float:
    """Return the length of the line under ``texts``: :data:`RULE_RATIO` of the longest line.

    Empty text (a custom template may print none) gets a line of 1/3 of the box.
    """
    longest = longest_line_mm(texts, box_mm, size, bold=bold, italic=italic)
    return round(longest * RULE_RATIO if longest else box_mm / 3, 1)


def rule_run_xml(length_mm: float, shape_id: int = 1) -> str:
    """Return a ``w:r`` holding an inline horizontal line ``length_mm`` long, centred by
    its paragraph. docxtpl renumbers ``wp:docPr`` ids, so ``shape_id`` need not be unique."""
    cx = max(1, round(length_mm * EMU_PER_MM))
    half = RULE_WEIGHT_EMU // 2
    return (
        '<w:r><w:rPr><w:sz w:val="8"/><w:szCs w:val="8"/></w:rPr><w:drawing>'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" {_DML}>'
        f'<wp:extent cx="{cx}" cy="0"/><wp:effectExtent l="0" t="{half}" r="0" b="{half}"/>'
        f'<wp:docPr id="{shape_id}" name="Đường kẻ {shape_id}"/><wp:cNvGraphicFramePr/>'
        "<a:graphic><a:graphicData "
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="0"/></a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{RULE_WEIGHT_EMU}"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        "</a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r>"
    )


def text_box_mm(*, landscape: bool) -> float:
    """Return the width between the default NĐ 30 margins of an A4 page."""
    paper = layout.A4.height_mm if landscape else layout.A4.width_mm
    return paper - layout.MARGINS["left"].default_mm - layout.MARGINS["right"].default_mm


def issuer_box_mm(*, landscape: bool) -> float:
    """Return the width the issuer's name may take in the header's left cell."""
    widths = WIDE_HEADER_WIDTHS_MM if landscape else HEADER_WIDTHS_MM
    return widths[0] - 2 * CELL_MARGIN_MM
