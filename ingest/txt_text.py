"""Decode plain-text uploads: UTF-8, UTF-16 with BOM, cp1258, TCVN3 and VNI."""

from __future__ import annotations

import re
import unicodedata

from ingest.layout import RawLine
from ingest.layout import text_to_lines
from ingest.legacy import Encoding
from ingest.legacy import fix_legacy

_VI_LETTERS = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes and convert legacy Vietnamese encodings.

    Returns:
        The NFC text and the encoding name (``utf-8``, ``utf-16``, ``cp1258``, ``tcvn3``,
        ``vni``).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _finish(data[3:].decode("utf-8", errors="replace"), "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _finish(data.decode("utf-16", errors="replace"), "utf-16")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # 8-bit: either Windows-1258 (combining tones) or a font-based legacy encoding read as
    # Latin-1. Keep whichever reading yields more Vietnamese letters.
    cp1258 = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    legacy, kind = fix_legacy(data.decode("latin-1"))
    if kind != Encoding.UNICODE and _score(legacy) > _score(cp1258):
        return legacy, kind
    return cp1258, "cp1258"


def _finish(text: str, name: str) -> tuple[str, str]:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    fixed, kind = fix_legacy(text)
    return fixed, (kind if kind != Encoding.UNICODE else name)


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W\d_]+")


def _score(text: str) -> float:
    """Score how much ``text`` looks like Vietnamese: one tone mark per syllable at most.

    A wrong 8-bit reading produces Vietnamese-looking letters too, but piles several
    tone marks into one word ("CỄŨNG"), which real syllables never have.
    """
    good = bad = 0
    for word in _WORD.findall(text):
        decomposed = unicodedata.normalize("NFD", word)
        tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
        if tones > 1:
            bad += 1
        elif tones == 1 or _VI_LETTERS.search(word):
            good += 1
    return good - 3 * bad - 3 * text.count("\ufffd")


def read_text(data: bytes) -> tuple[list[RawLine], str]:
    """Read a .txt upload into lines (one page) and report its encoding."""
    text, encoding = decode_text(data)
    text = text.replace("\f", "\n")
    return text_to_lines(text.split("\n")), encoding
