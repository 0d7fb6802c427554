"""Creating, editing, listing and searching submissions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from domain.errors import VanthuError
from domain.text import fold
from services.pagination import Page
from services.pagination import contains
from services.pagination import contains_words
from services.pagination import distinct_in_order
from services.pagination import paginate
from storage.db import rowcount
from storage.files import save_file
from storage.models import Job
from storage.models import JobStatus
from storage.models import Round
from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionFile
from storage.models import SubmissionKind
from storage.models import SubmissionStatus
from storage.models import User
from storage.models import utcnow
from storage.uploads import CONVERTED_FOR_VIEWING
from storage.uploads import EVIDENCE_TYPES
from storage.uploads import UploadRejected
from storage.uploads import check_upload


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def window_open(round_: Round, kind: str, today: date) -> bool:
    """Registration uses the registration window; the other forms the nomination window."""
    if kind == SubmissionKind.REGISTRATION:
        return round_.registration_open(today)
    return round_.nomination_open(today)


def editable_by(submission: Submission, user: User, today: date) -> bool:
    """Staff edit their own entries until the window closes and before a decision."""
    return (
        submission.created_by_id == user.id
        and submission.status == SubmissionStatus.SUBMITTED
        and window_open(submission.round, submission.kind, today)
    )


class EditLost(VanthuError, ValueError):
    """The submission was decided while the staff member edited it; nothing was saved."""

    code = "edit_lost"
    status = 409
    default_message = (
        "Hồ sơ vừa được xét (Hội đồng đã có kết quả) trong lúc bạn sửa, nên thay đổi chưa "
        "được lưu; hồ sơ đã xét không sửa được nữa. Nội dung bạn nhập vẫn còn trên biểu mẫu."
    )


def save_edit(
    session: Session, submission: Submission, values: dict[str, Any], data: dict[str, Any]
) -> None:
    """Write a staff member's edit, only while the submission is still undecided.

    One ``UPDATE … WHERE status = 'submitted'``: an edit reaching the database after the
    council's result was recorded changes nothing (it waits for the clerk's transaction,
    then finds no undecided row).

    Raises:
        EditLost: the submission was decided meanwhile (the session is rolled back).
    """
    values = dict(values, data=data)
    values["search_key"] = search_key(
        values.get("nominee_name", submission.nominee_name), " ".join(data.get("authors", []))
    )
    changed = rowcount(
        session.execute(
            update(Submission)
            .where(
                Submission.id == submission.id,
                Submission.status == SubmissionStatus.SUBMITTED.value,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        session.rollback()
        raise EditLost()
    for key, value in values.items():
        set_committed_value(submission, key, value)


def search_key(*parts: str) -> str:
    return fold(" ".join(p for p in parts if p))[:255]


def new_submission(user: User, round_: Round, kind: str, **values: Any) -> Submission:
    submission = Submission(
        organization_id=user.organization_id,
        round_id=round_.id,
        kind=kind,
        created_by_id=user.id,
        data={},
        facts={},
        **values,
    )
    refresh_search_key(submission)
    return submission


def refresh_search_key(submission: Submission) -> None:
    authors = " ".join(submission.data.get("authors", [])) if submission.data else ""
    submission.search_key = search_key(submission.nominee_name, authors)


def check_uploads(uploads: list[Upload], limit: int) -> list[Any]:
    """Sniff every upload before anything is saved, so one bad file rejects the whole post."""
    real = [u for u in uploads if u.filename or u.content]
    if len(real) > limit:
        raise UploadRejected(f"Mỗi hồ sơ được kèm tối đa {limit} tệp.")
    return [check_upload(u.filename, u.content, EVIDENCE_TYPES) for u in real]


def attach_files(
    session: Session, submission: Submission, checked: list[Any], user: User
) -> list[str]:
    """Store ``checked`` uploads as evidence of ``submission``; the ids of those that need
    a PDF made for viewing (:func:`request_previews`)."""
    to_convert = []
    for upload in checked:
        stored = save_file(
            session,
            organization_id=user.organization_id,
            content=upload.content,
            original_name=upload.filename,
            mime_type=upload.mime_type,
            created_by_id=user.id,
        )
        submission.files.append(SubmissionFile(file_id=stored.id))
        if upload.mime_type in CONVERTED_FOR_VIEWING:
            to_convert.append(stored.id)
    return to_convert


def filtered_query(
    organization_id: int,
    *,
    round_id: int | None = None,
    kind: str = "",
    unit: str = "",
    status: str = "",
    q: str = "",
) -> Select[Submission]:
    """The clerk's list: filter by round, kind, unit and status; search names with or
    without diacritics ("nguyen van a" finds "Nguyễn Văn A")."""
    query = select(Submission).where(Submission.organization_id == organization_id)
    if round_id:
        query = query.where(Submission.round_id == round_id)
    if kind:
        query = query.where(Submission.kind == kind)
    if status:
        query = query.where(Submission.status == status)
    if unit:
        query = query.where(Submission.unit == unit)
    query = query.where(*contains_words(Submission.search_key, q))
    return query.order_by(Submission.unit, Submission.nominee_name, Submission.id)


def units(session: Session, organization_id: int) -> list[str]:
    """The distinct non-empty units of the organization's submissions, in order, for the
    clerk's filter (a loose index scan of ix_submissions_list)."""
    return distinct_in_order(session, "submissions", "unit", organization_id)


def review_page(
    session: Session, organization_id: int, *, number: int, size: int, **criteria: Any
) -> Page[Submission]:
    """One page of the clerk's list (:func:`filtered_query`'s filters and order)."""
    query = filtered_query(organization_id, **criteria)
    searching = bool(fold(criteria.get("q", "")))
    return paginate(session, query, Submission, number=number, size=size, search=searching)


def own_query(user_id: int) -> Select[Submission]:
    """What a user sent, last changed first (index ix_submissions_own)."""
    return (
        select(Submission)
        .where(Submission.created_by_id == user_id)
        .order_by(Submission.updated_at.desc(), Submission.id.desc())
    )


def own_page(session: Session, user: User, *, number: int, size: int) -> Page[Submission]:
    """One page of :func:`own_query`."""
    return paginate(session, own_query(user.id), Submission, number=number, size=size)


# -- the person concerned ------------------------------------------------------------------


def _same_unit(a: str, b: str) -> bool:
    """Units match when equal (folded) or when one side left it empty."""
    return not a or not b or fold(a) == fold(b)


def made_for(
    session: Session, user: User, name: str, unit: str, same_person: Any = None
) -> list[Submission]:
    """What others made for ``user`` ("được đề nghị bởi người khác"): registrations,
    nominations and commendation proposals naming them (name and unit folded, so "Nguyễn
    Thị Ánh, Tổ Toán - Tin" is "nguyen thi anh, to toan - tin"), and sáng kiến listing them
    among the authors — latest change first.

    ``same_person(submission)``, when given, decides for a named submission instead of the
    unit (the staff directory's link: both designate the same directory line).
    """
    key = fold(name)
    if not key:
        return []
    mine = (
        Submission.organization_id == user.organization_id,
        Submission.created_by_id != user.id,
        Submission.nominee_type == "individual",
    )
    # A named submission's search key is its folded nominee name: equal, over its index,
    # rather than a LIKE reading every row of the organization (300 ms at 100k rows).
    named = session.scalars(
        select(Submission).where(
            *mine,
            Submission.search_key == key[:255],
            Submission.kind != SubmissionKind.INITIATIVE.value,
        )
    )
    # A sáng kiến's key holds all its authors' names: the organization's few initiatives,
    # over ix_submissions_kind_search.
    initiatives = session.scalars(
        select(Submission).where(
            *mine,
            Submission.kind == SubmissionKind.INITIATIVE.value,
            contains(Submission.search_key, key),
        )
    )
    found = []
    for submission in initiatives:
        authors = (submission.data or {}).get("authors", [])
        if key in {fold(a) for a in authors}:
            found.append(submission)
    for submission in named:
        if fold(submission.nominee_name) == key:
            linked = same_person(submission) if same_person is not None else None
            if linked or (linked is None and _same_unit(submission.unit, unit)):
                found.append(submission)
    return sorted(found, key=lambda s: (s.updated_at, s.id), reverse=True)


# -- duplicate nominations -----------------------------------------------------------------


def _duplicate_key(submission: Submission) -> tuple[Any, ...] | None:
    if submission.nominee_type != "individual" or not submission.title_code:
        return None
    return (
        submission.round_id,
        submission.kind,
        submission.title_code,
        fold(submission.nominee_name),
    )


def duplicates(session: Session, items: list[Submission]) -> dict[int, list[Submission]]:
    """For each of ``items`` registered or proposed for a title, the other submissions of
    the same round naming the same person (folded name, same or unstated unit) for the same
    title — e.g. by the tổ trưởng and by the teacher himself. Items with none are left out.
    """
    keys = {k for k in map(_duplicate_key, items) if k is not None}
    if not keys:
        return {}
    rounds = {k[0] for k in keys}
    # Only the rows naming these people (the folded name is their search key): a page of
    # the list reads its own few candidates, never the whole round.
    names = {search_key(i.nominee_name) for i in items if _duplicate_key(i) is not None}
    others: dict[tuple[Any, ...], list[Submission]] = {}
    for other in session.scalars(
        select(Submission)
        .where(
            Submission.organization_id == items[0].organization_id,
            Submission.round_id.in_(rounds),
            Submission.search_key.in_(names),
            Submission.nominee_type == "individual",
            Submission.title_code != "",
        )
        .order_by(Submission.created_at, Submission.id)
    ):
        key = _duplicate_key(other)
        if key in keys:
            others.setdefault(key, []).append(other)
    found = {}
    for item in items:
        key = _duplicate_key(item)
        same = [
            o
            for o in (others.get(key, []) if key is not None else [])
            if o.id != item.id and _same_unit(o.unit, item.unit)
        ]
        if same:
            found[item.id] = same
    return found


# -- evidence files ------------------------------------------------------------------------


class RemovalRefused(VanthuError, ValueError):
    """An evidence file cannot be removed any more; the message is Vietnamese."""

    code = "removal_refused"
    status = 409


REVIEWED = (
    "Hồ sơ đã được xét (Hội đồng đã có kết quả) nên không gỡ được tệp minh chứng nữa. "
    "Nếu tệp bị nhầm, hãy báo văn thư hoặc cán bộ thi đua - khen thưởng."
)


def files_removable(submission: Submission, user: User) -> bool:
    """Its author may remove evidence until the clerk has reviewed the submission."""
    return submission.created_by_id == user.id and submission.status == SubmissionStatus.SUBMITTED


def remove_file(session: Session, submission: Submission, link_id: int, user: User) -> str:
    """Remove evidence ``link_id`` from ``submission`` (its stored file too); returns the
    file's name.

    One ``DELETE … WHERE`` the submission is still undecided, so a removal reaching the
    database after the council's result changes nothing.

    Raises:
        RemovalRefused: not the author's, or the submission was reviewed.
        LookupError: no such file on this submission.
    """
    if submission.created_by_id != user.id:
        raise RemovalRefused("Chỉ người gửi hồ sơ mới gỡ được tệp minh chứng.")
    link = next((f for f in submission.files if f.id == link_id), None)
    if link is None:
        raise LookupError(link_id)
    name = link.file.original_name
    file_ids = [link.file_id]
    removed = rowcount(
        session.execute(
            delete(SubmissionFile)
            .where(
                SubmissionFile.id == link.id,
                SubmissionFile.submission_id.in_(
                    select(Submission.id).where(
                        Submission.id == submission.id,
                        Submission.status == SubmissionStatus.SUBMITTED.value,
                    )
                ),
            )
            .execution_options(synchronize_session=False)
        )
    )
    if removed != 1:
        session.rollback()
        raise RemovalRefused(REVIEWED)
    session.execute(
        update(Submission).where(Submission.id == submission.id).values(updated_at=utcnow())
    )
    file_ids.append(preview_id(link.file_id))
    session.execute(delete(StoredFile).where(StoredFile.id.in_(file_ids)))
    session.expire(submission)
    return name


def made_for_user(session: Session, user: User) -> list[Submission]:
    """:func:`made_for` ``user``, known by the account and the staff directory: a named
    submission whose nominee the directory places on ``user``'s own line is theirs whatever
    unit was typed; one it places on another line is not (a namesake)."""
    from services import people

    identity = people.identity_of(session, user)
    # The directory's lines of the names looked for, read once: every candidate bears one
    # of these names, so none needs a query of its own.
    lines = people.directory_lines(
        session, user.organization_id, [identity.full_name, user.full_name]
    )

    def same_person(submission: Submission) -> bool | None:
        if identity.person_id is None:
            return None
        person = people.pick_line(lines.get(fold(submission.nominee_name), []), submission.unit)
        return None if person is None else person.id == identity.person_id

    found: dict[int, Submission] = {}
    for name in dict.fromkeys((identity.full_name, user.full_name)):
        for submission in made_for(session, user, name, identity.unit, same_person):
            found.setdefault(submission.id, submission)
    return sorted(found.values(), key=lambda s: (s.updated_at, s.id), reverse=True)


# -- PDFs of .doc / .xls / .odt evidence, for viewing ---------------------------------------

PREVIEW_JOB = "convert_evidence"
PREVIEW_KIND = "Chuyển minh chứng sang PDF để xem"


def preview_id(file_id: str) -> str:
    """The id the PDF made from evidence ``file_id`` is stored under (derived, so no column
    is needed to find it, and removing the evidence removes it too)."""
    return hashlib.sha256(f"pdf-preview:{file_id}".encode()).hexdigest()[:32]


def preview_name(name: str) -> str:
    """ "Giấy khen.doc" → "Giấy khen.pdf"."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'minh chứng'}.pdf"


def request_previews(
    session: Session, app: Any, file_ids: list[str], organization_id: int, user_id: int
) -> None:
    """Queue one worker job per evidence file that needs a PDF for viewing."""
    from outbox.queues import create_job

    for file_id in file_ids:
        create_job(
            session,
            app,
            function=PREVIEW_JOB,
            kind=PREVIEW_KIND,
            args={"file_id": file_id},
            organization_id=organization_id,
            created_by_id=user_id,
        )


@dataclass(frozen=True)
class Preview:
    """Where the PDF of an evidence file stands: ``ready``, or the job's state and reason."""

    needed: bool
    ready: bool = False
    failed: str = ""
    job_id: str = ""


def previews(session: Session, submission: Submission) -> dict[str, Preview]:
    """The PDF of each of ``submission``'s files that needs one, by the file's id."""
    wanted = [
        link.file_id for link in submission.files if link.file.mime_type in CONVERTED_FOR_VIEWING
    ]
    if not wanted:
        return {}
    ready = set(
        session.scalars(
            select(StoredFile.id).where(StoredFile.id.in_([preview_id(f) for f in wanted]))
        )
    )
    jobs: dict[str, Job] = {}
    since = min(link.file.created_at for link in submission.files)
    for job in session.scalars(
        select(Job)
        .where(
            Job.organization_id == submission.organization_id,
            Job.function.endswith(PREVIEW_JOB),
            Job.created_at >= since,
        )
        .order_by(Job.created_at)
    ):
        file_id = (job.args or {}).get("file_id")
        if file_id in wanted:
            jobs[file_id] = job  # the latest try
    found = {}
    for file_id in wanted:
        latest = jobs.get(file_id)
        failed = latest.error if latest is not None and latest.status == JobStatus.FAILED else ""
        found[file_id] = Preview(
            needed=True,
            ready=preview_id(file_id) in ready,
            failed=failed,
            job_id=latest.id if latest is not None else "",
        )
    return found
