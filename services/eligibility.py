"""Eligibility warnings for the clerk's review page, from the rules in domain.emulation.

The round fixes the rule set (by its reference date); the organization supplies its own
quotas and overrides, and its province: the province's own regulation (domain.emulation.
provinces) is cited beside the Law only for organizations in that province. Facts the clerk
has not entered yet give "missing information" notes, never a silent pass.
"""

from __future__ import annotations

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
from domain.emulation.facts import CollectiveFacts
from domain.emulation.facts import Finding
from domain.emulation.facts import IndividualFacts
from domain.emulation.rulesets import RuleSet
from domain.emulation.settings import coerce_settings
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


@dataclass
class ReviewReport:
    ruleset_name: str
    findings: list[ReviewFinding] = field(default_factory=list)
    vote: VoteView | None = None


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
        quota = settings.quotas.get(code)
        if quota is not None and approved is not None and submission.nominee_type == "individual":
            # Count this person as proposed whether or not the council has approved them yet.
            already = submission.status == SubmissionStatus.APPROVED
            proposed = approved.get(code, 0) + (0 if already else 1)
            findings += check_quota(code, proposed, approved.get(quota.of_title, 0), settings)
        report.findings = [ReviewFinding(f.severity, f.message_vi, f.legal_basis) for f in findings]
        if submission.votes_for is not None and submission.council_total:
            result = check_vote(
                code, submission.votes_for, submission.council_total, ruleset, settings
            )
            report.vote = VoteView(result.passed, result.message_vi)
    except EmulationError as exc:
        report.findings.append(ReviewFinding("error", str(exc)))
    return report


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
