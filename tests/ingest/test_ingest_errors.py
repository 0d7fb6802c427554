"""Bad input gives a dedicated error with a Vietnamese message, never a raw traceback."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf import PdfWriter

from ingest import IngestLimits
from ingest import parse_bytes
from ingest.errors import CorruptFileError
from ingest.errors import EmptyFileError
from ingest.errors import EncryptedPdfError
from ingest.errors import IngestError
from ingest.errors import NoPagesError
from ingest.errors import TooLargeError
from ingest.errors import TooManyPagesError
from ingest.errors import UnsupportedTypeError
from ingest.errors import ZipBombError
from tests.ingest.conftest import build_docx

ROOT = Path(__file__).resolve().parents[2]


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def text_pdf(corpus) -> bytes:
    return (corpus / "seed-003.clean.pdf").read_bytes()


def test_errors_encrypted_pdf(text_pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf)))
    writer.encrypt(user_password="matkhau", owner_password="chu", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(EncryptedPdfError) as caught:
        parse_bytes(buffer.getvalue(), "ke-hoach.pdf")
    assert caught.value.message == "PDF có mật khẩu: hãy gỡ mật khẩu rồi tải lên lại."


@pytest.mark.parametrize("keep", [0.05, 0.5])
def test_errors_truncated_pdf(text_pdf: bytes, keep: float) -> None:
    with pytest.raises((CorruptFileError, NoPagesError)) as caught:
        parse_bytes(text_pdf[: int(len(text_pdf) * keep)], "ke-hoach.pdf")
    assert "hỏng" in caught.value.message or "không có trang" in caught.value.message


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", b"\xef\xbb\xbf"])
def test_errors_empty_file(data: bytes) -> None:
    with pytest.raises(EmptyFileError) as caught:
        parse_bytes(data, "trong.txt")
    assert caught.value.message == "Tệp rỗng: không có nội dung để đọc."


def test_errors_executable_named_pdf() -> None:
    with pytest.raises(UnsupportedTypeError) as caught:
        parse_bytes(Path(sys.executable).resolve().read_bytes()[:200_000], "ke-hoach.pdf")
    assert "không được hỗ trợ" in caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        b"PK\x03\x04" + b"\x00" * 64,  # a zip that is not a Word file
    ],
)
def test_errors_other_binary_types(data: bytes) -> None:
    with pytest.raises(UnsupportedTypeError):
        parse_bytes(data, "ke-hoach.docx")


def test_errors_too_many_pages() -> None:
    with pytest.raises(TooManyPagesError) as caught:
        parse_bytes(_blank_pdf(5), "dai.pdf", limits=IngestLimits(max_pages=3))
    assert "5 trang" in caught.value.message


def test_errors_too_large() -> None:
    with pytest.raises(TooLargeError):
        parse_bytes("Kế hoạch ".encode() * 1000, "lon.txt", limits=IngestLimits(max_bytes=1000))


def test_errors_zip_bomb_docx_is_refused_before_opening() -> None:
    real = build_docx(["TRƯỜNG A"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["Nội dung."], [], [])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real)) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
        # 200 MB of zeros compress to about 200 kB: ratio ~1000.
        with bomb.open("word/media/padding.bin", "w", force_zip64=True) as handle:
            chunk = b"\x00" * (1 << 20)
            for _ in range(200):
                handle.write(chunk)
    with pytest.raises(ZipBombError) as caught:
        parse_bytes(buffer.getvalue(), "bom.docx")
    assert "giải nén" in caught.value.message


def test_errors_pdf_without_any_text_or_image() -> None:
    with pytest.raises(IngestError) as caught:
        parse_bytes(_blank_pdf(1), "trang.pdf")
    assert caught.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Tệp rỗng"), (b"MZ\x90\x00\x03" + b"\x00" * 300, "không được hỗ trợ")],
)
def test_errors_cli_prints_vietnamese_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "ingest", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
