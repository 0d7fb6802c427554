"""Tell the kind of an upload from its bytes, never from its file name."""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

import magic

from ingest.errors import EmptyFileError
from ingest.errors import UnsupportedTypeError

_SNIFF_BYTES = 8192
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_MIMES = ("text/", "application/csv", "application/json")


class FileKind(StrEnum):
    """Input formats the parser reads."""

    PDF = "pdf"
    DOCX = "docx"
    DOC = "doc"
    TEXT = "txt"


def detect_kind(data: bytes) -> FileKind:
    """Return the format of ``data`` by content (libmagic plus a few signatures).

    Raises:
        EmptyFileError: if there are no bytes, or only white space.
        UnsupportedTypeError: for anything else (images, executables, spreadsheets, ...).
    """
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyFileError()
    head = data[:_SNIFF_BYTES]
    mime = magic.from_buffer(head, mime=True) or ""
    if mime == "application/pdf" or _PDF_HEADER.search(head[: 1024 + 8]):
        # Readers accept "%PDF-" anywhere in the first 1024 bytes (e-signed files often
        # carry a few bytes of their signing tool before it).
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return FileKind.DOCX
        raise UnsupportedTypeError()
    if head.startswith(_OLE_MAGIC):
        # Excel/PowerPoint are OLE too; libmagic names Word files application/msword.
        full_mime = magic.from_buffer(data[: 1 << 20], mime=True) or ""
        if full_mime in ("application/msword", "application/x-ole-storage", "application/CDFV2"):
            return FileKind.DOC
        raise UnsupportedTypeError()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or mime.startswith(_TEXT_MIMES):
        return FileKind.TEXT
    if mime == "application/octet-stream" and _looks_like_text(head):
        return FileKind.TEXT
    raise UnsupportedTypeError()


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "word/document.xml" in names


def _looks_like_text(head: bytes) -> bool:
    # 8-bit legacy Vietnamese (TCVN3, VNI, cp1258) can fool libmagic; accept it when the
    # sample has no control bytes other than white space.
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls == 0
