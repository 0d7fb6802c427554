"""Eligibility warnings for the clerk's review page, from the rules in domain.emulation.

The round fixes the rule set (by its reference date); the organization supplies its own
quotas and overrides, and its province: the province's own regulation (domain.emulation.
provinces) is cited beside the Law only for organizations in that province. Facts the clerk
has not entered yet give "missing information" notes, never a silent pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.emulation import provinces
from domain.emulation import rulesets
from domain.emulation.eligibility import check_collective
from domain.emulation.eligibility import check_individual
from domain.emulation.errors import EmulationError
from domain.emulation.facts import MISSING_FACT
from domain.emulation.facts import CollectiveFacts
from domain.emulation.facts import Finding
from domain.emulation.facts import IndividualFacts
from domain.emulation.ratios import format_percent
from domain.emulation.rulesets import RuleSet
from domain.emulation.settings import coerce_settings
from domain.emulation.titles import get_title
from domain.emulation.votes import check_quota
from domain.emulation.votes import check_vote
from storage.models import Organization
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import SubmissionStatus


@dataclass(frozen=True)
class ReviewFinding:
    severity: str  # error | warning | info
    message: str
    basis: str = ""


@dataclass(frozen=True)
class VoteView:
    passed: bool
    message: str


@dataclass(frozen=True)
class CheckItem:
    """One criterion of the title as the clerk reads it at a glance.

    Attributes:
        mark: "✓" met, "✗" not met, "!" to be looked at, "?" not known yet.
        state: the mark in words ("Đạt", "Không đạt", "Cần xem", "Chưa đủ thông tin").
        label: the criterion in a few words.
        line: for anything but ✓, what is wrong or missing, in one short sentence.
        detail: the checker's full sentence, and ``basis`` the clauses behind it (shown
            behind a "chi tiết" disclosure).
    """

    code: str
    mark: str
    state: str
    label: str
    line: str = ""
    detail: str = ""
    basis: str = ""


@dataclass
class ReviewReport:
    ruleset_name: str
    findings: list[ReviewFinding] = field(default_factory=list)
    vote: VoteView | None = None
    checklist: list[CheckItem] = field(default_factory=list)


def individual_facts(facts: dict[str, Any]) -> IndividualFacts:
    """Map the clerk's stored facts onto the domain's (unknown stays ``None``)."""
    return IndividualFacts(
        rating=facts.get("rating") or None,
        initiative_recognised=facts.get("initiative_recognised"),
        research_accepted=facts.get("research_accepted"),
        disciplined_level=facts.get("discipline") or None,
        months_worked=facts.get("months_worked"),
        absent_working_days=facts.get("absent_days"),
        consecutive_cstdcs=facts.get("consecutive_cstdcs"),
        initiative_scope=facts.get("initiative_scope") or None,
    )


def collective_facts(facts: dict[str, Any]) -> CollectiveFacts:
    return CollectiveFacts(
        member_count=facts.get("member_count"),
        ldtt_count=facts.get("ldtt_count"),
        completed_tasks_count=facts.get("completed_count"),
        cstdcs_count=facts.get("cstdcs_count"),
        disciplined_warning_or_above_count=facts.get("disciplined_count"),
        rating=facts.get("rating") or None,
    )


def approved_counts(session: Session, round_id: int) -> dict[str, int]:
    """How many individuals the council approved per title in a round (for quotas)."""
    rows = session.execute(
        select(Submission.title_code, func.count())
        .where(
            Submission.round_id == round_id,
            Submission.status == SubmissionStatus.APPROVED,
            Submission.nominee_type == "individual",
        )
        .group_by(Submission.title_code)
    ).all()
    return {code: count for code, count in rows}


def review(
    submission: Submission,
    round_: Round,
    organization: Organization,
    approved: dict[str, int] | None = None,
) -> ReviewReport:
    """Check the submission's title against its round's rule set, the organization's quota
    (``approved``: counts per title already approved in the round) and the council's vote."""
    try:
        ruleset = rulesets.get_ruleset(round_.ruleset_id)
    except EmulationError:
        try:
            ruleset = rulesets.ruleset_for(round_.reference_date)
        except EmulationError as exc:
            return ReviewReport("—", [ReviewFinding("error", str(exc))])
    report = ReviewReport(ruleset_name=ruleset.describe())
    code = submission.title_code
    if not code or submission.kind in (SubmissionKind.EXEMPLARY, SubmissionKind.INITIATIVE):
        return report
    try:
        settings = coerce_settings(organization.settings)
        if submission.nominee_type == "collective":
            findings = check_collective(code, collective_facts(submission.facts), ruleset, settings)
        else:
            findings = check_individual(code, individual_facts(submission.facts), ruleset, settings)
        findings = with_provincial_basis(findings, code, ruleset, round_, organization)
        criteria = _criteria(code, submission.nominee_type, ruleset, settings)
        quota = settings.quotas.get(code)
        if quota is not None and approved is not None and submission.nominee_type == "individual":
            criteria.append(QUOTA_CODE)
            findings += _quota_findings(code, quota, approved, submission, settings)
        report.findings = [ReviewFinding(f.severity, f.message_vi, f.legal_basis) for f in findings]
        report.checklist = checklist(criteria, findings)
        if submission.votes_for is not None and submission.council_total:
            result = check_vote(
                code, submission.votes_for, submission.council_total, ruleset, settings
            )
            report.vote = VoteView(result.passed, result.message_vi)
    except EmulationError as exc:
        report.findings.append(ReviewFinding("error", str(exc)))
    return report


# -- The checklist --------------------------------------------------------------------------

QUOTA_CODE = "QUOTA"
_MARKS = {
    None: ("✓", "Đạt"),
    "error": ("✗", "Không đạt"),
    "warning": ("!", "Cần xem"),
    "info": ("?", "Chưa đủ thông tin"),
}
_WORST = {"error": 3, "warning": 2, "info": 1}
# A caveat about the rule's standing ("(quy định cũ, chưa xác nhận theo luật hiện hành)") is
# for the details, not the line read at a glance.
_CAVEAT = re.compile(r"\s*\([^()]*chưa xác nhận[^()]*\)")
# A criterion in a few words, by the checker's finding code (exact, else by its ending).
_LABELS = {
    "LDTT_RATING": "Xếp loại “Hoàn thành tốt nhiệm vụ” trở lên",
    "CSTDCS_LDTT": "Đạt “Lao động tiên tiến”",
    "CSTDCS_ACHIEVEMENT": "Hoàn thành xuất sắc nhiệm vụ, hoặc có sáng kiến / đề tài",
    "TITLE_NOT_OFFERED": "Danh hiệu có trong quy định của đợt",
    "NOT_AUTO_CHECKED": "Tiêu chuẩn do Hội đồng xem xét",
    QUOTA_CODE: "Trong hạn mức của đơn vị",
}
_SUFFIX_LABELS = (
    ("_MONTHS_WORKED", "Đủ thời gian công tác trong năm"),
    ("_ABSENCE", "Không nghỉ quá số ngày cho phép"),
    ("_DISCIPLINE", "Không bị kỷ luật"),
    ("_LDTT_RATIO", "Đủ tỷ lệ thành viên đạt “Lao động tiên tiến”"),
    ("_COMPLETED_RATIO", "Đủ tỷ lệ thành viên hoàn thành nhiệm vụ"),
    ("_CSTDCS", "Có cá nhân đạt “Chiến sĩ thi đua cơ sở”"),
    ("_RATING", "Tập thể xếp loại đạt mức yêu cầu"),
    ("_CONSECUTIVE", "Đủ số lần liên tục đạt danh hiệu"),
    ("_INITIATIVE_SCOPE", "Sáng kiến, đề tài đủ phạm vi ảnh hưởng"),
)


def criterion_label(code: str) -> str:
    if code in _LABELS:
        return _LABELS[code]
    for suffix, label in _SUFFIX_LABELS:
        if code.endswith(suffix):
            return label
    return code


def _criteria(code: str, nominee_type: str, ruleset: RuleSet, settings: Any) -> list[str]:
    """The criteria the checker applies to the title: the codes it reports when nothing is
    known yet (every applicable criterion then asks for its fact), in its order."""
    if nominee_type == "collective":
        blank = check_collective(code, CollectiveFacts(), ruleset, settings)
    else:
        blank = check_individual(code, IndividualFacts(), ruleset, settings)
    return list(dict.fromkeys(f.code for f in blank))


def _quota_findings(
    code: str, quota: Any, approved: dict[str, int], submission: Submission, settings: Any
) -> list[Finding]:
    """The organization's quota (CSTĐCS ≤ x % of LĐTT). While no one holds the base title
    in the round (the council has approved no LĐTT yet) the cap cannot be known: say so
    rather than "at most 0 of 0"."""
    base = approved.get(quota.of_title, 0)
    if base == 0:
        name = get_title(quota.of_title).quoted_name
        message = (
            f"{MISSING_FACT}hạn mức là {format_percent(quota.max_percent)} số người được công "
            f"nhận {name} trong đợt, mà Hội đồng chưa thông qua {name} nào."
        )
        return [Finding(QUOTA_CODE, "info", message, quota.basis)]
    # Count this person as proposed whether or not the council has approved them yet.
    already = submission.status == SubmissionStatus.APPROVED
    proposed = approved.get(code, 0) + (0 if already else 1)
    found = check_quota(code, proposed, base, settings)
    return [replace(f, code=QUOTA_CODE) for f in found]


def checklist(criteria: list[str], findings: list[Finding]) -> list[CheckItem]:
    """One line per criterion: ✓ when the checker found nothing against it, else the mark of
    its worst finding with that finding's sentence; findings of no listed criterion follow."""
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    items = []
    for code in [*criteria, *(c for c in by_code if c not in criteria)]:
        found = by_code.get(code, [])
        worst = max(found, key=lambda f: _WORST.get(f.severity, 0), default=None)
        mark, state = _MARKS[worst.severity if worst else None]
        if worst is None:
            items.append(CheckItem(code, mark, state, criterion_label(code)))
            continue
        line = _CAVEAT.sub("", worst.message_vi.removeprefix(MISSING_FACT))
        items.append(
            CheckItem(
                code, mark, state, criterion_label(code), line[:1].upper() + line[1:],
                " ".join(f.message_vi for f in found), worst.legal_basis,
            )
        )  # fmt: skip
    return items


def with_provincial_basis(
    findings: list[Finding],
    code: str,
    ruleset: RuleSet,
    round_: Round,
    organization: Organization,
) -> list[Finding]:
    """Cite the organization's provincial regulation beside the Law on the title's criteria.

    Only findings resting on the rule set's criteria clause get it (not a discipline rule
    the province's text does not contain, not the organization's own quota), and only when
    the organization declared that province and the regulation existed on the round's
    reference date: a school in another province never sees it.
    """
    regulation = provinces.regulation_for(organization.province or "")
    criteria = ruleset.criteria_for(code)
    if regulation is None or criteria is None or not regulation.may_apply_on(round_.reference_date):
        return findings
    provincial = regulation.basis_for(code)
    if provincial is None:
        return findings
    return [
        replace(f, legal_basis=f"{f.legal_basis}; {provincial}")
        if f.legal_basis == criteria.basis
        else f
        for f in findings
    ]
