"""Database models (SQLAlchemy 2, typed).

The schema is created and changed only by Alembic migrations in ``storage/migrations``.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Role(enum.StrEnum):
    """What a user may do: fill forms, review and decide, or administer."""

    STAFF = "staff"
    CLERK = "clerk"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.STAFF: "Cán bộ, giáo viên, nhân viên",
    Role.CLERK: "Văn thư / cán bộ thi đua - khen thưởng",
    Role.ADMIN: "Quản trị",
}


class Organization(Base):
    """An issuing body (a school or an education office) and its header data."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))  # tên cơ quan ban hành
    parent_name: Mapped[str] = mapped_column(String(255), default="")  # cơ quan chủ quản
    abbrev: Mapped[str] = mapped_column(String(40))  # dùng trong ký hiệu, e.g. THCSMT
    place: Mapped[str] = mapped_column(String(120))  # địa danh
    head_title: Mapped[str] = mapped_column(String(120), default="HIỆU TRƯỞNG")
    head_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    default_recipients: Mapped[str] = mapped_column(Text, default="")
    # Province/sector quotas and threshold overrides (see domain.emulation); not constants.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organization")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.STAFF.value)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="users")

    @property
    def is_clerk(self) -> bool:
        return self.role in (Role.CLERK, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Person(Base):
    """A member of staff in the organization's directory (imported from the school's .xlsx)."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("organization_id", "search_key", "unit_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    search_key: Mapped[str] = mapped_column(String(120), index=True)
    unit_key: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Round(Base):
    """An emulation round (đợt thi đua), e.g. "Năm học 2025-2026", with its two windows."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    school_year: Mapped[str] = mapped_column(String(20), default="")
    # The date whose rule set applies (e.g. the end of the school year being assessed).
    reference_date: Mapped[date] = mapped_column(Date)
    ruleset_id: Mapped[str] = mapped_column(String(40))
    registration_opens: Mapped[date] = mapped_column(Date)
    registration_closes: Mapped[date] = mapped_column(Date)
    nomination_opens: Mapped[date] = mapped_column(Date)
    nomination_closes: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def registration_open(self, today: date) -> bool:
        return self.registration_opens <= today <= self.registration_closes

    def nomination_open(self, today: date) -> bool:
        return self.nomination_opens <= today <= self.nomination_closes


class StoredFile(Base):
    """File content kept in the database: uploads and generated documents alike."""

    __tablename__ = "files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))  # NFC, shown to users only
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SubmissionKind(enum.StrEnum):
    REGISTRATION = "registration"  # đăng ký danh hiệu thi đua
    EXEMPLARY = "exemplary"  # giới thiệu điển hình tiên tiến
    COMMENDATION = "commendation"  # đề nghị khen thưởng
    INITIATIVE = "initiative"  # đăng ký sáng kiến


SUBMISSION_KIND_LABELS = {
    SubmissionKind.REGISTRATION: "Đăng ký danh hiệu thi đua",
    SubmissionKind.EXEMPLARY: "Giới thiệu điển hình tiên tiến",
    SubmissionKind.COMMENDATION: "Đề nghị khen thưởng",
    SubmissionKind.INITIATIVE: "Đăng ký sáng kiến",
}


class SubmissionStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


STATUS_LABELS = {
    SubmissionStatus.SUBMITTED: "Đã gửi, chờ xét",
    SubmissionStatus.APPROVED: "Được đề nghị / công nhận",
    SubmissionStatus.REJECTED: "Không được đề nghị",
}


class Submission(Base):
    """One form entry: a registered title, a nomination, a commendation or an initiative.

    A unit head registering several people at once creates one row per person (sharing
    ``batch_id``), so each can be reviewed, voted on and decided separately.
    """

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.SUBMITTED.value)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    batch_id: Mapped[str] = mapped_column(String(32), default=new_id)
    nominee_type: Mapped[str] = mapped_column(String(12), default="individual")  # or collective
    nominee_name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    title_code: Mapped[str] = mapped_column(String(40), default="")  # danh hiệu / hình thức
    search_key: Mapped[str] = mapped_column(String(255), index=True)
    # Kind-specific fields (field, period, achievements, initiative details ...).
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Facts the clerk records for the eligibility rules (rating, initiative, discipline ...).
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    council_total: Mapped[int | None] = mapped_column(Integer)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    files: Mapped[list[SubmissionFile]] = relationship(
        cascade="all, delete-orphan", order_by="SubmissionFile.id"
    )


class SubmissionFile(Base):
    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"))

    file: Mapped[StoredFile] = relationship()


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_STATUS_LABELS = {
    JobStatus.QUEUED: "Đang chờ xử lý",
    JobStatus.RUNNING: "Đang xử lý",
    JobStatus.DONE: "Hoàn thành",
    JobStatus.FAILED: "Lỗi",
}


class Job(Base):
    """Our own record of a background job; RQ expires results, this row does not."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    function: Mapped[str] = mapped_column(String(120))  # dotted path the worker runs
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED.value, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0..100
    message: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
