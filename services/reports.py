"""A teacher's own Báo cáo thành tích (issue 9): who may write it, what it starts with, and
saving it as the nomination's draft document.

The report is an ordinary :class:`storage.models.Document` of kind ``bao_cao_ca_nhan`` or
``bao_cao_tap_the`` tied to its nomination by ``submission_id``; it is rendered by the same
worker job as every other document (:func:`services.documents.request_render`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from domain.emulation.errors import UnknownTitleError
from domain.emulation.titles import get_title
from domain.errors import VanthuError
from domain.names import running_name
from domain.text import clean_line
from domain.text import fold
from services import audit
from services import documents
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import Organization
from storage.models import Person
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import User

# The nominee type decides the form of the report (NĐ 152/2025: cá nhân / tập thể).
REPORT_KINDS = {"individual": "bao_cao_ca_nhan", "collective": "bao_cao_tap_the"}


class ReportLocked(VanthuError):
    """The report has been issued or withdrawn: it is final and cannot be saved again."""

    code = "report_locked"
    status = 409
    default_message = "Báo cáo đã phát hành nên không sửa được nữa."


@dataclass(frozen=True)
class Prefill:
    """What a new report's form starts with, and notes for the writer (Vietnamese)."""

    header: dict[str, Any]
    body: dict[str, Any]
    hints: list[str] = field(default_factory=list)


# -- who may write which report ---------------------------------------------------------


def report_kind(submission: Submission) -> str | None:
    """The document kind of the submission's report, or None when it takes no report.

    Only a nomination for a title or form (or an exemplary-person nomination) is backed by a
    Báo cáo thành tích; an initiative registration is not.
    """
    if not (submission.title_code or submission.kind == SubmissionKind.EXEMPLARY):
        return None
    return REPORT_KINDS.get(submission.nominee_type)


def names_user(submission: Submission, user: User) -> bool:
    """The nomination is of ``user`` themself: same organization, the nominee's name is the
    account's full name (ignoring case and diacritics)."""
    own_name = fold(user.full_name)
    return (
        submission.organization_id == user.organization_id
        and submission.nominee_type == "individual"
        and bool(own_name)
        and fold(submission.nominee_name) == own_name
    )


def may_write(user: User, submission: Submission) -> bool:
    """Whether ``user`` may open and save the submission's report.

    Staff: a nomination they sent or one that names them (a unit head often nominates a
    colleague, and that colleague writes the report). Clerks and admins: any of their
    organization's.
    """
    if submission.organization_id != user.organization_id or report_kind(submission) is None:
        return False
    return user.is_clerk or submission.created_by_id == user.id or names_user(submission, user)


def writable_submissions(session: Session, user: User) -> list[Submission]:
    """The user's own nominations and those naming them that take a report, newest first."""
    candidates = session.scalars(
        select(Submission)
        .where(
            Submission.organization_id == user.organization_id,
            or_(
                Submission.created_by_id == user.id,
                # search_key is the folded nominee name (see services.submissions).
                Submission.search_key == fold(user.full_name),
            ),
        )
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )
    return [s for s in candidates if report_kind(s) is not None and _own(user, s)]


def _own(user: User, submission: Submission) -> bool:
    return submission.created_by_id == user.id or names_user(submission, user)


# -- finding reports ----------------------------------------------------------------------


def report_of(session: Session, submission: Submission) -> Document | None:
    """The submission's report document (the latest, should there ever be several)."""
    return session.scalar(
        select(Document)
        .where(
            Document.organization_id == submission.organization_id,
            Document.submission_id == submission.id,
            Document.kind.in_(REPORT_KINDS.values()),
        )
        .order_by(Document.id.desc())
        .limit(1)
    )


def reports_for_round(session: Session, organization_id: int, round_id: int) -> dict[int, Document]:
    """Submission id → its report document, for every report of the round's nominations."""
    rows = session.scalars(
        select(Document)
        .join(Submission, Submission.id == Document.submission_id)
        .where(
            Document.organization_id == organization_id,
            Document.kind.in_(REPORT_KINDS.values()),
            Submission.organization_id == organization_id,
            Submission.round_id == round_id,
        )
        .order_by(Document.id)
    )
    # Ordered by id: should a submission have several, the latest wins.
    return {document.submission_id: document for document in rows if document.submission_id}


# -- what a new report starts with ------------------------------------------------------


def title_label(submission: Submission) -> str:
    """The Vietnamese name of the title or form the nomination is for ("" if none)."""
    if submission.title_code:
        try:
            return get_title(submission.title_code).name
        except UnknownTitleError:
            return submission.title_code
    return clean_line(str((submission.data or {}).get("title") or ""))


def period_label(submission: Submission) -> str:
    """ "Năm học 2025-2026": the period the nominee typed, else the round's school year."""
    typed = clean_line(str((submission.data or {}).get("period") or ""))
    if typed:
        return typed
    round_ = submission.round
    if round_.school_year:
        return f"Năm học {round_.school_year}"
    return round_.name


def directory_person(session: Session, submission: Submission) -> Person | None:
    """The nominee in the staff directory: by folded name, then by unit when several people
    share the name. None when not found or still ambiguous (better blank than wrong)."""
    people = session.scalars(
        select(Person).where(
            Person.organization_id == submission.organization_id,
            Person.search_key == fold(submission.nominee_name),
        )
    ).all()
    if len(people) > 1:
        people = [p for p in people if p.unit_key == fold(submission.unit)]
    return people[0] if len(people) == 1 else None


def prefill(
    session: Session, submission: Submission, organization: Organization, today: date
) -> Prefill:
    """The form values of a report not yet written: from the nomination, the staff directory
    and the organization's header data."""
    kind = report_kind(submission)
    org_name = running_name(organization.name)
    header = {"date": today.isoformat(), "signer_name": organization.head_name or ""}
    body: dict[str, Any] = {"danh_hieu": title_label(submission), "ky": period_label(submission)}
    achievements = str((submission.data or {}).get("achievements") or "")
    hints: list[str] = []
    if not body["danh_hieu"]:
        # An exemplary-person nomination names no title; the report must say what it asks.
        hints.append("Hồ sơ chưa ghi danh hiệu, hình thức đề nghị: hãy nhập ở mục đầu tiên.")
    if kind == REPORT_KINDS["collective"]:
        body["ten_tap_the"] = _joined(submission.nominee_name, org_name)
        body["ket_qua"] = achievements
        return Prefill(header, body, hints)
    person = directory_person(session, submission)
    body.update(
        ho_ten=submission.nominee_name,
        don_vi=_joined(submission.unit or (person.unit if person else ""), org_name),
        chuc_vu=submission.position or (person.position if person else ""),
        thanh_tich=achievements,
    )
    if person is None:
        hints.append(
            f"Không tìm thấy “{submission.nominee_name}” trong danh sách cán bộ của đơn vị: "
            "hãy nhập ngày sinh và giới tính."
        )
        return Prefill(header, body, hints)
    body["gioi_tinh"] = person.gender
    if person.birth_date is not None:
        body["ngay_sinh"] = person.birth_date.isoformat()
    elif person.birth_year is not None:
        # A year alone is not a date: the report's form asks for day, month and year.
        hints.append(
            f"Danh sách cán bộ chỉ có năm sinh ({person.birth_year}): hãy nhập ngày sinh đầy đủ."
        )
    return Prefill(header, body, hints)


def _joined(*parts: str) -> str:
    return ", ".join(clean_line(p) for p in parts if clean_line(p))


# -- saving ---------------------------------------------------------------------------------


def save_report(
    session: Session,
    app: Flask,
    submission: Submission,
    *,
    user: User,
    header_fields: Mapping[str, Any],
    body_fields: Mapping[str, Any],
) -> Document:
    """Create the submission's report (the first time) or update its draft, queue its
    render and record the save in the audit log. The caller commits.

    Raises:
        ReportLocked: the report is issued or withdrawn.
        ValueError: the submission takes no report.
    """
    kind = report_kind(submission)
    if kind is None:
        raise ValueError("this submission takes no report")
    # Take the submission row's write lock before looking for an existing report, so two
    # saves at once (a double click) cannot both create one: on PostgreSQL the row lock
    # holds the second save until the first commits; on SQLite the write takes the
    # database's lock (the driver starts the transaction only at the first write).
    session.execute(
        update(Submission)
        .where(Submission.id == submission.id)
        .values(updated_at=Submission.updated_at)
        .execution_options(synchronize_session=False)
    )
    document = report_of(session, submission)
    header = dict(header_fields)
    if document is None:
        header["summary"] = _summary(kind, body_fields)
        document = documents.create_document(
            session,
            organization_id=submission.organization_id,
            created_by_id=user.id,
            kind=kind,
            header_fields=header,
            body_fields=body_fields,
            round_id=submission.round_id,
        )
        document.submission_id = submission.id
    else:
        if document.status != DocumentStatus.DRAFT:
            raise ReportLocked(detail=document.status)
        header["summary"] = _summary(document.kind, body_fields)
        documents.update_draft(document, header_fields=header, body_fields=body_fields)
    documents.request_render(session, app, document, user_id=user.id)
    audit.record(
        session,
        "report.save",
        object_type="document",
        object_id=document.id,
        detail={
            "nominee": submission.nominee_name,
            "kind_label": documents.kind_label(document.kind),
        },
        organization_id=submission.organization_id,
        user_id=user.id,
    )
    return document


def _summary(kind: str, body: Mapping[str, Any]) -> str:
    """ "Nguyễn Thị Ánh – Chiến sĩ thi đua cơ sở": the trích yếu shown in the documents list
    and in the file name (the report itself prints no trích yếu)."""
    name = body.get("ten_tap_the" if kind == REPORT_KINDS["collective"] else "ho_ten") or ""
    return " – ".join(
        p for p in (clean_line(str(name)), clean_line(str(body.get("danh_hieu") or ""))) if p
    )
