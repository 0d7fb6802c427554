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


_BIDI_AND_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0xFEFF]
)


def display_filename(name: str, *, limit: int = 255, fallback: str = "tệp không tên") -> str:
    """A file name that is safe to show and to offer on download, with its Vietnamese letters.

    Only the last path component is kept ("../../x.pdf" → "x.pdf"); control characters and
    bidirectional overrides (which can disguise "hồ sơ‮fdp.exe" as "hồ sơexe.pdf") are
    removed; long names are shortened keeping the extension. Never used to build a path:
    files are stored under generated ids.
    """
    text = nfc(name).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text.translate(_BIDI_AND_INVISIBLE) if c.isprintable())
    text = " ".join(text.split()).strip(" .")
    if not text:
        return fallback
    if len(text) > limit:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[: limit - len(extension) - 1].rstrip() + "." + extension
        else:
            text = text[:limit]
    return text


def strip_lead(value: str | None, *phrases: str) -> str:
    """Return ``value`` without a leading phrase the document prints itself.

    A form asks "Đơn vị, người đề nghị" and the document writes "Theo đề nghị của …"; a
    clerk who types the whole sentence anyway must not get the phrase twice:
    ``strip_lead("Theo đề nghị của Hội đồng", "Theo đề nghị của")`` → ``"Hội đồng"``.
    Case is ignored; a colon or full stop after the phrase goes with it.
    """
    text = clean_line(value) if "\n" not in nfc(value) else nfc(value).strip()
    for phrase in sorted(phrases, key=len, reverse=True):
        match = re.match(rf"{re.escape(nfc(phrase))}\s*[:.]?(?:\s+|$)", text, re.IGNORECASE)
        if phrase and match:
            return text[match.end() :].lstrip()
    return text
