"""Page images of uploaded PDFs: their size when the file is read, their pixels when shown.

The parse job records each page's image size (:func:`page_sizes`, PDFium's page sizes in
points: no drawing) so that the review page lays its pages out and places each line's box;
the image itself is drawn the first time someone looks at the page (issue 15: the upload
job drew every page, half again the parse of a text PDF, and one page at a time after the
OCR of a scan, for pages mostly never looked at). Drawing user-supplied bytes happens in a
child process with limits (:func:`draw_in_child`, ``python -m ingest.page_images``): a
damaged or hostile page ends in :class:`PageDrawFailed`, never in the web process.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.errors import VanthuError
from ingest.sandbox import EXIT_MEMORY
from ingest.sandbox import caused_by_memory
from ingest.sandbox import die_with_parent
from ingest.sandbox import json_lines
from ingest.sandbox import kill_group
from ingest.sandbox import protocol_pipe
from ingest.sandbox import run_child
from ingest.sandbox import set_limits
from ingest.sandbox import start_child

PAGE_IMAGE_WIDTH = 800  # pixels: enough to read on the review page, small to store


@dataclass(frozen=True)
class PageSize:
    """A page's image size in pixels, and the page's in points (line boxes are in points)."""

    page: int  # 1-based
    width: int
    height: int
    points_width: float
    points_height: float


class PageDrawFailed(VanthuError):
    """The child drew no image; ``message`` says why in Vietnamese. 503: the cause may be
    the moment's (a busy machine), and a later request tries again."""

    code = "page_image_failed"
    status = 503


def pixels(points_width: float, points_height: float, width: int) -> tuple[int, int]:
    """The size of the bitmap PDFium draws at ``width`` pixels across (pypdfium2's own
    arithmetic: ``ceil(points × scale)``), so the recorded size is the drawn one."""
    scale = width / points_width
    return math.ceil(points_width * scale), math.ceil(points_height * scale)


def page_sizes(data: bytes, width: int = PAGE_IMAGE_WIDTH) -> list[PageSize]:
    """Each page's image size, from PDFium's page sizes (no page is drawn)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        sizes = []
        for index in range(len(document)):
            page = document[index]
            try:
                points_width, points_height = page.get_size()
            finally:
                page.close()
            image_width, image_height = pixels(points_width, points_height, width)
            sizes.append(
                PageSize(index + 1, image_width, image_height, points_width, points_height)
            )
        return sizes
    finally:
        document.close()


def draw_pages(data: bytes, pages: Sequence[int], width: int) -> Iterator[tuple[int, bytes]]:
    """``(page, PNG)`` for each of ``pages`` (1-based) in turn; pages the file lacks are
    left out. A page PDFium cannot draw raises when its turn comes."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for number in pages:
            if 1 <= number <= len(document):
                yield number, _draw(document[number - 1], width)
    finally:
        document.close()


def _draw(page: Any, width: int) -> bytes:
    try:
        points_width, _ = page.get_size()
        # Grey, and PNG's fastest compression: the images are for reading the page beside
        # its fields (colour at the default level took 5× the time and 3× the bytes;
        # optimize=True: 2 % smaller for ~10× the time).
        bitmap = page.render(scale=width / points_width, grayscale=True)
        image = bitmap.to_pil()
        bitmap.close()
    finally:
        page.close()
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


# -- the parent side ----------------------------------------------------------------------


def draw_in_child(
    content: bytes,
    pages: Sequence[int],
    *,
    width: int = PAGE_IMAGE_WIDTH,
    memory_mb: int,
    timeout: float,
) -> dict[int, bytes]:
    """Draw ``pages`` of the PDF ``content`` in a limited child process.

    Raises:
        PageDrawFailed: the child could not draw the first page asked (damaged file), ran
            out of memory or time, or crashed; the message says which, in Vietnamese.
    """
    with tempfile.TemporaryDirectory(prefix="vanthu-page-") as folder:
        source = Path(folder) / "input.pdf"
        source.write_bytes(content)
        options = {
            "path": str(source),
            "pages": list(pages),
            "width": width,
            "memory_mb": memory_mb,
            "cpu_seconds": max(1, math.ceil(timeout)),
            "parent_pid": os.getpid(),
        }
        with open(Path(folder) / "stderr.txt", "wb") as errors:
            process = start_child("ingest.page_images", json.dumps(options), stderr=errors)
            try:
                images = _collect(process, timeout)
            finally:
                kill_group(process)
    if images is None:
        raise PageDrawFailed(_crash_message(process.returncode))
    if not pages or pages[0] not in images:
        raise PageDrawFailed(DAMAGED)
    return images


DAMAGED = (
    "Không vẽ được ảnh của trang này: tệp có thể bị hỏng. Các trường đã đọc vẫn dùng được; "
    "hãy tải tệp gốc về để xem trang."
)


def _collect(process: Any, timeout: float) -> dict[int, bytes] | None:
    """The images the child wrote, or None when it ended without its final line."""
    images: dict[int, bytes] = {}
    try:
        for message in json_lines(process, time.monotonic() + timeout):
            if not isinstance(message, dict):
                return None
            if "image" in message:
                images[int(message["image"]["page"])] = base64.b64decode(message["image"]["png"])
            elif "error" in message:
                raise PageDrawFailed(DAMAGED)
            elif "done" in message:
                process.wait()
                return images if process.returncode == 0 else None
    except TimeoutError:
        raise PageDrawFailed(
            f"Vẽ ảnh trang quá thời gian cho phép ({timeout:g} giây) nên đã bị dừng. "
            "Hãy thử tải lại trang sau ít phút, hoặc tải tệp gốc về để xem."
        ) from None
    return None


def _crash_message(returncode: int | None) -> str:
    if returncode in (EXIT_MEMORY, -signal.SIGKILL) or (returncode or 0) < 0:
        return (
            "Vẽ ảnh trang cần nhiều bộ nhớ hơn giới hạn cho phép nên đã bị dừng. Tệp có thể "
            "bị hỏng hoặc chứa ảnh quá lớn; hãy tải tệp gốc về để xem."
        )
    return DAMAGED


# -- the child ----------------------------------------------------------------------------


def _child_main(argv: list[str]) -> int:
    """Entry point of the child: draw the pages asked, one JSON line each."""
    options = json.loads(argv[0])
    die_with_parent(int(options.get("parent_pid") or 0))
    pipe = protocol_pipe()

    def emit(message: dict[str, Any]) -> None:
        pipe.write(json.dumps(message).encode("ascii") + b"\n")

    # Imported before the limits, so that the limits measure the file.
    import PIL.PngImagePlugin  # noqa: F401
    import pypdfium2  # noqa: F401

    set_limits(
        memory_bytes=int(options["memory_mb"]) << 20, cpu_seconds=int(options["cpu_seconds"])
    )
    drawn = 0
    try:
        data = Path(options["path"]).read_bytes()
        for number, png in draw_pages(data, options["pages"], int(options["width"])):
            emit({"image": {"page": number, "png": base64.b64encode(png).decode("ascii")}})
            drawn += 1
    except Exception as exc:
        if caused_by_memory(exc):
            os._exit(EXIT_MEMORY)  # reporting might need memory too: the exit code says it
        if not drawn:  # the page asked for (the others are only drawn ahead)
            emit({"error": type(exc).__name__})
            return 0
    emit({"done": True})
    return 0


if __name__ == "__main__":
    run_child(_child_main)
