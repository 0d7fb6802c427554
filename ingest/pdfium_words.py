"""Positioned words of a PDF page from PDFium's text layer, grouped as pdfplumber groups them.

pdfplumber (pdfminer) interprets every content stream in Python: 10-100× slower than PDFium,
which the parser already links through pypdfium2. This module reads PDFium's characters and
rebuilds the word dicts that ``pdfplumber.Page.extract_words(return_chars=True)`` gives with
its default tolerances, so the rest of the parser does not see which library read the page:

- a character's box is pdfminer's: from its origin to its advance horizontally, and from the
  baseline's descent up one font size vertically (PDFium's *loose* box has the same bottom;
  its top follows each glyph, pdfminer's does not);
- PDF space is bottom-up, pdfplumber's ``top`` counts from the media box's top;
- characters PDFium makes up (spaces between text objects, line breaks) are not in the
  PDF, so they neither join nor cut words: the gap between the boxes decides, as in pdfminer;
- words are cut at a real space, at a gap wider than 3 pt, or across a line (tops more than
  3 pt apart), after clustering characters into lines by ``top`` and sorting by ``x0``.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from collections import Counter
from typing import Any
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

X_TOLERANCE = 3.0  # pdfplumber's DEFAULT_X_TOLERANCE, which the parser always used
Y_TOLERANCE = 3.0  # pdfplumber's DEFAULT_Y_TOLERANCE

# pdfplumber expands these presentation forms inside words (expand_ligatures=True).
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_FONT_BUFFER = 256
# pdfplumber judges a scan by an image over half the page; PDFium screens with a margin.
SCAN_SCREEN = 0.3
# PDFium's code for a hyphen that ends a line (GetUnicode gives U+0002, GetText U+FFFE).
_HYPHEN_MARKS = frozenset("\x02\ufffe")
_NOT_GLYPHS = frozenset("\x00\r\n\uffff")


class Char(NamedTuple):
    """One character as pdfplumber describes it (the keys the parser reads)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str
    upright: bool


class _Run(NamedTuple):
    """What every character of one text object shares (PDFium asked once per object)."""

    font: Any
    font_id: int  # the font's address: fonts are shared by many text objects
    font_size: float  # Tf
    size: float  # pdfminer's: the glyph's height on the page
    scale: float  # horizontal: advance units to page points per unit of Tf
    fontname: str
    upright: bool
    descent: float  # below the baseline, page points (≥ 0)


def _fast(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` of PDFium with plain-int pointer arguments: called once per character,
    pypdfium2's typed prototypes cost more than PDFium's work (and a typed pointer that
    it returns is not a dict key; an address is)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "pypdfium2 gave a null function pointer"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VOID, _INT = ctypes.c_void_p, ctypes.c_int
_object_address = _fast(raw.FPDFText_GetTextObject, _VOID, _VOID, _INT)
_is_generated = _fast(raw.FPDFText_IsGenerated, _INT, _VOID, _INT)
_char_origin = _fast(raw.FPDFText_GetCharOrigin, _INT, _VOID, _INT, _VOID, _VOID)


def page_chars(page: pdfium.PdfPage) -> list[Char]:
    """The characters PDFium reads on ``page``, with pdfminer's boxes, in content order."""
    textpage = page.get_textpage()
    try:
        return _chars(textpage.raw, page.get_mediabox())
    finally:
        textpage.close()


def _chars(textpage: Any, box: tuple[float, float, float, float]) -> list[Char]:
    left, _bottom, _right, box_top = box
    count = raw.FPDFText_CountChars(textpage)
    text = _text(textpage, count)
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.addressof(origin_x), ctypes.addressof(origin_y)
    runs: dict[int, _Run] = {}
    widths: dict[tuple[int, str], float] = {}  # (font, char) → advance per unit of Tf
    chars: list[Char] = []
    append = chars.append
    for index, char in enumerate(text):
        if not char.isalnum() and _is_generated(handle, index) == 1:
            continue  # a space or line break PDFium inferred: not in the PDF, not in pdfminer
        if char in _HYPHEN_MARKS:
            char = "-"
        elif char in _NOT_GLYPHS:
            continue
        address = _object_address(handle, index)
        if not address:
            continue
        run = runs.get(address)
        if run is None:
            run = runs[address] = _run(textpage, index)
        _char_origin(handle, index, px, py)
        x0 = origin_x.value - left
        if run.upright:
            advance = widths.get((run.font_id, char))
            if advance is None:
                advance = widths[(run.font_id, char)] = _advance(run.font, char)
            if advance > 0:
                # pdfminer's box ends at the glyph's advance; PDFium's loose box also
                # covers ink that overhangs it (italics), closing the gaps between words.
                x1 = x0 + advance * run.scale
            else:
                x1 = max(_loose_box(textpage, index)[2] - left, x0)
            bottom = box_top - origin_y.value + run.descent
            top = bottom - run.size
        else:
            x_left, top_y, x_right, bottom_y = _loose_box(textpage, index)
            x1 = max(x_right - left, x0)
            top, bottom = box_top - top_y, box_top - bottom_y
        append(Char(char, x0, x1, top, bottom, run.size, run.fontname, run.upright))
    return chars


def _text(textpage: Any, count: int) -> str:
    """The page's characters, one per index (one call, not one per character)."""
    buffer = ctypes.create_string_buffer(count * 2 + 2)
    raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    # A character beyond the BMP took two UTF-16 units: ask one index at a time.
    return "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))


def _run(textpage: Any, index: int) -> _Run:
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage, index, matrix)
    font_size = raw.FPDFText_GetFontSize(textpage, index)
    name = ctypes.create_string_buffer(_FONT_BUFFER)
    raw.FPDFText_GetFontInfo(textpage, index, name, _FONT_BUFFER, None)
    font = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, index))
    descent = ctypes.c_float()
    if not (font and raw.FPDFFont_GetDescent(font, 1.0, descent)):
        descent.value = 0.0
    return _Run(
        font=font,
        font_id=ctypes.cast(font, ctypes.c_void_p).value or 0,
        font_size=font_size,
        # PDFium's sizes are float32 (14.0500002): rounded so that they round as
        # pdfminer's 14.05 does.
        size=round(font_size * math.hypot(matrix.c, matrix.d), 4),
        scale=font_size * matrix.a,
        fontname=name.value.decode("utf-8", "replace"),
        # pdfminer's test (LTChar.upright) on the same matrix.
        upright=matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0,
        # pdfminer's box bottom is the baseline lowered by the font's descent; PDFium's
        # loose box is not, for some fonts, and its top follows each glyph.
        descent=-min(descent.value, 0.0) * font_size * matrix.d,
    )


def _advance(font: Any, char: str) -> float:
    width = ctypes.c_float()
    if font and raw.FPDFFont_GetGlyphWidth(font, ord(char), 1.0, width):
        return float(width.value)
    return -1.0


def _loose_box(textpage: Any, index: int) -> tuple[float, float, float, float]:
    rect = raw.FS_RECTF()
    raw.FPDFText_GetLooseCharBox(textpage, index, rect)
    return rect.left, rect.top, rect.right, rect.bottom


def large_image(page: pdfium.PdfPage, share: float = SCAN_SCREEN) -> bool:
    """Whether an image may cover most of ``page`` (a scan): pdfplumber then measures it
    (its resolution sets the OCR's). An image inside a form XObject counts whatever its
    size: its bounds are in the form's space, not the page's."""
    left, bottom, right, top = page.get_mediabox()
    area = abs((right - left) * (top - bottom)) or 1.0
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
        if obj.level > 0:
            return True
        x0, y0, x1, y1 = obj.get_bounds()
        if (x1 - x0) * (y1 - y0) > area * share:
            return True
    return False


def extract_words(chars: list[Char]) -> list[dict[str, Any]]:
    """pdfplumber's ``extract_words(use_text_flow=False)`` on ``chars``: runs of equal
    ``upright`` (in content order), clustered into lines, cut into words. Each word also
    has the parser's style: ``fontname`` "Bold" when most of its letters are bold (else
    the commonest font) and ``size`` the commonest size, to one decimal."""
    words: list[dict[str, Any]] = []
    for upright, group in itertools.groupby(chars, key=lambda c: c.upright):
        for line in _lines(list(group), upright):
            for word in _split(line, upright):
                words.append(_merge(word, upright))
    return words


def _lines(chars: list[Char], upright: bool) -> list[list[Char]]:
    """pdfplumber's cluster_objects: sorted distinct keys chained within the tolerance."""
    tolerance = Y_TOLERANCE if upright else X_TOLERANCE
    values = sorted({c.top if upright else c.x0 for c in chars})
    cluster: dict[float, int] = {}
    number, last = -1, -math.inf
    for value in values:
        if value > last + tolerance:
            number += 1
        cluster[value] = number
        last = value
    lines: list[list[Char]] = [[] for _ in range(number + 1)]
    for char in chars:  # stable, as pdfplumber's sort by cluster
        lines[cluster[char.top if upright else char.x0]].append(char)
    for line in lines:
        line.sort(key=_by_x0 if upright else _by_top)
    return lines


def _by_x0(char: Char) -> float:
    return char.x0


def _by_top(char: Char) -> tuple[float, float]:
    return (char.top, char.bottom)


def _split(line: list[Char], upright: bool) -> list[list[Char]]:
    words: list[list[Char]] = []
    current: list[Char] = []
    for char in line:
        if char.text.isspace():
            if current:
                words.append(current)
            current = []
        elif current and _begins_word(current[-1], char, upright):
            words.append(current)
            current = [char]
        else:
            current.append(char)
    if current:
        words.append(current)
    return words


def _begins_word(prev: Char, char: Char, upright: bool) -> bool:
    if upright:
        return (
            char.x0 < prev.x0
            or char.x0 > prev.x1 + X_TOLERANCE
            or abs(char.top - prev.top) > Y_TOLERANCE
        )
    return (
        char.top < prev.top
        or char.top > prev.bottom + Y_TOLERANCE
        or abs(char.x0 - prev.x0) > X_TOLERANCE
    )


def _merge(chars: list[Char], upright: bool) -> dict[str, Any]:
    # Words are not cut where the font changes: Vietnamese letters often come from a
    # fallback font ("d" "ẫ" "n" would be three words); weight and size are majorities.
    first = chars[0]
    fonts = {c.fontname for c in chars}
    sizes = {round(c.size, 1) for c in chars}
    if len(fonts) == 1:  # the common case, without counting
        fontname = "Bold" if "bold" in first.fontname.lower() else first.fontname
    else:
        counted = Counter(c.fontname for c in chars)
        bold = sum(n for name, n in counted.items() if "bold" in name.lower())
        fontname = "Bold" if bold * 2 > len(chars) else counted.most_common(1)[0][0]
    if len(sizes) == 1:
        size = sizes.pop()
    else:
        size = Counter(round(c.size, 1) for c in chars).most_common(1)[0][0]
    text = "".join(c.text for c in chars)
    if not text.isascii():
        text = "".join(_LIGATURES.get(c.text, c.text) for c in chars)
    return {
        "text": text,
        "x0": min(c.x0 for c in chars),
        "x1": max(c.x1 for c in chars),
        "top": min(c.top for c in chars),
        "bottom": max(c.bottom for c in chars),
        "upright": upright,
        "fontname": fontname,
        "size": size,
    }
