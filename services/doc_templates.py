"""An organization's own .docx templates: upload (checked), versions, activation, previews.

The render job reads the active version through :func:`services.documents.template_bytes`;
with no active version the built-in template of ``templates_docx/`` applies. Versions are
never deleted, so an older one (or the built-in) can be restored at any time.

A template is code, so the web request only checks it without running it (package, Jinja
syntax, variables, access to internals, external links: :func:`render.validate.check_template`).
Its trial render with the sample data is the preview job that every upload queues, in a
limited child process of the worker; "activate" at upload takes effect only when that trial
render succeeds. Only the newest preview of each version (and of the built-in) keeps its
files: storing one deletes the older ones' in the same transaction (:func:`store_preview`).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from flask import Flask
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.text import nfc
from outbox.queues import JOB_MODULE
from outbox.queues import create_job
from render.manifest import KINDS
from render.manifest import load_manifest
from render.validate import check_template
from services import audit
from services.documents import DOCX_MIME
from services.renders import delete_unreferenced
from storage.files import keep_for_job
from storage.files import save_file
from storage.models import DocumentTemplate
from storage.models import Job
from storage.models import JobFile
from storage.models import JobStatus
from storage.uploads import sniff

PREVIEW_FUNCTION = "preview_template"
# How the preview job's error begins when the template itself failed (not LibreOffice).
SAMPLE_FAILED = "Thử tạo văn bản với dữ liệu mẫu không thành công"
# libmagic names a .docx by its first members (some writers make it read as a plain zip); a
# .docm is let through so that the validator names the macro as the reason.
_DOCX_SNIFFED = {DOCX_MIME, "application/zip", "application/vnd.ms-word.document.macroEnabled.12"}
_RECENT_PREVIEWS = 200


@dataclass
class UploadOutcome:
    """The result of an upload: the new version and its trial-render job, or the Vietnamese
    reasons it was refused."""

    template: DocumentTemplate | None = None
    reasons: list[str] = field(default_factory=list)
    job: Job | None = None


def versions(session: Session, organization_id: int, kind: str) -> list[DocumentTemplate]:
    """The organization's versions of ``kind``, newest first."""
    return list(
        session.scalars(
            select(DocumentTemplate)
            .where(
                DocumentTemplate.organization_id == organization_id,
                DocumentTemplate.kind == kind,
            )
            .order_by(DocumentTemplate.version.desc())
        )
    )


def summary_by_kind(session: Session, organization_id: int) -> dict[str, tuple[int, int | None]]:
    """Per kind: (number of versions, active version or None)."""
    rows = session.execute(
        select(DocumentTemplate.kind, DocumentTemplate.version, DocumentTemplate.active).where(
            DocumentTemplate.organization_id == organization_id
        )
    )
    out: dict[str, tuple[int, int | None]] = {kind: (0, None) for kind in KINDS}
    for kind, version, active in rows:
        count, current = out.get(kind, (0, None))
        out[kind] = (count + 1, version if active else current)
    return out


def check_upload_bytes(kind: str, content: bytes, filename: str) -> list[str]:
    """Every reason (Vietnamese) an uploaded template must be refused; empty when it is fine.

    The content is sniffed with libmagic first (a picture renamed ``.docx`` is named as
    what it really is), then :func:`render.validate.check_template` checks the package and
    the Jinja tags without running them (the trial render is a job: :func:`add_version`).
    """
    name = nfc(filename).strip() or "tệp không tên"
    if not content:
        return [f"Tệp “{name}” rỗng."]
    mime = sniff(content)
    if mime not in _DOCX_SNIFFED:
        return [
            f"Tệp “{name}” không phải tệp Word .docx (nội dung thực là {mime}); hệ thống "
            "kiểm tra nội dung tệp, không dựa vào phần đuôi tên tệp."
        ]
    return check_template(kind, content).reasons


def add_version(
    session: Session,
    *,
    organization_id: int,
    user_id: int,
    kind: str,
    content: bytes,
    filename: str,
    note: str = "",
    activate: bool = False,
    app: Flask | None = None,
) -> UploadOutcome:
    """Check an upload and, if it passes, store and commit it as the next version of ``kind``.

    With ``app``, the version's trial render (a preview job) is queued in the same
    transaction; ``activate`` then asks that job to make the version the one in use once it
    has rendered the sample, provided no other version was activated meanwhile. Without a
    job (no ``app``), ``activate`` takes effect at once.

    The version number is max + 1 for the organization and kind; the unique constraint
    settles a race between two admins uploading at once (the loser retries with the next).
    """
    reasons = check_upload_bytes(kind, content, filename)
    if reasons:
        return UploadOutcome(reasons=reasons)
    label = load_manifest(kind).label
    active_before = active_version_id(session, organization_id, kind)
    for _attempt in range(3):
        stored = save_file(
            session,
            organization_id=organization_id,
            content=content,
            original_name=_download_name(label, nfc(filename)),
            mime_type=DOCX_MIME,
            created_by_id=user_id,
        )
        template = DocumentTemplate(
            organization_id=organization_id,
            kind=kind,
            version=_next_version(session, organization_id, kind),
            file_id=stored.id,
            note=nfc(note).strip()[:500],
            created_by_id=user_id,
        )
        session.add(template)
        job = None
        try:
            session.flush()
            if app is not None:
                job = request_preview(
                    session,
                    app,
                    organization_id=organization_id,
                    user_id=user_id,
                    kind=kind,
                    template_id=template.id,
                    activate=activate,
                    active_before=active_before,
                )
            elif activate:
                activate_version(session, template)
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        return UploadOutcome(template=template, job=job)
    raise RuntimeError("could not allocate a template version number")


def _next_version(session: Session, organization_id: int, kind: str) -> int:
    current = session.scalar(
        select(func.max(DocumentTemplate.version)).where(
            DocumentTemplate.organization_id == organization_id, DocumentTemplate.kind == kind
        )
    )
    return (current or 0) + 1


def _download_name(label: str, filename: str) -> str:
    stem = filename.rsplit(".", 1)[0].strip() if filename else ""
    return f"{stem or 'Mẫu ' + label}.docx"


def active_version_id(session: Session, organization_id: int, kind: str) -> int | None:
    """The id of the version of ``kind`` in use, or None when the built-in applies."""
    return session.scalar(
        select(DocumentTemplate.id).where(
            DocumentTemplate.organization_id == organization_id,
            DocumentTemplate.kind == kind,
            DocumentTemplate.active.is_(True),
        )
    )


def activate_after_trial(
    session: Session, template: DocumentTemplate, *, active_before: int | None, user_id: int | None
) -> bool:
    """Activate ``template`` after its trial render, unless the version in use is no longer
    ``active_before`` (an admin chose another meanwhile: that choice stands)."""
    if active_version_id(session, template.organization_id, template.kind) != active_before:
        return False
    activate_version(session, template)
    audit.record(
        session,
        "template.activate",
        object_type="template",
        object_id=template.id,
        detail={"kind": template.kind, "version": template.version, "after": "trial render"},
        organization_id=template.organization_id,
        user_id=user_id,
    )
    return True


def trial_failure(session: Session, template: DocumentTemplate) -> str:
    """Why the newest trial render of ``template`` failed, or ``""`` (it succeeded, or has
    not finished, or failed for a reason that is not the template's, such as the PDF)."""
    job = latest_previews(session, template.organization_id, template.kind).get(template.id)
    if job is not None and job.status == JobStatus.FAILED and job.error.startswith(SAMPLE_FAILED):
        return job.error
    return ""


def activate_version(session: Session, template: DocumentTemplate) -> None:
    """Make ``template`` the one documents of its kind are rendered with."""
    use_builtin(session, template.organization_id, template.kind)
    template.active = True
    session.flush()


def use_builtin(session: Session, organization_id: int, kind: str) -> None:
    """Deactivate every custom version of ``kind``: the built-in template applies again."""
    session.execute(
        update(DocumentTemplate)
        .where(
            DocumentTemplate.organization_id == organization_id,
            DocumentTemplate.kind == kind,
            DocumentTemplate.active.is_(True),
        )
        .values(active=False)
        .execution_options(synchronize_session="fetch")
    )


def request_preview(
    session: Session,
    app: Flask,
    *,
    organization_id: int,
    user_id: int,
    kind: str,
    template_id: int | None,
    activate: bool = False,
    active_before: int | None = None,
) -> Job:
    """Queue a preview of ``kind`` (custom version ``template_id`` or the built-in): the
    sample rendered in a limited child process of the worker, then PDF and page 1.

    With ``activate``, the job activates the version once the sample has rendered, if the
    version in use is still ``active_before``.
    """
    label = load_manifest(kind).label
    args: dict[str, object] = {
        "organization_id": organization_id,
        "kind": kind,
        "template_id": template_id,
    }
    if activate and template_id is not None:
        args.update(activate=True, active_before=active_before)
    return create_job(
        session,
        app,
        function=PREVIEW_FUNCTION,
        kind=f"Xem trước mẫu {label.lower()}",
        args=args,
        organization_id=organization_id,
        created_by_id=user_id,
    )


def latest_previews(session: Session, organization_id: int, kind: str) -> dict[int | None, Job]:
    """The newest preview job of each version of ``kind`` (key None: the built-in)."""
    jobs = session.scalars(
        select(Job)
        .where(
            Job.organization_id == organization_id,
            Job.function == f"{JOB_MODULE}.{PREVIEW_FUNCTION}",
        )
        .order_by(Job.created_at.desc())
        .limit(_RECENT_PREVIEWS)
    )
    out: dict[int | None, Job] = {}
    for job in jobs:
        if job.args.get("kind") != kind:
            continue
        out.setdefault(job.args.get("template_id"), job)
    return out


def store_preview(
    session: Session,
    *,
    job_id: str | None,
    organization_id: int,
    kind: str,
    template_id: int | None,
    name: str,
    png: bytes,
    pdf: bytes,
) -> dict[str, str]:
    """Store a preview's page-1 image and PDF as job ``job_id``'s files, and delete the
    files of the older previews of the same version (``template_id``; None: the built-in)
    in this transaction: only the newest is ever shown (:func:`latest_previews`).

    Returns the ids the job's result names: ``preview_file_id`` and ``pdf_file_id``.
    """
    image = save_file(
        session,
        content=png,
        original_name=f"{name}.png",
        mime_type="image/png",
        organization_id=organization_id,
    )
    document = save_file(
        session,
        content=pdf,
        original_name=f"{name}.pdf",
        mime_type="application/pdf",
        organization_id=organization_id,
    )
    # A preview run outside a job row keeps nothing: the storage sweep takes its files.
    keep_for_job(session, job_id, [image.id, document.id])
    job = session.get(Job, job_id) if job_id else None
    older = {
        other
        for other, args in session.execute(
            select(Job.id, Job.args)
            .join(JobFile, JobFile.job_id == Job.id)
            .where(
                Job.organization_id == organization_id,
                Job.function == f"{JOB_MODULE}.{PREVIEW_FUNCTION}",
                Job.id != (job_id or ""),
                # A preview queued later than this one is the newer, even if it ran first.
                *([Job.created_at <= job.created_at] if job is not None else []),
            )
        )
        if args.get("kind") == kind and args.get("template_id") == template_id
    }
    if older:
        files = set(session.scalars(select(JobFile.file_id).where(JobFile.job_id.in_(older))))
        session.execute(
            delete(JobFile)
            .where(JobFile.job_id.in_(older))
            .execution_options(synchronize_session=False)
        )
        delete_unreferenced(session, files, previews=set())
    session.flush()
    return {"preview_file_id": image.id, "pdf_file_id": document.id}
