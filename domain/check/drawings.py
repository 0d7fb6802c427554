"""Read drawings and VML shapes as possible horizontal rules.

Clerks draw the lines under the issuer, the Tiêu ngữ and the trích yếu in many ways: a
DrawingML line shape (``wps:wsp`` with ``a:prstGeom prst="line"``), a thin picture, a
legacy VML ``v:line`` or a thin ``v:rect``, or a VML horizontal rule (``o:hr``). Each is
read into a :class:`~domain.check.model.DrawnLine` with its length when the file states
it. A drawing is *line-like* when it is a line shape or is at most 3 mm tall and at least
three times as wide as tall; a logo or a seal is not.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from domain.check.model import DrawnLine

_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
EMU_PER_PT = 12700
_MAX_EMU = 12700 * 72 * 100  # 100 inches: larger extents are damage, not drawings
_THIN_PT = 3 / 25.4 * 72  # 3 mm
_LINE_GEOMETRIES = {"line", "straightConnector1"}
_VML_SHAPES = {f"{_V}rect", f"{_V}shape", f"{_V}roundrect"}
_UNITS_PT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12.0}
_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*([a-z]*)\s*$")


def read_drawing(node: ET.Element) -> DrawnLine | None:
    """Read a ``w:drawing`` element (inline or anchored)."""
    extent = node.find(f".//{_WP}extent")
    if extent is None:
        return None
    cx = _number(extent.get("cx")) / EMU_PER_PT
    cy = _number(extent.get("cy")) / EMU_PER_PT
    geometry = node.find(f".//{_A}prstGeom")
    is_line = geometry is not None and geometry.get("prst") in _LINE_GEOMETRIES
    outline = node.find(f".//{_A}ln")
    if outline is not None and outline.find(f"{_A}noFill") is not None:
        return DrawnLine(cx, False)  # an invisible outline draws nothing
    dash = outline.find(f"{_A}prstDash") if outline is not None else None
    solid = dash is None or dash.get("val", "solid") == "solid"
    line_like = cx > 0 and (is_line or (cy <= _THIN_PT and cx >= 3 * max(cy, 0.1)))
    return DrawnLine(cx, line_like, solid, "drawing")


def read_vml(node: ET.Element) -> list[DrawnLine]:
    """Read the shapes of a ``w:pict`` element."""
    found: list[DrawnLine] = []
    for shape in node.iter():
        if shape.tag == f"{_V}line":
            if shape.get("stroked", "t").lower() in ("f", "false"):
                continue
            x1, y1 = _point(shape.get("from", "0,0"))
            x2, y2 = _point(shape.get("to", "0,0"))
            dx, dy = abs(x2 - x1), abs(y2 - y1)
            found.append(DrawnLine(dx, dy <= _THIN_PT and dx > 0, _vml_solid(shape), "vml"))
        elif shape.tag in _VML_SHAPES:
            if shape.get(f"{_O}hr", "f").lower() in ("t", "true"):
                found.append(DrawnLine(None, True, True, "vml"))
                continue
            style = _style(shape.get("style", ""))
            width, height = _length(style.get("width")), _length(style.get("height"))
            if width is None or height is None:
                continue
            thin = height <= _THIN_PT and width >= 3 * max(height, 0.1)
            found.append(DrawnLine(width, thin, _vml_solid(shape), "vml"))
    return found


def _vml_solid(shape: ET.Element) -> bool:
    stroke = shape.find(f"{_V}stroke")
    style = stroke.get("dashstyle", "solid") if stroke is not None else "solid"
    return style.lower() == "solid"


def _style(text: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in text.split(";") if ":" in item)
    return {key.strip().lower(): value.strip() for key, value in pairs}


def _point(text: str) -> tuple[float, float]:
    parts = [p for p in text.split(",")]
    x = _length(parts[0]) if parts else 0.0
    y = _length(parts[1]) if len(parts) > 1 else 0.0
    return (x or 0.0, y or 0.0)


def _length(text: str | None) -> float | None:
    """Return a VML length in points; unit-less numbers are points, as Word writes them."""
    if not text:
        return None
    match = _LENGTH.match(text.lower())
    if match is None:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    unit = match.group(2) or "pt"
    return value * _UNITS_PT[unit] if unit in _UNITS_PT else None


def _number(text: str | None) -> float:
    try:
        number = float(text or 0)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and abs(number) < _MAX_EMU else 0.0
