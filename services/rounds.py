"""Emulation rounds and the legal rule set each one uses."""

from __future__ import annotations

from datetime import date

from domain.emulation import rulesets
from domain.emulation.errors import NoRuleSetError


def ruleset_id_for(reference_date: date) -> str:
    """The rule set in force on the round's reference date.

    Raises:
        LookupError: with a Vietnamese message when no rule set covers the date.
    """
    try:
        return rulesets.ruleset_for(reference_date).id
    except NoRuleSetError as exc:
        raise LookupError(str(exc)) from exc


def ruleset_names() -> dict[str, str]:
    return {r.id: r.name for r in rulesets.all_rulesets()}
