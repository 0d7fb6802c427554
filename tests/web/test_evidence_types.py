"""Evidence is kept and offered under the extension of its real type, never the uploader's
(a PDF called .hta, .html or .pdf.exe is a .pdf), and a Word file with macros is refused."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from sqlalchemy import func
from sqlalchemy import select

from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionFile
from tests.web.test_submission_forms import EXEMPLARY_OK


def _post_evidence(client, world, content: bytes, name: str):
    return client.post(
        f"/dot/{world['round']}/dien-hinh",
        data=EXEMPLARY_OK | {"evidence": [(io.BytesIO(content), name)]},
        content_type="multipart/form-data",
    )


def _stored(app) -> list[StoredFile]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return list(session.scalars(select(StoredFile)).all())


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("Minh chứng thành tích.hta", "Minh chứng thành tích.pdf"),
        ("giấy khen.html", "giấy khen.pdf"),
        ("Quyết định khen thưởng.pdf.exe", "Quyết định khen thưởng.pdf"),
        ("Báo cáo tháng 10", "Báo cáo tháng 10.pdf"),
    ],
)
def test_a_pdf_is_kept_and_offered_as_pdf_whatever_its_name(
    client, auth, world, app, pdf_bytes, uploaded, kept
):
    auth.login("staff")
    assert _post_evidence(client, world, pdf_bytes, uploaded).status_code == 302
    (stored,) = _stored(app)
    assert (stored.original_name, stored.mime_type) == (kept, "application/pdf")
    auth.logout()
    auth.login("clerk")
    disposition = client.get(f"/tep/{stored.id}").headers["Content-Disposition"]
    assert disposition.endswith("filename*=UTF-8''" + quote(kept, safe=""))
    assert '.pdf"' in disposition  # the ASCII fallback too


def test_a_file_stored_earlier_under_a_wrong_name_is_offered_as_its_type(
    client, auth, world, app, pdf_bytes
):
    auth.login("staff")
    _post_evidence(client, world, pdf_bytes, "minh chứng.pdf")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        stored = session.scalar(select(StoredFile))
        stored.original_name = "minh chứng.hta"  # as uploads were kept before
        file_id = stored.id
    disposition = client.get(f"/tep/{file_id}").headers["Content-Disposition"]
    assert disposition.endswith(quote("minh chứng.pdf", safe=""))


def _macro_docx(docx_bytes: bytes, *, content_type: bool, vba: bool) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in source.namelist():
            data = source.read(name)
            if content_type and name == "[Content_Types].xml":
                data = data.replace(
                    b"officedocument.wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                )
            package.writestr(name, data)
        if vba:
            package.writestr(
                "word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
            )
    return out.getvalue()


@pytest.mark.parametrize(
    ("content_type", "vba"), [(True, True), (False, True), (True, False)], ids=str
)
def test_a_word_file_with_macros_is_refused_as_docx(
    client, auth, world, app, docx_bytes, content_type, vba
):
    auth.login("staff")
    content = _macro_docx(docx_bytes, content_type=content_type, vba=vba)
    response = _post_evidence(client, world, content, "bản khai.docx")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "bản khai.docx" in page and "có chứa macro" in page
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for model in (Submission, SubmissionFile, StoredFile):
            assert session.scalar(select(func.count()).select_from(model)) == 0


def test_a_plain_docx_is_still_accepted(client, auth, world, app, docx_bytes):
    auth.login("staff")
    assert _post_evidence(client, world, docx_bytes, "bản khai").status_code == 302
    assert [f.original_name for f in _stored(app)] == ["bản khai.docx"]
