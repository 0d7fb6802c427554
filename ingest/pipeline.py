"""The parser's entry points (re-exported by :mod:`ingest`, which loads this module only
when one of them is first used: a process that imports a light part of the package, such
as the web's page-image child, does not load the whole parser)."""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from domain.text import nfc
from ingest.confidence import field_confidence
from ingest.detect import FileKind
from ingest.detect import detect_kind
from ingest.errors import CorruptFileError
from ingest.errors import EmptyFileError
from ingest.errors import IngestError
from ingest.errors import TooLargeError
from ingest.extract import extract
from ingest.limits import IngestLimits
from ingest.reading import DocLine
from ingest.reading import build_document

__all__ = ["IngestError", "IngestLimits", "parse_bytes", "parse_path", "parser_version"]

Progress = Callable[[int, int], None]


def parse_bytes(
    data: bytes,
    filename: str = "",
    *,
    on_progress: Progress | None = None,
    limits: IngestLimits | None = None,
) -> dict:
    """Parse an uploaded plan and return the extracted fields.

    Args:
        data: the file's bytes; its type is told from the content, not from ``filename``.
        filename: the original name, only echoed in the result.
        on_progress: called with ``(pages_done, pages_total)`` while reading.
        limits: size, page and time limits; defaults to :class:`IngestLimits()`.

    Returns:
        The contract fields plus ``sources``, ``pages``, ``ocr``, ``encoding``, ``kind``
        and ``text``.

    Raises:
        IngestError: a subclass with a Vietnamese ``message`` for any bad input.
    """
    limits = limits or IngestLimits()
    if len(data) > limits.max_bytes:
        raise TooLargeError(
            f"Tệp dung lượng {len(data) / 1048576:.1f} MB, vượt giới hạn "
            f"{limits.max_bytes / 1048576:.0f} MB."
        )
    kind = detect_kind(data)
    ocr = False
    pages = 1
    signatures: list[dict[str, Any]] = []
    ocr_pages: list[dict[str, int]] = []
    unread_pages: list[int] = []
    if kind is FileKind.PDF:
        from ingest.pdf_text import read_pdf

        pdf = read_pdf(data, limits, on_progress)
        lines, pages, ocr = pdf.lines, pdf.pages, bool(pdf.ocr_pages)
        signatures = pdf.signatures
        ocr_pages = [{"page": p, "dpi": pdf.ocr_dpi.get(p, 0)} for p in pdf.ocr_pages]
        unread_pages = sorted(pdf.unread_pages)
        legacy = {k: v for k, v in pdf.encodings.items() if k != "unicode"}
        encoding = max(legacy, key=lambda kind: legacy[kind]) if legacy else "unicode"
        mode = "pdf"
    elif kind in (FileKind.DOCX, FileKind.DOC):
        from ingest.docx_text import read_docx

        if kind is FileKind.DOC:
            from ingest.doc_convert import convert_doc_to_docx

            data = convert_doc_to_docx(data, limits.convert_timeout)
        lines, encoding = read_docx(data, limits)
        mode = "docx"
        if on_progress:
            on_progress(1, 1)
    else:
        from ingest.txt_text import read_text

        lines, encoding = read_text(data)
        mode = "text"
        if on_progress:
            on_progress(1, 1)
    if not any(line.text.strip() for line in lines):
        if kind is FileKind.PDF:
            raise CorruptFileError("PDF không có chữ nào đọc được (trang trắng hoặc ảnh hỏng).")
        raise EmptyFileError()
    document = build_document(lines, mode)
    result = extract(document)
    result["confidence"] = field_confidence(result, document, signatures)
    if unread_pages:
        result.setdefault("warnings", []).append(unread_warning(unread_pages))
    result.update(
        {
            "kind": str(kind),
            "filename": nfc(filename),
            "pages": pages,
            "ocr": ocr,
            "encoding": encoding,
            "signatures": signatures,
            "ocr_pages": ocr_pages,
            "unread_pages": unread_pages,
            "text": [
                {
                    "page": x.page,
                    "line": x.line,
                    "text": x.text,
                    "zone": x.zone,
                    "column": x.column,
                    **({"box": _line_box(x)} if mode == "pdf" else {}),
                }
                for x in document.lines
            ],
        }
    )
    return result


def unread_warning(pages: list[int]) -> str:
    """The review page's warning for scanned pages whose OCR ran out of time."""
    listed = ", ".join(str(p) for p in pages)
    return (
        f"Trang {listed} là ảnh quét nhưng nhận dạng chữ (OCR) quá thời gian nên chưa đọc được; "
        "bấm Đọc lại để thử lại khi máy bớt bận, hoặc đối chiếu với ảnh trang."
    )


@functools.cache
def parser_version() -> str:
    """A short fingerprint of this parser: its source files and the Tesseract it runs.

    Results kept by it (the parse cache shared across organizations) are valid only for
    the same fingerprint, so any change to the parser's code, or another Tesseract, reads
    the files again; no version number to remember to bump.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_tesseract_version().encode())
    return digest.hexdigest()[:32]


def _tesseract_version() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        return "no-tesseract"
    try:
        shown = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "tesseract-unknown"
    lines = (shown.stdout or shown.stderr).splitlines()
    return lines[0].strip() if lines else "tesseract-unknown"


def _line_box(line: DocLine) -> list[float] | None:
    """``[x0, top, x1, bottom]`` of a PDF line in points, for highlighting on page images.

    A header or closing line split into two columns gets the box of its own segments only.
    """
    raw = line.raw
    if raw is None or not raw.segments:
        return None
    segments = [s for s in raw.segments if s.text and s.text in line.text] or raw.segments
    bottom = float(raw.meta.get("bottom") or raw.top + (raw.size or 12.0))
    x0 = min(s.x0 for s in segments)
    x1 = max(s.x1 for s in segments)
    return [round(x0, 1), round(raw.top, 1), round(x1, 1), round(bottom, 1)]


def parse_path(path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """Read ``path`` and parse it with :func:`parse_bytes` (same keyword arguments).

    Raises:
        IngestError: for bad input, including a file that cannot be read.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError(f"Không tìm thấy tệp: {path}") from exc
    except OSError as exc:
        raise IngestError(f"Không đọc được tệp: {path}") from exc
    return parse_bytes(data, path.name, **kwargs)
