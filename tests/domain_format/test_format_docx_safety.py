"""Untrusted input: the checker refuses what is not a safe .docx with a Vietnamese message."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.check import DocxError
from domain.check import check_docx
from tests.domain_format.conftest import DocSpec
from tests.domain_format.conftest import build_docx


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {n: source.read(n) for n in source.namelist()}
    members[name] = content
    return _zip(members)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        ("Văn bản thường".encode(), "không phải tài liệu Word .docx"),
        (b"%PDF-1.4\n%...", "không phải tài liệu Word .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word 97-2003 (.doc)"),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "thiếu phần word/document.xml",
        ),
        (_zip({"word/document.xml": b"<w:document"}), "không phải XML hợp lệ"),
    ],
)
def test_check_docx_rejects_non_docx_input(data, message):
    with pytest.raises(DocxError) as error:
        check_docx(data)
    assert message in error.value.message


def test_check_docx_rejects_zip_bomb_by_total_size():
    bomb = _zip({"word/document.xml": b"\0" * (51 * 1024 * 1024)})
    with pytest.raises(DocxError, match="quá lớn"):
        check_docx(bomb)


def test_check_docx_rejects_absurd_compression_ratio():
    bomb = _zip({"word/document.xml": b" " * (8 * 1024 * 1024)})
    with pytest.raises(DocxError, match="tỷ lệ nén bất thường"):
        check_docx(bomb)


def test_check_docx_refuses_xml_entities():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = _replace_member(build_docx(DocSpec()), "word/document.xml", evil)
    with pytest.raises(DocxError, match="DOCTYPE"):
        check_docx(data)


def test_check_docx_reads_a_minimal_hand_made_package():
    document = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Xin ch\xc3\xa0o</w:t></w:r></w:p></w:body></w:document>"
    )
    findings = check_docx(_zip({"word/document.xml": document}))
    assert ("national_title", "missing") in {(f.key, f.check) for f in findings}
