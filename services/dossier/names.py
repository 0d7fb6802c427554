"""How the dossier writes its head and the round in running text (the rules themselves are
:mod:`domain.names`)."""

from __future__ import annotations

from domain.names import position_title
from domain.text import clean_line
from storage.models import Organization
from storage.models import Round

COUNCIL = "Hội đồng Thi đua - Khen thưởng"
# Printed where a draft's number will be written by hand (the register gives it on issue).
DRAFT_PLACEHOLDER = "…"


def head_title(org: Organization) -> str:
    """The head's title in running text: "HIỆU TRƯỞNG" → "Hiệu trưởng"."""
    return position_title(org.head_title) or "Hiệu trưởng"


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
