"""Reading uploaded plans (văn bản đến) in a sandboxed child process.

The worker runs jobs in its own process (``SimpleWorker``, to keep LibreOffice warm), so a
hostile or huge upload must never be parsed there: a PDF bomb would take the worker down
with it. :func:`parse_incoming` starts ``python -m worker.jobs.plans`` as a child with an
address-space limit (``INGEST_MEMORY_MB``, inherited by the OCR and LibreOffice programs it
starts) and a wall-clock limit (``INGEST_TIMEOUT``, after which the child's whole process
group is killed). The child reports progress, page sizes and the result as JSON lines on
a pipe (the page images are drawn when first shown: :mod:`ingest.page_images`); anything
else it does (crash, kill, silence) marks the upload failed with a Vietnamese reason while
the worker carries on. The child-process pieces (limits, dying with the worker, killing
the group, reading the pipe) are shared with the template renderer in
:mod:`worker.sandbox`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import signal
import subprocess
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

from ingest.page_images import PAGE_IMAGE_WIDTH
from ingest.page_images import page_sizes
from worker.jobs.signatures import verify_upload
from worker.sandbox import EXIT_MEMORY
from worker.sandbox import ChildFailed
from worker.sandbox import caused_by_memory
from worker.sandbox import die_with_parent
from worker.sandbox import json_lines
from worker.sandbox import kill_group
from worker.sandbox import protocol_pipe
from worker.sandbox import run_child
from worker.sandbox import set_limits
from worker.sandbox import start_child

if TYPE_CHECKING:
    from services.parsed_files import Claim

__all__ = ["parse_incoming"]

log = logging.getLogger(__name__)


@dataclass
class PageImage:
    """A page's image as the reading records it: its size (drawn when first shown)."""

    page: int
    png: bytes | None
    width: int
    height: int
    points_width: float
    points_height: float


@dataclass
class ChildOutcome:
    result: dict[str, Any]
    images: list[PageImage] = field(default_factory=list)


# -- the job ------------------------------------------------------------------------------


def parse_incoming(progress: Callable[..., None], *, incoming_id: int) -> dict[str, Any]:
    """Parse upload ``incoming_id`` and store fields and page sizes (images are drawn
    when first shown).

    The bytes are read once across organizations (:mod:`services.parsed_files`): this job
    copies a stored reading of the same bytes, waits for another job that is reading them
    now (showing its progress), or reads them itself in a child process and stores the
    reading for the others.
    """
    from flask import current_app

    from services import parsed_files as cache
    from services.plans import parse_results
    from storage.db import get_db
    from storage.models import IncomingDocument
    from worker.errors import Deferred
    from worker.errors import JobError

    database = get_db()
    with database.session() as session:
        incoming = session.get(IncomingDocument, incoming_id)
        if incoming is None:
            raise JobError("Văn bản đến không còn tồn tại.")
        digest = incoming.file.sha256
        unchecked = incoming.signatures_checked_at is None
        parse_results.mark_parsing(incoming)
    if unchecked:
        # Its digital signatures (issue 17), first, so that a file the parser refuses still
        # shows them; once, as a job put back to wait for another's reading comes here
        # again. Not part of the shared reading: the roots, so the result, are this
        # organization's; another school's check with the very same roots is reused.
        progress(0, 100, "Đang kiểm tra chữ ký số")
        verify_upload(incoming_id, reuse=True)
    config = current_app.config
    progress(0, 100, "Đang mở tệp")
    job_id = getattr(progress, "job_id", None) or f"direct-{incoming_id}"
    abandon = timedelta(seconds=float(config["JOB_ABANDON_SECONDS"]))
    turn = cache.claim(database, digest, reading_version(), job_id, abandon_after=abandon)
    if turn.turn is cache.Turn.WAIT:
        # Another job is reading these bytes (for another school): show its progress and
        # come back when the reading ends (the reader wakes the jobs waiting for it),
        # leaving this worker to other jobs (interactive ones included) rather than
        # sleeping here for the minutes a long scan takes. Parked, not polling: 499
        # schools looking every few seconds took the worker's turns from the reader's
        # own OCR page jobs. The long delay only covers a reader gone without waking.
        shown = _mirror(progress, turn.reader_job_id, None)
        parsed_id = turn.parsed_id
        raise Deferred(
            _PARKED_SECONDS,
            shown[1] if shown and shown[1] else "Đang chờ đọc tệp",
            then=lambda: cache.wake_if_ended(database, parsed_id, job_id, abandon_after=abandon),
        )
    if turn.turn is cache.Turn.FAILED:
        with database.session() as session:
            parse_results.mark_failed(session.get(IncomingDocument, incoming_id), turn.error)
        raise JobError(turn.error)
    read_here = turn.turn is cache.Turn.MINE
    ocr_here = _read_into_cache(progress, incoming_id, turn, job_id) if read_here else 0
    with database.session() as session:
        incoming = session.get_one(IncomingDocument, incoming_id)
        result, images = cache.reading(session, turn.parsed_id)
        parse_results.store_parse_result(
            session, incoming, cache.for_upload(result, incoming), images
        )
    progress(100, 100, "Đã đọc xong")
    return {
        "incoming_id": incoming_id,
        "pages": result.get("pages"),
        "read_here": read_here,
        "ocr_here": ocr_here,  # whole pages this job's reading OCR'd itself (not page jobs)
    }


# How soon a job waiting for another's reading looks again when the reading's end did
# not wake it (its reader gone), and how soon the tests look again after a wake (the
# sweeper enqueues a job when due, so SWEEP_SECONDS adds to both).
_PARKED_SECONDS = 600.0
_WAIT_SECONDS = 2.0


def reading_version() -> str:
    """The parser's fingerprint plus what this job adds to its reading (the page images'
    width, which their recorded sizes and line boxes are in, drawn now or later): a stored
    reading is reused only under the same one."""
    from ingest import parser_version

    return f"{parser_version()}-w{PAGE_IMAGE_WIDTH}"


def _mirror(
    progress: Callable[..., None], reader_job_id: str | None, shown: tuple[int, str] | None
) -> tuple[int, str] | None:
    """Show the reading job's progress as this job's (both read the same bytes: the
    figures and "Đang đọc trang 3/60" say nothing of the other organization)."""
    from storage.db import get_db
    from storage.models import Job

    with get_db().session() as session:
        job = session.get(Job, reader_job_id) if reader_job_id else None
        now = (job.progress, job.message) if job is not None else (0, "")
    if now != shown:
        progress(now[0], 100, now[1] or "Đang chờ đọc tệp")
    return now


def _read_into_cache(
    progress: Callable[..., None], incoming_id: int, turn: Claim, job_id: str
) -> int:
    """Read the bytes of upload ``incoming_id`` in the sandboxed child and store the
    reading in the shared cache (or its failure, which the waiting jobs share); return
    how many whole pages the child OCR'd itself."""

    from services import parsed_files as cache
    from services.plans import parse_results
    from storage.db import get_db
    from storage.models import IncomingDocument
    from worker.errors import JobError
    from worker.jobs import ocr_split

    database = get_db()
    with database.session() as session:
        incoming = session.get_one(IncomingDocument, incoming_id)
        content, filename = incoming.file.content, incoming.file.original_name
        organization_id = incoming.organization_id
        digest = incoming.file.sha256

    def report(message: dict[str, Any]) -> None:
        if "progress" in message:
            done, total = message["progress"]
            progress(done, total, f"Đang đọc trang {done}/{total}")

    # Pages OCR'd by an earlier try of this job, or by the reader this job replaced.
    ocr_cache = load_ocr_pages(job_id)
    if turn.reader_job_id:
        ocr_cache = {**load_ocr_pages(turn.reader_job_id), **ocr_cache}
    # A long scan's pages are OCR'd by page jobs first, this job deferred meanwhile (a
    # Deferred passes up to the runner); the reading then OCRs none of them again.
    try:
        spread_pages = ocr_split.spread(
            progress, job_id, content, filename, organization_id, incoming_id
        )
    except JobError as exc:
        cache.fail(database, turn.parsed_id, job_id, exc.message)
        with database.session() as session:
            parse_results.mark_failed(session.get(IncomingDocument, incoming_id), exc.message)
        cache.wake_waiting(database, digest)
        raise
    ocr_cache = {**spread_pages, **ocr_cache}
    fresh: list[str] = []  # pages the child OCRs now

    def on_ocr_page(name: str, tsv: str) -> None:
        keep_ocr_page(job_id, name, tsv)
        fresh.append(name)

    try:
        outcome = run_parser_child(
            content,
            filename,
            **child_limits(),
            on_message=report,
            ocr_cache=ocr_cache,
            on_ocr_page=on_ocr_page,
        )
    except ChildFailed as exc:
        cache.fail(database, turn.parsed_id, job_id, exc.message)
        with database.session() as session:
            parse_results.mark_failed(session.get(IncomingDocument, incoming_id), exc.message)
        cache.wake_waiting(database, digest)
        raise JobError(exc.message) from exc
    except Exception:
        # The reading stays claimed by this job: once the job is no longer running, a
        # waiting job takes it over (or this job's own retry does): woken to look.
        with database.session() as session:
            parse_results.mark_failed(
                session.get(IncomingDocument, incoming_id),
                "Lỗi hệ thống khi đọc văn bản; hãy thử đọc lại hoặc báo quản trị.",
            )
        cache.wake_waiting(database, digest)
        raise
    cache.finish(
        database,
        turn.parsed_id,
        job_id,
        outcome.result,
        [
            (i.page, i.png, i.width, i.height, i.points_width, i.points_height)
            for i in outcome.images
        ],
    )
    cache.wake_waiting(database, digest)
    return sum(1 for name in fresh if _WHOLE_PAGE.search(name))


# A cache name of a whole page ("<sha>-p3-200-vie-…"), not of a part re-read on its own.
_WHOLE_PAGE = re.compile(r"-p\d+-\d+-")


# -- pages already OCR'd, kept on the job's own row ---------------------------------------
#
# A retry of a parse (worker killed, timeout, database outage) must not OCR again the pages
# an earlier try finished: OCR is most of the time spent on a scan. Files live in the
# database in this product and workers share no disk, so a cache folder on one machine
# would miss whenever the retry runs on another; the pages are kept instead on the job's
# own row (``jobs.result["ocr_pages"]``, zlib-compressed TSV, a few kB a page), written as
# each page finishes. The row is the job's, so the pages go when the job is done (its
# result replaces them) and no table or migration is needed.

_CACHE_NAME = re.compile(r"[0-9a-f]{64}-p\d+[\w-]*\.tsv")
OCR_KEY = "ocr_pages"  # where a job row keeps its OCR'd pages


def load_ocr_pages(job_id: str) -> dict[str, str]:
    """The pages an earlier try of job ``job_id`` OCR'd: cache name → TSV."""
    return unpack_ocr_pages(stored_ocr_pages(job_id))


def stored_ocr_pages(job_id: str) -> dict[str, str]:
    """The pages kept on job ``job_id``'s row, as kept (cache name → compressed TSV)."""
    from storage.db import get_db
    from storage.models import Job

    with get_db().session() as session:
        job = session.get(Job, job_id)
        return dict((job.result or {}).get(OCR_KEY) or {}) if job is not None else {}


def unpack_ocr_pages(stored: dict[str, str]) -> dict[str, str]:
    """OCR'd pages as kept on a job's row (compressed) → cache name → TSV."""
    pages: dict[str, str] = {}
    for name, packed in stored.items():
        try:
            pages[name] = zlib.decompress(base64.b64decode(packed)).decode("utf-8")
        except (ValueError, zlib.error):
            continue  # a damaged entry is only a page to OCR again
    return pages


def keep_ocr_page(job_id: str, name: str, tsv: str) -> None:
    """Add one OCR'd page to job ``job_id``'s row (its own short transaction)."""
    from storage.db import get_db
    from storage.models import Job

    packed = base64.b64encode(zlib.compress(tsv.encode("utf-8"), 6)).decode("ascii")
    with get_db().session() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        result = dict(job.result or {})
        result[OCR_KEY] = {**(result.get(OCR_KEY) or {}), name: packed}
        job.result = result  # a new dict, so the JSON column is written


# -- the parent side of the sandbox -------------------------------------------------------


def child_limits() -> dict[str, Any]:
    """The parser child's limits from the app's settings, for :func:`run_parser_child`."""
    from flask import current_app

    config = current_app.config
    return {
        "memory_mb": int(config["INGEST_MEMORY_MB"]),
        "timeout": float(config["INGEST_TIMEOUT"]),
        "max_pages": int(config["INGEST_MAX_PAGES"]),
    }


def run_parser_child(
    content: bytes,
    filename: str,
    *,
    memory_mb: int,
    timeout: float,
    max_pages: int,
    on_message: Callable[[dict[str, Any]], None] | None = None,
    image_width: int = PAGE_IMAGE_WIDTH,
    ocr_cache: dict[str, str] | None = None,
    on_ocr_page: Callable[[str, str], None] | None = None,
    mode: str = "parse",
    requests: list[dict[str, Any]] | None = None,
    at_least: int = 0,
) -> ChildOutcome:
    """Parse ``content`` in a limited child process.

    ``ocr_cache`` holds pages OCR'd by an earlier try (cache file name → Tesseract TSV):
    they are given to the child, which does not OCR them again. Each page the child OCRs
    is passed to ``on_ocr_page`` as soon as it is done, so that a try that dies later
    (timeout, worker killed) still leaves its pages for the next one.

    ``mode`` "plan" only lists the pages to OCR (``result["plan"]``); "ocr" OCRs the pages
    ``requests`` (from a plan) for :mod:`worker.jobs.ocr_split` (``result["unread"]``).

    Raises:
        ChildFailed: the parser refused the file, or the child crashed, ran out of memory or
            time; the message says which, in Vietnamese.
    """
    with tempfile.TemporaryDirectory(prefix="vanthu-ingest-") as folder:
        source = Path(folder) / "input.bin"
        source.write_bytes(content)
        cache_dir = Path(folder) / "ocr"
        cache_dir.mkdir()
        for name, tsv in (ocr_cache or {}).items():
            if _CACHE_NAME.fullmatch(name):
                (cache_dir / name).write_text(tsv, encoding="utf-8")
        kept = {path.name for path in cache_dir.iterdir()}

        def collect_pages(message: dict[str, Any] | None = None) -> None:
            if message is not None and on_message is not None:
                on_message(message)
            if on_ocr_page is None:
                return
            for path in sorted(cache_dir.glob("*.tsv")):
                if path.name not in kept:
                    kept.add(path.name)
                    on_ocr_page(path.name, path.read_text(encoding="utf-8"))

        options = {
            "path": str(source),
            "filename": filename,
            "memory_mb": memory_mb,
            "max_pages": max_pages,
            "ocr_timeout": max(5.0, min(60.0, timeout / 2)),
            "convert_timeout": max(5.0, timeout * 0.8),
            "image_width": image_width,
            "parent_pid": os.getpid(),
            "ocr_cache_dir": str(cache_dir),
            "mode": mode,
            "requests": requests or [],
            "at_least": at_least,
        }
        with open(Path(folder) / "stderr.txt", "wb") as errors:
            # Its own process group: tesseract and soffice die with it.
            process = start_child("worker.jobs.plans", json.dumps(options), stderr=errors)
            try:
                outcome = _collect(process, timeout, collect_pages)
            finally:
                kill_group(process)
                collect_pages()
        if outcome is None:
            tail = (Path(folder) / "stderr.txt").read_bytes()[-2000:].decode("utf-8", "replace")
            log.warning("parser child exited %s: %s", process.returncode, tail)
            raise ChildFailed(_crash_message(process.returncode, memory_mb))
        return outcome


def _collect(
    process: subprocess.Popen[bytes],
    timeout: float,
    on_message: Callable[[dict[str, Any]], None] | None,
) -> ChildOutcome | None:
    """Read the child's JSON lines until it ends; None when it ended without a result."""
    images: list[PageImage] = []
    result: dict[str, Any] | None = None
    try:
        for message in json_lines(process, time.monotonic() + timeout):
            if not isinstance(message, dict):
                return None  # garbled output: treated as a crash
            if "error" in message:
                raise ChildFailed(message["error"])
            if "image" in message:
                images.append(_page_image(message["image"]))
            elif "result" in message:
                result = message["result"]
            elif on_message is not None:
                on_message(message)
    except TimeoutError:
        raise ChildFailed(
            f"Đọc văn bản quá thời gian cho phép ({timeout:g} giây) nên đã bị dừng. "
            "Tệp có thể quá dài hoặc là bản quét chất lượng thấp; hãy thử tệp khác "
            "hoặc dán nội dung dạng văn bản."
        ) from None
    process.wait()
    if result is None or process.returncode != 0:
        return None
    return ChildOutcome(result, images)


def _page_image(data: dict[str, Any]) -> PageImage:
    return PageImage(
        page=int(data["page"]),
        png=base64.b64decode(data["png"]) if data.get("png") else None,
        width=int(data["width"]),
        height=int(data["height"]),
        points_width=float(data["points_width"]),
        points_height=float(data["points_height"]),
    )


def _crash_message(returncode: int | None, memory_mb: int) -> str:
    memory = (
        f"Đọc văn bản cần nhiều bộ nhớ hơn giới hạn cho phép ({memory_mb} MB) nên đã bị "
        "dừng. Tệp có thể bị hỏng hoặc chứa ảnh quá lớn."
    )
    if returncode in (EXIT_MEMORY, -signal.SIGKILL):
        return memory
    if returncode is not None and returncode < 0:
        # Under an address-space limit, C libraries (PDFium, lxml, the interpreter itself)
        # abort or crash when an allocation fails: almost always the memory limit.
        return (
            f"Chương trình đọc văn bản bị dừng đột ngột (tín hiệu {-returncode}), thường do "
            f"vượt giới hạn bộ nhớ cho phép ({memory_mb} MB) khi đọc tệp quá lớn hoặc bị hỏng."
        )
    return (
        "Chương trình đọc văn bản dừng bất thường (mã thoát "
        f"{returncode}); tệp có thể bị hỏng. Hãy thử lưu lại tệp thành PDF rồi tải lên lại."
    )


# -- the child ----------------------------------------------------------------------------


def _child_main(argv: list[str]) -> int:
    """Entry point of the child: parse one file and write JSON lines to the pipe."""
    options = json.loads(argv[0])
    # A worker SIGKILLed mid-parse must not leave its parser running on.
    die_with_parent(int(options.get("parent_pid") or 0))
    pipe = protocol_pipe()

    def emit(message: dict[str, Any]) -> None:
        pipe.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")

    # Import everything the parse needs before the limit, so the limit measures the file.
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    import ingest
    import ingest.docx_text  # noqa: F401
    import ingest.pdf_text  # noqa: F401
    import ingest.pipeline  # noqa: F401  (the package loads it on first use)
    import ingest.txt_text  # noqa: F401
    from ingest.errors import IngestError
    from ingest.limits import IngestLimits

    set_limits(memory_bytes=int(options["memory_mb"]) << 20)
    try:
        data = Path(options["path"]).read_bytes()
        limits = IngestLimits(
            max_pages=int(options["max_pages"]),
            ocr_timeout=float(options["ocr_timeout"]),
            convert_timeout=float(options["convert_timeout"]),
            ocr_cache_dir=options.get("ocr_cache_dir"),
        )
        if options.get("mode") in ("plan", "ocr"):
            emit({"result": _ocr_mode(options, data, limits, emit)})
            return 0
        result = ingest.parse_bytes(
            data,
            options["filename"],
            on_progress=lambda done, total: emit({"stage": "read", "progress": [done, total]}),
            limits=limits,
        )
        if result.get("kind") == "pdf":
            try:
                _emit_page_sizes(data, int(options["image_width"]), emit)
            except MemoryError:
                raise
            except Exception:  # PDFium refused what pdfplumber read: show text lines only
                pass
        emit({"result": result})
    except Exception as exc:
        if caused_by_memory(exc):  # also when a reader wrapped it as "file damaged"
            os._exit(EXIT_MEMORY)  # reporting might need memory too: the exit code says it
        if isinstance(exc, IngestError):
            emit({"error": exc.message})
        else:  # a parser bug must still end in a message, not a traceback
            emit({"error": f"Không đọc được tệp do lỗi của bộ đọc ({type(exc).__name__})."})
            raise
    return 0


def _ocr_mode(
    options: dict[str, Any], data: bytes, limits: Any, emit: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """The child's work for :mod:`worker.jobs.ocr_split`: list the pages of a PDF to OCR
    ("plan"; nothing for other files), or OCR the pages asked into the cache ("ocr")."""

    from ingest.detect import FileKind
    from ingest.detect import detect_kind
    from ingest.ocr_request import OcrRequest
    from ingest.pdf_text import ocr_into_cache
    from ingest.pdf_text import plan_ocr

    if options["mode"] == "plan":
        if detect_kind(data) is not FileKind.PDF:
            return {"plan": []}
        planned = plan_ocr(data, limits, at_least=int(options.get("at_least") or 0))
        return {"plan": [asdict(request) for request in planned]}
    requests = [OcrRequest(**request) for request in options["requests"]]
    done: list[int] = []

    def page_done(request: OcrRequest) -> None:
        done.append(request.page)
        emit({"stage": "ocr", "progress": [len(done), len(requests)]})

    return {"unread": ocr_into_cache(data, requests, limits, page_done)}


def _emit_page_sizes(data: bytes, width: int, emit: Callable[[dict[str, Any]], None]) -> None:
    """Each page's image size, without drawing it: the images are drawn when first shown
    (issue 15: drawing every page here took half again the parse of a text PDF)."""
    for size in page_sizes(data, width):
        emit({"image": asdict(size)})


if __name__ == "__main__":
    run_child(_child_main)
