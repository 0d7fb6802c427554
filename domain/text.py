"""Vietnamese text helpers: NFC at boundaries, diacritic-insensitive search keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str | None) -> str:
    """Return ``value`` in Unicode NFC ("Unicode dựng sẵn"); ``None`` becomes ``""``.

    Vietnamese arrives both precomposed and decomposed (NFD, "Unicode tổ hợp") from
    browsers, PDFs and Word; comparing or storing mixed forms silently breaks search.
    """
    if value is None:
        return ""
    return unicodedata.normalize("NFC", value)


def clean_line(value: str | None) -> str:
    """NFC-normalise and collapse all runs of white space into single spaces."""
    return _SPACES.sub(" ", nfc(value)).strip()


def fold(value: str | None) -> str:
    """Return a lower-case key without diacritics, for search only — never for display.

    "Nguyễn Văn Ánh" and "nguyen van anh" share the key "nguyen van anh". Đ/đ have no
    decomposition in Unicode, so they are mapped by hand.
    """
    text = nfc(value).replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def upper_vi(value: str) -> str:
    """Upper-case Vietnamese text, keeping NFC (``str.upper`` is correct for NFC input)."""
    return nfc(value).upper()
