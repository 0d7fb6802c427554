"""Kiểm tra thể thức: screen an upload, queue its check in the worker, read the report.

The request only looks at the upload (not empty, Word by content: libmagic); the checker
itself runs in the worker's limited child process (:mod:`worker.jobs.checker`), and its
findings come back as the job's result.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from domain.check import Finding
from domain.check import Severity
from domain.errors import VanthuError
from domain.text import nfc
from outbox.queues import create_job
from storage.files import save_file
from storage.models import Job
from storage.models import User
from storage.uploads import sniff

JOB_FUNCTION = "check_format"
JOB_KIND = "Kiểm tra thể thức"

# libmagic's names for a .docx (some writers put members in an order it reads as a plain
# zip) and for a legacy .doc, which the checker itself names and refuses with advice.
_CHECKABLE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/zip",
    "application/msword",
    "application/x-ole-storage",
    "application/CDFV2",
}
_PROFILES = {
    "document": "văn bản hành chính",
    "report": "báo cáo thành tích",
    "annex": "phụ lục, danh sách kèm theo văn bản",
    "certificate": "giấy khen",
}


class Refused(VanthuError, ValueError):
    """The upload cannot be checked; the message is Vietnamese."""

    code = "invalid_file"
    status = 422


@dataclass
class Report:
    """The outcome of one check, ready for the page and the API."""

    filename: str
    findings: list[Finding] = field(default_factory=list)
    profile: str = ""

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def groups(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by document element, in the order the elements first appear."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.label, []).append(finding)
        return list(grouped.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "profile": self.profile,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_dict() for f in self.findings],
        }


def screen(filename: str, content: bytes) -> str:
    """The display name of an upload worth checking.

    Raises:
        Refused: no content, or not a Word file by content.
    """
    name = nfc(filename or "").strip() or "tệp không tên"
    if not content:
        raise Refused(f"Tệp “{name}” rỗng, không có nội dung để kiểm tra.")
    mime = sniff(content)
    if mime not in _CHECKABLE:
        raise Refused(
            f"Tệp “{name}” không phải tệp Word .docx (nội dung thực là {mime}); hệ thống "
            "kiểm tra nội dung tệp, không dựa vào phần đuôi tên tệp."
        )
    return name


def queue_check(
    session: Session,
    app: Flask,
    user: User,
    filename: str,
    content: bytes,
    *,
    allow_academic_titles: bool,
) -> Job:
    """Store the upload (deleted once checked) and queue its check; the caller commits.

    Raises:
        Refused: see :func:`screen`.
    """
    name = screen(filename, content)
    stored = save_file(
        session,
        organization_id=user.organization_id,
        content=content,
        original_name=name,
        mime_type="application/octet-stream",
        created_by_id=user.id,
    )
    return create_job(
        session,
        app,
        function=JOB_FUNCTION,
        kind=JOB_KIND,
        args={
            "file_id": stored.id,
            "filename": name,
            "allow_academic_titles": allow_academic_titles,
        },
        organization_id=user.organization_id,
        created_by_id=user.id,
    )


def is_check_job(job: Job) -> bool:
    return job.function.endswith("." + JOB_FUNCTION)


def report_of(job: Job) -> Report | None:
    """The report of a finished check job; None while it runs or when it failed."""
    if job.status != "done" or not isinstance(job.result, dict):
        return None
    result = job.result
    return Report(
        filename=str(result.get("file", "")),
        findings=[Finding.from_dict(f) for f in result.get("findings", [])],
        profile=_PROFILES.get(str(result.get("profile", "")), str(result.get("profile", ""))),
    )
