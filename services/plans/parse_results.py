"""What the parse job records on an upload: parsing, failed, or the parser's output with the
page images and each line's box on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.files import save_file
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import IncomingStatus
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
    images: Sequence[tuple[int, bytes, int, int, float]],
) -> None:
    """Keep the parser's output and the page images ``(page, png, width, height, points)``.

    Line boxes come from the result's ``text[].box`` (PDF points), scaled to image pixels.
    """
    old_files = [page.file_id for page in incoming.pages]
    incoming.pages.clear()
    session.flush()
    if old_files:
        session.execute(delete(StoredFile).where(StoredFile.id.in_(old_files)))
    boxes: dict[int, list[dict[str, Any]]] = {}
    for line in result.get("text", ()):
        if line.get("box"):
            boxes.setdefault(int(line["page"]), []).append(line)
    for page, png, width, height, points_width in images:
        scale = width / points_width if points_width else 1.0
        stored = save_file(
            session,
            organization_id=incoming.organization_id,
            content=png,
            original_name=f"trang-{page}.png",
            mime_type="image/png",
        )
        incoming.pages.append(
            IncomingPage(
                page=page,
                file_id=stored.id,
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
    incoming.extracted = result
    incoming.page_count = int(result.get("pages") or 1)
    incoming.status = IncomingStatus.PARSED.value
    incoming.error = ""
