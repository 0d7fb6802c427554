"""Council votes (Hội đồng Thi đua - Khen thưởng) and organisation quotas.

NĐ 98/2023/NĐ-CP, Điều 30 khoản 7: for CSTĐCS and the Cờ thi đua the council of the
proposing level votes by secret ballot and needs ≥ 80 % of its TOTAL membership (absent
members vote in writing); for CSTĐ bộ/ngành/tỉnh and CSTĐ toàn quốc ≥ 90 %. Whether
NĐ 152/2025 keeps the same thresholds is unconfirmed, and the LĐTT threshold is set by
each unit's quy chế — so all numbers come from the rule set and the organisation settings.
Percentages are exact fractions: 8 of 10 is exactly 80 % and passes "≥ 80 %".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace
from fractions import Fraction
from typing import Any

from domain.emulation.errors import InvalidFactsError
from domain.emulation.facts import Finding
from domain.emulation.ratios import format_percent
from domain.emulation.ratios import meets
from domain.emulation.ratios import percent_of
from domain.emulation.rules import VoteRule
from domain.emulation.rulesets import RuleSet
from domain.emulation.settings import OrgSettings
from domain.emulation.settings import coerce_settings
from domain.emulation.titles import get_title


@dataclass(frozen=True)
class VoteResult:
    """Outcome of a council vote on one candidate for one title.

    Attributes:
        title_code: the title voted on.
        votes_for: phiếu đồng ý.
        council_total: tổng số thành viên Hội đồng (not only those present).
        percent: exact approval percentage.
        threshold: the rule actually applied (rule set or organisation setting).
        passed: True when the threshold is reached (and a required secret ballot held).
        message_vi: sentence for the biên bản review.
        ruleset_id: the rule set used.
    """

    title_code: str
    votes_for: int
    council_total: int
    percent: Fraction
    threshold: VoteRule
    passed: bool
    message_vi: str
    ruleset_id: str

    @property
    def percent_text(self) -> str:
        """Return the percentage as printed in a biên bản (``"77,78%"``)."""
        return format_percent(self.percent, below=self.threshold.percent)

    def findings(self) -> list[Finding]:
        """Return the result as findings for the clerk's review list."""
        if not self.passed:
            return [Finding("VOTE_THRESHOLD", "error", self.message_vi, self.threshold.basis)]
        if not self.threshold.confirmed:
            return [Finding("VOTE_THRESHOLD", "warning", self.message_vi, self.threshold.basis)]
        return []


def effective_vote_rule(
    title_code: str, ruleset: RuleSet, org_settings: OrgSettings | Mapping[str, Any] | None
) -> tuple[VoteRule, str]:
    """Return the vote rule to apply and a Vietnamese remark ('' when none).

    An organisation threshold replaces the rule set's; but a confirmed legal threshold is
    a floor a local quy chế cannot lower, and a legally required secret ballot stays.
    """
    legal = ruleset.vote_rule(title_code)
    settings = coerce_settings(org_settings)
    local = settings.votes.get(title_code)
    if local is None:
        return legal, ""
    if legal.confirmed and legal.is_stricter_than(local):
        return legal, (
            f"Ngưỡng trong {local.basis} thấp hơn mức luật định nên áp dụng mức luật định."
        )
    return replace(local, secret_ballot=local.secret_ballot or legal.secret_ballot), ""


def check_vote(
    title_code: str,
    votes_for: int,
    council_total: int,
    ruleset: RuleSet,
    org_settings: OrgSettings | Mapping[str, Any] | None = None,
    secret_ballot: bool | None = None,
) -> VoteResult:
    """Check a council vote against the threshold for ``title_code``.

    Args:
        title_code: title or form voted on (``"CSTDCS"``).
        votes_for: number of approving votes, including written votes of absent members.
        council_total: total membership of the council.
        ruleset: the rule set of the round.
        org_settings: the organisation's overrides (thresholds for titles the law leaves
            to the unit's quy chế).
        secret_ballot: whether the vote was secret; ``False`` fails a title that requires
            it, ``None`` means not recorded.

    Raises:
        UnknownTitleError: for an unknown title code.
        InvalidFactsError: if the counts are impossible.
    """
    title = get_title(title_code)
    _check_counts(votes_for, council_total)
    rule, remark = effective_vote_rule(title_code, ruleset, org_settings)
    percent = percent_of(votes_for, council_total)
    ballot_missing = rule.secret_ballot and secret_ballot is False
    passed = meets(percent, rule.percent, rule.strict) and not ballot_missing
    shown = format_percent(percent, below=rule.percent)
    parts = [
        f"{title.quoted_name}: {'đạt' if passed else 'không đạt'} — {votes_for}/"
        f"{council_total} thành viên Hội đồng đồng ý ({shown}), yêu cầu {rule.describe()} "
        f"({rule.basis})."
    ]
    if ballot_missing:
        parts.append("Danh hiệu này phải bỏ phiếu kín nhưng biên bản ghi không bỏ phiếu kín.")
    elif rule.secret_ballot and secret_ballot is None:
        parts.append("Lưu ý: danh hiệu này phải bỏ phiếu kín.")
    if remark:
        parts.append(remark)
    if not rule.confirmed:
        parts.append(f"Ngưỡng chưa được xác nhận. {rule.note}".strip())
    return VoteResult(
        title_code=title.code,
        votes_for=votes_for,
        council_total=council_total,
        percent=percent,
        threshold=rule,
        passed=passed,
        message_vi=" ".join(parts),
        ruleset_id=ruleset.id,
    )


def check_quota(
    title_code: str,
    proposed_count: int,
    base_count: int,
    org_settings: OrgSettings | Mapping[str, Any] | None,
) -> list[Finding]:
    """Check an organisation quota such as "CSTĐCS ≤ 15 % of the LĐTT".

    National law sets no such cap since 01/01/2024 (domain-rules.md §2.3), so without a
    quota in ``org_settings`` nothing is reported.

    Args:
        title_code: the capped title (``"CSTDCS"``).
        proposed_count: how many people the unit proposes for it.
        base_count: how many hold the quota's base title (``Quota.of_title``, e.g. LĐTT).
        org_settings: the organisation's settings.

    Returns:
        An ``error`` finding when the quota is exceeded, else an empty list.

    Raises:
        InvalidFactsError: for negative counts.
    """
    get_title(title_code)
    if min(proposed_count, base_count) < 0:
        raise InvalidFactsError("Số lượng đề nghị và số lượng làm căn cứ không được âm.")
    quota = coerce_settings(org_settings).quotas.get(title_code)
    if quota is None or proposed_count == 0:
        return []
    allowed = int(quota.max_percent * base_count // 100)
    if proposed_count <= allowed:
        return []
    title, base = get_title(title_code), get_title(quota.of_title)
    message = (
        f"Số đề nghị {title.quoted_name} ({proposed_count}) vượt hạn mức "
        f"{format_percent(quota.max_percent)} số {base.quoted_name}: tối đa {allowed} "
        f"trên {base_count} người."
    )
    return [Finding("QUOTA_EXCEEDED", "error", message, quota.basis)]


def _check_counts(votes_for: int, council_total: int) -> None:
    for value in (votes_for, council_total):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidFactsError("Số phiếu và số thành viên Hội đồng phải là số nguyên.")
    if council_total < 1:
        raise InvalidFactsError("Hội đồng Thi đua - Khen thưởng phải có ít nhất 01 thành viên.")
    if not 0 <= votes_for <= council_total:
        raise InvalidFactsError(
            f"Số phiếu đồng ý ({votes_for}) phải từ 0 đến tổng số thành viên Hội đồng "
            f"({council_total})."
        )
