"""Creating, editing, listing and searching submissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from domain.text import fold
from forms.uploads import EVIDENCE_TYPES
from forms.uploads import UploadRejected
from forms.uploads import check_upload
from storage.files import save_file
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionFile
from storage.models import SubmissionKind
from storage.models import SubmissionStatus
from storage.models import User


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


class EditLost(ValueError):
    """The submission was decided while the staff member edited it; nothing was saved."""

    message = (
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
    changed = session.execute(
        update(Submission)
        .where(
            Submission.id == submission.id,
            Submission.status == SubmissionStatus.SUBMITTED.value,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise EditLost(EditLost.message)
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


def attach_files(session: Session, submission: Submission, checked: list[Any], user: User) -> None:
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


def filtered_query(
    organization_id: int,
    *,
    round_id: int | None = None,
    kind: str = "",
    unit: str = "",
    status: str = "",
    q: str = "",
) -> Select[tuple[Submission]]:
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
    for word in fold(q).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Submission.search_key.like(f"%{escaped}%", escape="\\"))
    return query.order_by(Submission.unit, Submission.nominee_name, Submission.id)
