"""Typed rule parameters read from ``domain/data/rulesets.json``.

Each dataclass holds the numbers of one rule and the clause it comes from; the checks in
:mod:`domain.emulation.eligibility` and :mod:`domain.emulation.votes` read them, so no
threshold is written in code. ``confirmed = False`` marks a rule not checked against the
original text (domain-rules.md "(unconfirmed)"); organisations may override those.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from typing import Literal

from domain.emulation.errors import RuleDataError
from domain.emulation.facts import DISCIPLINE_LEVELS
from domain.emulation.facts import INITIATIVE_SCOPES
from domain.emulation.facts import RATINGS
from domain.emulation.ratios import format_percent
from domain.emulation.ratios import parse_percent
from domain.text import clean_line

RuleSeverity = Literal["error", "warning", "off"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "off")
CSTDCS_ALTERNATIVES: dict[str, str] = {
    "htxs": "được đánh giá “Hoàn thành xuất sắc nhiệm vụ”",
    "initiative": "có sáng kiến được công nhận",
    "research": "có đề tài, đề án, công trình khoa học và công nghệ được nghiệm thu",
}
COUNTED_FACTS: tuple[str, ...] = ("consecutive_cstdcs", "consecutive_cstd_higher")


@dataclass(frozen=True)
class VoteRule:
    """Council approval needed for a title, as a share of ALL council members.

    Attributes:
        percent: threshold in percent (exact).
        strict: True for "trên" (> threshold), False for "từ … trở lên" (>= threshold).
        secret_ballot: the vote must be a secret ballot (bỏ phiếu kín).
        basis: clause or setting the rule comes from.
        confirmed: False when not checked against the current decree.
        note: caveat shown to the clerk.
    """

    percent: Fraction
    strict: bool
    secret_ballot: bool
    basis: str
    confirmed: bool = True
    note: str = ""

    def describe(self) -> str:
        """Return e.g. ``"từ 80% trở lên tổng số thành viên Hội đồng"``."""
        amount = format_percent(self.percent)
        if self.strict:
            return f"trên {amount} tổng số thành viên Hội đồng"
        return f"từ {amount} trở lên tổng số thành viên Hội đồng"

    def is_stricter_than(self, other: VoteRule) -> bool:
        """Return True when this rule demands more than ``other``."""
        return (self.percent, self.strict) > (other.percent, other.strict)


@dataclass(frozen=True)
class LdttExclusions:
    """Old exclusions from Lao động tiên tiến (NĐ 91/2017 era; unconfirmed for current law).

    ``severity`` is ``"error"`` (not eligible), ``"warning"`` (clerk decides) or ``"off"``.
    A person is flagged when months worked < ``min_months_worked``, absent working days
    >= ``absent_days_from``, or disciplined at ``discipline_from`` or heavier; a ``None``
    parameter disables that part.
    """

    severity: RuleSeverity
    min_months_worked: int | None
    absent_days_from: int | None
    discipline_from: str | None
    confirmed: bool
    basis: str
    note: str = ""


@dataclass(frozen=True)
class LdttCriteria:
    """Lao động tiên tiến: rating at least ``min_rating`` (Luật 2022, Điều 24 khoản 1)."""

    min_rating: str
    basis: str
    exclusions: LdttExclusions


@dataclass(frozen=True)
class CstdcsCriteria:
    """Chiến sĩ thi đua cơ sở: LĐTT standard AND one of ``alternatives`` (Luật 2022, Điều 23)."""

    alternatives: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class HigherCstdCriteria:
    """CSTĐ bộ/ngành/tỉnh or toàn quốc: consecutive lower titles + an initiative's reach.

    Luật 2022, Điều 22 (3 consecutive CSTĐCS, initiative at bộ/tỉnh level) and Điều 21
    (2 consecutive CSTĐ bộ/tỉnh, initiative nationwide). ``fact`` names the
    :class:`~domain.emulation.facts.IndividualFacts` field holding the count.
    """

    prerequisite: tuple[str, ...]
    fact: str
    consecutive: int
    initiative_scope: str
    basis: str


@dataclass(frozen=True)
class DisciplineRule:
    """How a collective's disciplined members (≥ cảnh cáo) count against a title."""

    severity: RuleSeverity
    confirmed: bool
    basis: str
    note: str = ""


@dataclass(frozen=True)
class CollectiveCriteria:
    """Tập thể lao động tiên tiến / xuất sắc (Luật 2022, Điều 28; QĐ 86/2025 Bắc Ninh Điều 3–4)."""

    min_rating: str
    min_ldtt_percent: Fraction
    min_completed_percent: Fraction | None
    min_cstdcs: int
    basis: str
    discipline: DisciplineRule


Criteria = LdttCriteria | CstdcsCriteria | HigherCstdCriteria | CollectiveCriteria


def parse_vote_rule(entry: Mapping[str, Any]) -> VoteRule:
    """Build a :class:`VoteRule` from JSON (``percent`` as text, e.g. ``"80"``)."""
    return VoteRule(
        percent=_percent(entry["percent"]),
        strict=_bool(entry["strict"]),
        secret_ballot=_bool(entry["secret_ballot"]),
        basis=_text(entry["basis"]),
        confirmed=_bool(entry["confirmed"]),
        note=clean_line(entry.get("note", "")),
    )


def parse_criteria(code: str, entry: Mapping[str, Any]) -> Criteria:
    """Build the criteria of title ``code`` from JSON, dispatching on ``entry["rule"]``.

    Raises:
        RuleDataError: for an unknown rule kind or a bad parameter.
    """
    parsers: dict[str, Callable[[Mapping[str, Any]], Criteria]] = {
        "ldtt": _parse_ldtt,
        "cstdcs": _parse_cstdcs,
        "cstd_higher": _parse_higher,
        "collective": _parse_collective,
    }
    try:
        return parsers[entry["rule"]](entry)
    except KeyError as exc:
        raise RuleDataError(f"Tiêu chuẩn của {code}: thiếu hoặc sai khóa {exc}.") from None


def _parse_ldtt(entry: Mapping[str, Any]) -> LdttCriteria:
    raw = entry["exclusions"]
    discipline_from = raw["discipline_from"]
    exclusions = LdttExclusions(
        severity=_severity(raw["severity"]),
        min_months_worked=_optional_int(raw["min_months_worked"]),
        absent_days_from=_optional_int(raw["absent_days_from"]),
        discipline_from=None
        if discipline_from is None
        else _choice(discipline_from, DISCIPLINE_LEVELS),
        confirmed=_bool(raw["confirmed"]),
        basis=_text(raw["basis"]),
        note=clean_line(raw.get("note", "")),
    )
    return LdttCriteria(
        min_rating=_choice(entry["min_rating"], RATINGS),
        basis=_text(entry["basis"]),
        exclusions=exclusions,
    )


def _parse_cstdcs(entry: Mapping[str, Any]) -> CstdcsCriteria:
    alternatives = tuple(_choice(x, CSTDCS_ALTERNATIVES) for x in entry["alternatives"])
    if not alternatives:
        raise RuleDataError("Tiêu chuẩn CSTĐCS phải có ít nhất một điều kiện thay thế.")
    return CstdcsCriteria(alternatives=alternatives, basis=_text(entry["basis"]))


def _parse_higher(entry: Mapping[str, Any]) -> HigherCstdCriteria:
    return HigherCstdCriteria(
        prerequisite=tuple(_text(x) for x in entry["prerequisite"]),
        fact=_choice(entry["fact"], dict.fromkeys(COUNTED_FACTS, "")),
        consecutive=_positive_int(entry["consecutive"]),
        initiative_scope=_choice(entry["initiative_scope"], INITIATIVE_SCOPES),
        basis=_text(entry["basis"]),
    )


def _parse_collective(entry: Mapping[str, Any]) -> CollectiveCriteria:
    raw = entry["discipline"]
    completed = entry["min_completed_percent"]
    return CollectiveCriteria(
        min_rating=_choice(entry["min_rating"], RATINGS),
        min_ldtt_percent=_percent(entry["min_ldtt_percent"]),
        min_completed_percent=None if completed is None else _percent(completed),
        min_cstdcs=_non_negative_int(entry["min_cstdcs"]),
        basis=_text(entry["basis"]),
        discipline=DisciplineRule(
            severity=_severity(raw["severity"]),
            confirmed=_bool(raw["confirmed"]),
            basis=_text(raw["basis"]),
            note=clean_line(raw.get("note", "")),
        ),
    )


def _percent(value: Any) -> Fraction:
    try:
        return parse_percent(value)
    except ValueError as exc:
        raise RuleDataError(str(exc)) from None


def _severity(value: Any) -> RuleSeverity:
    if value not in SEVERITIES:
        raise RuleDataError(f"Mức xử lý “{value}” không hợp lệ (error, warning hoặc off).")
    severity: RuleSeverity = value  # one of SEVERITIES
    return severity


def _choice(value: Any, choices: Mapping[str, str]) -> str:
    if value not in choices:
        raise RuleDataError(f"Giá trị “{value}” không hợp lệ; cho phép: {', '.join(choices)}.")
    return str(value)


def _text(value: Any) -> str:
    text = clean_line(value) if isinstance(value, str) else ""
    if not text:
        raise RuleDataError("Thiếu nội dung văn bản (căn cứ, tên hoặc mã) trong dữ liệu quy tắc.")
    return text


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise RuleDataError(f"Giá trị “{value}” phải là true hoặc false.")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else _non_negative_int(value)


def _non_negative_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleDataError(f"Giá trị “{value}” phải là số nguyên không âm.")
    return value


def _positive_int(value: Any) -> int:
    if _non_negative_int(value) == 0:
        raise RuleDataError("Số lần liên tục phải lớn hơn 0.")
    return int(value)
