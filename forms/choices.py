"""Select-box choices drawn from the domain's title lists (one source for forms and rules)."""

from __future__ import annotations

from domain.emulation import titles


def individual_titles() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in titles.individual_titles()]


def collective_titles() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in titles.collective_titles()]


def commendation_forms() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in titles.commendation_forms()]


def title_name(code: str) -> str:
    """The Vietnamese name of a title or form code; the code itself if unknown."""
    try:
        return titles.get_title(code).name
    except KeyError:
        return code
