"""How the dossier writes the organization, its head and the round in running text."""

from __future__ import annotations

from domain.text import clean_line
from domain.text import fold
from storage.models import Organization
from storage.models import Round

COUNCIL = "Hội đồng Thi đua - Khen thưởng"
# Printed where a draft's number will be written by hand (the register gives it on issue).
DRAFT_PLACEHOLDER = "…"
_LOWER_WORDS = {"xã", "phường", "huyện", "quận", "tỉnh", "thị", "trấn", "thành", "phố", "và"}


def running_name(name: str) -> str:
    """The organization's name for running text: "TRƯỜNG THCS MỸ THẠNH" → "Trường THCS Mỹ
    Thạnh", "UBND XÃ MỸ THẠNH" → "Ủy ban nhân dân xã Mỹ Thạnh". Names typed in mixed case are
    kept; the clerk can correct the result on the form."""
    text = clean_line(name)
    if not text or text != text.upper():
        return text
    words = []
    for index, word in enumerate(text.split(" ")):
        if word == "UBND":
            words.append("Ủy ban nhân dân")
        elif not any(vowel in fold(word) for vowel in "aeiouy"):
            words.append(word)  # an abbreviation: THCS, THPT, GD&ĐT
        elif index and word.lower() in _LOWER_WORDS:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)


def head_title(org: Organization) -> str:
    """ "HIỆU TRƯỞNG" → "Hiệu trưởng"."""
    title = clean_line(org.head_title) or "Hiệu trưởng"
    return title[:1].upper() + title[1:].lower()


def period_text(round_: Round) -> str:
    """ "năm học 2025-2026" (or the round's own name when it has no school year)."""
    if round_.school_year:
        return f"năm học {clean_line(round_.school_year)}"
    return clean_line(round_.name)


def count_text(number: int) -> str:
    """Counts in administrative Vietnamese are written with two digits: 02 cá nhân."""
    return f"{number:02d}"


def who_text(collectives: int, individuals: int) -> str:
    parts = []
    if collectives:
        parts.append(f"{count_text(collectives)} tập thể")
    if individuals:
        parts.append(f"{count_text(individuals)} cá nhân")
    return " và ".join(parts)
