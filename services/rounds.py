"""Emulation rounds: the rule set each one uses, next year's copy, closing, and the
summary of a round by title and unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.emulation import rulesets
from domain.emulation.choices import title_name
from domain.emulation.errors import NoRuleSetError
from domain.text import fold
from storage.models import SUBMISSION_KIND_LABELS
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionStatus


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


_YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")


def shift_year(day: date, years: int = 1) -> date:
    """``day`` the same day ``years`` later (29/02 becomes 28/02)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_name(text: str) -> str:
    """Every year in ``text`` one later: "Năm học 2025-2026" → "Năm học 2026-2027"."""
    return _YEAR.sub(lambda m: str(int(m.group(0)) + 1), text)


def copy_round(previous: Round) -> Round:
    """Next year's round from ``previous``: its name and school year with the years moved on,
    the reference date and both windows a year later, the rule set in force on the new
    reference date; open (not closed). Not added to a session.

    Raises:
        LookupError: with a Vietnamese message when no rule set covers the new date.
    """
    reference = shift_year(previous.reference_date)
    return Round(
        organization_id=previous.organization_id,
        name=next_name(previous.name),
        school_year=next_name(previous.school_year or ""),
        reference_date=reference,
        ruleset_id=ruleset_id_for(reference),
        registration_opens=shift_year(previous.registration_opens),
        registration_closes=shift_year(previous.registration_closes),
        nomination_opens=shift_year(previous.nomination_opens),
        nomination_closes=shift_year(previous.nomination_closes),
    )


def close_round(round_: Round, *, now: datetime | None = None) -> None:
    """Close the round: no more registrations or nominations, whatever the windows say."""
    if round_.closed_at is None:
        round_.closed_at = now or datetime.now(UTC)


def reopen_round(round_: Round) -> None:
    round_.closed_at = None


def status_label(round_: Round, today: date) -> str:
    """The round's state in a few words, for lists."""
    if round_.is_closed:
        return "Đã đóng"
    if round_.registration_open(today) or round_.nomination_open(today):
        return "Đang mở"
    if today < min(round_.registration_opens, round_.nomination_opens):
        return "Chưa mở"
    return "Hết hạn nhận hồ sơ"


@dataclass(frozen=True)
class SummaryRow:
    """Entries of one title in one unit (tổ / bộ phận)."""

    title: str
    unit: str
    total: int
    approved: int
    rejected: int

    @property
    def waiting(self) -> int:
        return self.total - self.approved - self.rejected


@dataclass(frozen=True)
class Summary:
    rows: list[SummaryRow]  # by title, then unit
    by_title: list[SummaryRow]  # one row per title, unit ""
    total: SummaryRow  # title and unit ""


def entry_title(submission: Submission) -> str:
    """The title or form of an entry as people read it."""
    if submission.title_code:
        return title_name(submission.title_code)
    typed = str((submission.data or {}).get("title") or "").strip()
    return typed or SUBMISSION_KIND_LABELS.get(submission.kind, submission.kind)


def summary(session: Session, round_: Round) -> Summary:
    """How many entries of the round each title has in each unit, and how many passed."""
    counts: dict[tuple[str, str], list[int]] = {}
    entries = session.scalars(
        select(Submission).where(
            Submission.organization_id == round_.organization_id,
            Submission.round_id == round_.id,
        )
    )
    for entry in entries:
        key = (entry_title(entry), entry.unit or "(không ghi tổ)")
        count = counts.setdefault(key, [0, 0, 0])
        count[0] += 1
        count[1] += entry.status == SubmissionStatus.APPROVED
        count[2] += entry.status == SubmissionStatus.REJECTED
    rows = [SummaryRow(t, u, *c) for (t, u), c in sorted(counts.items(), key=_order)]
    titles: dict[str, list[int]] = {}
    for row in rows:
        tally = titles.setdefault(row.title, [0, 0, 0])
        for i, value in enumerate((row.total, row.approved, row.rejected)):
            tally[i] += value
    by_title = [SummaryRow(t, "", *c) for t, c in titles.items()]
    total = SummaryRow("", "", *(sum(r[i] for r in titles.values()) for i in range(3)))
    return Summary(rows, by_title, total)


def _order(item: tuple[tuple[str, str], list[int]]) -> tuple[str, str]:
    (title, unit), _count = item
    return fold(title), fold(unit)
