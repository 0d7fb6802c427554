"""Checking uploaded files by their content (libmagic), never by their name.

Beside the file store (it was ``forms.uploads``, but it is no form): the views check what a
request brings, the services what they store and convert, and both sit above storage.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import magic

from domain.errors import VanthuError
from domain.text import display_filename
from domain.text import nfc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
RTF = "text/rtf"
# Older and OpenDocument formats most teachers still save in: kept as uploaded, and turned
# into a PDF by the worker (LibreOffice) for viewing on any phone.
CONVERTED_FOR_VIEWING: dict[str, str] = {DOC: "doc", XLS: "xls", ODT: "odt", ODS: "ods", RTF: "rtf"}
# What the worker's conversion job (worker.jobs.evidence) turns into a PDF: those, and a
# .docx văn bản kèm theo, whose PDF the organization signs (evidence .docx is not converted).
CONVERTED_TO_PDF: dict[str, str] = {**CONVERTED_FOR_VIEWING, DOCX: "docx"}
EVIDENCE_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    DOCX: "Word (.docx, .doc)",
    DOC: "Word (.docx, .doc)",
    XLSX: "Excel (.xlsx, .xls)",
    XLS: "Excel (.xlsx, .xls)",
    ODT: "OpenDocument (.odt, .ods)",
    ODS: "OpenDocument (.odt, .ods)",
    RTF: "RTF",
    "image/jpeg": "ảnh JPEG",
    "image/png": "ảnh PNG",
}
# What a refused file really is, in words a teacher knows (never "application/msword").
TYPE_NAMES: dict[str, str] = {
    "application/pdf": "tệp PDF",
    DOCX: "tệp Word (.docx)",
    DOC: "tệp Word cũ (.doc)",
    XLSX: "tệp Excel (.xlsx)",
    XLS: "tệp Excel cũ (.xls)",
    ODT: "văn bản OpenDocument (.odt)",
    ODS: "bảng tính OpenDocument (.ods)",
    RTF: "văn bản RTF",
    "image/jpeg": "ảnh JPEG",
    "image/png": "ảnh PNG",
    "image/gif": "ảnh GIF",
    "image/webp": "ảnh WebP",
    "image/heic": "ảnh HEIC của iPhone",
    "image/svg+xml": "ảnh SVG",
    "application/vnd.ms-powerpoint": "bài trình chiếu PowerPoint cũ (.ppt)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "bài trình chiếu PowerPoint (.pptx)"
    ),
    "application/zip": "tệp nén ZIP",
    "application/x-rar": "tệp nén RAR",
    "application/gzip": "tệp nén",
    "application/x-dosexec": "chương trình chạy được (.exe)",
    "application/x-executable": "chương trình chạy được",
    "text/html": "trang web (HTML)",
    "text/plain": "văn bản thuần (.txt)",
    "application/x-empty": "tệp rỗng",
}

# The extension a stored file is offered under follows its type by content, never the
# uploader's name: a PDF called "minh chứng.hta" or ".pdf.exe" is offered as ".pdf".
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    DOC: (".doc",),
    XLS: (".xls",),
    ODT: (".odt",),
    ODS: (".ods",),
    RTF: (".rtf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
_LOOKS_LIKE_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")
_MAX_CONTENT_TYPES = 1024 * 1024


class UploadRejected(VanthuError, ValueError):
    """An uploaded file is refused; the message is Vietnamese and names the file."""

    code = "invalid_input"


@dataclass(frozen=True)
class CheckedUpload:
    filename: str  # original name, NFC — metadata only
    mime_type: str
    content: bytes


def sniff(content: bytes) -> str:
    """The MIME type libmagic reads from the bytes themselves.

    A PDF may start with other bytes before ``%PDF-`` (e-signing tools, mail gateways);
    PDF readers accept the header anywhere in the first 1024 bytes, and so do we.
    """
    mime = magic.from_buffer(content[:65536], mime=True)
    if mime != "application/pdf" and re.search(rb"%PDF-[12]\.\d", content[: 1024 + 8]):
        return "application/pdf"
    return mime


def name_for_type(filename: str, mime: str) -> str:
    """``filename`` (made safe to show) with the extension of ``mime``: a wrong last
    extension is replaced ("x.hta", "x.pdf.exe" → "x.pdf"), a missing one added; a name
    whose last dot is not an extension ("Báo cáo T.10") keeps it. Unknown types: unchanged.
    """
    name = display_filename(filename)
    extensions = EXTENSIONS.get(mime)
    if not extensions or name.lower().endswith(extensions):
        return name
    stem = _LOOKS_LIKE_EXTENSION.sub("", name).rstrip(" .")
    if not stem.lower().endswith(extensions):
        stem = (stem or "tệp") + extensions[0]
    return display_filename(stem)


def has_macros(content: bytes) -> bool:
    """Whether an Office package carries VBA macros (a .docm or .xlsm renamed .docx/.xlsx):
    a ``vbaProject.bin`` part or a macro-enabled content type."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = [n.lower() for n in package.namelist()]
            if any(n.endswith(("vbaproject.bin", "vbadata.xml")) for n in names):
                return True
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES:
                return True  # no real package needs that much: refuse rather than read it
            return b"macroenabled" in package.read(info).lower()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError):
        return False


def type_name(mime: str) -> str:
    """What a file of type ``mime`` is, in Vietnamese words ("tệp Word cũ (.doc)")."""
    if mime in TYPE_NAMES:
        return TYPE_NAMES[mime]
    if mime.startswith("image/"):
        return "một loại ảnh khác"
    if mime.startswith(("video/", "audio/")):
        return "tệp âm thanh hoặc video"
    return "một loại tệp khác"


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names (UTF-16LE in the compound file's directory) of VBA macros in .doc / .xls.
_OLE_MACRO_NAMES = tuple(n.encode("utf-16-le") for n in ("Macros", "_VBA_PROJECT", "VBA"))


def has_legacy_macros(content: bytes) -> bool:
    """Whether a .doc/.xls (OLE compound file) carries a VBA project, or an OpenDocument
    file Basic or script macros."""
    if content.startswith(_OLE_MAGIC):
        return any(name in content for name in _OLE_MACRO_NAMES)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return any(n.lower().startswith(("basic/", "scripts/")) for n in package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return False


def check_upload(filename: str, content: bytes, allowed: dict[str, str]) -> CheckedUpload:
    """Accept ``content`` only if its real type is one of ``allowed``; the name it is
    kept under gets that type's extension.

    Raises:
        UploadRejected: empty file, a type (by content) that is not allowed — e.g. a
            program renamed ``.pdf`` — or a Word/Excel file with macros.
    """
    name = nfc(filename).strip() or "tệp không tên"
    if not content:
        raise UploadRejected(f"Tệp “{name}” rỗng.")
    mime = sniff(content)
    if (
        "macroenabled" in mime.lower()
        or (mime in (DOCX, XLSX) and has_macros(content))
        or (mime in CONVERTED_FOR_VIEWING and has_legacy_macros(content))
    ):
        raise UploadRejected(
            f"Tệp “{name}” có chứa macro (tệp .docm/.xlsm), có thể chạy mã độc khi mở nên "
            "không được nhận. Hãy lưu lại thành tệp .docx/.xlsx thông thường (Tệp → Lưu "
            "thành) rồi gửi lại."
        )
    if mime not in allowed:
        kinds = ", ".join(dict.fromkeys(allowed.values()))
        raise UploadRejected(
            f"Tệp “{name}” không phải {kinds}: nội dung thực là {type_name(mime)}. Hãy lưu "
            "hoặc xuất lại thành một trong các loại được nhận (ví dụ Tệp → Lưu thành → PDF) "
            "rồi gửi lại; hệ thống kiểm tra nội dung tệp, không dựa vào phần đuôi tên tệp."
        )
    return CheckedUpload(name_for_type(name, mime), mime, content)
