"""Printed width of text in Times New Roman, approximated with the standard library only.

The checker measures the lines under the issuer, the Tiêu ngữ and the trích yếu against the
text above them (Phụ lục I, Mục II.1.b, II.2.b, II.5.b), so it needs the width of a line of
text without a font engine. The tables below are the advance widths, in thousandths of an
em, of Liberation Serif 2.x: that font is metric-compatible with Times New Roman (every
glyph has the same advance width; it exists so that documents keep their line breaks), and
its files are free to read. They were read from the TTF ``hmtx`` table (``unitsPerEm`` 2048,
rounded to whole thousandths) for the printable ASCII characters, the Vietnamese letters
that have their own width (Đ đ Ơ ơ Ư ư) and common punctuation.

Every other Vietnamese letter has the advance width of its base letter (checked for every
letter from U+00C0 to U+1EFF in all four styles: "Ộ" is as wide as "O", "ừ" as "ư"), so
text is measured after Unicode decomposition. Kerning is ignored (Word does not kern Times
New Roman unless ``w:kern`` asks for it, and pairs move a letter by a few hundredths of an
em). A character outside the tables counts as wide as "n".

For another font the result is only an estimate: callers lower the confidence of findings
that rest on it (:func:`is_metric_font`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from collections.abc import Sequence

from domain.layout import FONT_NAME
from domain.layout import FONT_RENDER_SUBSTITUTES

# Advance widths of the characters U+0020 … U+007E, per style.
_ASCII: dict[tuple[bool, bool], tuple[int, ...]] = {
    # regular
    (False, False): (
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
        722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
        722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
        500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
        444, 480, 200, 480, 541,
    ),
    # bold
    (True, False): (
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
        722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
        722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
        556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
        444, 394, 220, 394, 520,
    ),
    # italic
    (False, True): (
        250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667,
        722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722,
        611, 833, 611, 556, 556, 389, 278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500,
        500, 278, 278, 444, 278, 722, 500, 500, 500, 500, 389, 389, 278, 500, 444, 667, 444, 444,
        389, 400, 275, 400, 541,
    ),
    # bold italic
    (True, True): (
        250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 832, 667, 667, 667,
        722, 667, 667, 722, 778, 389, 500, 667, 611, 889, 722, 722, 611, 722, 667, 556, 611, 722,
        667, 889, 667, 611, 611, 333, 278, 333, 570, 500, 333, 500, 500, 444, 500, 444, 333, 500,
        556, 278, 278, 500, 278, 778, 556, 500, 500, 500, 389, 389, 278, 556, 444, 667, 500, 444,
        389, 348, 220, 348, 570,
    ),
}  # fmt: skip

# Other characters: (regular, bold, italic, bold italic).
_OTHER: dict[str, tuple[int, int, int, int]] = {
    "Đ": (722, 722, 722, 722),
    "đ": (500, 556, 500, 500),
    "Ơ": (722, 778, 722, 722),
    "ơ": (529, 554, 534, 537),
    "Ư": (776, 796, 754, 775),
    "ư": (542, 600, 545, 599),
    "\u00a0": (250, 250, 250, 250),  # no-break space
    "–": (500, 500, 500, 500),
    "—": (1000, 1000, 889, 1000),
    "…": (1000, 1000, 889, 1000),
    "“": (444, 500, 556, 500),
    "”": (444, 500, 556, 500),
    "‘": (333, 333, 333, 333),
    "’": (333, 333, 333, 333),
    "•": (350, 350, 350, 350),
    "−": (564, 570, 675, 606),
}
_STYLE_INDEX = {(False, False): 0, (True, False): 1, (False, True): 2, (True, True): 3}
_HORN = "\u031b"


def char_width(ch: str, bold: bool = False, italic: bool = False) -> int:
    """Return the advance width of one character in thousandths of an em."""
    style = (bool(bold), bool(italic))
    if ch in _OTHER:
        return _OTHER[ch][_STYLE_INDEX[style]]
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII[style][code - 32]
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    if _HORN in decomposed:
        base = unicodedata.normalize("NFC", base + _HORN)  # ờ → ơ, Ừ → Ư
    if base != ch and (base in _OTHER or 32 <= ord(base) < 127):
        return char_width(base, bold, italic)
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
        return 0
    return _ASCII[style][ord("n") - 32]


def text_width_pt(
    text: str, size_pt: float, *, bold: bool = False, italic: bool = False, caps: bool = False
) -> float:
    """Return the printed width of ``text`` in points (tabs count as one space)."""
    if caps:
        text = text.upper()
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    return sum(char_width(ch, bold, italic) for ch in text) * size_pt / 1000


def wrap_widths(
    words: Sequence[tuple[str, float, float]], available_pt: float | None
) -> list[float]:
    """Lay words out greedily on lines ``available_pt`` wide; return each line's width.

    Args:
        words: ``(word, width of the word, width of the space after it)`` in order.
        available_pt: the width of the paragraph's box; ``None`` means it never wraps.

    Returns:
        Widths of the printed lines without trailing spaces (at least one line).
    """
    lines: list[float] = []
    current = 0.0
    pending_space = 0.0
    started = False
    for _word, width, space in words:
        if started and available_pt is not None and current + pending_space + width > available_pt:
            lines.append(current)
            current, started = width, True
        else:
            current += (pending_space if started else 0.0) + width
            started = True
        pending_space = space
    lines.append(current)
    return lines


def is_metric_font(names: Iterable[str | None]) -> bool:
    """Tell whether every font named is Times New Roman (or its metric twin)."""
    allowed = {FONT_NAME, *FONT_RENDER_SUBSTITUTES}
    return all(name in allowed for name in names)
