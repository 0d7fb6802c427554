"""Per-organisation settings that refine a rule set (never baked into code).

Provinces, sectors and schools write their own quy chế: a quota ("CSTĐCS ≤ 15 % of LĐTT",
void in national law since 01/01/2024 but still set by some provinces — domain-rules.md
§2.3), a council vote threshold for titles the law leaves open, and how strictly the old,
unconfirmed LĐTT exclusions apply. Callers pass an :class:`OrgSettings` (or the plain dict
stored in the database) to every check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from domain.emulation.errors import EmulationError
from domain.emulation.errors import SettingsError
from domain.emulation.ratios import parse_percent
from domain.emulation.rules import SEVERITIES
from domain.emulation.rules import RuleSeverity
from domain.emulation.rules import VoteRule
from domain.emulation.titles import get_title
from domain.text import clean_line

DEFAULT_BASIS = "Quy chế thi đua, khen thưởng của đơn vị"
_KEYS = {"basis", "votes", "quotas", "ldtt_exclusions", "ldtt_min_months_worked",
         "ldtt_absent_days_from", "head_confers", "head_recognises_initiatives"}  # fmt: skip


@dataclass(frozen=True)
class Quota:
    """At most ``max_percent`` of the people holding ``of_title`` may get ``title_code``."""

    title_code: str
    max_percent: Fraction
    of_title: str
    basis: str


@dataclass(frozen=True)
class OrgSettings:
    """Settings of one organisation; every field defaults to "use the rule set".

    Attributes:
        basis: name of the regulation the settings come from, cited in findings.
        votes: vote rule per title code, replacing the rule set's (a confirmed legal
            threshold still wins when it is stricter).
        quotas: :class:`Quota` per title code.
        ldtt_exclusions: ``"error"``, ``"warning"`` or ``"off"`` for the LĐTT exclusions.
        ldtt_min_months_worked: replaces the rule set's minimum months (10).
        ldtt_absent_days_from: replaces the rule set's absence limit (40 working days).
        head_confers: titles the province delegates to the organisation's own head beyond
            the law's list (e.g. "LDTT"); unconfirmed in national law, so never a default.
        head_recognises_initiatives: the head issues the Quyết định công nhận sáng kiến
            (Điều lệ Sáng kiến: the employer recognises); off → the dossier proposes them.
    """

    basis: str = DEFAULT_BASIS
    votes: Mapping[str, VoteRule] = field(default_factory=dict)
    quotas: Mapping[str, Quota] = field(default_factory=dict)
    ldtt_exclusions: RuleSeverity | None = None
    ldtt_min_months_worked: int | None = None
    ldtt_absent_days_from: int | None = None
    head_confers: frozenset[str] = frozenset()
    head_recognises_initiatives: bool = True

    def __post_init__(self) -> None:
        # Freeze the mappings so a settings object shared between checks cannot drift.
        object.__setattr__(self, "votes", MappingProxyType(dict(self.votes)))
        object.__setattr__(self, "quotas", MappingProxyType(dict(self.quotas)))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> OrgSettings:
        """Build settings from the plain dict stored per organisation.

        Example::

            {"basis": "Quy chế thi đua năm học 2025-2026 của Trường THCS A",
             "votes": {"LDTT": {"percent": "2/3"}},
             "quotas": {"CSTDCS": {"max_percent": "15", "of": "LDTT"}},
             "ldtt_exclusions": "error", "ldtt_min_months_worked": 10}

        Raises:
            SettingsError: for an unknown key, title code, percentage or severity.
        """
        data = data or {}
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise SettingsError(f"Cài đặt thi đua có khóa không hợp lệ: {', '.join(unknown)}.")
        basis = clean_line(data.get("basis")) or DEFAULT_BASIS
        try:
            votes = {
                _title(code): _vote(entry, basis) for code, entry in data.get("votes", {}).items()
            }
            quotas = {
                _title(code): _quota(_title(code), entry, basis)
                for code, entry in data.get("quotas", {}).items()
            }
        except (AttributeError, TypeError) as exc:
            raise SettingsError(f"Cài đặt thi đua không đúng cấu trúc ({exc}).") from None
        return cls(
            basis=basis,
            votes=votes,
            quotas=quotas,
            ldtt_exclusions=_severity(data.get("ldtt_exclusions")),
            ldtt_min_months_worked=_count(data.get("ldtt_min_months_worked"), "số tháng"),
            ldtt_absent_days_from=_count(data.get("ldtt_absent_days_from"), "số ngày nghỉ"),
            head_confers=frozenset(_title(code) for code in data.get("head_confers", ()) or ()),
            head_recognises_initiatives=bool(data.get("head_recognises_initiatives", True)),
        )


def coerce_settings(value: OrgSettings | Mapping[str, Any] | None) -> OrgSettings:
    """Accept settings as an object, a stored dict, or ``None`` (no local rules)."""
    if isinstance(value, OrgSettings):
        return value
    return OrgSettings.from_dict(value)


def _title(code: Any) -> str:
    try:
        return get_title(str(code)).code
    except EmulationError as exc:
        raise SettingsError(exc.message) from None


def _vote(entry: Mapping[str, Any], basis: str) -> VoteRule:
    return VoteRule(
        percent=_percent(entry["percent"] if "percent" in entry else None),
        strict=bool(entry.get("strict", False)),
        secret_ballot=bool(entry.get("secret_ballot", False)),
        basis=clean_line(entry.get("basis")) or basis,
        confirmed=True,
    )


def _quota(code: str, entry: Mapping[str, Any], basis: str) -> Quota:
    return Quota(
        title_code=code,
        max_percent=_percent(entry.get("max_percent")),
        of_title=_title(entry.get("of", "LDTT")),
        basis=clean_line(entry.get("basis")) or basis,
    )


def _percent(value: Any) -> Fraction:
    if value is None:
        raise SettingsError("Cài đặt thi đua thiếu tỷ lệ phần trăm.")
    try:
        return parse_percent(value)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def _severity(value: Any) -> RuleSeverity | None:
    if value is None:
        return None
    if value not in SEVERITIES:
        raise SettingsError(
            f"Mức áp dụng “{value}” không hợp lệ: chọn error (bắt buộc), warning (cảnh báo) "
            "hoặc off (không áp dụng)."
        )
    severity: RuleSeverity = value  # one of SEVERITIES
    return severity


def _count(value: Any, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingsError(f"Cài đặt {label} phải là số nguyên không âm, nhận được “{value}”.")
    return value
