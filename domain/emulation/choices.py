"""Select-box choices drawn from the domain's title lists (one source for forms and rules).

A round's rule set decides what may be proposed in it (``RuleSet.titles``): under NĐ
152/2025 the district chairman's Giấy khen is gone with the district level, so the lists
take the rule set and leave out what it does not offer. ``None`` means "no rule set
known" and offers everything, as before rounds carried one.

It lives in the domain (it was ``forms.choices``): the forms, the services (spreadsheets,
rounds) and the views all draw on it, and it needs nothing but the rules.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from domain.emulation import rulesets
from domain.emulation import titles
from domain.emulation.errors import EmulationError
from domain.emulation.rulesets import RuleSet


class _RoundLike(Protocol):
    ruleset_id: str
    reference_date: date


def ruleset_of(round_: _RoundLike | None) -> RuleSet | None:
    """The rule set recorded on the round, else the one in force on its reference date."""
    if round_ is None:
        return None
    try:
        return rulesets.get_ruleset(round_.ruleset_id)
    except EmulationError:
        try:
            return rulesets.ruleset_for(round_.reference_date)
        except EmulationError:
            return None


def _offered(items: list[titles.Title], ruleset: RuleSet | None) -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in items if ruleset is None or ruleset.offers(t.code)]


def individual_titles(ruleset: RuleSet | None = None) -> list[tuple[str, str]]:
    return _offered(titles.individual_titles(), ruleset)


def collective_titles(ruleset: RuleSet | None = None) -> list[tuple[str, str]]:
    return _offered(titles.collective_titles(), ruleset)


def commendation_forms(ruleset: RuleSet | None = None) -> list[tuple[str, str]]:
    return _offered(titles.commendation_forms(), ruleset)


def not_offered(code: str | None, ruleset: RuleSet | None) -> str | None:
    """A Vietnamese message when ``code`` is a real title the round's rule set does not
    offer; ``None`` otherwise (an unknown code is left to the ordinary choice check)."""
    if not code or ruleset is None or ruleset.offers(code):
        return None
    try:
        title = titles.get_title(code)
    except EmulationError:
        return None
    return (
        f"Đợt thi đua này áp dụng bộ quy tắc {ruleset.name}, không xét {title.quoted_name}. "
        "Vui lòng chọn mục khác trong danh sách."
    )


def title_name(code: str) -> str:
    """The Vietnamese name of a title or form code; the code itself if unknown."""
    try:
        return titles.get_title(code).name
    except EmulationError:  # UnknownTitleError: an old or hand-edited code
        return code
