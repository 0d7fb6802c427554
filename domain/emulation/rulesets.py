"""Rule sets of thi đua – khen thưởng, each in force for a period of time.

The law moved on 01/7/2025: NĐ 152/2025/NĐ-CP replaced NĐ 98/2023/NĐ-CP and the district
level was abolished (domain-rules.md §2.1, §1.13). Every threshold, criterion and the list
of titles a period may award is therefore data in ``domain/data/rulesets.json``; a round
uses the rule set in force for it. Pick it with :func:`ruleset_for` from the round's date
(we suggest the date of the council meeting), then store ``RuleSet.id`` on the round and
reload it with :func:`get_ruleset` so the round stays reproducible and the clerk can see
which rules were applied (:meth:`RuleSet.describe`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from importlib import resources
from types import MappingProxyType
from typing import Any
from typing import Literal

from domain import legal_basis
from domain.dates import format_short_date
from domain.emulation.errors import NoRuleSetError
from domain.emulation.errors import RuleDataError
from domain.emulation.rules import CollectiveCriteria
from domain.emulation.rules import Criteria
from domain.emulation.rules import LdttCriteria
from domain.emulation.rules import VoteRule
from domain.emulation.rules import parse_criteria
from domain.emulation.rules import parse_vote_rule
from domain.emulation.titles import TITLES
from domain.text import clean_line


@dataclass(frozen=True)
class RuleSet:
    """The rules in force for one period.

    Attributes:
        id: stable key stored on a round (``"ND152_2025"``).
        name: short name for the clerk (``"NĐ 152/2025"``).
        label: full description of the legal framework.
        instruments: codes of :mod:`domain.legal_basis` instruments it rests on.
        effective_from / effective_to: inclusive; ``effective_to`` ``None`` = open-ended.
        source: where the data comes from.
        titles: codes of the titles and forms that may be awarded in the period.
        votes: council vote rule per title code; others use ``default_vote``.
        criteria: criteria per title code (titles without an entry are not auto-checked).
        reward_factors: reward as a multiple of the mức lương cơ sở, per title code.
        reward_basis: clause of the reward factors.
        notes: caveats shown to the clerk.
    """

    id: str
    name: str
    label: str
    instruments: tuple[str, ...]
    effective_from: date
    effective_to: date | None
    source: str
    titles: tuple[str, ...]
    votes: Mapping[str, VoteRule]
    default_vote: VoteRule
    criteria: Mapping[str, Criteria]
    reward_factors: Mapping[str, Decimal]
    reward_basis: str
    notes: tuple[str, ...] = ()

    @property
    def legal_basis(self) -> tuple[str, ...]:
        """Return the short names of the instruments (``"Nghị định số 152/2025/NĐ-CP"``)."""
        return tuple(legal_basis.get_instrument(code).short_name for code in self.instruments)

    def covers(self, day: date) -> bool:
        """Return True when ``day`` falls inside the period (both ends inclusive)."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def offers(self, title_code: str) -> bool:
        """Return True when the title or form may be awarded under this rule set."""
        return title_code in self.titles

    def vote_rule(self, title_code: str) -> VoteRule:
        """Return the council vote rule for ``title_code`` (the default when none is set)."""
        return self.votes.get(title_code, self.default_vote)

    def criteria_for(self, title_code: str) -> Criteria | None:
        """Return the criteria of ``title_code``, or ``None`` when not checked automatically."""
        return self.criteria.get(title_code)

    def reward_factor(self, title_code: str) -> Decimal | None:
        """Return the reward as a multiple of the mức lương cơ sở, if the rule set has one."""
        return self.reward_factors.get(title_code)

    def period_text(self) -> str:
        """Return ``"từ 01/07/2025"`` or ``"từ 01/01/2024 đến 30/06/2025"``."""
        start = format_short_date(self.effective_from)
        if self.effective_to is None:
            return f"từ {start}"
        return f"từ {start} đến {format_short_date(self.effective_to)}"

    def describe(self) -> str:
        """Return the line the clerk sees: name, legal framework and period."""
        return f"Bộ quy tắc {self.name} ({self.label}), áp dụng {self.period_text()}."

    def unconfirmed_rules(self) -> list[str]:
        """Return a Vietnamese line per rule not confirmed against the original text."""
        lines = [
            f"Ngưỡng biểu quyết {code}: {rule.describe()} — {rule.note or 'chưa xác nhận'}"
            for code, rule in self.votes.items()
            if not rule.confirmed
        ]
        if not self.default_vote.confirmed:
            lines.append(f"Ngưỡng biểu quyết mặc định: {self.default_vote.describe()}.")
        for code, criteria in self.criteria.items():
            if isinstance(criteria, LdttCriteria) and not criteria.exclusions.confirmed:
                exclusions = criteria.exclusions
                lines.append(f"Điều kiện loại trừ {code}: {exclusions.note or exclusions.basis}")
            if isinstance(criteria, CollectiveCriteria) and not criteria.discipline.confirmed:
                lines.append(f"Điều kiện kỷ luật {code}: {criteria.discipline.note}")
        return lines


def all_rulesets() -> list[RuleSet]:
    """Return every rule set, oldest first."""
    return list(_load())


def get_ruleset(ruleset_id: str) -> RuleSet:
    """Return the rule set stored on a round by its id.

    Raises:
        NoRuleSetError: if no rule set has that id.
    """
    for ruleset in _load():
        if ruleset.id == ruleset_id:
            return ruleset
    raise NoRuleSetError(f"Không có bộ quy tắc thi đua, khen thưởng mã “{ruleset_id}”.")


def ruleset_for(day: date) -> RuleSet:
    """Return the rule set in force on ``day``.

    Raises:
        NoRuleSetError: with a Vietnamese message listing the known periods, if none
            covers ``day`` (e.g. a date before 01/01/2024, when Luật 2022 took effect).
    """
    if isinstance(day, datetime):  # a datetime would not compare with the date bounds
        day = day.date()
    rulesets = _load()
    for ruleset in rulesets:
        if ruleset.covers(day):
            return ruleset
    known = "; ".join(f"{r.name} ({r.period_text()})" for r in rulesets)
    raise NoRuleSetError(
        f"Không có bộ quy tắc thi đua, khen thưởng nào áp dụng cho ngày "
        f"{format_short_date(day)}. Các bộ quy tắc hiện có: {known}."
    )


@functools.cache
def _load() -> tuple[RuleSet, ...]:
    raw = resources.files("domain").joinpath("data/rulesets.json").read_text("utf-8")
    return parse_rulesets(json.loads(raw))


def parse_rulesets(data: Mapping[str, Any]) -> tuple[RuleSet, ...]:
    """Build and validate rule sets from decoded JSON, sorted by start date.

    Checks that ids are unique, periods do not overlap, every title code exists in
    ``TITLES`` and is offered by the rule set it is configured in, criteria match the
    title's scope, and every instrument exists in :mod:`domain.legal_basis`.

    Raises:
        RuleDataError: describing the first problem, in Vietnamese.
    """
    try:
        rulesets = sorted((_parse_ruleset(e) for e in data["rulesets"]), key=_start)
    except (KeyError, TypeError) as exc:
        raise RuleDataError(f"Dữ liệu bộ quy tắc thiếu hoặc sai khóa {exc}.") from None
    seen: set[str] = set()
    for ruleset in rulesets:
        if ruleset.id in seen:
            raise RuleDataError(f"Mã bộ quy tắc bị trùng: {ruleset.id}.")
        seen.add(ruleset.id)
    for earlier, later in zip(rulesets, rulesets[1:], strict=False):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise RuleDataError(
                f"Thời gian áp dụng của {earlier.name} và {later.name} chồng lấn nhau."
            )
    return tuple(rulesets)


def _start(ruleset: RuleSet) -> date:
    return ruleset.effective_from


def _parse_ruleset(entry: Mapping[str, Any]) -> RuleSet:
    rid = clean_line(entry["id"])
    try:
        effective_from = date.fromisoformat(entry["effective_from"])
        end = entry["effective_to"]
        effective_to = None if end is None else date.fromisoformat(end)
        rewards = {
            code: Decimal(value) for code, value in entry["reward_factors"]["factors"].items()
        }
    except (ValueError, InvalidOperation) as exc:
        raise RuleDataError(f"Bộ quy tắc {rid}: ngày hoặc hệ số không hợp lệ ({exc}).") from None
    if effective_to is not None and effective_to < effective_from:
        raise RuleDataError(f"Bộ quy tắc {rid}: ngày kết thúc trước ngày bắt đầu.")
    ruleset = RuleSet(
        id=rid,
        name=clean_line(entry["name"]),
        label=clean_line(entry["label"]),
        instruments=tuple(entry["instruments"]),
        effective_from=effective_from,
        effective_to=effective_to,
        source=clean_line(entry["source"]),
        titles=tuple(entry["titles"]),
        votes=MappingProxyType({c: parse_vote_rule(v) for c, v in entry["votes"].items()}),
        default_vote=parse_vote_rule(entry["default_vote"]),
        criteria=MappingProxyType(
            {code: parse_criteria(code, c) for code, c in entry["criteria"].items()}
        ),
        reward_factors=MappingProxyType(rewards),
        reward_basis=clean_line(entry["reward_factors"]["basis"]),
        notes=tuple(clean_line(n) for n in entry.get("notes", ())),
    )
    _check_references(ruleset)
    return ruleset


def _check_references(ruleset: RuleSet) -> None:
    unknown = [code for code in ruleset.titles if code not in TITLES]
    if unknown:
        raise RuleDataError(f"Bộ quy tắc {ruleset.id}: mã danh hiệu lạ {', '.join(unknown)}.")
    configured = [*ruleset.votes, *ruleset.criteria, *ruleset.reward_factors]
    for criteria in ruleset.criteria.values():
        configured.extend(getattr(criteria, "prerequisite", ()))
    not_offered = sorted({code for code in configured if code not in ruleset.titles})
    if not_offered:
        raise RuleDataError(
            f"Bộ quy tắc {ruleset.id}: cấu hình cho danh hiệu không có trong danh sách "
            f"“titles”: {', '.join(not_offered)}."
        )
    for code, criteria in ruleset.criteria.items():
        wanted: Literal["individual", "collective"]
        wanted = "collective" if isinstance(criteria, CollectiveCriteria) else "individual"
        if not TITLES[code].applies_to(wanted):
            raise RuleDataError(f"Bộ quy tắc {ruleset.id}: tiêu chuẩn của {code} sai đối tượng.")
    for code in ruleset.instruments:
        try:
            legal_basis.get_instrument(code)
        except legal_basis.LegalBasisError as exc:
            raise RuleDataError(f"Bộ quy tắc {ruleset.id}: {exc.message}") from None
