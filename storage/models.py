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
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from sqlalchemy.orm import validates

from domain.text import fold


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
    __table_args__ = (
        # An office's list of the organizations below it, by name (issue 15, lists): the
        # tree's walk (parent → ids) and the children's order read from the index alone.
        Index("ix_organizations_children", "parent_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))  # tên cơ quan ban hành
    # The name folded (domain.text.fold), for the office's search without diacritics.
    search_key: Mapped[str] = mapped_column(String(255), default="", server_default="")
    parent_name: Mapped[str] = mapped_column(String(255), default="")  # cơ quan chủ quản
    abbrev: Mapped[str] = mapped_column(String(40))  # dùng trong ký hiệu, e.g. THCSMT
    place: Mapped[str] = mapped_column(String(120))  # địa danh
    head_title: Mapped[str] = mapped_column(String(120), default="HIỆU TRƯỞNG")
    head_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    default_recipients: Mapped[str] = mapped_column(Text, default="")
    # What the organization is and who is above it, for who may confer what
    # (domain.emulation.authority): e.g. "truong_thcs" under "ubnd_xa".
    org_kind: Mapped[str] = mapped_column(String(40), default="")
    province: Mapped[str] = mapped_column(String(120), default="")  # "tỉnh Đồng Tháp"
    superior_kind: Mapped[str] = mapped_column(String(40), default="")
    superior_name: Mapped[str] = mapped_column(String(255), default="")  # running text
    superior_decider: Mapped[str] = mapped_column(String(255), default="")  # its head's title
    superior_address: Mapped[str] = mapped_column(String(255), default="")  # the Kính gửi line
    # Province/sector quotas and threshold overrides (see domain.emulation); not constants.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The organization above this one in the service (a school's Phòng or Sở), whose
    # admins create it and see its rounds read-only; None for a top organization.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organization")

    @validates("name")
    def _keep_search_key(self, _key: str, value: str) -> str:
        self.search_key = fold(value)[:255]
        return value


class User(Base):
    """An account. Its sign-in e-mail is unique within its organization only: a teacher who
    teaches at two schools (or moved) has an account in each, and an admin adding someone
    learns nothing about other organizations' accounts. E-mails are kept in lower case."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("organization_id", "email", name="uq_users_organization_email"),
        # The admin's list of accounts, by name (issue 15, lists).
        Index("ix_users_list", "organization_id", "full_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    email: Mapped[str] = mapped_column(String(255), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # The name folded (domain.text.fold), kept with it, for the admin's search without
    # diacritics: SQL cannot fold Vietnamese on the fly.
    search_key: Mapped[str] = mapped_column(String(120), default="", server_default="")
    position: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.STAFF.value)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sessions carry the epoch they were made in; logging out or changing the password
    # moves it on, which ends every session made before (signed cookies cannot be revoked).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A password someone else chose (a new account, an admin's reset): every page leads to
    # Đổi mật khẩu until the user picks their own.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Notifications gathered into one letter a day instead of one letter each.
    notify_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="users")

    @validates("email")
    def _one_spelling(self, _key: str, value: str) -> str:
        # One spelling per address, so the (organization, e-mail) key and sign-in agree.
        return (value or "").strip().lower()

    @validates("full_name")
    def _keep_search_key(self, _key: str, value: str) -> str:
        self.search_key = fold(value)[:120]
        return value

    @property
    def is_clerk(self) -> bool:
        return self.role in (Role.CLERK, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Person(Base):
    """A member of staff in the organization's directory (imported from the school's .xlsx)."""

    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("organization_id", "search_key", "unit_key"),
        # The directory's page: by unit, then name (issue 15, lists).
        Index("ix_people_list", "organization_id", "unit", "full_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int | None] = mapped_column(Integer)  # lists often give the year only
    gender: Mapped[str] = mapped_column(String(8), default="")  # "Nam" / "Nữ" / ""
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
    # Set when the clerk closes the round: no more registrations or nominations whatever
    # the windows say.
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def registration_open(self, today: date) -> bool:
        return not self.is_closed and self.registration_opens <= today <= self.registration_closes

    def nomination_open(self, today: date) -> bool:
        return not self.is_closed and self.nomination_opens <= today <= self.nomination_closes


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


# A file lives while a row points at it: every foreign key to ``files.id`` is a reference
# (services.storage_sweep deletes the files none points at, storage.files.file_references
# lists them), and every such column leads an index, so that "is it referenced?" is an
# index probe. A column marked with this ``info`` key does not keep its file alive.
NOT_A_REFERENCE = "not_a_file_reference"


class DerivedFile(Base):
    """A file made from another one and found again by an id derived from it (a further
    page image of a render, from its page 1; the PDF of an evidence file for viewing): it
    lives as long as its source does. The link goes with either file; a derived file whose
    source is gone is then referenced by nothing, and the storage sweep takes it."""

    __tablename__ = "derived_files"

    file_id: Mapped[str] = mapped_column(
        ForeignKey("files.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[str] = mapped_column(
        ForeignKey("files.id", ondelete="CASCADE"), index=True, info={NOT_A_REFERENCE: True}
    )


class SubmissionKind(enum.StrEnum):
    REGISTRATION = "registration"  # đăng ký danh hiệu thi đua
    EXEMPLARY = "exemplary"  # giới thiệu điển hình tiên tiến
    COMMENDATION = "commendation"  # đề nghị khen thưởng
    INITIATIVE = "initiative"  # đăng ký sáng kiến


# The label maps are keyed by StrEnum members and looked up with the columns' plain
# strings (a StrEnum hashes and compares as its value): typed by str for that.
SUBMISSION_KIND_LABELS: dict[str, str] = {
    SubmissionKind.REGISTRATION: "Đăng ký danh hiệu thi đua",
    SubmissionKind.EXEMPLARY: "Giới thiệu điển hình tiên tiến",
    SubmissionKind.COMMENDATION: "Đề nghị khen thưởng",
    SubmissionKind.INITIATIVE: "Đăng ký sáng kiến",
}


class SubmissionStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


STATUS_LABELS: dict[str, str] = {
    SubmissionStatus.SUBMITTED: "Đã gửi, chờ xét",
    SubmissionStatus.APPROVED: "Được đề nghị / công nhận",
    SubmissionStatus.REJECTED: "Không được đề nghị",
}


# The clerk's list order (by unit, then name) leads its index.
LIST_ORDER = ("organization_id", "unit", "nominee_name", "id")


class Submission(Base):
    """One form entry: a registered title, a nomination, a commendation or an initiative.

    A unit head registering several people at once creates one row per person (sharing
    ``batch_id``), so each can be reviewed, voted on and decided separately.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        # The clerk's list (by unit, then name) and a teacher's own (last changed first).
        # The filtered and searched columns follow the order's: a search reads the index,
        # not the rows (issue 15).
        Index("ix_submissions_list", *LIST_ORDER, "round_id", "kind", "status", "search_key"),
        # The sáng kiến naming a teacher among their authors (Hồ sơ của tôi).
        Index("ix_submissions_kind_search", "organization_id", "kind", "search_key"),
        Index("ix_submissions_own", "created_by_id", "updated_at", "id"),
    )

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
    # Why the result stands although the vote is below the rule set's threshold ("" = none);
    # such a nominee is never printed as having reached the threshold.
    vote_override: Mapped[str] = mapped_column(Text, default="")
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
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"), index=True)

    file: Mapped[StoredFile] = relationship()


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_STATUS_LABELS: dict[str, str] = {
    JobStatus.QUEUED: "Đang chờ xử lý",
    JobStatus.RUNNING: "Đang xử lý",
    JobStatus.DONE: "Hoàn thành",
    JobStatus.FAILED: "Lỗi",
}


class Job(Base):
    """Our own record of a background job; RQ expires results, this row does not."""

    __tablename__ = "jobs"
    # By state (the outbox's queued and running rows), then finish time and id: the storage
    # sweep walks the old finished rows in this order and reads no younger one.
    __table_args__ = (Index("ix_jobs_status_finished", "status", "finished_at", "id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    function: Mapped[str] = mapped_column(String(120))  # dotted path the worker runs
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED.value)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0..100
    message: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # Outbox bookkeeping (worker.sweeper): the running job's last sign of life, and when a
    # transient failure may be retried.
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    retry_at: Mapped[datetime | None] = mapped_column()
    # A job parked until this one ends (a long scan's reading, waiting for its OCR page
    # jobs): the runner makes it due when this one is done or has failed for good.
    wakes_job_id: Mapped[str | None] = mapped_column(String(32))


class JobFile(Base):
    """A file a job made that only its result names (a template's preview, a batch of
    certificates): the row keeps it while the job is kept. Older previews of a template
    version give theirs up when a new one is stored (services.doc_templates)."""

    __tablename__ = "job_files"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"), primary_key=True, index=True)


class JobTurn(Base):
    """When an organization's bulk work last started: bulk jobs are claimed in fair turns,
    the organization served least recently first (``worker.runner``)."""

    __tablename__ = "job_turns"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    served_at: Mapped[datetime] = mapped_column()


# -- Official documents (issue 3) -------------------------------------------------------


class DocumentStatus(enum.StrEnum):
    DRAFT = "draft"  # dự thảo: no number yet ("Số:      /KH-THCSMT")
    ISSUED = "issued"  # đã phát hành: number and date from the register
    WITHDRAWN = "withdrawn"  # đã thu hồi: the number stays used, never reissued


DOCUMENT_STATUS_LABELS: dict[str, str] = {
    DocumentStatus.DRAFT: "Dự thảo",
    DocumentStatus.ISSUED: "Đã phát hành",
    DocumentStatus.WITHDRAWN: "Đã thu hồi",
}


class RenderStatus(enum.StrEnum):
    NONE = ""  # never rendered
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class YearCounter:
    """The columns of a register's counter: the last number per organization and year
    (``services.register.allocate_number`` increments it; one table per register)."""

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class RegisterCounter(YearCounter, Base):
    """The outgoing register's (sổ văn bản đi) last number per organization and calendar year.

    Numbers are taken by incrementing this row inside the transaction that issues the
    document, so a rollback gives the number back and two issuers never get the same one.
    """

    __tablename__ = "register_counters"


class Document(Base):
    """An outgoing document of one template kind: a draft, then issued with a number."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", "number"),
        # The list (văn bản đi): an organization's documents, last changed first.
        Index("ix_documents_list", "organization_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # render.manifest.KINDS
    status: Mapped[str] = mapped_column(String(12), default=DocumentStatus.DRAFT.value, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu, for lists and the register
    # Folded trích yếu and số/ký hiệu (domain.text.fold), written with them: the list's search.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What the clerk typed: header fields (date, kính gửi, nơi nhận, signer ...) and body fields
    # of the kind's manifest. The context is rebuilt from these on every render.
    header_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    body_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Register data, set when issued (phát hành).
    year: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(60), default="")  # ký hiệu, e.g. KH-THCSMT
    issued_date: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = mapped_column()
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")
    # Output of the last render (files live in the database).
    template_id: Mapped[int | None] = mapped_column(ForeignKey("document_templates.id"))
    docx_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    pdf_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    preview_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    render_status: Mapped[str] = mapped_column(String(12), default=RenderStatus.NONE.value)
    render_error: Mapped[str] = mapped_column(Text, default="")
    # Indexed (as each column naming a job): the storage sweep keeps a job a row names.
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # Where it came from: a round's dossier, or a superior plan it responds to.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    dossier_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # Which part of the dossier it is ("quyet_dinh:HEAD", "to_trinh:CT_UBND_TINH" ...).
    dossier_part: Mapped[str] = mapped_column(String(60), default="")
    # The issued document this one replaces (NĐ 30: văn bản thay thế).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # A teacher's own Báo cáo thành tích belongs to their nomination.
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    incoming_id: Mapped[int | None] = mapped_column(ForeignKey("incoming_documents.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    docx_file: Mapped[StoredFile | None] = relationship(foreign_keys=[docx_file_id])
    pdf_file: Mapped[StoredFile | None] = relationship(foreign_keys=[pdf_file_id])


class DocumentRender(Base):
    """One render of a document: the files it stored and whether it is kept.

    The newest row is the document's current render (its ``*_file_id`` columns point at
    the same files). When a render replaces it, the older rows of a draft are kept up to
    ``RENDER_HISTORY_KEEP`` and the rest deleted with their files in that transaction; a
    render that carries a register ``number`` is the issued document's record and is never
    deleted (services.renders).
    """

    __tablename__ = "document_renders"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    docx_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    pdf_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    # Page 1's image; pages 2.. are drawn on demand under ids derived from it.
    preview_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    page_count: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)  # the register number it prints
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentSubject(Base):
    """A submission (person, collective or initiative) that a document names, so a change to
    its council result can be checked against the documents already issued."""

    __tablename__ = "document_subjects"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id"), primary_key=True, index=True
    )


class Dossier(Base):
    """A round's award dossier (hồ sơ khen thưởng): what the clerk confirmed on the dossier
    form, so its drafts can be rebuilt when a part is issued or a result changes."""

    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DocumentTemplate(Base):
    """An organization's customised .docx for a kind; versions are kept, one is active.

    With no active row the built-in template in ``templates_docx/`` is used.
    """

    __tablename__ = "document_templates"
    __table_args__ = (UniqueConstraint("organization_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile] = relationship()


# -- Plans from superior bodies (issue 4) -------------------------------------------------


class IncomingStatus(enum.StrEnum):
    QUEUED = "queued"  # uploaded, waiting for the parser
    PARSING = "parsing"
    PARSED = "parsed"  # fields extracted, waiting for the clerk's review
    FAILED = "failed"  # the parser refused it; ``error`` says why in Vietnamese
    CONFIRMED = "confirmed"  # reviewed and confirmed by a clerk


INCOMING_STATUS_LABELS: dict[str, str] = {
    IncomingStatus.QUEUED: "Chờ đọc",
    IncomingStatus.PARSING: "Đang đọc",
    IncomingStatus.PARSED: "Chờ rà soát",
    IncomingStatus.FAILED: "Không đọc được",
    IncomingStatus.CONFIRMED: "Đã xác nhận",
}


class IncomingDocument(Base):
    """A plan or dispatch received from a superior body (văn bản đến) and what was read from it."""

    __tablename__ = "incoming_documents"
    # The list of uploads (Văn bản cấp trên): an organization's, newest first.
    __table_args__ = (Index("ix_incoming_documents_list", "organization_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    # Pasted text is stored too. Indexed: the uploads of the same bytes are found from
    # files.sha256 (an earlier check of their signatures to reuse).
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=IncomingStatus.QUEUED.value)
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    page_count: Mapped[int | None] = mapped_column(Integer)
    # The parser's output (docs/ingest-output.md plus sources and text lines).
    extracted: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The clerk's corrections, field -> value; the confirmed fields are extracted | corrections.
    corrections: Mapped[dict[str, Any]] = mapped_column(default=dict)
    confirmed_at: Mapped[datetime | None] = mapped_column()
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Its digital signatures as verified in the worker (issue 17, services.signatures):
    # the document's state (worst signature's; None: not checked yet), one report per
    # signature, when they were checked and, when the check could not run, why.
    signature_state: Mapped[str | None] = mapped_column(String(12))
    signatures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    signatures_checked_at: Mapped[datetime | None] = mapped_column()
    signature_error: Mapped[str] = mapped_column(Text, default="")
    # The trusted roots those reports were checked with (services.incoming_signatures.
    # roots_fingerprint): another organization with the very same roots may reuse them for
    # the same bytes instead of checking again; "" when unknown.
    signature_roots: Mapped[str] = mapped_column(String(64), default="")

    file: Mapped[StoredFile] = relationship()
    pages: Mapped[list[IncomingPage]] = relationship(
        cascade="all, delete-orphan", order_by="IncomingPage.page"
    )


class TrustedRoot(Base):
    """A root certificate an admin trusts for the signatures on incoming documents.

    Kept per organization: trusting a CA is a decision of the organization's own admin (a
    school may trust its province's CA, another not), and one admin must never change what
    other organizations are shown as "hợp lệ". The national roots are not shipped.
    """

    __tablename__ = "trusted_roots"
    __table_args__ = (UniqueConstraint("organization_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text, default="")
    not_before: Mapped[datetime] = mapped_column()
    not_after: Mapped[datetime] = mapped_column()
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncomingPage(Base):
    """A page of an incoming document for the review page: its image and its line boxes.

    The image is the shared reading's (``parsed_page_id``, issue 15): it is drawn from the
    bytes alone, so the 500 schools that upload one Sở's scan show the one image instead
    of storing 500 copies; it is served only through the upload's own page, to its own
    organization. Uploads read before that keep an image file of their own (``file_id``).
    The line boxes stay here, per upload, beside its own reading.
    """

    __tablename__ = "incoming_pages"
    __table_args__ = (UniqueConstraint("incoming_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incoming_id: Mapped[int] = mapped_column(ForeignKey("incoming_documents.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)  # 1-based, as in the parser's sources
    file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    # Indexed: a reading's pages are kept while an upload shows them (services.parsed_files).
    parsed_page_id: Mapped[int | None] = mapped_column(ForeignKey("parsed_pages.id"), index=True)
    width: Mapped[int] = mapped_column(Integer, default=0)  # image pixels
    height: Mapped[int] = mapped_column(Integer, default=0)
    # Line boxes for highlighting: [{"line": n, "x0", "top", "x1", "bottom"}] in image pixels.
    boxes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ParseStatus(enum.StrEnum):
    PARSING = "parsing"  # a job (``job_id``) is reading the bytes now
    DONE = "done"
    FAILED = "failed"  # the parser refused the bytes; ``error`` says why in Vietnamese


class ParsedFile(Base):
    """What the plan parser read from one file's bytes, shared by every organization.

    When a Sở sends one scan to 500 schools, it is read once (issue 15): the row is keyed by
    the bytes' SHA-256 and the parser's version (a changed parser reads again), and its
    unique key lets one job claim the reading while the others wait for it. It holds only
    what was derived from the bytes — never who uploaded them, their file name, the
    clerk's corrections or a register line: each upload copies the result into its own
    :class:`IncomingDocument` (with its own file name) and shows the page images from here.
    """

    __tablename__ = "parsed_files"
    __table_args__ = (UniqueConstraint("sha256", "parser_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    parser_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default=ParseStatus.PARSING.value)
    # The job reading it (or that did); indexed for the storage sweep's job retention.
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    pages: Mapped[list[ParsedPage]] = relationship(
        cascade="all, delete-orphan", order_by="ParsedPage.page"
    )


class ParsedPage(Base):
    """A page image drawn from a :class:`ParsedFile`, shown by each upload of those bytes
    (:class:`IncomingPage` refers to it): kept while an upload refers to it, even once a
    newer parser has read the bytes again. The parse job records the page's size only;
    ``png`` is drawn the first time an upload shows the page (services.plans.parse_results),
    so it is empty until then."""

    __tablename__ = "parsed_pages"
    __table_args__ = (UniqueConstraint("parsed_file_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parsed_file_id: Mapped[int] = mapped_column(ForeignKey("parsed_files.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    width: Mapped[int] = mapped_column(Integer)  # image pixels
    height: Mapped[int] = mapped_column(Integer)
    points_width: Mapped[float] = mapped_column()  # the PDF page, in points
    points_height: Mapped[float] = mapped_column()


class Deadline(Base):
    """A dated obligation of the organization, usually read from an incoming document."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    incoming_id: Mapped[int | None] = mapped_column(ForeignKey("incoming_documents.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    # "", or yearly / quarterly / monthly / weekly (as the parser reports it).
    recurrence: Mapped[str] = mapped_column(String(12), default="")
    # A monthly item's written day (31, 30; -1 for "cuối tháng"), which due_date cannot
    # keep when the first month is shorter; None: due_date's own day.
    month_day: Mapped[int | None] = mapped_column(Integer)
    # The last day a recurring item can fall on: the end of the plan's period.
    until: Mapped[date | None] = mapped_column(Date)
    source_page: Mapped[int | None] = mapped_column(Integer)
    source_line: Mapped[int | None] = mapped_column(Integer)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column()
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    incoming: Mapped[IncomingDocument | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    occurrences_done: Mapped[list[DeadlineOccurrence]] = relationship(
        cascade="all, delete-orphan", order_by="DeadlineOccurrence.day"
    )


class DeadlineOccurrence(Base):
    """One occurrence of a recurring deadline marked done (the series stays open)."""

    __tablename__ = "deadline_occurrences"
    __table_args__ = (UniqueConstraint("deadline_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), index=True)
    day: Mapped[date] = mapped_column(Date)  # the occurrence's first day, as the rule gives it
    done_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CalendarFeed(Base):
    """A secret token that lets calendar apps read an organization's deadlines (.ics)."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# -- The incoming register, sổ văn bản đến (issue 13) ------------------------------------


class IncomingCounter(YearCounter, Base):
    """The incoming register's (sổ văn bản đến) last số đến per organization and year."""

    __tablename__ = "incoming_counters"


class EntryStatus(enum.StrEnum):
    """Where the handling of a registered incoming document stands."""

    WAITING = "waiting"  # chờ xử lý
    HANDLING = "handling"  # đang xử lý
    DONE = "done"  # đã xong


ENTRY_STATUS_LABELS: dict[str, str] = {
    EntryStatus.WAITING: "Chờ xử lý",
    EntryStatus.HANDLING: "Đang xử lý",
    EntryStatus.DONE: "Đã xong",
}


# The lines that hold their upload (see IncomingEntry's unique index on plan_id).
LIVE_OR_MERGED = "removed_at IS NULL OR merged_into_id IS NOT NULL"


class IncomingEntry(Base):
    """One line of the sổ đăng ký văn bản đến (NĐ 30/2020, Phụ lục IV): a số đến of the
    year and what was registered with it. A line registered by mistake or merged into
    another is kept (struck through, ``removed_at``) so that its number is never reused."""

    __tablename__ = "incoming_entries"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", "number"),
        # One upload, one line: of two clerks registering the same upload at once, the
        # second insert fails (services.incoming.registration.register answers with the
        # first's line). A line removed as a mistake leaves the index, so the upload can be
        # registered again; a line merged into another stays, as registered_entry() counts it.
        # The register's page (by số đến) and its count from the index alone: on
        # PostgreSQL the unique key above lacks the id, so a deep page read the table.
        Index("ix_incoming_entries_list", "organization_id", "year", "number", "id"),
        Index(
            "uq_incoming_entries_plan_id",
            "plan_id",
            unique=True,
            sqlite_where=text(LIVE_OR_MERGED),
            postgresql_where=text(LIVE_OR_MERGED),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # số đến
    received_date: Mapped[date] = mapped_column(Date)  # ngày đến
    issuer: Mapped[str] = mapped_column(String(255), default="")  # tác giả
    reference: Mapped[str] = mapped_column(String(120), default="")  # số, ký hiệu: 12/KH-SGDĐT
    doc_date: Mapped[date | None] = mapped_column(Date)  # ngày tháng của văn bản
    doc_type: Mapped[str] = mapped_column(String(120), default="")  # tên loại: Kế hoạch
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu nội dung
    recipient: Mapped[str] = mapped_column(String(255), default="")  # đơn vị hoặc người nhận
    note: Mapped[str] = mapped_column(Text, default="")  # ghi chú
    # How it arrived: "file" (an upload), "text" (pasted) or "paper" (entered by hand).
    channel: Mapped[str] = mapped_column(String(8), default="paper")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("incoming_documents.id"), index=True)
    file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    # "Ký số": the upload's signature state (services.signatures; None: not a checked
    # PDF), copied when registered and kept in step when its signatures are verified again.
    signature_state: Mapped[str | None] = mapped_column(String(12))
    # Duplicate keys: the file's SHA-256, the normalised text's SHA-256, issuer|number|date.
    file_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    text_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    ref_key: Mapped[str] = mapped_column(String(255), default="", index=True)
    text_key: Mapped[str] = mapped_column(Text, default="")  # folded text, for near-duplicates
    # Further copies of the same document merged into this line instead of taking a number:
    # [{"plan_id", "channel", "received", "by"}].
    copies: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    search_key: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date, index=True)  # hạn giải quyết
    status: Mapped[str] = mapped_column(String(12), default=EntryStatus.WAITING.value)
    done_at: Mapped[datetime | None] = mapped_column()
    removed_at: Mapped[datetime | None] = mapped_column()
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    remove_reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incoming_entries.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    handlers: Mapped[list[IncomingHandler]] = relationship(
        cascade="all, delete-orphan", order_by="IncomingHandler.assigned_at"
    )


class IncomingHandler(Base):
    """A person an incoming document was passed to (chuyển giao), and when they took it
    (the register's "ký nhận")."""

    __tablename__ = "incoming_handlers"

    entry_id: Mapped[int] = mapped_column(ForeignKey("incoming_entries.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(foreign_keys=[user_id])


# -- Security (issue 5) -------------------------------------------------------------------


class AuditEvent(Base):
    """Who did what to which record: issuing, withdrawing, downloading documents, logins."""

    __tablename__ = "audit_events"
    __table_args__ = (
        # The log's page, newest first: all events, one action's, one person's (issue 15).
        Index("ix_audit_events_list", "organization_id", "created_at", "id"),
        Index("ix_audit_events_by_action", "organization_id", "action", "created_at", "id"),
        Index("ix_audit_events_by_actor", "organization_id", "user_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. document.issue
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped[User | None] = relationship()


class LoginAttempt(Base):
    """A failed sign-in, counted per account and per address to slow down password guessing."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(255), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ApiToken(Base):
    """A personal API token: a program acting as its user on the JSON API under /api/.

    Only the SHA-256 of the token is kept (the token is 256 random bits, so a plain hash
    is enough); the user sees it once, when it is made, and may revoke it at any time.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in the list to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()


# -- Notifications by e-mail (issue 14) --------------------------------------------------


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"  # to be sent (next_try_at: not before)
    SENDING = "sending"  # claimed by a worker, which is talking to the mail server
    SENT = "sent"  # the mail server took it
    KEPT = "kept"  # no SMTP_HOST: kept in the outbox only
    HELD = "held"  # waits for its user's daily digest
    DIGESTED = "digested"  # went out inside a digest (digest_id)
    FAILED = "failed"  # refused for good by the mail server (a 5xx answer)


NOTIFICATION_STATUS_LABELS: dict[str, str] = {
    NotificationStatus.PENDING: "Chờ gửi",
    NotificationStatus.SENDING: "Đang gửi",
    NotificationStatus.SENT: "Đã gửi",
    NotificationStatus.KEPT: "Lưu trong hộp thư đi (chưa cấu hình máy chủ thư)",
    NotificationStatus.HELD: "Chờ thư tổng hợp hằng ngày",
    NotificationStatus.DIGESTED: "Đã gửi trong thư tổng hợp",
    NotificationStatus.FAILED: "Máy chủ thư từ chối",
}


class Notification(Base):
    """One letter to one person about one event: the outbox of e-mail notifications.

    Written in the transaction of its event (so it is never lost), with a ``dedup_key``
    naming the event (so the same event never makes two rows) and its own Message-ID;
    sent by the worker, which claims it with a conditional UPDATE (services.notifications).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_addr: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40))
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(
        String(12), default=NotificationStatus.PENDING.value, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(index=True)
    claimed_at: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str] = mapped_column(Text, default="")
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SigningImage(Base):
    """A signature image (a user's, owner ``user:<id>``) or the organization's seal image
    (owner ``organization``, with its real diameter) for digital signing (issue 17): one
    per owner, replaced with its file when a new one is uploaded."""

    __tablename__ = "signing_images"
    __table_args__ = (UniqueConstraint("organization_id", "owner", name="uq_signing_images_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    owner: Mapped[str] = mapped_column(String(40))
    file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    diameter_mm: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentSignature(Base):
    """One signing step of an issued document (``person``, then ``organization``): the PDF
    that step produced, who signed, and the name on the certificate used."""

    __tablename__ = "document_signatures"
    __table_args__ = (UniqueConstraint("document_id", "step", name="uq_document_signatures_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    step: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"), index=True)
    subject: Mapped[str] = mapped_column(String(255), default="", server_default="")
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The PAdES level read back from the signed file ("B-B", "B-T", "B-LT"; "" for rows
    # signed before it was recorded) and whether the chain's revocation data is embedded.
    level: Mapped[str] = mapped_column(String(8), default="", server_default="")
    revocation_embedded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class DocumentAttachment(Base):
    """A văn bản kèm theo of an issued document in a file of its own (issue 17): the PDF
    as the clerk uploaded it and, once the organization has signed it (NĐ 30: Văn thư
    signs an attachment in a separate file with the organization's certificate), the
    signed PDF, who signed and with which certificate. Signed, it never changes."""

    __tablename__ = "document_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    file_id: Mapped[str] = mapped_column(ForeignKey("files.id"), index=True)
    signed_file_id: Mapped[str | None] = mapped_column(ForeignKey("files.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column()
    subject: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # The PAdES level read back from the signed attachment, as for the document's own
    # signatures ("" for attachments signed before it was kept).
    level: Mapped[str] = mapped_column(String(8), default="", server_default="")
    revocation_embedded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
