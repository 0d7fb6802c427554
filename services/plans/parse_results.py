"""What the parse job records on an upload: parsing, failed, or the parser's output with the
page images and each line's box on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from services.parsed_files import drop_unused
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import IncomingStatus
from storage.models import ParsedPage
from storage.models import StoredFile


def mark_parsing(incoming: IncomingDocument) -> None:
    incoming.status = IncomingStatus.PARSING.value
    incoming.error = ""


def mark_failed(incoming: IncomingDocument | None, reason: str) -> None:
    if incoming is not None:
        incoming.status = IncomingStatus.FAILED.value
        incoming.error = reason


def store_parse_result(
    session: Session,
    incoming: IncomingDocument,
    result: dict[str, Any],
    images: Sequence[tuple[int, int, int, int, float]],
) -> None:
    """Keep the parser's output and the page images ``(page, parsed page id, width,
    height, points width)`` of the shared reading (:func:`services.parsed_files.reading`).

    The upload's pages refer to the shared reading's images instead of copying them into
    files of its own organization (issue 15: a copy per school was most of the cost of a
    broadcast, and 500 copies of every page); the images are drawn from the bytes alone
    and are served only through this upload's own page, to its own organization. Line
    boxes come from the result's ``text[].box`` (PDF points), scaled to image pixels. The
    pages this replaces go with it: an image file of its own, or a superseded reading no
    other upload shows.
    """
    old_files = [page.file_id for page in incoming.pages if page.file_id is not None]
    old_shared = [page.parsed_page_id for page in incoming.pages if page.parsed_page_id]
    incoming.pages.clear()
    session.flush()
    if old_files:
        session.execute(delete(StoredFile).where(StoredFile.id.in_(old_files)))
    boxes: dict[int, list[dict[str, Any]]] = {}
    for line in result.get("text", ()):
        if line.get("box"):
            boxes.setdefault(int(line["page"]), []).append(line)
    for page, parsed_page_id, width, height, points_width in images:
        scale = width / points_width if points_width else 1.0
        incoming.pages.append(
            IncomingPage(
                page=page,
                parsed_page_id=parsed_page_id,
                width=width,
                height=height,
                boxes=[
                    {
                        "line": line["line"],
                        "x0": round(line["box"][0] * scale),
                        "top": round(line["box"][1] * scale),
                        "x1": round(line["box"][2] * scale),
                        "bottom": round(line["box"][3] * scale),
                    }
                    for line in boxes.get(page, ())
                ],
            )
        )
    drop_unused(session, [i for i in old_shared if i not in {image[1] for image in images}])
    incoming.extracted = result
    incoming.page_count = int(result.get("pages") or 1)
    incoming.status = IncomingStatus.PARSED.value
    incoming.error = ""


# Pages drawn after the one asked for, in the same child: the review page shows the pages
# one under the other, so the next ones are usually asked for next (the child's start costs
# more than a page's drawing).
DRAW_AHEAD = 2


def page_png(session: Session, page: IncomingPage, *, memory_mb: int, timeout: float) -> bytes:
    """The image of an upload's page: the shared reading's, drawn the first time it is
    asked for (:func:`draw_page`), or a file of the upload's own (uploads read before the
    images were shared). The caller has checked that the upload is the user's
    organization's: the image is reached only through its page.

    Raises:
        PageDrawFailed: the page could not be drawn now (Vietnamese message, status 503).
    """
    if page.parsed_page_id is not None:
        png = session.scalar(select(ParsedPage.png).where(ParsedPage.id == page.parsed_page_id))
        if png is None:
            png = draw_page(session, page, memory_mb=memory_mb, timeout=timeout)
    else:
        png = session.scalar(select(StoredFile.content).where(StoredFile.id == page.file_id))
    if png is None:  # both kept by foreign keys while the page exists
        raise LookupError(page.id)
    return png


def draw_page(session: Session, page: IncomingPage, *, memory_mb: int, timeout: float) -> bytes:
    """Draw the shared reading's image of ``page`` (and the next few not drawn yet) in a
    limited child from the upload's own bytes, and keep it with the reading for every
    upload of those bytes.

    Two requests for a page at once both draw it; the first to store it wins (an UPDATE
    of the row the parse job made, only while it has no image: no second row, no error)
    and both answer the stored one.
    """
    shared = session.get_one(ParsedPage, page.parsed_page_id)
    ahead = session.execute(
        select(ParsedPage.page, ParsedPage.id).where(
            ParsedPage.parsed_file_id == shared.parsed_file_id,
            ParsedPage.page > shared.page,
            ParsedPage.page <= shared.page + DRAW_AHEAD,
            ParsedPage.png.is_(None),
        )
    )
    missing = {number: row_id for number, row_id in ahead}
    missing[shared.page] = shared.id
    content = session.scalar(
        select(StoredFile.content)
        .join(IncomingDocument, IncomingDocument.file_id == StoredFile.id)
        .where(IncomingDocument.id == page.incoming_id)
    )
    if content is None:
        raise LookupError(page.id)
    # Here, not at the top: importing the ingest package loads the parser's modules, which
    # the web process otherwise never needs (the child does the drawing).
    from ingest.page_images import draw_in_child

    images = draw_in_child(
        content,
        sorted(missing),  # the page asked first: the others are only drawn ahead
        memory_mb=memory_mb,
        timeout=timeout,
    )
    for number, png in images.items():
        session.execute(
            update(ParsedPage)
            .where(ParsedPage.id == missing[number], ParsedPage.png.is_(None))
            .values(png=png)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    stored = session.scalar(select(ParsedPage.png).where(ParsedPage.id == shared.id))
    return stored if stored is not None else images[shared.page]
