"""Reading a round for its dossier: who was voted on, with what result, who decides each
title, and what the staff directory knows of each person (birth year, gender)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.emulation.authority import Decider
from domain.emulation.authority import decider_for
from domain.emulation.errors import EmulationError
from domain.emulation.rulesets import get_ruleset
from domain.emulation.settings import coerce_settings
from domain.emulation.titles import TITLES
from domain.emulation.titles import Title
from domain.emulation.titles import get_title
from domain.emulation.votes import VoteResult
from domain.emulation.votes import check_vote
from domain.errors import VanthuError
from domain.text import clean_line
from domain.text import fold
from domain.text import nfc
from render.context_kinds import percent_text
from services.placement import placement_of
from storage.models import Organization
from storage.models import Person
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import SubmissionStatus

_TITLE_ORDER = {code: index for index, code in enumerate(TITLES)}


class DossierError(VanthuError):
    """The dossier cannot be made; ``message`` is Vietnamese and safe to show."""

    code = "dossier_refused"


@dataclass(frozen=True)
class Nominee:
    """One nomination as the dossier's documents print it.

    ``vote`` is the council result checked against the round's rule set (None for kinds
    that are not voted on a title); ``override`` the reason recorded when an approval was
    kept below the threshold; ``decider`` who may confer the title (None for initiatives
    and exemplary nominations).
    """

    submission_id: int
    kind: str
    status: str
    name: str
    position: str
    unit: str
    collective: bool
    title: Title | None
    votes_for: int | None
    council_total: int | None
    vote: VoteResult | None = None
    override: str = ""
    decider: Decider | None = None
    achievements: str = ""
    birth_year: int | None = None
    gender: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def position_unit(self) -> str:
        return ", ".join(part for part in (self.position, self.unit) if part)

    @property
    def percent(self) -> str:
        if self.votes_for is None or not self.council_total:
            return ""
        return percent_text(self.votes_for, self.council_total)

    @property
    def passed(self) -> bool:
        """Reached the rule set's threshold (an override never counts as reaching it)."""
        return self.vote is not None and self.vote.passed

    @property
    def approved(self) -> bool:
        return self.status == SubmissionStatus.APPROVED.value


@dataclass(frozen=True)
class RoundFacts:
    """Everything the dossier needs from the database, read once."""

    voted: list[Nominee]  # titled nominations with a vote, approved or not (for the Biên bản)
    awarded: list[Nominee]  # approved titled nominations
    initiatives: list[Nominee]  # approved sáng kiến
    exemplary: list[Nominee]  # approved điển hình tiên tiến
    council_total: int | None

    @property
    def is_empty(self) -> bool:
        return not (self.awarded or self.initiatives or self.exemplary)


def _name_key(name: str) -> tuple[str, str, str]:
    """Vietnamese lists sort people by their given name (the last word), then the rest."""
    return fold(name.split(" ")[-1]), fold(name), name


def _order(nominee: Nominee) -> tuple[object, ...]:
    code = nominee.title.code if nominee.title else ""
    return (nominee.collective, _TITLE_ORDER.get(code, 99), *_name_key(nominee.name))


class _Directory:
    """The staff directory by folded name (and unit when a name is not unique)."""

    def __init__(self, session: Session, organization_id: int) -> None:
        self._people: dict[str, list[Person]] = {}
        for person in session.scalars(
            select(Person).where(Person.organization_id == organization_id)
        ):
            self._people.setdefault(person.search_key, []).append(person)

    def find(self, name: str, unit: str) -> Person | None:
        matches = self._people.get(fold(name), [])
        if len(matches) > 1:
            matches = [p for p in matches if p.unit_key == fold(unit)] or []
        return matches[0] if len(matches) == 1 else None


def _birth(submission: Submission, person: Person | None) -> tuple[int | None, str]:
    data = submission.data or {}
    year: int | None = data.get("birth_year") if isinstance(data.get("birth_year"), int) else None
    gender = str(data["gender"]) if data.get("gender") in ("Nam", "Nữ") else ""
    if person is not None:
        year = year or person.birth_year or (person.birth_date.year if person.birth_date else None)
        gender = gender or (str(person.gender) if person.gender in ("Nam", "Nữ") else "")
    return year, gender


def read_round(
    session: Session, org: Organization, round_: Round, decided_on: datetime.date
) -> RoundFacts:
    """Read the round's nominations and check each one; nothing is written.

    Raises:
        DossierError: a nomination that cannot go into documents (no name, unknown title,
            no vote, impossible counts, a title nobody may confer on ``decided_on``, council
            sizes that differ), listed all at once.
    """
    ruleset = get_ruleset(round_.ruleset_id)
    settings = coerce_settings(org.settings)
    placement = placement_of(org)
    directory = _Directory(session, org.id)
    submissions = session.scalars(
        select(Submission).where(
            Submission.organization_id == org.id,
            Submission.round_id == round_.id,
            Submission.status != SubmissionStatus.SUBMITTED.value,
        )
    )
    problems: list[str] = []
    voted, awarded, initiatives, exemplary = [], [], [], []
    for submission in submissions:
        approved = submission.status == SubmissionStatus.APPROVED.value
        label = clean_line(submission.nominee_name) or f"hồ sơ số {submission.id}"
        if submission.kind == SubmissionKind.INITIATIVE:
            if approved:
                initiatives.append(_initiative(submission))
            continue
        if not clean_line(submission.nominee_name):
            if approved:
                problems.append(f"{label}: chưa có họ tên (tên tập thể)")
            continue
        person = directory.find(submission.nominee_name, submission.unit)
        year, gender = _birth(submission, person)
        base = Nominee(
            submission_id=submission.id,
            kind=submission.kind,
            status=submission.status,
            name=clean_line(submission.nominee_name),
            position=clean_line(submission.position or (person.position if person else "")),
            unit=clean_line(submission.unit or (person.unit if person else "")),
            collective=submission.nominee_type == "collective",
            title=None,
            votes_for=submission.votes_for,
            council_total=submission.council_total,
            achievements=nfc(str((submission.data or {}).get("achievements") or "")).strip(),
            birth_year=year,
            gender=gender,
            extra={"field": clean_line(str((submission.data or {}).get("field") or ""))},
        )
        if not submission.title_code:
            if submission.kind == SubmissionKind.EXEMPLARY and approved:
                exemplary.append(base)
            continue
        try:
            title = get_title(submission.title_code)
        except EmulationError:
            problems.append(f"{label}: danh hiệu “{submission.title_code}” không có trong quy định")
            continue
        if submission.votes_for is None or not submission.council_total:
            if approved:
                problems.append(f"{label}: chưa ghi số phiếu đồng ý của Hội đồng")
            continue
        try:
            vote = check_vote(
                title.code, submission.votes_for, submission.council_total, ruleset, settings
            )
        except EmulationError as exc:
            problems.append(f"{label}: {exc.message}")
            continue
        decider = None
        if approved:
            if not ruleset.offers(title.code):
                problems.append(
                    f"{label}: {title.quoted_name} không còn được xét theo {ruleset.name}"
                )
                continue
            try:
                decider = decider_for(
                    title.code, decided_on, placement, head_confers=settings.head_confers
                )
            except EmulationError as exc:
                problems.append(f"{label}: {exc.message}")
                continue
            if not vote.passed and not clean_line(submission.vote_override):
                problems.append(
                    f"{label}: {vote.message_vi} Kết quả “được đề nghị” chỉ giữ được khi có "
                    "lý do ghi ở trang Xét duyệt"
                )
                continue
        override = clean_line(submission.vote_override) if not vote.passed else ""
        nominee = replace(base, title=title, vote=vote, decider=decider, override=override)
        voted.append(nominee)
        if approved:
            awarded.append(nominee)
    if problems:
        raise DossierError(
            "Chưa lập được hồ sơ khen thưởng vì: " + "; ".join(problems) + ". "
            "Hãy sửa ở trang Xét duyệt rồi lập lại."
        )
    totals = Counter(n.council_total for n in voted)
    if len(totals) > 1:
        listed = ", ".join(f"{total} ({count} hồ sơ)" for total, count in sorted(totals.items()))
        raise DossierError(
            "Các hồ sơ ghi tổng số thành viên Hội đồng khác nhau: " + listed + ". "
            "Biên bản một cuộc họp chỉ có một tổng số; hãy thống nhất ở trang Xét duyệt."
        )
    facts = RoundFacts(
        voted=sorted(voted, key=_order),
        awarded=sorted(awarded, key=_order),
        initiatives=sorted(initiatives, key=lambda n: fold(n.name)),
        exemplary=sorted(exemplary, key=_order),
        council_total=next(iter(totals), None),
    )
    if facts.is_empty:
        raise DossierError(
            "Đợt thi đua này chưa có hồ sơ nào được Hội đồng đề nghị / công nhận, nên chưa "
            "lập được hồ sơ khen thưởng. Hãy ghi kết quả xét duyệt ở trang Xét duyệt trước."
        )
    return facts


def _initiative(submission: Submission) -> Nominee:
    data = submission.data or {}
    authors = [clean_line(str(a)) for a in data.get("authors", []) if clean_line(str(a))]
    return Nominee(
        submission_id=submission.id,
        kind=submission.kind,
        status=submission.status,
        name=clean_line(str(data.get("title") or "")) or f"Sáng kiến số {submission.id}",
        position="",
        unit=clean_line(submission.unit),
        collective=False,
        title=None,
        votes_for=submission.votes_for,
        council_total=submission.council_total,
        extra={
            "authors": ", ".join(authors) or clean_line(submission.nominee_name),
            "field": clean_line(str(data.get("field") or "")),
            "scope": clean_line(str(data.get("scope") or "")),
        },
    )
