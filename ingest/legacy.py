"""Detect and convert legacy Vietnamese encodings (TCVN3/ABC and VNI-Windows) to Unicode.

Old .doc and PDF files typed with ``.VnTime`` (TCVN3) or ``VNI-Times`` fonts extract as
Latin-1 gibberish ("Céng hoµ x· héi", "Coäng hoøa xaõ hoäi"). Detection works on phrases
(a line or a block), never on single characters, and text that already contains Unicode
Vietnamese letters is never touched (domain rules §4.2, traps 3-5).
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3 (ABC): one Latin-1 code point per accented letter. U+00AD (soft hyphen) is "ư" and
# must survive until conversion (trap 2).
_TCVN3_LOWER = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ",
    "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ", "Þ": "ị",
    "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ",
    "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ",
    "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ", "ô": "ụ",
    "\u00ad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự",
    "ú": "ỳ", "ý": "ý", "û": "ỷ", "ü": "ỹ", "þ": "ỵ",
}  # fmt: skip
_TCVN3_UPPER = {"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
_TCVN3 = str.maketrans({**_TCVN3_LOWER, **_TCVN3_UPPER})
# Code points that TCVN3 text uses and VNI text never does (VNI spells accents as marks
# after the vowel), and that never appear in Unicode Vietnamese.
_TCVN3_MARKERS = set("µ¸¶·¹¨©ª«¬®§¡¢£¤¥¦¾»¼½ÐÞ×ßÇ\u00ad")

# VNI-Windows: base letter followed by one or two mark characters.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_TONES_UP = {"Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323"}
# Circumflex combined with a tone (after a, e, o).
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_HAT_UP = {"Â": "", "Á": "\u0301", "À": "\u0300", "Å": "\u0309", "Ã": "\u0303", "Ä": "\u0323"}
# Breve combined with a tone (after a).
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_BREVE_UP = {"Ê": "", "É": "\u0301", "È": "\u0300", "Ú": "\u0309", "Ü": "\u0303", "Ë": "\u0323"}
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "ó": "ĩ", "Ó": "Ĩ", "æ": "ỉ", "Æ": "Ỉ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(base: str, marks: dict[str, str], extra: str) -> None:
        for mark, tone in marks.items():
            table[base + mark] = unicodedata.normalize("NFC", base + extra + tone)

    for base in "aeiouyAEIOUY":
        add(base, _VNI_TONES, "")
        add(base, _VNI_TONES_UP, "")
    for base in "aeoAEO":
        add(base, _VNI_HAT, "\u0302")
        add(base, _VNI_HAT_UP, "\u0302")
    for base in "aA":
        add(base, _VNI_BREVE, "\u0306")
        add(base, _VNI_BREVE_UP, "\u0306")
    for key, value in _VNI_SINGLE.items():
        table[key] = value
        # ơ/ư + tone: "ôù" → ớ, "öø" → ừ.
        if key in "ôÔöÖ":
            for mark, tone in {**_VNI_TONES, **_VNI_TONES_UP}.items():
                table[key + mark] = unicodedata.normalize("NFC", value + tone)
    return table


_VNI = _build_vni()
# Longest match first: two-character sequences are tried before single characters.
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))
_VNI_MARKER = re.compile(r"[aeiouyAEIOUY][ùøûõïÙØÛÕÏ]|[aeoAEO][âáàåãäÂÁÀÅÃÄ]|[aA][êéèúüëÊÉÈÚÜË]")
# Letters only Unicode Vietnamese has (outside Latin-1): the text is already Unicode.
_UNICODE_VI = re.compile(
    r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
    r"\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0323]"
)
_WORD = re.compile(r"\S+")


class Encoding:
    """Names reported in the ``encoding`` field of the result."""

    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"


def detect_legacy(text: str) -> str:
    """Return :class:`Encoding` ``TCVN3``, ``VNI`` or ``UNICODE`` for a phrase or block."""
    if not text or _UNICODE_VI.search(text):
        return Encoding.UNICODE
    if len(_WORD.findall(text)) < 2 and len(text) < 6:
        return Encoding.UNICODE
    tcvn = sum(1 for ch in text if ch in _TCVN3_MARKERS)
    vni = len(_VNI_MARKER.findall(text))
    if tcvn == 0 and vni == 0:
        return Encoding.UNICODE
    kind = Encoding.TCVN3 if tcvn >= vni else Encoding.VNI
    # Latin-1 capitals are also Unicode Vietnamese ("TOÀN GIAO THÔNG" reads as VNI
    # "TỒN GIAO THƠNG"): convert only when the result spells Vietnamese syllables better.
    from ingest.syllables import layer_quality  # late import: syllables is a leaf module

    before = layer_quality(text)
    after = layer_quality(_convert(text, kind))
    if before.words and after.valid - after.junk < before.valid - before.junk:
        return Encoding.UNICODE
    return kind


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text to NFC Unicode, restoring capitals of the ``…H`` fonts."""
    return _restore_case(text.translate(_TCVN3))


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows text to NFC Unicode (longest match first)."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], text))


_CHUNK_GAP = re.compile(r"(\t+| {3,})")
_HIGH_LATIN1 = re.compile(r"[\u00a0-\u00ff]")


def _convert(chunk: str, kind: str) -> str:
    if kind == Encoding.TCVN3:
        return tcvn3_to_unicode(chunk)
    if kind == Encoding.VNI:
        return vni_to_unicode(chunk)
    return chunk


def fix_legacy(text: str) -> tuple[str, str]:
    """Convert the TCVN3/VNI parts of ``text`` to Unicode; leave Unicode untouched.

    Each line, and each column of a line (runs of 3+ spaces or tabs separate the two
    header columns), is judged on its own. Short chunks that carry no marker either way
    follow the document's dominant legacy encoding when they hold Latin-1 letters only.

    Returns:
        The converted NFC text and the dominant encoding found.
    """
    lines = [_CHUNK_GAP.split(line) for line in text.split("\n")]
    counts = {Encoding.TCVN3: 0, Encoding.VNI: 0}
    kinds: list[list[str]] = []
    for parts in lines:
        row = []
        for index, part in enumerate(parts):
            kind = Encoding.UNICODE if index % 2 else detect_legacy(part)
            if kind in counts:
                counts[kind] += 1
            row.append(kind)
        kinds.append(row)
    dominant = max(counts, key=lambda k: counts[k])
    if counts[dominant] == 0:
        return unicodedata.normalize("NFC", text), Encoding.UNICODE
    out_lines = []
    for parts, row in zip(lines, kinds, strict=True):
        out = []
        for index, (part, kind) in enumerate(zip(parts, row, strict=True)):
            if index % 2 == 0 and kind == Encoding.UNICODE and counts[dominant] >= 2:
                undecided = _HIGH_LATIN1.search(part) and not _UNICODE_VI.search(part)
                kind = dominant if undecided else kind
            out.append(_convert(part, kind) if index % 2 == 0 else part)
        out_lines.append("".join(out))
    return unicodedata.normalize("NFC", "\n".join(out_lines)), dominant


def _restore_case(text: str) -> str:
    # In .VnTimeH the lowercase byte is drawn as a capital (trap 1). A line with no
    # lower-case ASCII letter and at least one capital word is an all-capitals line; on a
    # mixed line only words whose ASCII letters are all capitals (two or more) are.
    words = text.split(" ")

    def ascii_letters(word: str) -> list[str]:
        return [ch for ch in word if ch.isascii() and ch.isalpha()]

    caps = [len(a) >= 2 and all(c.isupper() for c in a) for a in map(ascii_letters, words)]
    lower_ascii = any(ch.isascii() and ch.islower() for ch in text)
    if any(caps) and not lower_ascii:
        return unicodedata.normalize("NFC", text.upper())
    out = [word.upper() if caps[idx] else word for idx, word in enumerate(words)]
    return unicodedata.normalize("NFC", " ".join(out))
