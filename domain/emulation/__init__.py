"""Thi đua – khen thưởng: titles, rule sets with effective dates, eligibility checks.

Modules (each one concern):

* :mod:`~domain.emulation.titles` — danh hiệu thi đua and hình thức khen thưởng (codes).
* :mod:`~domain.emulation.rulesets` — rule sets in force per period (NĐ 98/2023 until
  30/6/2025, NĐ 152/2025 from 01/7/2025), loaded from ``domain/data/rulesets.json``.
* :mod:`~domain.emulation.rules` — typed parameters of each rule (thresholds, criteria).
* :mod:`~domain.emulation.settings` — per-organisation overrides (quotas, thresholds).
* :mod:`~domain.emulation.facts` — facts about candidates and the :class:`Finding` type.
* :mod:`~domain.emulation.eligibility` — ``check_individual``, ``check_collective``.
* :mod:`~domain.emulation.collective` — criteria of collective titles (TTLĐTT, TTLĐXS).
* :mod:`~domain.emulation.votes` — ``check_vote`` (council ballot), ``check_quota``.
* :mod:`~domain.emulation.ratios` — exact percentages.

Typical use for one round::

    ruleset = ruleset_for(council_meeting_day)      # store ruleset.id on the round
    findings = check_individual("CSTDCS", facts, ruleset, org_settings)
    vote = check_vote("CSTDCS", votes_for=8, council_total=10, ruleset=ruleset)
"""

from __future__ import annotations

from domain.emulation.eligibility import check_collective
from domain.emulation.eligibility import check_individual
from domain.emulation.errors import EmulationError
from domain.emulation.errors import InvalidFactsError
from domain.emulation.errors import NoRuleSetError
from domain.emulation.errors import RuleDataError
from domain.emulation.errors import SettingsError
from domain.emulation.errors import UnknownTitleError
from domain.emulation.facts import CollectiveFacts
from domain.emulation.facts import Finding
from domain.emulation.facts import IndividualFacts
from domain.emulation.facts import has_errors
from domain.emulation.rulesets import RuleSet
from domain.emulation.rulesets import all_rulesets
from domain.emulation.rulesets import get_ruleset
from domain.emulation.rulesets import ruleset_for
from domain.emulation.settings import OrgSettings
from domain.emulation.settings import Quota
from domain.emulation.titles import TITLES
from domain.emulation.titles import Title
from domain.emulation.titles import collective_titles
from domain.emulation.titles import commendation_forms
from domain.emulation.titles import get_title
from domain.emulation.titles import individual_titles
from domain.emulation.votes import VoteResult
from domain.emulation.votes import check_quota
from domain.emulation.votes import check_vote

__all__ = [
    "TITLES",
    "CollectiveFacts",
    "EmulationError",
    "Finding",
    "IndividualFacts",
    "InvalidFactsError",
    "NoRuleSetError",
    "OrgSettings",
    "Quota",
    "RuleDataError",
    "RuleSet",
    "SettingsError",
    "Title",
    "UnknownTitleError",
    "VoteResult",
    "all_rulesets",
    "check_collective",
    "check_individual",
    "check_quota",
    "check_vote",
    "collective_titles",
    "commendation_forms",
    "get_ruleset",
    "get_title",
    "has_errors",
    "individual_titles",
    "ruleset_for",
]
