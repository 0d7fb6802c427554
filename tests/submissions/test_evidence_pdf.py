"""Evidence in .doc / .xls / .odt / .ods / .rtf: accepted, kept as uploaded, and turned into a
PDF by the worker (real LibreOffice, real RQ worker) that the page offers as "Xem"."""

from __future__ import annotations

import io
import re
import zipfile

import pdfplumber
import pytest
from sqlalchemy import select

from services.submissions import preview_id
from storage.models import Job
from storage.models import StoredFile
from storage.models import Submission
from storage.uploads import EVIDENCE_TYPES
from storage.uploads import UploadRejected
from storage.uploads import check_upload
from tests.submissions.office_files import office_file
from tests.support import drain_queue
from tests.web.test_submission_forms import EXEMPLARY_OK


def _send(client, round_id: int, name: str, content: bytes):
    return client.post(
        f"/dot/{round_id}/dien-hinh",
        data=EXEMPLARY_OK | {"evidence": [(io.BytesIO(content), name)]},
        content_type="multipart/form-data",
    )


def _only_submission(app) -> tuple[int, str]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        submission = session.scalar(select(Submission))
        return submission.id, submission.files[0].file_id


@pytest.mark.parametrize(
    ("ext", "words"),
    [("doc", "Giấy khen giáo viên dạy giỏi"), ("xls", "Hoàn thành xuất sắc"), ("odt", "Giấy khen")],
)
def test_an_old_format_is_kept_and_offered_as_a_pdf_once_the_worker_made_it(
    app, login_as, world, ext, words
):
    client = login_as("staff")
    original = office_file(ext)
    assert _send(client, world["round"], f"minh chứng.{ext}", original).status_code == 302
    submission_id, file_id = _only_submission(app)
    page = client.get(f"/ho-so/{submission_id}").get_data(as_text=True)
    assert "Đang chuyển sang PDF để xem" in page and f"/tep/{file_id}/pdf" not in page

    drain_queue(app)

    page = client.get(f"/ho-so/{submission_id}").get_data(as_text=True)
    assert f'href="/tep/{file_id}/pdf">Xem</a>' in page
    kept = client.get(f"/tep/{file_id}")
    assert kept.data == original  # the original, as uploaded
    assert f"minh chứng.{ext}" in page
    pdf = client.get(f"/tep/{file_id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        assert words in "".join(p.extract_text() or "" for p in document.pages)


def test_a_colleague_cannot_view_the_pdf(app, login_as, world):
    _send(login_as("staff"), world["round"], "giấy khen.doc", office_file("doc"))
    drain_queue(app)
    _submission_id, file_id = _only_submission(app)
    assert login_as("staff2").get(f"/tep/{file_id}/pdf").status_code == 403
    assert login_as("clerk").get(f"/tep/{file_id}/pdf").status_code == 200


def test_a_file_libreoffice_cannot_read_gets_a_vietnamese_reason_and_stays_downloadable(
    app, login_as, world
):
    client = login_as("staff")
    broken = io.BytesIO()  # an .odt by its content type, with nothing LibreOffice can read
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", b"\x00\x01<<<")
    broken = broken.getvalue()
    assert _send(client, world["round"], "hỏng.odt", broken).status_code == 302
    drain_queue(app)
    submission_id, file_id = _only_submission(app)
    page = client.get(f"/ho-so/{submission_id}").get_data(as_text=True)
    assert "Không chuyển được tệp “hỏng.odt” sang PDF để xem" in page
    assert "Tệp gốc vẫn được giữ" in page
    assert client.get(f"/tep/{file_id}").data == broken


def test_removing_the_file_removes_its_pdf(app, login_as, world):
    client = login_as("staff")
    _send(client, world["round"], "giấy khen.doc", office_file("doc"))
    drain_queue(app)
    submission_id, file_id = _only_submission(app)
    page = client.get(f"/ho-so/{submission_id}/sua").get_data(as_text=True)
    client.post(re.search(r'action="(/ho-so/\d+/tep/\d+/go)"', page).group(1))
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(StoredFile, preview_id(file_id)) is None
        assert session.scalars(select(StoredFile)).all() == []


def test_the_conversion_job_is_queued_only_for_formats_that_need_it(
    app, login_as, world, docx_bytes
):
    client = login_as("staff")
    _send(client, world["round"], "giấy chứng nhận.docx", docx_bytes)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalars(select(Job)).all() == []


@pytest.mark.parametrize("ext", ["doc", "xls", "odt", "ods", "rtf"])
def test_every_old_format_passes_the_upload_check(ext):
    checked = check_upload(f"minh chứng.{ext}", office_file(ext), EVIDENCE_TYPES)
    assert checked.filename == f"minh chứng.{ext}"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("bài giảng.zip", b"PK\x05\x06" + b"\0" * 18, "tệp nén ZIP"),
        ("chạy.pdf", b"MZ\x90\x00\x03" + b"\0" * 200 + b"PE\0\0" + b"\0" * 300, "chương trình"),
        ("ghi chú.doc", "Giấy khen năm học 2024-2025\n".encode() * 5, "văn bản thuần (.txt)"),
    ],
)
def test_a_refused_file_is_named_in_words_not_by_its_mime_type(name, content, says):
    with pytest.raises(UploadRejected) as refused:
        check_upload(name, content, EVIDENCE_TYPES)
    message = str(refused.value)
    assert says in message and "application/" not in message and "text/" not in message
    assert "Word (.docx, .doc)" in message  # and what would be accepted


def test_a_doc_with_macros_is_refused():
    macro_doc = office_file("doc") + "_VBA_PROJECT".encode("utf-16-le")
    with pytest.raises(UploadRejected, match="có chứa macro"):
        check_upload("bảng điểm.doc", macro_doc, EVIDENCE_TYPES)
