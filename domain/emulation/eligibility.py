"""Eligibility of a candidate for a danh hiệu thi đua, as a list of findings.

Pure functions: facts in (:mod:`domain.emulation.facts`), :class:`Finding` list out. An
``error`` means not eligible, a ``warning`` needs the clerk's judgement (typically an
unconfirmed rule), an ``info`` says a fact is missing ("chưa đủ thông tin") — a check
never passes silently on unknown facts. All numbers come from the rule set and the
organisation settings. Council votes and quotas live in :mod:`domain.emulation.votes`
and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.emulation.collective import check_collective_criteria
from domain.emulation.errors import InvalidFactsError
from domain.emulation.facts import DISCIPLINE_LEVELS
from domain.emulation.facts import INITIATIVE_SCOPES
from domain.emulation.facts import RATINGS
from domain.emulation.facts import CollectiveFacts
from domain.emulation.facts import Finding
from domain.emulation.facts import IndividualFacts
from domain.emulation.facts import discipline_at_least
from domain.emulation.facts import has_errors
from domain.emulation.facts import missing_fact
from domain.emulation.facts import rating_at_least
from domain.emulation.facts import scope_at_least
from domain.emulation.rules import CSTDCS_ALTERNATIVES
from domain.emulation.rules import CollectiveCriteria
from domain.emulation.rules import CstdcsCriteria
from domain.emulation.rules import HigherCstdCriteria
from domain.emulation.rules import LdttCriteria
from domain.emulation.rulesets import RuleSet
from domain.emulation.settings import OrgSettings
from domain.emulation.settings import coerce_settings
from domain.emulation.titles import Title
from domain.emulation.titles import get_title
from domain.emulation.votes import VoteResult
from domain.emulation.votes import check_quota
from domain.emulation.votes import check_vote

__all__ = [
    "VoteResult",
    "check_collective",
    "check_individual",
    "check_quota",
    "check_vote",
    "has_errors",
]

Settings = OrgSettings | Mapping[str, Any] | None


def check_individual(
    title_code: str, facts: IndividualFacts, ruleset: RuleSet, org_settings: Settings = None
) -> list[Finding]:
    """Check one person against the criteria of ``title_code`` in ``ruleset``.

    Args:
        title_code: an individual title or form (``"LDTT"``, ``"CSTDCS"``, …).
        facts: what is known about the person.
        ruleset: the rule set of the round.
        org_settings: the organisation's settings (LĐTT exclusions, …).

    Returns:
        Findings; the person is eligible when none is an ``error`` (:func:`has_errors`).

    Raises:
        UnknownTitleError: for an unknown code.
        InvalidFactsError: if the title is for collectives only.
    """
    title = _title_for(title_code, "individual")
    settings = coerce_settings(org_settings)
    if not ruleset.offers(title.code):
        return [_not_offered(title, ruleset)]
    criteria = ruleset.criteria_for(title.code)
    if isinstance(criteria, LdttCriteria):
        return _check_ldtt(facts, criteria, settings)
    if isinstance(criteria, CstdcsCriteria):
        return _check_cstdcs(facts, criteria, ruleset, settings)
    if isinstance(criteria, HigherCstdCriteria):
        return _check_higher(title, facts, criteria)
    return [_not_checked(title)]


def check_collective(
    title_code: str, facts: CollectiveFacts, ruleset: RuleSet, org_settings: Settings = None
) -> list[Finding]:
    """Check a collective against the criteria of ``title_code`` (TTLĐTT, TTLĐXS, …).

    Raises:
        UnknownTitleError: for an unknown code.
        InvalidFactsError: if the title is for individuals only.
    """
    title = _title_for(title_code, "collective")
    coerce_settings(org_settings)  # validates; no collective override exists yet
    if not ruleset.offers(title.code):
        return [_not_offered(title, ruleset)]
    criteria = ruleset.criteria_for(title.code)
    if isinstance(criteria, CollectiveCriteria):
        return check_collective_criteria(title, facts, criteria)
    return [_not_checked(title)]


def _check_ldtt(facts: IndividualFacts, crit: LdttCriteria, settings: OrgSettings) -> list[Finding]:
    """Lao động tiên tiến: rated "Hoàn thành tốt nhiệm vụ" or higher (Luật 2022 Điều 24.1)."""
    out: list[Finding] = []
    if facts.rating is None:
        out.append(missing_fact("LDTT_RATING", "chưa có kết quả đánh giá, xếp loại.", crit.basis))
    elif not rating_at_least(facts.rating, crit.min_rating):
        got, need = RATINGS[facts.rating], RATINGS[crit.min_rating]
        msg = f"Kết quả xếp loại “{got}” thấp hơn mức “{need}” trở lên mà LĐTT yêu cầu."
        out.append(Finding("LDTT_RATING", "error", msg, crit.basis))
    return out + _check_ldtt_exclusions(facts, crit, settings)


def _check_ldtt_exclusions(
    facts: IndividualFacts, crit: LdttCriteria, settings: OrgSettings
) -> list[Finding]:
    """Old LĐTT exclusions (NĐ 91/2017 era, unconfirmed): their severity is configurable.

    Flags new hires (months worked below the minimum), long absences (maternity leave
    excluded, NĐ 152/2025 Điều 4) and discipline; the organisation may make them
    errors, keep them as warnings (default) or switch them off.
    """
    rule = crit.exclusions
    severity = settings.ldtt_exclusions or rule.severity
    if severity == "off":
        return []
    local_values = (
        settings.ldtt_exclusions,
        settings.ldtt_min_months_worked,
        settings.ldtt_absent_days_from,
    )
    local = any(value is not None for value in local_values)
    basis = settings.basis if local else rule.basis
    caveat = "" if local or rule.confirmed else " (quy định cũ, chưa xác nhận theo luật hiện hành)"
    months = _first(settings.ldtt_min_months_worked, rule.min_months_worked)
    absent_from = _first(settings.ldtt_absent_days_from, rule.absent_days_from)
    out: list[Finding] = []
    if months is not None:
        worked = facts.months_worked
        if worked is None:
            out.append(
                missing_fact("LDTT_MONTHS_WORKED", "chưa có số tháng công tác trong năm.", basis)
            )
        elif worked < months:
            msg = f"Thời gian công tác trong năm là {worked} tháng, dưới {months} tháng{caveat}."
            out.append(Finding("LDTT_MONTHS_WORKED", severity, msg, basis))
    if absent_from is not None:
        absent = facts.absent_working_days
        if absent is None:
            out.append(missing_fact("LDTT_ABSENCE", "chưa có số ngày nghỉ làm việc.", basis))
        elif absent >= absent_from:
            msg = (
                f"Nghỉ {absent} ngày làm việc, từ {absent_from} ngày trở lên "
                f"(không tính thời gian nghỉ thai sản){caveat}."
            )
            out.append(Finding("LDTT_ABSENCE", severity, msg, basis))
    if rule.discipline_from is not None:
        level = facts.disciplined_level
        if level is None:
            out.append(missing_fact("LDTT_DISCIPLINE", "chưa biết có bị kỷ luật hay không.", basis))
        elif discipline_at_least(level, rule.discipline_from):
            msg = f"Bị kỷ luật hình thức “{DISCIPLINE_LEVELS[level]}” trong năm{caveat}."
            out.append(Finding("LDTT_DISCIPLINE", severity, msg, basis))
    return out


def _check_cstdcs(
    facts: IndividualFacts, crit: CstdcsCriteria, ruleset: RuleSet, settings: OrgSettings
) -> list[Finding]:
    """Chiến sĩ thi đua cơ sở: LĐTT AND (HTXS OR sáng kiến OR đề tài) — Luật 2022 Điều 23.

    When whether the person meets LĐTT is not given, the LĐTT criteria of the same rule
    set are checked on the same facts.
    """
    out: list[Finding] = []
    ldtt = ruleset.criteria_for("LDTT")
    if facts.lao_dong_tien_tien_met is False:
        msg = "Chưa đạt tiêu chuẩn danh hiệu “Lao động tiên tiến”."
        out.append(Finding("CSTDCS_LDTT", "error", msg, crit.basis))
    elif facts.lao_dong_tien_tien_met is None:
        if isinstance(ldtt, LdttCriteria):
            out.extend(_check_ldtt(facts, ldtt, settings))
        else:
            msg = "chưa xác định tiêu chuẩn “Lao động tiên tiến”."
            out.append(missing_fact("CSTDCS_LDTT", msg, crit.basis))
    known = {
        "htxs": None if facts.rating is None else facts.rating == "htxs",
        "initiative": facts.initiative_recognised,
        "research": facts.research_accepted,
    }
    values = [known[name] for name in crit.alternatives]
    options = "; ".join(CSTDCS_ALTERNATIVES[name] for name in crit.alternatives)
    if any(values):
        return out
    if all(value is False for value in values):
        msg = f"Chưa đạt một trong các điều kiện: {options}."
        out.append(Finding("CSTDCS_ACHIEVEMENT", "error", msg, crit.basis))
    else:
        out.append(
            missing_fact("CSTDCS_ACHIEVEMENT", f"chưa xác định được: {options}.", crit.basis)
        )
    return out


def _check_higher(title: Title, facts: IndividualFacts, crit: HigherCstdCriteria) -> list[Finding]:
    """CSTĐ bộ/tỉnh (Luật 2022 Điều 22), toàn quốc (Điều 21): streak + initiative reach."""
    out: list[Finding] = []
    code = title.code
    count = getattr(facts, crit.fact)
    names = " hoặc ".join(get_title(c).quoted_name for c in crit.prerequisite)
    if count is None:
        out.append(
            missing_fact(f"{code}_CONSECUTIVE", f"chưa có số lần liên tục đạt {names}.", crit.basis)
        )
    elif count < crit.consecutive:
        msg = f"Có {count} lần liên tục đạt {names}; cần {crit.consecutive} lần liên tục."
        out.append(Finding(f"{code}_CONSECUTIVE", "error", msg, crit.basis))
    scope = facts.initiative_scope
    if scope is None:
        msg = "chưa có phạm vi công nhận sáng kiến, đề tài."
        out.append(missing_fact(f"{code}_INITIATIVE_SCOPE", msg, crit.basis))
    elif not scope_at_least(scope, crit.initiative_scope):
        got, need = INITIATIVE_SCOPES[scope], INITIATIVE_SCOPES[crit.initiative_scope]
        msg = f"Sáng kiến, đề tài mới được công nhận {got}; cần có phạm vi ảnh hưởng {need}."
        out.append(Finding(f"{code}_INITIATIVE_SCOPE", "error", msg, crit.basis))
    return out


def _title_for(code: str, scope: Any) -> Title:
    title = get_title(code)
    if not title.applies_to(scope):
        who = "cá nhân" if scope == "individual" else "tập thể"
        raise InvalidFactsError(f"{title.quoted_name} không xét tặng cho {who}.")
    return title


def _not_offered(title: Title, ruleset: RuleSet) -> Finding:
    msg = (
        f"{title.quoted_name} không được xét theo bộ quy tắc {ruleset.name} "
        f"(áp dụng {ruleset.period_text()})."
    )
    return Finding("TITLE_NOT_OFFERED", "error", msg, ruleset.label)


def _not_checked(title: Title) -> Finding:
    msg = (
        f"Hệ thống chưa tự kiểm tra tiêu chuẩn của {title.quoted_name}; "
        f"đối chiếu {title.basis} và quy định của cấp khen thưởng."
    )
    return Finding("NOT_AUTO_CHECKED", "info", msg, title.basis)


def _first(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)
