"""Choose LibreOffice import/export filters from a document's bytes and the requested target."""

from __future__ import annotations

import io
import zipfile

from render.pdf_errors import INVALID_INPUT
from render.pdf_errors import UNSUPPORTED
from render.pdf_errors import PdfConversionError

# Extensions we accept as input; the content decides the filter, because files named .doc
# are often really .docx, RTF or HTML (saved by other tools or renamed by hand).
SOURCE_EXTENSIONS = ("docx", "doc", "rtf", "odt")

EXPORT_FILTERS = {
    "pdf": "writer_pdf_Export",
    "docx": "MS Word 2007 XML",
}

# FilterData of each export filter. PDF: PDF/A-2b (ISO 19005-2, level B), the archival form
# for documents that are kept: every font embedded (PDF/A requires it; EmbedStandardFonts
# also embeds the 14 standard ones), an sRGB output intent and XMP metadata naming the part
# and conformance, no encryption and no external content. LibreOffice writes all of that when
# SelectPdfVersion is 2 (1 = PDF/A-1b, 3 = PDF/A-3b, 0 = plain PDF 1.6).
PDFA_2B = 2
EXPORT_OPTIONS: dict[str, dict[str, bool | int | str]] = {
    "pdf": {"SelectPdfVersion": PDFA_2B, "EmbedStandardFonts": True},
    "docx": {},
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_RTF_MAGIC = b"{\\rtf"
_HTML_MARKERS = (b"<html", b"<!doctype html")


def normalise_extension(ext: str) -> str:
    """Return ``ext`` lower-cased without a leading dot ("." + "DOCX" -> "docx")."""
    return ext.strip().lstrip(".").lower()


def export_filter_for(target: str) -> str:
    """Return the LibreOffice export filter for ``target`` ("pdf" or "docx").

    Raises:
        PdfConversionError: if the target format is not supported.
    """
    try:
        return EXPORT_FILTERS[normalise_extension(target)]
    except KeyError:
        raise PdfConversionError(
            f"Không hỗ trợ chuyển tài liệu sang định dạng “{target}” (chỉ hỗ trợ PDF và .docx).",
            reason=UNSUPPORTED,
        ) from None


def export_options_for(target: str) -> dict[str, bool | int | str]:
    """Return the export filter's options (UNO FilterData) for ``target`` ("pdf" or "docx")."""
    export_filter_for(target)  # refuses an unsupported target
    return dict(EXPORT_OPTIONS[normalise_extension(target)])


def import_filter_for(data: bytes, src_ext: str) -> str:
    """Return the LibreOffice import filter for a Word-like document.

    Args:
        data: The document's bytes.
        src_ext: The extension the file arrived with ("docx", ".doc", ...).

    Returns:
        The import filter name, chosen from the content rather than the extension.

    Raises:
        PdfConversionError: if the extension is not supported, the file is empty or the
            content is not a Word, RTF or OpenDocument text document.
    """
    ext = normalise_extension(src_ext)
    if ext not in SOURCE_EXTENSIONS:
        raise PdfConversionError(
            f"Không hỗ trợ chuyển đổi tệp “.{ext}” (chỉ nhận .docx, .doc, .rtf, .odt).",
            reason=UNSUPPORTED,
        )
    if not data:
        raise PdfConversionError(f"Tệp .{ext} rỗng, không có nội dung.", reason=INVALID_INPUT)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_OLE_MAGIC):
        # Also covers password-protected .docx (an OLE container); LibreOffice then refuses
        # it and the caller gets the "cannot open" message.
        return "MS Word 97"
    if head.startswith(_ZIP_MAGIC):
        return _zip_filter(data, ext)
    if head.startswith(_RTF_MAGIC):
        return "Rich Text Format"
    if head.lower().startswith(_HTML_MARKERS):
        return "HTML (StarWriter)"
    raise _not_a_document(ext)


def _zip_filter(data: bytes, ext: str) -> str:
    """Tell .docx from .odt inside a ZIP container."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "MS Word 2007 XML"
            if "content.xml" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument.text"
            ):
                return "writer8"
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _not_a_document(ext) from exc
    raise _not_a_document(ext)


def _not_a_document(ext: str) -> PdfConversionError:
    return PdfConversionError(
        f"Tệp .{ext} bị hỏng hoặc không phải là tài liệu Word/văn bản hợp lệ.",
        reason=INVALID_INPUT,
    )


def check_output(data: bytes, target: str) -> bool:
    """Return whether ``data`` looks like a complete file of the ``target`` format."""
    if normalise_extension(target) == "pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    return data.startswith(_ZIP_MAGIC)
