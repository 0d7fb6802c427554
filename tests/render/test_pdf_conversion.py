"""PDF (and .doc → .docx) conversion through a warm, real LibreOffice: no mocks.

Fixtures live here rather than in tests/render/conftest.py, which belongs to the template
tests.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.shared import Pt

from render import pdf_errors
from render.pdf import DEFAULT_RESTART_AFTER
from render.pdf import PdfConversionError
from render.pdf import PdfConverter
from render.pdf import configure
from render.pdf import get_converter

VIETNAMESE_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Quyết định khen thưởng giáo viên dạy giỏi cấp trường",
    "Trường Tiểu học Nguyễn Văn Trỗi, phường Bến Nghé",
    "ầ ẩ ẫ ấ ậ ằ ẳ ẵ ắ ặ ề ể ễ ế ệ ỳ ỷ ỹ ý ỵ ờ ở ỡ ớ ợ ừ ử ữ ứ ự đ Đ",
)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Accepted font families: Times New Roman itself or its metric-compatible substitute.
TIMES_COMPATIBLE = ("LiberationSerif", "TimesNewRoman")


def make_docx(
    *paragraphs: str, font: str = "Times New Roman", repeat: int = 1, table_rows: int = 0
) -> bytes:
    """Build an A4 .docx whose Normal style uses ``font`` for every script."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)
    for _ in range(repeat):
        for text in paragraphs:
            document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=0, cols=4)
        for row in range(table_rows):
            for column, cell in enumerate(table.add_row().cells):
                cell.text = f"Dòng {row} ô {column}: Nguyễn Thị Ánh"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """Return a copy of a .docx package with one member's content replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            body = content if item.filename == name else source.read(item.filename)
            target.writestr(item, body)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def pdf_font_families(data: bytes) -> set[str]:
    """Return the font names used by characters, without the subset prefix ("ABCDEF+")."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        return {
            char["fontname"].split("+", 1)[-1] for page in document.pages for char in page.chars
        }


def wait_until_dead(pid: int, timeout: float = 10.0) -> bool:
    """Return True once ``pid`` has exited (gone, or a zombie nobody reaped yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            # A zombie leader may still have threads winding down; dead means all are gone.
            if state in ("Z", "X") and len(os.listdir(f"/proc/{pid}/task")) <= 1:
                return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    with PdfConverter() as instance:
        yield instance


@pytest.fixture(scope="module")
def vietnamese_docx() -> bytes:
    return make_docx(*VIETNAMESE_LINES)


@pytest.fixture(scope="module")
def vietnamese_pdf(converter: PdfConverter, vietnamese_docx: bytes) -> bytes:
    return converter.convert_docx_to_pdf(vietnamese_docx)


def test_convert_docx_to_pdf_returns_pdf_document(vietnamese_pdf: bytes) -> None:
    assert vietnamese_pdf.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(vietnamese_pdf)) as document:
        assert len(document.pages) == 1
        # A4 in points, as set in the source document.
        assert round(document.pages[0].width) == 595
        assert round(document.pages[0].height) == 842


@pytest.mark.parametrize("line", VIETNAMESE_LINES)
def test_convert_docx_to_pdf_keeps_vietnamese_text_in_nfc(vietnamese_pdf: bytes, line: str) -> None:
    text = pdf_text(vietnamese_pdf)
    assert unicodedata.is_normalized("NFC", text)
    assert line in text


def test_convert_docx_to_pdf_uses_times_compatible_font(vietnamese_pdf: bytes) -> None:
    families = pdf_font_families(vietnamese_pdf)
    assert families
    assert all(name.startswith(TIMES_COMPATIBLE) for name in families), families


def test_converter_reuses_running_soffice(converter: PdfConverter, vietnamese_docx: bytes) -> None:
    converter.convert_docx_to_pdf(vietnamese_docx)
    first_pid = converter.soffice_pid
    second = converter.convert_docx_to_pdf(vietnamese_docx)
    assert second.startswith(b"%PDF-")
    assert first_pid is not None
    assert converter.soffice_pid == first_pid


def test_converter_restarts_soffice_killed_between_conversions(
    converter: PdfConverter, vietnamese_docx: bytes
) -> None:
    converter.convert_docx_to_pdf(vietnamese_docx)
    killed_pid = converter.soffice_pid
    assert killed_pid is not None
    os.kill(killed_pid, signal.SIGKILL)
    assert wait_until_dead(killed_pid)

    result = converter.convert_docx_to_pdf(vietnamese_docx)

    assert "Độc lập - Tự do - Hạnh phúc" in pdf_text(result)
    assert converter.soffice_pid not in (None, killed_pid)


def test_converter_timeout_raises_vietnamese_error_and_recovers(
    converter: PdfConverter, vietnamese_docx: bytes
) -> None:
    converter.convert_docx_to_pdf(vietnamese_docx)
    stuck_pid = converter.soffice_pid
    assert stuck_pid is not None

    with pytest.raises(PdfConversionError) as caught:
        converter.convert_docx_to_pdf(vietnamese_docx, timeout=0.001)

    assert caught.value.reason == pdf_errors.TIMEOUT
    assert "quá 0,001 giây" in str(caught.value)
    assert wait_until_dead(stuck_pid)
    assert converter.convert_docx_to_pdf(vietnamese_docx).startswith(b"%PDF-")
    assert converter.soffice_pid != stuck_pid


VALID = make_docx("Nội dung")


@pytest.mark.parametrize(
    ("data", "reason", "words"),
    [
        (b"", pdf_errors.INVALID_INPUT, "rỗng"),
        (b"\x00\x01garbage bytes, not a document" * 40, pdf_errors.INVALID_INPUT, "bị hỏng"),
        (VALID[: len(VALID) // 2], pdf_errors.INVALID_INPUT, "bị hỏng"),
        (replace_member(VALID, "word/document.xml", b"<w:document"), pdf_errors.REJECTED, "hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, pdf_errors.REJECTED, "hỏng"),
    ],
    ids=["empty", "garbage", "truncated-zip", "broken-xml", "fake-ole"],
)
def test_convert_docx_to_pdf_rejects_invalid_document_then_keeps_working(
    converter: PdfConverter, vietnamese_docx: bytes, data: bytes, reason: str, words: str
) -> None:
    with pytest.raises(PdfConversionError) as caught:
        converter.convert_docx_to_pdf(data)

    assert caught.value.reason == reason
    assert words in str(caught.value)
    assert converter.convert_docx_to_pdf(vietnamese_docx).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("src_ext", "target", "words"),
    [("pdf", "pdf", "“.pdf”"), ("xlsx", "pdf", "“.xlsx”"), ("docx", "odt", "“odt”")],
)
def test_convert_rejects_unsupported_formats(
    converter: PdfConverter, src_ext: str, target: str, words: str
) -> None:
    with pytest.raises(PdfConversionError) as caught:
        converter.convert(VALID, src_ext, target)

    assert caught.value.reason == pdf_errors.UNSUPPORTED
    assert "Không hỗ trợ" in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize("src_ext", ["docx", ".DOCX", "doc"])
def test_convert_detects_format_from_content(
    converter: PdfConverter, vietnamese_docx: bytes, src_ext: str
) -> None:
    # A .docx saved under a .doc name is common; the content, not the name, decides.
    result = converter.convert(vietnamese_docx, src_ext, "pdf")

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(result)


@pytest.fixture(scope="module")
def legacy_doc(vietnamese_docx: bytes) -> bytes:
    """Make a real Word 97 .doc with a separate, cold LibreOffice."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work, "nguon.docx")
        source.write_bytes(vietnamese_docx)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "doc:MS Word 97",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return Path(work, "nguon.doc").read_bytes()


@pytest.mark.slow
def test_convert_doc_to_docx_keeps_vietnamese_paragraphs(
    converter: PdfConverter, legacy_doc: bytes
) -> None:
    assert legacy_doc.startswith(b"\xd0\xcf\x11\xe0")

    result = converter.convert(legacy_doc, "doc", "docx")

    paragraphs = [p.text for p in Document(io.BytesIO(result)).paragraphs]
    assert [p for p in paragraphs if p] == list(VIETNAMESE_LINES)


@pytest.mark.slow
def test_convert_doc_to_pdf_keeps_vietnamese_text(
    converter: PdfConverter, legacy_doc: bytes
) -> None:
    text = pdf_text(converter.convert(legacy_doc, "doc", "pdf"))

    assert all(line in text for line in VIETNAMESE_LINES)


def test_converter_serialises_conversions_from_threads(
    converter: PdfConverter, vietnamese_docx: bytes
) -> None:
    converter.convert_docx_to_pdf(vietnamese_docx)
    pid = converter.soffice_pid
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(2):
                results.append(converter.convert_docx_to_pdf(vietnamese_docx))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 8
    assert all("Hạnh phúc" in pdf_text(result) for result in results)
    assert converter.soffice_pid == pid


def test_converter_restarts_after_configured_number_of_conversions(
    vietnamese_docx: bytes,
) -> None:
    with PdfConverter(restart_after=2) as converter:
        converter.convert_docx_to_pdf(vietnamese_docx)
        first_pid = converter.soffice_pid
        converter.convert_docx_to_pdf(vietnamese_docx)
        converter.convert_docx_to_pdf(vietnamese_docx)

        assert first_pid is not None
        assert wait_until_dead(first_pid)
        assert converter.soffice_pid not in (None, first_pid)


def test_the_worker_s_converter_restarts_after_the_configured_count_and_still_converts(
    vietnamese_docx: bytes,
) -> None:
    get_converter().close()
    configure(restart_after=2)  # as python -m worker does with LIBREOFFICE_RESTART_AFTER
    converter = get_converter()
    try:
        pids, texts = [], []
        for _ in range(5):
            texts.append(pdf_text(converter.convert_docx_to_pdf(vietnamese_docx)))
            pids.append(converter.soffice_pid)
        assert all("Hạnh phúc" in text for text in texts)
        assert pids[0] == pids[1] and pids[2] == pids[3]
        assert len({pids[0], pids[2], pids[4]}) == 3 and None not in pids
        assert wait_until_dead(pids[0]) and wait_until_dead(pids[2])
    finally:
        configure(restart_after=DEFAULT_RESTART_AFTER)
        converter.close()


def test_converter_close_stops_soffice_and_refuses_work(vietnamese_docx: bytes) -> None:
    converter = PdfConverter()
    converter.convert_docx_to_pdf(vietnamese_docx)
    pid = converter.soffice_pid
    assert pid is not None

    converter.close()

    assert wait_until_dead(pid)
    assert converter.soffice_pid is None
    with pytest.raises(PdfConversionError) as caught:
        converter.convert_docx_to_pdf(vietnamese_docx)
    assert caught.value.reason == pdf_errors.CLOSED


@pytest.mark.slow
def test_converter_crash_during_conversion_fails_only_that_document(
    converter: PdfConverter, vietnamese_docx: bytes
) -> None:
    # About 3 s of work for LibreOffice, so the kill lands while it is converting.
    heavy = make_docx("Bảng tổng hợp", table_rows=1500)
    converter.convert_docx_to_pdf(vietnamese_docx)
    pid = converter.soffice_pid
    assert pid is not None
    killer = threading.Timer(0.8, os.kill, args=(pid, signal.SIGKILL))
    killer.start()

    with pytest.raises(PdfConversionError) as caught:
        converter.convert_docx_to_pdf(heavy, timeout=120)

    killer.join()
    assert caught.value.reason == pdf_errors.CRASHED
    assert "dừng đột ngột" in str(caught.value)
    assert converter.convert_docx_to_pdf(vietnamese_docx).startswith(b"%PDF-")


def test_get_converter_returns_one_instance_per_process(vietnamese_docx: bytes) -> None:
    assert get_converter() is get_converter()
    parent = get_converter()
    parent.convert_docx_to_pdf(vietnamese_docx)
    parent_pid = parent.soffice_pid
    read_end, write_end = os.pipe()

    child = os.fork()
    if child == 0:  # the child reports over the pipe and never returns into pytest
        status = 1
        try:
            mine = get_converter()
            ok = mine.convert_docx_to_pdf(vietnamese_docx).startswith(b"%PDF-")
            report = {"same": mine is parent, "ok": ok, "soffice_pid": mine.soffice_pid}
            mine.close()
            os.write(write_end, json.dumps(report).encode())
            status = 0
        finally:
            os._exit(status)

    os.close(write_end)
    _, status = os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        report = json.loads(pipe.read())
    try:
        assert os.waitstatus_to_exitcode(status) == 0
        assert report["same"] is False
        assert report["ok"] is True
        assert report["soffice_pid"] not in (None, parent_pid)
        # The child's exit must not take the parent's LibreOffice down.
        assert parent.soffice_pid == parent_pid
        assert parent.convert_docx_to_pdf(vietnamese_docx).startswith(b"%PDF-")
    finally:
        parent.close()


@pytest.mark.slow
def test_soffice_dies_with_its_owner_process(tmp_path: Path, vietnamese_docx: bytes) -> None:
    source = tmp_path / "van-ban.docx"
    source.write_bytes(vietnamese_docx)
    script = (
        "import sys, time\n"
        "from render.pdf import PdfConverter\n"
        "c = PdfConverter()\n"
        "c.convert_docx_to_pdf(open(sys.argv[1], 'rb').read())\n"
        "print(c.soffice_pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script, str(source)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        soffice_pid = int(owner.stdout.readline())
        owner.kill()  # SIGKILL: neither atexit nor finalizers run in the owner
        owner.wait()
        assert wait_until_dead(soffice_pid)
    finally:
        owner.kill()
        owner.wait()
        owner.stdout.close()


class _JobTimeout(Exception):
    """Stands in for RQ's JobTimeoutException, raised the same way: from SIGALRM."""


def _raise_job_timeout(signum: int, frame: object) -> None:
    raise _JobTimeout


def test_converter_recovers_when_interrupted_by_a_signal(
    converter: PdfConverter, vietnamese_docx: bytes
) -> None:
    other = make_docx("Tài liệu thứ hai")
    converter.convert_docx_to_pdf(vietnamese_docx)
    previous = signal.signal(signal.SIGALRM, _raise_job_timeout)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        with pytest.raises(_JobTimeout):
            converter.convert_docx_to_pdf(vietnamese_docx)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    # The interrupted request's late answer must not be taken for this one.
    text = pdf_text(converter.convert_docx_to_pdf(other))
    assert "Tài liệu thứ hai" in text
    assert "Hạnh phúc" not in text
