"""The format checker page and API: every finding of domain.check, refusals in Vietnamese.

The check runs in the worker: the page and the API queue it, a real RQ worker runs it
(``drain_queue``), then the page or the API resource shows the report.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests.checker_page.conftest import edit_document_xml
from tests.checker_page.conftest import rendered
from tests.support import drain_queue

URL = "/kiem-tra-the-thuc"
API = "/api/kiem-tra-the-thuc"


def _post(client, data: bytes, name: str = "công văn.docx", url: str = URL, **extra):
    """Send the upload and, when it was queued, run the worker and fetch the result."""
    response = client.post(
        url, data={"file": (io.BytesIO(data), name), **extra}, content_type="multipart/form-data"
    )
    if response.status_code not in (202, 303):
        return response
    drain_queue(client.application)
    return client.get(response.headers["Location"])


def _bad_document() -> bytes:
    """Left margin 10 mm, no Quốc hiệu, and the date written without the leading zeros."""

    def spoil(xml: str) -> str:
        xml = re.sub(r'w:left="\d+"', 'w:left="567"', xml)
        xml = xml.replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "")
        return xml.replace("ngày 08 tháng 01 năm 2026", "ngày 8 tháng 1 năm 2026")

    return edit_document_xml(rendered("cong_van"), spoil)


@pytest.mark.parametrize("kind", ["cong_van", "quyet_dinh", "giay_khen"])
def test_rendered_template_has_no_findings(clerk, kind):
    response = _post(clerk, rendered(kind), name=f"{kind}.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Không phát hiện sai lệch nào về thể thức" in page
    assert "LỖI" not in page


def test_bad_document_lists_each_finding_grouped_by_element(clerk):
    response = _post(clerk, _bad_document())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kết quả: công văn.docx" in page
    # Grouped by element, each with its rule.
    assert "<h3>Lề trang" in page and "Lề trái phải từ 30 đến 35 mm" in page
    assert "lề trái 10.0 mm" in page
    assert "<h3>Quốc hiệu" in page and "Thiếu quốc hiệu" in page
    assert "<h3>Địa danh và thời gian ban hành văn bản" in page
    assert "Ngày nhỏ hơn 10 phải ghi thêm số 0" in page
    assert "Tháng 1, 2 phải ghi thêm số 0" in page
    assert "Không phát hiện sai lệch" not in page


def test_api_returns_the_findings_as_json(clerk):
    response = _post(clerk, _bad_document(), url=API)
    assert response.status_code == 200
    assert response.get_json()["ready"] and response.get_json()["status"] == "done"
    report = response.get_json()["report"]
    found = {(f["key"], f["check"]) for f in report["findings"]}
    assert {("margin", "margin"), ("national_title", "missing"), ("place_date", "format")} <= found
    assert report["errors"] >= 4 and report["file"] == "công văn.docx"
    clean = _post(clerk, rendered(), url=API).get_json()["report"]
    assert (clean["errors"], clean["warnings"], clean["findings"]) == (0, 0, [])


def test_api_answers_202_with_the_location_of_the_check(clerk):
    response = clerk.post(
        API,
        data={"file": (io.BytesIO(rendered()), "a.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 202
    assert response.headers["Location"].endswith(f"{API}/{response.get_json()['id']}")
    assert response.get_json()["ready"] is False


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        good = zipfile.ZipFile(io.BytesIO(rendered()))
        for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
            archive.writestr(name, good.read(name))
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (45 * 1024 * 1024))
    return out.getvalue()


REFUSED = {
    "renamed exe": (
        b"MZ\x90\x00\x03" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 400,
        "không phải tệp Word .docx (nội dung thực là application/x-dosexec)",
    ),
    "empty file": (b"", "rỗng"),
    "plain text": ("Kính gửi: các tổ chuyên môn".encode(), "nội dung thực là text/plain"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_non_docx_is_refused_in_vietnamese(clerk, case):
    data, message = REFUSED[case]
    response = _post(clerk, data, name="văn bản.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "văn bản.docx" in page
    api = _post(clerk, data, name="văn bản.docx", url=API)
    error = api.get_json()["error"]
    assert api.status_code == 422 and error["code"] == "invalid_file"
    assert message in error["message"]


def test_zip_bomb_is_refused_by_the_worker_in_vietnamese(clerk):
    page = _post(clerk, _zip_bomb(), name="văn bản.docx")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "nghi “bom nén”" in text and "văn bản.docx" in text
    api = _post(clerk, _zip_bomb(), name="văn bản.docx", url=API).get_json()
    assert api["status"] == "failed" and "nghi “bom nén”" in api["error"]
    assert api["report"] is None


def test_missing_file_is_asked_for(clerk):
    response = clerk.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Vui lòng chọn tệp .docx cần kiểm tra." in response.get_data(as_text=True)
    assert clerk.post(API, data={}).status_code == 422


def test_staff_cannot_use_the_checker(client, auth, world):
    auth.login("staff")
    assert client.get(URL).status_code == 403
    assert _post(client, rendered(), url=API).status_code == 403
