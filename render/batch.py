"""Many documents of one template as one: rendered in one pass, converted by LibreOffice
once, then split again into one file each.

LibreOffice costs about 200 ms to convert one short document, but about 15 ms a page when
500 of them come as one file; rendering a template 500 times in the sandbox costs a child
process each. So a batch (the Giấy khen of a dossier) is rendered from a *batch template*:
the template's body inside ``{% for %}`` over the items, each item's variables set from
its own context, each item after the first starting a new section (so a new page with the
template's page setup). Every item's body is marked with XML comments, so the rendered
.docx splits back into one .docx per item (:func:`split_docx`, which also gives the merged
document without the marks); its PDF splits by page (:func:`split_pdf`).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import NamedTuple

import pypdfium2 as pdfium

from domain.text import nfc
from render.errors import RenderError
from render.preview import PDFIUM_LOCK

ITEMS = "batch_items"
_BEGIN = "<!--vanthu:item-->"
_END = "<!--vanthu:end-->"
_DOCUMENT = "word/document.xml"
_BODY = re.compile(r"(<w:body>)(.*)(<w:sectPr\b.*?</w:sectPr>)(\s*</w:body>)", re.DOTALL)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def batch_template(template: bytes, keys: Sequence[str]) -> bytes:
    """The template whose body repeats once per item of ``batch_items``.

    Args:
        template: The .docx template (docxtpl syntax) of one item.
        keys: The names of an item's variables (each set from the item's own context).

    Raises:
        RenderError: the template has no body with a final section, or a key is not a name.
    """
    bad = [key for key in keys if not _NAME.fullmatch(key)]
    if bad:
        raise RenderError("Mẫu văn bản có tên biến không hợp lệ.", detail=repr(bad))
    parts = _read(template)
    xml = parts[_DOCUMENT].decode("utf-8")
    found = _BODY.search(xml)
    if found is None:
        raise RenderError("Mẫu văn bản không có phần thân hợp lệ.", detail="no body/sectPr")
    start, body, section, end = found.groups()
    sets = "".join(f"{{% set {key} = batch_item['{key}'] %}}" for key in keys)
    # A paragraph carrying the page setup ends the section before each further item.
    separator = f"<w:p><w:pPr>{section}</w:pPr></w:p>"
    repeated = (
        f"{{% for batch_item in {ITEMS} %}}{sets}"
        f"{{% if not loop.first %}}{separator}{{% endif %}}"
        f"{_BEGIN}{body}{_END}{{% endfor %}}"
    )
    parts[_DOCUMENT] = (
        xml[: found.start()] + start + repeated + section + end + xml[found.end() :]
    ).encode("utf-8")
    return _write(parts)


def batch_context(contexts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The context of a batch template: the items, and the first item's variables for
    the parts outside the body (headers, footers)."""
    if not contexts:
        raise ValueError("a batch needs at least one item")
    return {**contexts[0], ITEMS: [dict(context) for context in contexts]}


def split_docx(merged: bytes) -> tuple[bytes, list[bytes]]:
    """Split a document rendered from :func:`batch_template`.

    Returns:
        The merged document without its item marks (:func:`unmark`), and one .docx per item
        (:func:`split_items`).
    """
    return unmark(merged), split_items(merged)


def unmark(merged: bytes) -> bytes:
    """A document rendered from :func:`batch_template` without its item marks."""
    parts = _read(merged)
    xml = parts[_DOCUMENT].decode("utf-8")
    parts[_DOCUMENT] = xml.replace(_BEGIN, "").replace(_END, "").encode("utf-8")
    return _write(parts)


def split_items(merged: bytes) -> list[bytes]:
    """One .docx per item of a document rendered from :func:`batch_template`."""
    parts = _read(merged)
    xml = parts[_DOCUMENT].decode("utf-8")
    first, last = xml.find(_BEGIN), xml.rfind(_END)
    if first < 0 or last < 0:
        raise RenderError("Tệp gộp không có dấu tách từng văn bản.", detail="no markers")
    head, tail = xml[:first], xml[last + len(_END) :]
    bodies = re.findall(re.escape(_BEGIN) + "(.*?)" + re.escape(_END), xml, flags=re.DOTALL)
    # Every part but the body is the same in each file: compressed once, copied as is.
    shared = {name: _Entry.of(name, content) for name, content in parts.items()}
    documents = []
    for body in bodies:
        content = (head + body + tail).encode("utf-8")
        shared[_DOCUMENT] = _Entry.of(_DOCUMENT, content)
        documents.append(_zip_entries(list(shared.values())))
    return documents


def split_pdf(pdf: bytes, names: Sequence[str]) -> list[bytes] | None:
    """One PDF per item of a batch's PDF, item ``i`` named ``names[i]``.

    One page per item when the page count is the item count; otherwise each item starts on
    the first page after the previous item's that shows its name. None when the items
    cannot be told apart that way.
    """
    with PDFIUM_LOCK:
        source = pdfium.PdfDocument(pdf)
        try:
            count = len(source)
            starts = list(range(count)) if count == len(names) else _starts(source, names)
            if starts is None:
                return None
            ends = [*starts[1:], count]
            files = []
            for start, stop in zip(starts, ends, strict=True):
                single = pdfium.PdfDocument.new()
                try:
                    single.import_pages(source, list(range(start, stop)))
                    out = io.BytesIO()
                    single.save(out)
                    files.append(out.getvalue())
                finally:
                    single.close()
            return files
        finally:
            source.close()


def _starts(source: pdfium.PdfDocument, names: Sequence[str]) -> list[int] | None:
    texts = []
    for index in range(len(source)):
        page = source[index]
        text_page = page.get_textpage()
        try:
            texts.append(" ".join(nfc(text_page.get_text_range()).split()))
        finally:
            text_page.close()
            page.close()
    starts: list[int] = []
    page = 0
    for name in names:
        wanted = " ".join(nfc(name).split())
        while page < len(texts) and wanted not in texts[page]:
            page += 1
        if page == len(texts):
            return None
        starts.append(page)
        page += 1
    return starts if starts and starts[0] == 0 else None


class _Entry(NamedTuple):
    """A zip member, deflated."""

    name: bytes
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, name: str, content: bytes) -> _Entry:
        compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        return cls(name.encode("utf-8"), zlib.crc32(content), len(content), data)


def _zip_entries(entries: list[_Entry]) -> bytes:
    """A zip file of already deflated members (zipfile cannot copy compressed data)."""
    out, central = bytearray(), bytearray()
    for entry in entries:
        flags = 0x0800  # names in UTF-8
        fixed = (20, flags, 8, 0, 0x21, entry.crc, len(entry.data), entry.size, len(entry.name))
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fixed, 0) + entry.name + entry.data
        central += (
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIH", *fixed)
            + struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset)
            + entry.name
        )
    start = len(out)
    count = len(entries)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def _read(docx: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            if _DOCUMENT not in archive.namelist():
                raise RenderError("Tệp không phải văn bản Word.", detail="no word/document.xml")
            return {info.filename: archive.read(info) for info in archive.infolist()}
    except zipfile.BadZipFile as exc:
        raise RenderError("Tệp không phải văn bản Word.", detail=str(exc)) from exc


def _write(parts: dict[str, bytes], *, level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
