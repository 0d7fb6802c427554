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
import math
import unicodedata
from collections import Counter
from typing import Any
from typing import NamedTuple

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw

X_TOLERANCE = 3.0  # pdfplumber's DEFAULT_X_TOLERANCE, which the parser always used
Y_TOLERANCE = 3.0  # pdfplumber's DEFAULT_Y_TOLERANCE

# pdfplumber expands these presentation forms inside words (expand_ligatures=True).
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
)
_FONT_BUFFER = 256
# pdfplumber judges a scan by an image over half the page; PDFium screens with a margin.
SCAN_SCREEN = 0.3
# PDFium's code for a hyphen that ends a line (GetUnicode gives U+0002, GetText U+FFFE).
_AS_GLYPH = str.maketrans({"\x02": "-", "\ufffe": "-"})
_NOT_GLYPH_CODES = np.array([ord(c) for c in "\x00\r\n\uffff"], dtype="<u4")
_SPACE = ord(" ")


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


class PageChars(NamedTuple):
    """A page's characters as pdfplumber describes them (the keys the parser reads), one
    column per key: read from PDFium in bulk and grouped into words with numpy, which is
    what keeps the parser within a few times PDFium's own text extraction (issue 15)."""

    text: str  # one character per entry, in content order
    x0: np.ndarray[Any, np.dtype[np.float64]]
    x1: np.ndarray[Any, np.dtype[np.float64]]
    top: np.ndarray[Any, np.dtype[np.float64]]
    bottom: np.ndarray[Any, np.dtype[np.float64]]
    run: np.ndarray[Any, np.dtype[np.intp]]  # each character's text object, in ``runs``
    runs: list[_Run]


def _bare(function: Any, restype: Any) -> Any:
    """``function`` of PDFium without argument types, for the calls made per character:
    ctypes then converts nothing, which costs half of a typed call (and pypdfium2's typed
    prototypes cost more than PDFium's work). Callers pass a pointer as a ``c_void_p``, an
    out-parameter by ``byref`` and an index as a Python int (a C int); a pointer that it
    returns is a plain address, usable as a dict key."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "pypdfium2 gave a null function pointer"
    return ctypes.CFUNCTYPE(restype)(address)


_object_address = _bare(raw.FPDFText_GetTextObject, ctypes.c_void_p)
_is_generated = _bare(raw.FPDFText_IsGenerated, ctypes.c_int)
_char_origin = _bare(raw.FPDFText_GetCharOrigin, ctypes.c_int)
_EMPTY = np.empty(0, dtype=np.float64)
# Right-to-left letters: PDFium's text page reverses their runs (CloseTempLine's BiDi
# pass), the only way one text object's characters stop being consecutive.
_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})


def page_chars(page: pdfium.PdfPage) -> PageChars:
    """The characters PDFium reads on ``page``, with pdfminer's boxes, in content order."""
    textpage = page.get_textpage()
    try:
        return _chars(textpage.raw, page.get_mediabox())
    finally:
        textpage.close()


def _chars(textpage: Any, box: tuple[float, float, float, float]) -> PageChars:
    left, _bottom, _right, box_top = box
    count = raw.FPDFText_CountChars(textpage)
    text = _text(textpage, count)
    handle = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
    kept = _kept(handle, text)
    spans = _spans(handle, kept, consecutive=not _right_to_left(text))
    runs_by_address: dict[int, int] = {}
    runs: list[_Run] = []
    indices: list[int] = []
    run_of: list[int] = []
    lengths: list[int] = []
    for start, end, address in spans:
        if not address:
            continue  # no text object (PDFium makes none up but for its own spaces)
        number = runs_by_address.get(address)
        if number is None:
            number = runs_by_address[address] = len(runs)
            runs.append(_run(textpage, kept[start]))
        indices.extend(kept[start:end])
        run_of.append(number)
        lengths.append(end - start)
    chars = "".join([text[i] for i in indices]).translate(_AS_GLYPH)
    run = np.repeat(np.array(run_of, dtype=np.intp), lengths)
    if not indices:
        return PageChars("", _EMPTY, _EMPTY, _EMPTY, _EMPTY, run, runs)
    origin_x, origin_y = _origins(handle, indices)
    x0 = origin_x - left
    advance = _advances(chars, run, runs)
    scale = np.array([r.scale for r in runs])[run]
    # pdfminer's box ends at the glyph's advance; PDFium's loose box also covers ink that
    # overhangs it (italics), closing the gaps between words.
    x1 = x0 + advance * scale
    bottom = (box_top - origin_y) + np.array([r.descent for r in runs])[run]
    top = bottom - np.array([r.size for r in runs])[run]
    upright = np.array([r.upright for r in runs], dtype=bool)[run]
    # Characters without an advance, and those of turned text, take PDFium's loose box.
    for k in np.flatnonzero(~upright | ~(advance > 0)).tolist():
        x_left, top_y, x_right, bottom_y = _loose_box(textpage, indices[k])
        x1[k] = max(x_right - left, float(x0[k]))
        if not upright[k]:
            top[k], bottom[k] = box_top - top_y, box_top - bottom_y
    return PageChars(chars, x0, x1, top, bottom, run, runs)


def _text(textpage: Any, count: int) -> str:
    """The page's characters, one per index (one call, not one per character)."""
    buffer = ctypes.create_string_buffer(count * 2 + 2)
    raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    # A character beyond the BMP took two UTF-16 units: ask one index at a time.
    return "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))


def _kept(handle: ctypes.c_void_p, text: str) -> list[int]:
    """Indexes of the characters that are in the PDF: not a line break or a space PDFium
    inferred (its only generated characters are " ", "\\r" and "\\n"), not a non-glyph."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    kept = ~np.isin(codes, _NOT_GLYPH_CODES)
    for index in np.flatnonzero(codes == _SPACE).tolist():
        if _is_generated(handle, index) == 1:
            kept[index] = False  # a space PDFium inferred: not in the PDF, not in pdfminer
    result: list[int] = np.flatnonzero(kept).tolist()
    return result


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in set(text))


def _spans(
    handle: ctypes.c_void_p, kept: list[int], *, consecutive: bool
) -> list[tuple[int, int, int]]:
    """``kept`` cut where the text object changes: (start, end, object's address) over
    positions in ``kept``.

    PDFium's text page appends each text object's characters together, so a run's end is
    found by doubling steps and then halving (about 2·log₂ n calls for a run of n instead
    of n). With ``consecutive`` False (right-to-left text) every character is asked.
    """
    spans: list[tuple[int, int, int]] = []
    total = len(kept)
    if not total:
        return spans
    address = _object_address(handle, kept[0]) or 0
    position = 0
    while position < total:
        same = position  # the last position known to be in this object
        if consecutive:
            step = 1
            end, following = total, 0
            while same + step < total:
                probe = _object_address(handle, kept[same + step]) or 0
                if probe != address:
                    end, following = same + step, probe
                    break
                same += step
                step *= 2
            while end - same > 1:
                middle = (same + end) // 2
                probe = _object_address(handle, kept[middle]) or 0
                if probe == address:
                    same = middle
                else:
                    end, following = middle, probe
        else:
            end, following = total, 0
            for at in range(position + 1, total):
                probe = _object_address(handle, kept[at]) or 0
                if probe != address:
                    end, following = at, probe
                    break
        spans.append((position, end, address))
        position, address = end, following
    return spans


def _origins(
    handle: ctypes.c_void_p, indices: list[int]
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """Each character's origin (the one call per character left)."""
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.byref(origin_x), ctypes.byref(origin_y)
    xs: list[float] = []
    ys: list[float] = []
    add_x, add_y = xs.append, ys.append
    call = _char_origin
    for index in indices:
        call(handle, index, px, py)
        add_x(origin_x.value)
        add_y(origin_y.value)
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)


def _advances(
    chars: str, run: np.ndarray[Any, np.dtype[np.intp]], runs: list[_Run]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Each character's advance per unit of Tf in its font (-1 when the font has none);
    asked once per font and character."""
    advances: list[float] = []
    cached: dict[int, dict[str, float]] = {}
    bounds = np.flatnonzero(np.diff(run)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(chars)]
    for start, end in zip(starts, ends, strict=True):
        current = runs[int(run[start])]
        widths = cached.setdefault(current.font_id, {})
        chunk = chars[start:end]
        got = list(map(widths.get, chunk))
        if None in got:
            for offset, char in enumerate(chunk):
                if got[offset] is None:
                    width = widths.get(char)
                    if width is None:
                        width = widths[char] = _advance(current.font, char)
                    got[offset] = width
        advances.extend(got)  # type: ignore[arg-type]  # every None was filled above
    return np.array(advances, dtype=np.float64)


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


def extract_words(chars: PageChars) -> list[dict[str, Any]]:
    """pdfplumber's ``extract_words(use_text_flow=False)`` on ``chars``: runs of equal
    ``upright`` (in content order), clustered into lines, cut into words. Each word also
    has the parser's style: ``fontname`` "Bold" when most of its letters are bold (else
    the commonest font) and ``size`` the commonest size, to one decimal."""
    words: list[dict[str, Any]] = []
    if not chars.text:
        return words
    runs = chars.runs
    upright = np.array([r.upright for r in runs], dtype=bool)[chars.run]
    cuts = (np.flatnonzero(upright[1:] != upright[:-1]) + 1).tolist()
    for start, end in zip([0, *cuts], [*cuts, len(chars.text)], strict=True):
        words.extend(_group_words(chars, start, end, bool(upright[start])))
    return words


def _group_words(chars: PageChars, start: int, end: int, upright: bool) -> list[dict[str, Any]]:
    """The words of characters ``start:end``, all upright or all not: pdfplumber's
    cluster_objects (sorted distinct ``top``, or ``x0``, chained within the tolerance),
    each line sorted by ``x0`` (by ``top`` then ``bottom``), cut into words."""
    x0, x1 = chars.x0[start:end], chars.x1[start:end]
    top, bottom = chars.top[start:end], chars.bottom[start:end]
    values = np.unique(top if upright else x0)
    tolerance = Y_TOLERANCE if upright else X_TOLERANCE
    chained = np.cumsum(np.concatenate(([True], values[1:] > values[:-1] + tolerance)))
    line = chained[np.searchsorted(values, top if upright else x0)]
    # Stable sorts, least significant key first: ties keep their content order.
    keys = (x0, line) if upright else (bottom, top, line)
    order = np.arange(end - start)
    for key in keys:
        order = order[np.argsort(key[order], kind="stable")]
    text = chars.text[start:end]
    spaces = {c for c in set(text) if c.isspace()}
    space = np.array([c in spaces for c in text], dtype=bool) if spaces else None
    x0, x1, top, bottom, line = x0[order], x1[order], top[order], bottom[order], line[order]
    first = np.ones(len(order), dtype=bool)  # begins a word, unless it is a space
    if len(order) > 1:
        if upright:
            cut = (x0[1:] < x0[:-1]) | (x0[1:] > x1[:-1] + X_TOLERANCE)
            cut |= np.abs(top[1:] - top[:-1]) > Y_TOLERANCE
        else:
            cut = (top[1:] < top[:-1]) | (top[1:] > bottom[:-1] + Y_TOLERANCE)
            cut |= np.abs(x0[1:] - x0[:-1]) > X_TOLERANCE
        first[1:] = cut | (line[1:] != line[:-1])
        if space is not None:
            first[1:] |= space[order][:-1]  # after a space, a word begins
    if space is not None:
        letters = np.flatnonzero(~space[order])  # a space only ends a word
        order, first = order[letters], first[letters]
        x0, x1, top, bottom = x0[letters], x1[letters], top[letters], bottom[letters]
    if not len(order):
        return []
    starts = np.flatnonzero(first)
    ends = [*starts[1:].tolist(), len(order)]
    run = chars.run[start:end][order]
    return _merge(
        chars,
        "".join([text[i] for i in order.tolist()]),
        run,
        starts.tolist(),
        ends,
        upright,
        (
            np.minimum.reduceat(x0, starts).tolist(),
            np.maximum.reduceat(x1, starts).tolist(),
            np.minimum.reduceat(top, starts).tolist(),
            np.maximum.reduceat(bottom, starts).tolist(),
        ),
    )


def _merge(
    chars: PageChars,
    text: str,
    run: np.ndarray[Any, np.dtype[np.intp]],
    starts: list[int],
    ends: list[int],
    upright: bool,
    boxes: tuple[list[float], list[float], list[float], list[float]],
) -> list[dict[str, Any]]:
    # Words are not cut where the font changes: Vietnamese letters often come from a
    # fallback font ("d" "ẫ" "n" would be three words); weight and size are majorities.
    runs = chars.runs
    names = [r.fontname for r in runs]
    sizes = [round(r.size, 1) for r in runs]
    name_ids: dict[str, int] = {}
    name_of = np.array([name_ids.setdefault(n, len(name_ids)) for n in names])[run]
    size_ids: dict[float, int] = {}
    size_of = np.array([size_ids.setdefault(z, len(size_ids)) for z in sizes])[run]
    starts_array = np.array(starts)
    one_name = (
        np.minimum.reduceat(name_of, starts_array) == np.maximum.reduceat(name_of, starts_array)
    ).tolist()
    one_size = (
        np.minimum.reduceat(size_of, starts_array) == np.maximum.reduceat(size_of, starts_array)
    ).tolist()
    run_list = run.tolist()
    words: list[dict[str, Any]] = []
    for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
        first = run_list[start]
        if one_name[k]:  # the common case, without counting
            fontname = names[first]
            if "bold" in fontname.lower():
                fontname = "Bold"
        else:
            counted = Counter(names[r] for r in run_list[start:end])
            bold = sum(n for name, n in counted.items() if "bold" in name.lower())
            fontname = "Bold" if bold * 2 > end - start else counted.most_common(1)[0][0]
        if one_size[k]:
            size = sizes[first]
        else:
            size = Counter(sizes[r] for r in run_list[start:end]).most_common(1)[0][0]
        word = text[start:end]
        if not word.isascii():
            word = word.translate(_LIGATURES)
        words.append(
            {
                "text": word,
                "x0": boxes[0][k],
                "x1": boxes[1][k],
                "top": boxes[2][k],
                "bottom": boxes[3][k],
                "upright": upright,
                "fontname": fontname,
                "size": size,
            }
        )
    return words
