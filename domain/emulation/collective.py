"""Criteria of collective titles: Tập thể lao động tiên tiến / xuất sắc.

Ratios are exact fractions of the member count, so 70 of 100 (70 %) passes "≥ 70 %" and
69 of 100 does not. Used by :func:`domain.emulation.eligibility.check_collective`.
"""

from __future__ import annotations

from fractions import Fraction

from domain.emulation.facts import RATINGS
from domain.emulation.facts import CollectiveFacts
from domain.emulation.facts import Finding
from domain.emulation.facts import missing_fact
from domain.emulation.facts import rating_at_least
from domain.emulation.ratios import format_percent
from domain.emulation.ratios import meets
from domain.emulation.ratios import percent_of
from domain.emulation.rules import CollectiveCriteria
from domain.emulation.titles import Title


def check_collective_criteria(
    title: Title, facts: CollectiveFacts, crit: CollectiveCriteria
) -> list[Finding]:
    """Check a collective against :class:`CollectiveCriteria` (rating, ratios, CSTĐCS).

    TTLĐTT: completes tasks well, ≥ 70 % of members LĐTT, nobody disciplined ≥ cảnh cáo
    (Luật 2022 Điều 28). TTLĐXS: completes tasks excellently, 100 % of members complete
    their tasks, ≥ 70 % LĐTT, at least one CSTĐCS (QĐ 86/2025/QĐ-UBND Bắc Ninh Điều 3.2,
    reproducing the Law). All figures come from the rule set.
    """
    code, basis = title.code, crit.basis
    out: list[Finding] = []
    if facts.rating is None:
        out.append(missing_fact(f"{code}_RATING", "chưa có kết quả xếp loại của tập thể.", basis))
    elif not rating_at_least(facts.rating, crit.min_rating):
        got, need = RATINGS[facts.rating], RATINGS[crit.min_rating]
        msg = f"Tập thể xếp loại “{got}”, dưới mức “{need}”."
        out.append(Finding(f"{code}_RATING", "error", msg, basis))
    members = facts.member_count
    what = "đạt “Lao động tiên tiến”"
    out += _ratio(
        f"{code}_LDTT_RATIO", what, facts.ldtt_count, members, crit.min_ldtt_percent, basis
    )
    if crit.min_completed_percent is not None:
        done, need_done = facts.completed_tasks_count, crit.min_completed_percent
        out += _ratio(
            f"{code}_COMPLETED_RATIO", "hoàn thành nhiệm vụ", done, members, need_done, basis
        )
    if crit.min_cstdcs > 0:
        if facts.cstdcs_count is None:
            out.append(missing_fact(f"{code}_CSTDCS", "chưa có số cá nhân đạt CSTĐCS.", basis))
        elif facts.cstdcs_count < crit.min_cstdcs:
            msg = (
                f"Cần ít nhất {crit.min_cstdcs} cá nhân đạt “Chiến sĩ thi đua cơ sở”, "
                f"hiện có {facts.cstdcs_count}."
            )
            out.append(Finding(f"{code}_CSTDCS", "error", msg, basis))
    return out + _collective_discipline(code, facts, crit)


def _collective_discipline(
    code: str, facts: CollectiveFacts, crit: CollectiveCriteria
) -> list[Finding]:
    """No member disciplined at "cảnh cáo" or heavier (confirmed for TTLĐTT only)."""
    rule, count = crit.discipline, facts.disciplined_warning_or_above_count
    if rule.severity == "off":
        return []
    if count is None:
        return [missing_fact(f"{code}_DISCIPLINE", "chưa có số thành viên bị kỷ luật.", rule.basis)]
    if count == 0:
        return []
    caveat = "" if rule.confirmed else " (quy định chưa xác nhận)"
    msg = f"Có {count} thành viên bị kỷ luật từ hình thức cảnh cáo trở lên{caveat}."
    return [Finding(f"{code}_DISCIPLINE", rule.severity, msg, rule.basis)]


def _ratio(
    code: str, what: str, part: int | None, whole: int | None, minimum: Fraction, basis: str
) -> list[Finding]:
    if part is None or whole is None:
        return [missing_fact(code, f"chưa có số thành viên và số thành viên {what}.", basis)]
    percent = percent_of(part, whole)
    if meets(percent, minimum, strict=False):
        return []
    shown = format_percent(percent, below=minimum)
    msg = (
        f"Tỷ lệ thành viên {what} là {part}/{whole} ({shown}), dưới mức {format_percent(minimum)}."
    )
    return [Finding(code, "error", msg, basis)]
