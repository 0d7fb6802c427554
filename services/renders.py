"""A document's rendered files: stored by the render job, superseded ones deleted, page
images drawn on demand.

Each render is a :class:`~storage.models.DocumentRender` row. The job stores a new render
and, in the same transaction, deletes what it supersedes: a draft keeps its newest
``RENDER_HISTORY_KEEP`` previous renders, the rest go with their files; a render that
prints a register number is the issued document's record and is never deleted.

The job stores page 1's image only. A further page (up to
:data:`render.preview.MAX_PREVIEW_PAGES`) is drawn from the PDF the first time it is asked
for and stored under the id derived from page 1's, so a page nobody looks at is never drawn
and never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.text import display_filename
from render.preview import MAX_PREVIEW_PAGES
from render.preview import page_file_id
from render.preview import render_preview_pages
from services.documents import DOCX_MIME
from storage.files import file_references
from storage.files import save_file
from storage.models import DerivedFile
from storage.models import Document
from storage.models import DocumentRender
from storage.models import DocumentStatus
from storage.models import StoredFile

PREVIEW_WIDTH_PX = 900


def store_render(
    session: Session,
    document: Document,
    *,
    name: str,
    docx: bytes,
    pdf: bytes | None,
    first_page: bytes | None,
    page_count: int | None,
    number: int | None,
    keep: int,
) -> DocumentRender:
    """Store a render's files, make it the document's current one and delete what it
    supersedes beyond the ``keep`` newest previous renders of the draft.

    Args:
        name: The download name's stem ("Kế hoạch 05-KH-THCSMT").
        first_page: Page 1's PNG (None: no preview).
        page_count: The PDF's page count.
        number: The register number the render prints (None for a draft).
        keep: Previous unnumbered renders kept (``RENDER_HISTORY_KEEP``).
    """
    _adopt_legacy_render(session, document)
    owner = document.organization_id  # no user: the worker made it
    render = DocumentRender(
        document_id=document.id,
        docx_file_id=save_file(
            session,
            content=docx,
            original_name=f"{name}.docx",
            mime_type=DOCX_MIME,
            organization_id=owner,
        ).id,
        pdf_file_id=(
            save_file(
                session,
                content=pdf,
                original_name=f"{name}.pdf",
                mime_type="application/pdf",
                organization_id=owner,
            ).id
            if pdf
            else None
        ),
        preview_file_id=(
            save_file(
                session,
                content=first_page,
                original_name=f"{name}.png",
                mime_type="image/png",
                organization_id=owner,
            ).id
            if first_page
            else None
        ),
        page_count=page_count if first_page else None,
        number=number,
    )
    session.add(render)
    session.flush()
    document.docx_file_id = render.docx_file_id
    document.pdf_file_id = render.pdf_file_id
    document.preview_file_id = render.preview_file_id
    session.flush()
    previous = session.scalars(
        select(DocumentRender)
        .where(DocumentRender.document_id == document.id, DocumentRender.id != render.id)
        .order_by(DocumentRender.id.desc())
    ).all()
    drafts = [row for row in previous if row.number is None]
    _delete_renders(session, drafts[max(keep, 0) :])
    return render


def _adopt_legacy_render(session: Session, document: Document) -> None:
    """Files rendered before renders had rows become one: unnumbered (deletable) only when
    the document is still a draft, since which of an issued document's files were numbered
    is not known."""
    if document.docx_file_id is None:
        return
    known = session.scalar(
        select(DocumentRender.id).where(
            DocumentRender.document_id == document.id,
            DocumentRender.docx_file_id == document.docx_file_id,
        )
    )
    if known is not None:
        return
    draft = document.status == DocumentStatus.DRAFT.value
    session.add(
        DocumentRender(
            document_id=document.id,
            docx_file_id=document.docx_file_id,
            pdf_file_id=document.pdf_file_id,
            preview_file_id=document.preview_file_id,
            number=None if draft else (document.number or 0),
        )
    )
    session.flush()


def _delete_renders(session: Session, renders: list[DocumentRender]) -> None:
    """Delete render rows, then those of their files nothing else points at (a page
    image goes with its page 1)."""
    if not renders:
        return
    ids = {
        file_id
        for row in renders
        for file_id in (row.docx_file_id, row.pdf_file_id, row.preview_file_id)
        if file_id
    }
    previews = {row.preview_file_id for row in renders if row.preview_file_id}
    session.execute(
        delete(DocumentRender)
        .where(DocumentRender.id.in_([row.id for row in renders]))
        .execution_options(synchronize_session=False)
    )
    for row in renders:
        session.expunge(row)
    delete_unreferenced(session, ids, previews=previews)


def delete_unreferenced(session: Session, file_ids: set[str], *, previews: set[str]) -> None:
    """Delete those of ``file_ids`` no row points at; with each deleted preview in
    ``previews``, its further pages' images."""
    gone = file_ids - referenced_files(session, file_ids)
    pages = {
        page_file_id(first, page)
        for first in previews & gone
        for page in range(2, MAX_PREVIEW_PAGES + 1)
    }
    if gone | pages:
        session.execute(
            delete(StoredFile)
            .where(StoredFile.id.in_(gone | pages))
            .execution_options(synchronize_session=False)
        )


def referenced_files(session: Session, file_ids: Iterable[str]) -> set[str]:
    """Those of ``file_ids`` some row still points at. Every reference to ``files`` is
    looked at (:func:`storage.files.file_references`), so a table added later is covered
    without changing this."""
    wanted = set(file_ids)
    if not wanted:
        return set()
    found: set[str] = set()
    for column in file_references():
        found.update(session.scalars(select(column).where(column.in_(wanted)).distinct()))
    return found


def forget_renders(session: Session, document_id: int) -> tuple[set[str], set[str]]:
    """Delete a document's render rows (the document is being deleted) and return the ids
    of their files and of their page 1 images, for the caller to delete (with
    :func:`delete_unreferenced`) once nothing points at them."""
    rows = session.scalars(
        select(DocumentRender).where(DocumentRender.document_id == document_id)
    ).all()
    ids = {
        file_id
        for row in rows
        for file_id in (row.docx_file_id, row.pdf_file_id, row.preview_file_id)
        if file_id
    }
    session.execute(
        delete(DocumentRender)
        .where(DocumentRender.document_id == document_id)
        .execution_options(synchronize_session=False)
    )
    for row in rows:
        session.expunge(row)
    return ids, {row.preview_file_id for row in rows if row.preview_file_id}


def current_render(session: Session, document: Document) -> DocumentRender | None:
    """The render the document's files come from (None: before any, or a legacy one)."""
    if document.preview_file_id is None:
        return None
    return session.scalar(
        select(DocumentRender).where(
            DocumentRender.document_id == document.id,
            DocumentRender.preview_file_id == document.preview_file_id,
        )
    )


def preview_pages(session: Session, document: Document) -> list[int]:
    """The page numbers the document's preview shows: every page of its current render
    up to :data:`MAX_PREVIEW_PAGES` (``[]`` before any render)."""
    if document.preview_file_id is None:
        return []
    render = current_render(session, document)
    if render is not None and render.page_count:
        return list(range(1, min(render.page_count, MAX_PREVIEW_PAGES) + 1))
    # A render stored before page counts were: its pages were all drawn then.
    wanted = {
        page_file_id(document.preview_file_id, page): page
        for page in range(2, MAX_PREVIEW_PAGES + 1)
    }
    stored = session.scalars(
        select(StoredFile.id).where(
            StoredFile.id.in_(wanted), StoredFile.organization_id == document.organization_id
        )
    )
    return [1, *sorted(wanted[file_id] for file_id in stored)]


def preview_page(session: Session, document: Document, page: int) -> bytes | None:
    """Page ``page``'s PNG of the document's current render: stored, or drawn from its PDF
    now and stored (committed) for the next time. None: no such page.

    The image is stored only while its render is still current: the row is locked (on
    PostgreSQL; SQLite's write lock does the same) after the insert, so a render job that
    supersedes it meanwhile either deletes the image with its page 1 or makes this insert
    roll back.
    """
    first = document.preview_file_id
    if first is None or not 1 <= page <= MAX_PREVIEW_PAGES:
        return None
    file_id = first if page == 1 else page_file_id(first, page)
    stored = session.get(StoredFile, file_id)
    if stored is not None and stored.organization_id == document.organization_id:
        return stored.content if stored.mime_type == "image/png" else None
    if page == 1 or page not in preview_pages(session, document) or not document.pdf_file_id:
        return None
    pdf = session.get(StoredFile, document.pdf_file_id)
    if pdf is None:
        return None
    images, _count = render_preview_pages(
        pdf.content, width_px=PREVIEW_WIDTH_PX, first_page=page - 1, max_pages=1
    )
    image = images[0]
    stem = session.get(StoredFile, first)
    name = (stem.original_name if stem else "trang").removesuffix(".png")
    try:
        session.add(
            StoredFile(
                id=file_id,
                organization_id=document.organization_id,
                original_name=display_filename(f"{name} - trang {page}.png"),
                mime_type="image/png",
                size=len(image),
                sha256=hashlib.sha256(image).hexdigest(),
                content=image,
            )
        )
        session.flush()
        session.add(DerivedFile(file_id=file_id, source_id=first))
        session.flush()
        still_current = session.scalar(
            select(DocumentRender.id)
            .where(
                DocumentRender.document_id == document.id,
                DocumentRender.preview_file_id == first,
            )
            .with_for_update()
        )
        if still_current is None:
            session.rollback()
        else:
            session.commit()
    except IntegrityError:
        session.rollback()  # drawn and stored by another request meanwhile
    return image
