"""Outgoing documents: create drafts, render them in the worker, read the active template.

The register (numbers) is in :mod:`services.register`; pages are in :mod:`views.documents`.
Rendering always happens in a job (:func:`worker.jobs.documents.render_document`), never in
a web request: LibreOffice and large templates have no place on the request path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import delete
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import load_only
from sqlalchemy.orm import object_session
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from domain.errors import VanthuError
from domain.numbering import format_number
from domain.text import fold
from domain.text import nfc
from outbox.queues import create_job
from render.context import build_context
from render.context import chosen_legal_basis
from render.errors import RenderError
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import template_path
from services import audit
from services.pagination import DEFAULT_PAGE_SIZE
from services.pagination import Page
from services.pagination import paginate
from storage.db import rowcount
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import DocumentSubject
from storage.models import DocumentTemplate
from storage.models import Organization
from storage.models import RenderStatus

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def org_context(org: Organization, *, unit_abbrev: str = "") -> dict[str, str]:
    """The organization part of a render context (see :func:`render.context.build_context`)."""
    return {
        "parent_issuer": org.parent_name,
        "issuer": org.name,
        "issuer_abbrev": org.abbrev,
        "unit_abbrev": unit_abbrev,
        "place": org.place,
    }


def kind_label(kind: str) -> str:
    return load_manifest(kind).label


def create_document(
    session: Session,
    *,
    organization_id: int,
    created_by_id: int,
    kind: str,
    header_fields: Mapping[str, Any],
    body_fields: Mapping[str, Any],
    round_id: int | None = None,
    dossier_id: str | None = None,
    incoming_id: int | None = None,
) -> Document:
    """Add a draft document (no number) and flush it. Values are stored NFC."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    header = _nfc_tree(dict(header_fields))
    # Number and ký hiệu come only from the register, when issued.
    header.pop("number", None)
    header.pop("symbol", None)
    if "legal_basis" not in header:
        # What the document cites is stored with it, so a later render prints the same căn
        # cứ even when the suggestions change (dossier parts, plans drafted from a superior's).
        header["legal_basis"] = chosen_legal_basis(load_manifest(kind), header)
    document = Document(
        organization_id=organization_id,
        created_by_id=created_by_id,
        kind=kind,
        summary=_summary(kind, header),
        search_key=search_key(_summary(kind, header), None, ""),
        header_fields=header,
        body_fields=_nfc_tree(dict(body_fields)),
        round_id=round_id,
        dossier_id=dossier_id,
        incoming_id=incoming_id,
    )
    session.add(document)
    session.flush()
    return document


def request_render(session: Session, app: Flask, document: Document, *, user_id: int) -> str:
    """Queue a render of ``document`` (docx, PDF, preview); returns the job id.

    The job is enqueued when the session commits.
    """
    job = create_job(
        session,
        app,
        function="render_document",
        kind=f"Soạn {kind_label(document.kind).lower()}",
        args={"document_id": document.id},
        organization_id=document.organization_id,
        created_by_id=user_id,
    )
    document.render_status = RenderStatus.QUEUED.value
    document.render_error = ""
    document.job_id = job.id
    return job.id


class DraftError(VanthuError, ValueError):
    """A draft cannot be deleted; the message is Vietnamese and meant for the user."""

    code = "draft_refused"
    status = 409


_RENDERING = (RenderStatus.QUEUED.value, RenderStatus.RUNNING.value)


def delete_draft(session: Session, document: Document, *, user_id: int) -> None:
    """Delete a draft with its subject rows and the files it alone owns, and audit it.

    Issued and withdrawn documents are never deleted: their numbers stay in the register.
    The caller commits.

    Raises:
        DraftError: the document is not a draft, or a render is queued or running (the
            worker would write files for a row that is gone).
    """
    if document.status != DocumentStatus.DRAFT:
        raise DraftError("Chỉ xóa được văn bản dự thảo; văn bản đã phát hành phải thu hồi.")
    if document.render_status in _RENDERING:
        raise DraftError("Văn bản đang được soạn; hãy chờ xong rồi xóa.")
    document_id, organization_id = document.id, document.organization_id
    detail = {"kind_label": kind_label(document.kind), "summary": document.summary}
    from services.renders import delete_unreferenced
    from services.renders import forget_renders

    file_ids = {
        f for f in (document.docx_file_id, document.pdf_file_id, document.preview_file_id) if f
    }
    previews = {document.preview_file_id} if document.preview_file_id else set()
    session.execute(delete(DocumentSubject).where(DocumentSubject.document_id == document_id))
    session.execute(
        update(Document)
        .where(Document.replaces_id == document_id)
        .values(replaces_id=None)
        .execution_options(synchronize_session=False)
    )
    render_files, render_previews = forget_renders(session, document_id)
    file_ids |= render_files
    previews |= render_previews
    # Guarded like the register's transitions: another clerk may have issued the draft or
    # asked for a render since it was loaded. The row lock this takes also makes such a
    # concurrent change wait, and then find no row.
    deleted = rowcount(
        session.execute(
            delete(Document)
            .where(
                Document.id == document_id,
                Document.status == DocumentStatus.DRAFT.value,
                Document.render_status.not_in(_RENDERING),
            )
            .execution_options(synchronize_session=False)
        )
    )
    if deleted != 1:
        session.rollback()
        raise DraftError("Văn bản vừa được phát hành hoặc soạn lại; hãy tải lại trang.")
    session.expunge(document)
    # Pages 2.. of a preview are stored under ids derived from page 1's: deleted with it.
    delete_unreferenced(session, file_ids, previews=previews)
    audit.record(
        session,
        "document.delete",
        object_type="document",
        object_id=document_id,
        detail=detail,
        organization_id=organization_id,
        user_id=user_id,
    )


def active_template(session: Session, organization_id: int, kind: str) -> DocumentTemplate | None:
    """The organization's active custom template for ``kind``, or None (built-in applies)."""
    return session.scalar(
        select(DocumentTemplate).where(
            DocumentTemplate.organization_id == organization_id,
            DocumentTemplate.kind == kind,
            DocumentTemplate.active.is_(True),
        )
    )


def template_bytes(session: Session, organization_id: int, kind: str) -> tuple[bytes, int | None]:
    """The .docx to render ``kind`` with, and the custom template's id (None: built-in)."""
    custom = active_template(session, organization_id, kind)
    if custom is not None:
        return custom.file.content, custom.id
    return template_path(kind).read_bytes(), None


EDIT_LOST_RACE = (
    "Văn bản vừa được phát hành (hoặc thu hồi, xóa) trong lúc bạn sửa, nên nội dung sửa "
    "chưa được lưu; văn bản đã phát hành không sửa được. Nội dung bạn nhập vẫn còn trên "
    "biểu mẫu để sao chép sang một văn bản mới."
)


def update_draft(
    document: Document, *, header_fields: Mapping[str, Any], body_fields: Mapping[str, Any]
) -> None:
    """Replace a draft's typed values (the caller re-renders it).

    The write is one ``UPDATE … WHERE status = 'draft'``: an edit that reaches the database
    after another clerk issued the document changes nothing. On PostgreSQL it waits for the
    issuer's row lock and then finds no draft; on SQLite it is the write that waits for the
    issuer's commit.

    Raises:
        DraftError: the document is no longer a draft, or stopped being one meanwhile (the
            session is then rolled back: nothing of the caller's transaction is kept).
    """
    if document.status != DocumentStatus.DRAFT:
        raise DraftError("Văn bản đã phát hành không sửa được; hãy soạn văn bản mới.")
    header = _nfc_tree(dict(header_fields))
    header.pop("number", None)
    header.pop("symbol", None)
    values = {
        "header_fields": header,
        "body_fields": _nfc_tree(dict(body_fields)),
        "summary": _summary(document.kind, header),
        "search_key": search_key(_summary(document.kind, header), document.number, document.symbol),
    }
    session = object_session(document)
    if session is None:  # a document not yet in a session: nothing to race with
        for key, value in values.items():
            setattr(document, key, value)
        return
    changed = rowcount(
        session.execute(
            update(Document)
            .where(Document.id == document.id, Document.status == DocumentStatus.DRAFT.value)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        session.rollback()
        raise DraftError(EDIT_LOST_RACE)
    for key, value in values.items():
        set_committed_value(document, key, value)


def context_problem(
    org: Organization, kind: str, header_fields: Mapping[str, Any], body_fields: Mapping[str, Any]
) -> str:
    """Build the template context as the render job will (cheap, no template) and return
    the Vietnamese reason it is refused, or "" if it is fine.

    Run before queuing a render so that bad input is a message on the form, not a failed job.
    """
    header = dict(header_fields)
    header.pop("number", None)
    header.pop("symbol", None)
    try:
        build_context(
            kind,
            header,
            body_fields,
            org_context(org, unit_abbrev=str(header.get("unit_abbrev") or "")),
        )
    except RenderError as exc:
        return exc.message
    return ""


def documents_query(
    organization_id: int,
    *,
    kind: str = "",
    status: str = "",
    year: int | None = None,
    q: str = "",
) -> Select[Document]:
    """The organization's documents for the list page, last changed first, filtered in SQL.

    ``year`` is the register year of numbered documents and the creation year of drafts;
    ``q`` matches the trích yếu or the số/ký hiệu, ignoring case and diacritics (each word,
    in the stored ``search_key``).
    """
    query = select(Document).where(Document.organization_id == organization_id)
    if kind:
        query = query.where(Document.kind == kind)
    if status:
        query = query.where(Document.status == status)
    if year is not None:
        start = datetime(year, 1, 1, tzinfo=UTC)
        end = datetime(year + 1, 1, 1, tzinfo=UTC)
        query = query.where(
            or_(
                Document.year == year,
                and_(
                    Document.year.is_(None),
                    Document.created_at >= start,
                    Document.created_at < end,
                ),
            )
        )
    for word in fold(q).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Document.search_key.like(f"%{escaped}%", escape="\\"))
    return query.order_by(Document.updated_at.desc(), Document.id.desc())


# What the list shows of a document: its JSON fields (the typed form) are not read.
LIST_COLUMNS = (
    Document.id, Document.organization_id, Document.kind, Document.status, Document.summary,
    Document.year, Document.number, Document.symbol, Document.issued_date, Document.created_at,
    Document.updated_at, Document.render_status, Document.created_by_id,
)  # fmt: skip


def list_page(
    session: Session,
    organization_id: int,
    *,
    number: int,
    size: int = DEFAULT_PAGE_SIZE,
    kind: str = "",
    status: str = "",
    year: int | None = None,
    q: str = "",
) -> Page[Document]:
    """One page of the documents list, with each document's author loaded."""
    query = documents_query(organization_id, kind=kind, status=status, year=year, q=q)
    return paginate(
        session, query, Document, number=number, size=size, search=bool(fold(q)),
        options=[load_only(*LIST_COLUMNS), selectinload(Document.created_by)],
    )  # fmt: skip


def document_years(session: Session, organization_id: int, today: date) -> list[int]:
    """Years the list can be filtered by, newest first: register years, and every year
    from the oldest document's creation to ``today``'s."""
    registered = session.scalars(
        select(Document.year)
        .where(Document.organization_id == organization_id, Document.year.is_not(None))
        .distinct()
    ).all()
    # The first id is the oldest document (ids grow with time): one step down the
    # organization's index, where min(created_at) would read every row.
    oldest = session.scalar(
        select(Document.created_at)
        .where(Document.organization_id == organization_id)
        .order_by(Document.id)
        .limit(1)
    )
    first = oldest.year if oldest is not None else today.year
    return sorted({*registered, *range(first, today.year + 1)}, reverse=True)


def search_key(summary: str, number: int | None, symbol: str) -> str:
    """The folded text the list searches: trích yếu and, once issued, số/ký hiệu."""
    label = f"{format_number(number)}/{symbol}" if number is not None else ""
    return fold(f"{summary} {label}")


def number_label(document: Document) -> str:
    """``05/KH-THCSMT`` for an issued document, "" for a draft."""
    if document.number is None:
        return ""
    return f"{format_number(document.number)}/{document.symbol}"


def _summary(kind: str, header: Mapping[str, Any]) -> str:
    return str(header.get("summary") or load_manifest(kind).label)[:2000]


def _nfc_tree(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {nfc(str(k)): _nfc_tree(v) for k, v in value.items()}
    return value
