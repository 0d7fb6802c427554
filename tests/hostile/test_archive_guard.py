"""The one archive guard (domain.archive) against crafted ZIP files, and its four users.

The bombs are tested once, on the guard; then one bomb that lies in its header goes through
each of the four readers of uploaded Office files, which must all refuse it in Vietnamese.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable

import pytest

from domain import archive
from domain.archive import ArchiveLimits
from domain.archive import ArchiveRefused
from domain.archive import check_archive

LIMITS = ArchiveLimits(max_members=50, max_total_bytes=20 * archive.MIB, max_ratio=100)
_CENTRAL = b"PK\x01\x02"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():
            out.writestr(name, content)
    return buffer.getvalue()


def _declare(
    data: bytes, *, compressed: int | None = None, size: int | None = None, only: str = ""
) -> bytes:
    """Rewrite the sizes the central directory declares for every member (or the one named
    ``only``; the local headers keep the true ones), as a crafted file would."""
    out = bytearray(data)
    at = out.find(_CENTRAL)
    while at != -1:
        (name_length,) = struct.unpack_from("<H", out, at + 28)
        if only and bytes(out[at + 46 : at + 46 + name_length]).decode() != only:
            at = out.find(_CENTRAL, at + 4)
            continue
        if compressed is not None:
            struct.pack_into("<I", out, at + 20, compressed)
        if size is not None:
            struct.pack_into("<I", out, at + 24, size)
        at = out.find(_CENTRAL, at + 4)
    return bytes(out)


def _refusal(data: bytes, limits: ArchiveLimits = LIMITS) -> str:
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(data, limits)
    return refused.value.kind


def test_a_real_office_file_passes():
    check_archive(_docx(), LIMITS)


def test_a_member_that_declares_fewer_bytes_than_it_holds_is_not_trusted():
    # 30 MB of zeros that say they are 1 kB: counted as they come out, never believed.
    lying = _declare(_zip({"word/document.xml": b"\0" * (30 * archive.MIB)}), size=1024)
    assert _refusal(lying) == archive.DAMAGED


def test_a_member_that_declares_a_huge_compressed_size_to_hide_its_ratio_is_refused():
    # The ratio a header declares is 1:1; no member can hold more compressed bytes than the
    # whole file, so the real ratio (about 1000) shows.
    bomb = _zip({"word/document.xml": b" " * (15 * archive.MIB)})
    assert _refusal(_declare(bomb, compressed=15 * archive.MIB)) == archive.RATIO


def test_many_entries_are_refused_before_any_is_read():
    assert _refusal(_zip({f"part{n}.xml": b"<a/>" for n in range(51)})) == archive.TOO_MANY_MEMBERS


def test_a_deep_compression_ratio_is_refused():
    assert _refusal(_zip({"word/document.xml": b" " * (8 * archive.MIB)})) == archive.RATIO


def test_a_small_repetitive_part_is_exempt_from_the_ratio():
    check_archive(_zip({"word/styles.xml": b" " * (archive.MIB // 2)}), LIMITS)


def test_members_each_within_their_ratio_still_count_towards_the_total():
    noise = bytes(range(256)) * (4 * archive.MIB // 256)  # compresses hardly at all
    many = _zip({f"word/media/image{n}.bin": noise for n in range(6)})  # 24 MB > 20 MB
    assert _refusal(many) == archive.TOO_LARGE


def test_one_part_over_its_own_limit_is_refused():
    limits = ArchiveLimits(max_members=50, max_total_bytes=20 * archive.MIB, max_member_bytes=1000)
    assert _refusal(_zip({"word/document.xml": bytes(range(256)) * 8}), limits) == (
        archive.PART_TOO_LARGE
    )


def test_not_a_zip_and_damaged_data_are_told_apart():
    assert _refusal(b"%PDF-1.7 not a zip") == archive.NOT_ZIP
    good = _zip({"word/document.xml": bytes(range(256)) * 40})  # ~10 kB of packed data
    start = good.index(b"word/document.xml") + 200  # inside the member's packed data
    broken = good[:start] + bytes(b ^ 0xFF for b in good[start : start + 40]) + good[start + 40 :]
    assert _refusal(broken) == archive.DAMAGED


def _checker(data: bytes) -> str:
    from domain.check import check_docx
    from domain.check.errors import DocxError

    try:
        check_docx(data)
    except DocxError as error:
        return error.message
    return ""


def _template_validator(data: bytes) -> str:
    from render.validate import check_package

    return check_package(data)


def _plan_parser(data: bytes) -> str:
    from ingest.docx_text import check_zip
    from ingest.errors import IngestError
    from ingest.limits import IngestLimits

    try:
        check_zip(data, IngestLimits())
    except IngestError as error:
        return error.message
    return ""


def _staff_import(data: bytes) -> str:
    from services.spreadsheets import SpreadsheetError
    from services.spreadsheets import read_staff

    try:
        read_staff(data)
    except SpreadsheetError as error:
        return str(error)
    return ""


def _docx() -> bytes:
    """A real .docx written by python-docx."""
    import docx

    document = docx.Document()
    document.add_paragraph("Kế hoạch tổ chức Hội khỏe Phù Đổng")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _staff_xlsx() -> bytes:
    """A real staff list written by openpyxl: a header row and one person."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Họ và tên", "Chức vụ", "Tổ"])
    book.active.append(["Nguyễn Thị Ánh", "Giáo viên", "Tổ Toán - Tin"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_padding(real: bytes) -> bytes:
    """``real`` plus a part of 200 MB of zeros that declares 1 kB (it packs to ~200 kB)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        with out.open("padding.bin", "w", force_zip64=True) as handle:
            for _ in range(200):
                handle.write(b"\0" * archive.MIB)
    return _declare(buffer.getvalue(), size=1024, only="padding.bin")


@pytest.mark.parametrize(
    ("reader", "real"),
    [
        (_checker, _docx),
        (_template_validator, _docx),
        (_plan_parser, _docx),
        (_staff_import, _staff_xlsx),
    ],
    ids=["checker", "template-validator", "plan-parser", "staff-import"],
)
def test_every_reader_of_office_files_refuses_a_part_that_lies_about_its_size(
    reader: Callable[[bytes], str], real: Callable[[], bytes]
):
    """Each of the four readers used to trust the sizes a part declares (or not read it at
    all): through the guard each refuses it, in Vietnamese, while accepting the real file."""
    data = real()
    if reader is not _template_validator:  # a bare python-docx file is no template
        assert reader(data) == ""
    message = reader(_with_padding(data))
    assert message and not message.isascii()
