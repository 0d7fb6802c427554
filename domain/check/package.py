"""Open a .docx safely with the standard library (zipfile + ElementTree).

A .docx is a ZIP archive of XML parts. Uploaded files are untrusted, so the archive goes
through the shared guard (:mod:`domain.archive`: members, total and per-part size and
compression ratio bounded by the bytes really decompressed, not the declared sizes) before
any part is parsed; XML with a DOCTYPE is refused (entity expansion; WordprocessingML never
needs one), and a legacy .doc is recognised and named.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from dataclasses import field

from domain import archive as archive_guard
from domain.check.errors import DocxError

MAX_INPUT_BYTES = 30 * 1024 * 1024
LIMITS = archive_guard.ArchiveLimits(
    max_members=5000,
    max_total_bytes=50 * 1024 * 1024,
    max_member_bytes=20 * 1024 * 1024,
    max_ratio=200,  # real .docx XML compresses about 5–20×; bombs reach thousands
)

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
W = "{" + NS["w"] + "}"
R = "{" + NS["r"] + "}"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)


@dataclass
class DocxPackage:
    """The parts of an opened .docx that the checker reads.

    Attributes:
        document: root of the main document part.
        document_path: its path inside the archive (normally ``word/document.xml``).
        styles: root of ``styles.xml`` (``None`` if absent).
        theme: root of the theme part (``None`` if absent).
        settings: root of ``settings.xml`` (``None`` if absent).
        numbering: root of ``numbering.xml`` (``None`` if absent).
        app: root of ``docProps/app.xml`` (``None`` if absent).
        parts_by_rid: header/footer roots keyed by relationship id of the document part.
    """

    document: ET.Element
    document_path: str
    styles: ET.Element | None = None
    theme: ET.Element | None = None
    settings: ET.Element | None = None
    numbering: ET.Element | None = None
    app: ET.Element | None = None
    parts_by_rid: dict[str, ET.Element] = field(default_factory=dict)


def open_docx(data: bytes) -> DocxPackage:
    """Open ``data`` as a .docx and parse the parts the checker needs.

    Raises:
        DocxError: if the input is not a .docx, is damaged, or exceeds the safety limits.
    """
    if not data:
        raise DocxError("Tệp rỗng, không có nội dung để kiểm tra.")
    if len(data) > MAX_INPUT_BYTES:
        raise DocxError("Tệp quá lớn để kiểm tra (giới hạn 30 MB).")
    if data.startswith(_OLE_MAGIC):
        raise DocxError(
            "Tệp là định dạng Word 97-2003 (.doc) hoặc đã đặt mật khẩu; hãy lưu lại dưới "
            "dạng .docx rồi kiểm tra."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocxError(
            "Tệp không phải tài liệu Word .docx (không đọc được dạng nén ZIP)."
        ) from exc
    with archive:
        _check_limits(archive, len(data))
        return _read_package(archive)


_REFUSED = {
    archive_guard.TOO_MANY_MEMBERS: "Tệp .docx có quá nhiều thành phần, từ chối mở để an toàn.",
    archive_guard.TOO_LARGE: "Tệp .docx khi giải nén quá lớn (trên 50 MB), từ chối mở để an toàn.",
    archive_guard.PART_TOO_LARGE: "Phần {member} của tệp .docx quá lớn, từ chối mở để an toàn.",
    archive_guard.RATIO: "Tệp .docx có tỷ lệ nén bất thường (nghi “bom nén”), từ chối mở.",
    archive_guard.DAMAGED: "Tệp .docx bị hỏng (không giải nén được phần {member}).",
}


def _check_limits(archive: zipfile.ZipFile, archive_bytes: int) -> None:
    try:
        for _member, _chunk in archive_guard.read_members(
            archive, LIMITS, archive_bytes=archive_bytes
        ):
            pass
    except archive_guard.ArchiveRefused as refused:
        raise DocxError(_REFUSED[refused.kind].format(member=refused.member)) from refused


def _read_package(archive: zipfile.ZipFile) -> DocxPackage:
    names = set(archive.namelist())
    document_path = _main_part_path(archive, names)
    if document_path not in names:
        raise DocxError("Tệp không phải tài liệu Word .docx (thiếu phần word/document.xml).")
    document = _parse(archive, document_path)
    if document is None or document.tag != f"{W}document":
        raise DocxError("Tệp .docx không có phần nội dung văn bản hợp lệ.")
    package = DocxPackage(document=document, document_path=document_path)
    base = posixpath.dirname(document_path)
    rels = _relationships(archive, names, document_path)
    for rid, (rel_type, target) in rels.items():
        path = posixpath.normpath(posixpath.join(base, target)) if target[:1] != "/" else target[1:]
        kind = rel_type.rsplit("/", 1)[-1]
        if path not in names:
            continue
        if kind in ("header", "footer"):
            root = _parse(archive, path)
            if root is not None:
                package.parts_by_rid[rid] = root
        elif kind == "styles":
            package.styles = _parse(archive, path)
        elif kind == "theme":
            package.theme = _parse(archive, path)
        elif kind == "settings":
            package.settings = _parse(archive, path)
        elif kind == "numbering":
            package.numbering = _parse(archive, path)
    # Fallbacks for packages whose relationships are incomplete (hand-made or old tools).
    for attr, path in (
        ("styles", f"{base}/styles.xml"),
        ("theme", f"{base}/theme/theme1.xml"),
        ("settings", f"{base}/settings.xml"),
        ("numbering", f"{base}/numbering.xml"),
    ):
        if getattr(package, attr) is None and path in names:
            setattr(package, attr, _parse(archive, path))
    if "docProps/app.xml" in names:
        package.app = _parse(archive, "docProps/app.xml")
    return package


def _main_part_path(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "_rels/.rels" in names:
        root = _parse(archive, "_rels/.rels")
        if root is not None:
            for rel in root.iter("{" + NS["pr"] + "}Relationship"):
                if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
                    return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _relationships(
    archive: zipfile.ZipFile, names: set[str], part_path: str
) -> dict[str, tuple[str, str]]:
    rels_path = posixpath.join(
        posixpath.dirname(part_path), "_rels", posixpath.basename(part_path) + ".rels"
    )
    if rels_path not in names:
        return {}
    root = _parse(archive, rels_path)
    if root is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for rel in root.iter("{" + NS["pr"] + "}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        found[rel.get("Id", "")] = (rel.get("Type", ""), rel.get("Target", ""))
    return found


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    # _check_limits has decompressed every part once within LIMITS: this read is bounded.
    raw = archive.read(name)
    if _DOCTYPE.search(raw):
        raise DocxError(f"Phần {name} có khai báo DOCTYPE/ENTITY không hợp lệ với .docx.")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise DocxError(f"Tệp .docx bị hỏng (phần {name} không phải XML hợp lệ).") from exc
