"""Evidence in older formats (.doc, .xls, .odt, .ods, .rtf) made viewable as a PDF.

Teachers' files are still mostly .doc and .xls, which a phone cannot open. The upload is
kept as it came; this job writes a PDF beside it, stored under an id derived from the
original's (:func:`services.submissions.preview_id`), so the page finds it with no extra
column and removing the original removes it too.

Word-like files go through the worker's warm LibreOffice (:func:`render.pdf.get_converter`:
a timeout, restarted after a crash). Spreadsheets, which that converter does not open, go
through a one-off ``soffice --convert-to pdf`` in a child of its own under the worker's
sandbox limits (:mod:`worker.sandbox`: address space, CPU seconds, file size, its process
group killed at the deadline).

The same job makes the PDF of a văn bản kèm theo uploaded as .docx/.doc/.odt
(:mod:`services.attachments`): that PDF is what the organization signs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from worker.sandbox import ChildFailed
from worker.sandbox import die_with_parent
from worker.sandbox import kill_group
from worker.sandbox import set_limits
from worker.sandbox import start_child

__all__ = ["convert_evidence"]


SPREADSHEETS = {"xls", "ods"}
CONVERT_TIMEOUT = 90  # seconds for one file (wall clock; CPU limit the same)
MEMORY_MB = 1024  # LibreOffice maps much more than it touches: as the plan parser's limit
MAX_PDF_BYTES = 50 * 1024 * 1024


def convert_evidence(progress: Any, *, file_id: str) -> dict[str, Any]:
    """Write the PDF of evidence file ``file_id``; ``{"pdf": id}`` of the stored PDF."""
    from services.submissions import preview_id
    from services.submissions import preview_name
    from storage.db import get_db
    from storage.files import save_file
    from storage.models import StoredFile
    from storage.uploads import CONVERTED_TO_PDF
    from worker.errors import JobError

    database = get_db()
    with database.session() as session:
        stored = session.get(StoredFile, file_id)
        if stored is None:
            raise JobError("Tệp minh chứng đã được gỡ; không cần chuyển sang PDF nữa.")
        if session.get(StoredFile, preview_id(file_id)) is not None:
            return {"pdf": preview_id(file_id)}
        ext = CONVERTED_TO_PDF.get(stored.mime_type)
        name, content = stored.original_name, stored.content
        organization_id, owner = stored.organization_id, stored.created_by_id
    if ext is None:
        raise JobError(f"Tệp “{name}” không cần chuyển sang PDF.")
    progress(1, 3, "Đang chuyển sang PDF để xem")
    try:
        pdf = to_pdf(content, ext)
    except ChildFailed as exc:
        raise JobError(
            f"Không chuyển được tệp “{name}” sang PDF để xem: {exc.message} Tệp gốc vẫn "
            "được giữ và tải về được."
        ) from exc
    progress(2, 3, "Đang lưu bản PDF")
    with database.session() as session:
        if session.get(StoredFile, file_id) is None:  # removed meanwhile: keep nothing
            return {"pdf": None}
        if session.get(StoredFile, preview_id(file_id)) is None:
            save_file(
                session,
                organization_id=organization_id,
                content=pdf,
                original_name=preview_name(name),
                mime_type="application/pdf",
                created_by_id=owner,
                file_id=preview_id(file_id),
                derived_from=file_id,
            )
    progress(3, 3, "Đã có bản PDF để xem")
    return {"pdf": preview_id(file_id)}


def to_pdf(content: bytes, ext: str) -> bytes:
    """The PDF of a .docx/.doc/.odt/.rtf (warm converter) or .xls/.ods (sandboxed child).

    Raises:
        ChildFailed: the file could not be converted; the message is Vietnamese.
    """
    if ext in SPREADSHEETS:
        return _spreadsheet_to_pdf(content, ext)
    from render.pdf import get_converter
    from render.pdf_errors import PdfConversionError

    try:
        return get_converter().convert(content, ext, "pdf", timeout=CONVERT_TIMEOUT)
    except PdfConversionError as exc:
        raise ChildFailed(str(exc)) from exc


# -- spreadsheets: a one-off LibreOffice in a limited child --------------------------------


def _spreadsheet_to_pdf(content: bytes, ext: str) -> bytes:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise ChildFailed("Máy chủ chưa cài LibreOffice.")
    with tempfile.TemporaryDirectory(prefix="vanthu-evidence-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{ext}"
        source.write_bytes(content)
        options = {
            "office": office,
            "folder": str(folder),
            "source": str(source),
            "parent_pid": os.getpid(),
        }
        with open(folder / "stderr.txt", "wb") as errors:
            process = start_child("worker.jobs.evidence", json.dumps(options), stderr=errors)
            try:
                deadline = time.monotonic() + CONVERT_TIMEOUT + 5
                while process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.1)
                if process.poll() is None:
                    raise ChildFailed("Chuyển đổi quá thời gian cho phép (tệp quá lớn?).")
            finally:
                kill_group(process)
        target = folder / "out" / "input.pdf"
        if not target.exists() or target.stat().st_size == 0:
            raise ChildFailed("Tệp bị hỏng hoặc không phải bảng tính Excel/OpenDocument.")
        return target.read_bytes()


def _child(options: dict[str, Any]) -> None:
    """In the child: limits first, then become LibreOffice converting one file."""
    die_with_parent(int(options["parent_pid"]))
    set_limits(
        memory_bytes=MEMORY_MB * 1024 * 1024,
        cpu_seconds=CONVERT_TIMEOUT,
        file_bytes=MAX_PDF_BYTES,
    )
    folder = Path(options["folder"])
    os.execv(
        options["office"],
        [
            options["office"],
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            options["source"],
        ],
    )


if __name__ == "__main__":  # pragma: no cover - runs in the child
    _child(json.loads(sys.argv[1]))
