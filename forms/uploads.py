"""Checking uploaded files by their content (libmagic), never by their name."""

from __future__ import annotations

import re
from dataclasses import dataclass

import magic

from domain.text import nfc

EVIDENCE_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadRejected(ValueError):
    """An uploaded file is refused; the message is Vietnamese and names the file."""


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


def check_upload(filename: str, content: bytes, allowed: dict[str, str]) -> CheckedUpload:
    """Accept ``content`` only if its real type is one of ``allowed``.

    Raises:
        UploadRejected: empty file, or a type (by content) that is not allowed — e.g. a
            program renamed ``.pdf``.
    """
    name = nfc(filename).strip() or "tệp không tên"
    if not content:
        raise UploadRejected(f"Tệp “{name}” rỗng.")
    mime = sniff(content)
    if mime not in allowed:
        kinds = ", ".join(sorted(set(allowed.values())))
        raise UploadRejected(
            f"Tệp “{name}” không phải {kinds} (nội dung thực là {mime}); hệ thống kiểm tra "
            "nội dung tệp, không dựa vào phần đuôi tên tệp."
        )
    return CheckedUpload(name, mime, content)
