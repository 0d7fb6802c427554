"""Bad uploads end in a clear Vietnamese message on the upload's page; the worker carries on.

Rejections that libmagic settles (empty, a program renamed .pdf) are refused on the upload
form. Files that need reading (encrypted, truncated, page-less PDFs, a DOCX zip bomb, a
parse over the memory or time limit) fail in the worker's sandboxed child: the upload is
marked failed with the reason, and the next upload in the same worker run is still read.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pypdf
import pytest

from storage.models import Job
from tests.plans.conftest import PLAN_TEXT
from tests.plans.conftest import all_incoming
from tests.plans.conftest import corpus_pdf
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import load
from tests.plans.conftest import upload
from tests.support import drain_queue as work
from tests.support import raw_pdf

CLEAN_PDF = "seed-000.clean.pdf"


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(corpus_pdf(CLEAN_PDF)))
    writer.encrypt(user_password="matkhau", owner_password="chu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _truncated_pdf() -> bytes:
    data = corpus_pdf(CLEAN_PDF)
    return data[: len(data) // 3]


def _zero_page_pdf() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def _zip_bomb_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    real = io.BytesIO()
    document.save(real)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(real.getvalue())) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
        with bomb.open("word/media/padding.bin", "w", force_zip64=True) as handle:
            chunk = b"\x00" * (1 << 20)
            for _ in range(200):  # 200 MB of zeros: about 200 kB compressed
                handle.write(chunk)
    return buffer.getvalue()


FAILING_FILES = {
    "encrypted": (_encrypted_pdf, "mat-khau.pdf", "PDF có mật khẩu"),
    "truncated": (_truncated_pdf, "do-dang.pdf", "hỏng"),
    "zero_pages": (_zero_page_pdf, "rong.pdf", "không có trang nào"),
    "zip_bomb": (_zip_bomb_docx, "bom.docx", "giải nén bất thường"),
}


@pytest.mark.parametrize("case", sorted(FAILING_FILES))
def test_unreadable_file_fails_with_its_reason_and_the_worker_reads_the_next(app, clerk, case):
    build, filename, expected = FAILING_FILES[case]
    bad = incoming_id_of(upload(clerk, build(), filename))
    good = incoming_id_of(upload(clerk, PLAN_TEXT.encode("utf-8"), "tot.txt"))
    work(app)  # one worker run: the bad upload first, then the good one
    failed = load(app, bad)
    assert failed.status == "failed"
    assert expected in failed.error
    page = clerk.get(f"/van-ban-den/{bad}").get_data(as_text=True)
    assert "Không đọc được văn bản" in page and expected in page
    assert "Đọc lại" in page
    assert load(app, good).status == "parsed"
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get(Job, failed.job_id)
        assert job.status == "failed" and expected in job.error


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "trong.pdf", "rỗng"),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)) * 4,
            "ke-hoach.pdf",
            "không được hỗ trợ",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "anh.pdf", "không được hỗ trợ"),
    ],
    ids=["empty", "executable_renamed_pdf", "image_renamed_pdf"],
)
def test_wrong_content_is_refused_on_the_upload_form(app, clerk, content, filename, expected):
    response = upload(clerk, content, filename)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert expected in html and filename in html
    assert all_incoming(app) == []


def _tcvn3_plan() -> bytes:
    # The same kind of plan typed with a .VnTime font: TCVN3 (ABC) bytes, read as cp1252.
    lines = [
        "PHßNG GD&§T BÕN C¸T",
        "TR¦êNG THCS Mü TH¹NH",
        "Sè: 12/KH-THCSMT",
        "KÕ HO¹CH",
        "Tæ chøc phong trµo thi ®ua n¨m häc 2025-2026",
        "C¨n cø KÕ ho¹ch sè 08/KH-PGD§T ngµy 28/8/2025 cña Phßng GD&§T;",
        "Göi hå s¬ thi ®ua tr­íc ngµy 30/9/2025.",
        "N¬i nhËn:",
        "- C¸c tæ;",
        "HIÖU TR¦ëNG",
        "NguyÔn V¨n Giµu",
    ]
    return "\r\n".join(lines).encode("cp1252")


def test_legacy_encoded_text_is_converted_and_the_review_page_says_so(app, clerk):
    incoming_id = incoming_id_of(upload(clerk, _tcvn3_plan(), "ke-hoach-cu.txt"))
    work(app)
    incoming = load(app, incoming_id)
    assert incoming.status == "parsed", incoming.error
    assert incoming.extracted["encoding"] == "tcvn3"
    assert incoming.extracted["symbol"] == "KH-THCSMT"
    assert incoming.extracted["title"] == "Tổ chức phong trào thi đua năm học 2025-2026"
    page = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    assert "bảng mã cũ TCVN3 (ABC)" in page
    assert "Tổ chức phong trào thi đua năm học 2025-2026" in page


def test_parse_over_the_memory_limit_is_stopped_and_the_worker_goes_on(limited_app, world):
    # Below what reading a PDF needs (PDFium reads this one within 100 MB; 70 is too little):
    # allocations fail inside the child for real.
    app = limited_app(INGEST_MEMORY_MB=70, INGEST_TIMEOUT=60)
    client = app.test_client()
    client.post("/dang-nhap", data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"})
    bad = incoming_id_of(upload(client, corpus_pdf(CLEAN_PDF), "lon.pdf"))
    work(app)
    failed = load(app, bad)
    assert failed.status == "failed"
    assert "bộ nhớ" in failed.error and "giới hạn" in failed.error and "(70 MB)" in failed.error
    assert "bộ nhớ" in client.get(f"/van-ban-den/{bad}").get_data(as_text=True)


def test_parse_over_the_time_limit_is_killed_and_the_worker_goes_on(limited_app, world):
    app = limited_app(INGEST_TIMEOUT=1)  # a scan needs OCR: far more than a second
    client = app.test_client()
    client.post("/dang-nhap", data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"})
    slow = incoming_id_of(upload(client, corpus_pdf("seed-000.scan.pdf"), "quet.pdf"))
    work(app)
    failed = load(app, slow)
    assert failed.status == "failed"
    assert "quá thời gian cho phép (1 giây)" in failed.error
    # A worker configured with a sane limit reads the next upload as usual.
    fast = limited_app(INGEST_TIMEOUT=60)
    client = fast.test_client()
    client.post("/dang-nhap", data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"})
    good = incoming_id_of(upload(client, PLAN_TEXT.encode("utf-8"), "tot.txt"))
    work(fast)
    assert load(fast, good).status == "parsed"
