"""The whole path with the real parts: web request → job row → RQ on the real Redis → a real
SimpleWorker → docx (docxtpl), PDF (LibreOffice) and page-1 PNG stored in the database →
downloads with Vietnamese names; issuing puts the register number into the document."""

from __future__ import annotations

import io
import re
from datetime import date
from datetime import datetime
from urllib.parse import unquote

from openpyxl import load_workbook

from domain.check import check_docx
from services.spreadsheets import FIRST_DATA_ROW
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from tests.documents.conftest import docx_texts
from tests.documents.conftest import form_data
from tests.documents.conftest import sample
from tests.support import drain_queue as work
from views.formatting import VIETNAM

SUMMARY = 'Phối hợp "A&B" <thử> ‘x’ 😀 tổ chức thi đua'
LONG = ("Nội dung dài & <đặc biệt> “ngoặc” 'đơn' 😀 " * 300)[:9_999] + "x"
CLOSING = "Dòng một & <b>không đậm</b>\nDòng hai \"kép\" 'đơn' 😀\nDòng ba./."


def _document(app, document_id: int) -> Document:
    with app.extensions["vanthu.db"].session() as session:
        return session.get(Document, document_id)


def _new(clerk, kind: str, header: dict, body: dict) -> int:
    response = clerk.post(f"/van-ban/moi/{kind}", data=form_data(kind, header, body))
    assert response.status_code == 302, re.findall(r'class="error">([^<]+)', response.text)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _filename(response) -> str:
    disposition = response.headers["Content-Disposition"]
    return unquote(disposition.split("filename*=UTF-8''")[1])


def test_web_request_to_worker_to_docx_pdf_preview_with_awkward_input(app, clerk):
    header, body = sample("ke_hoach")
    header["summary"] = SUMMARY
    body["mo_dau"] = LONG
    body["ket_luan"] = CLOSING
    body["phan"][0]["tieu_de"] = "Mục <1> & “2”"
    document_id = _new(clerk, "ke_hoach", header, body)

    page = clerk.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert "data-poll-job=" in page and "Đang soạn văn bản" in page
    work(app)

    document = _document(app, document_id)
    assert document.render_status == "done", document.render_error
    assert document.docx_file_id and document.pdf_file_id and document.preview_file_id
    page = clerk.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert "data-poll-job=" not in page
    assert f"/van-ban/{document_id}/xem-truoc.png" in page and "Tải bản PDF" in page

    docx = clerk.get(f"/van-ban/{document_id}/tai/docx")
    assert docx.status_code == 200
    assert _filename(docx).startswith("Dự thảo Kế hoạch Phối hợp") and _filename(docx).endswith(
        ".docx"
    )
    texts = docx_texts(docx.data)
    assert SUMMARY in texts
    assert LONG in texts and len(LONG) == 10_000
    assert CLOSING.split("\n") == texts[texts.index("Dòng một & <b>không đậm</b>") :][:3]
    assert "I. MỤC <1> & “2”" in texts
    assert "Số:      /KH-THCSMT" in texts  # a draft has no number

    pdf = clerk.get(f"/van-ban/{document_id}/tai/pdf")
    assert pdf.data.startswith(b"%PDF") and _filename(pdf).endswith(".pdf")
    png = clerk.get(f"/van-ban/{document_id}/xem-truoc.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert png.headers["X-Content-Type-Options"] == "nosniff"
    assert png.headers["Content-Disposition"] == "inline"


def test_issued_document_carries_its_number_and_passes_the_format_checker(app, clerk, world):
    header, body = sample("ke_hoach")
    document_id = _new(clerk, "ke_hoach", header, body)
    # Issued before the draft's render ran: that older job must not overwrite the new one.
    today = date.today()
    response = clerk.post(
        f"/van-ban/{document_id}/phat-hanh", data={"issued_on": today.isoformat()}
    )
    assert response.status_code == 302
    assert "Đã phát hành: số 01/KH-THCSMT" in clerk.get(response.headers["Location"]).text
    work(app)

    document = _document(app, document_id)
    assert (document.number, document.status, document.render_status) == (1, "issued", "done")
    with app.extensions["vanthu.db"].session() as session:
        results = [j.result for j in session.query(Job).order_by(Job.created_at)]
    assert results == [
        {"document_id": document_id, "superseded": True},
        {"document_id": document_id},
    ]
    docx = clerk.get(f"/van-ban/{document_id}/tai/docx")
    assert _filename(docx) == "Kế hoạch 01-KH-THCSMT.docx"
    texts = docx_texts(docx.data)
    assert "Số: 01/KH-THCSMT" in texts
    assert any(t.startswith("Mỹ Thạnh, ngày") and str(today.year) in t for t in texts)
    assert check_docx(docx.data) == []

    register = clerk.get(f"/van-ban/so-van-ban-di?year={today.year}").get_data(as_text=True)
    assert "KH-THCSMT" in register and header["summary"].replace("“", "")[:20] in register.replace(
        "“", ""
    )
    sheet = load_workbook(
        io.BytesIO(clerk.get(f"/van-ban/so-van-ban-di/xuat-excel?year={today.year}").data)
    ).active
    assert [c.value for c in sheet[FIRST_DATA_ROW]][:4] == [
        1,
        "KH-THCSMT",
        datetime(today.year, today.month, today.day),
        "Kế hoạch",
    ]


def test_failed_render_is_explained_in_vietnamese_and_can_be_redone(app, clerk, world):
    header, body = sample("cong_van")
    document_id = _new(clerk, "cong_van", header, body)
    with app.extensions["vanthu.db"].session() as session:
        session.get(Organization, world["school"]).name = ""  # the header cannot be built
    work(app)  # the worker keeps running; the job and the document record why

    document = _document(app, document_id)
    assert document.render_status == "failed"
    with app.extensions["vanthu.db"].session() as session:
        assert session.get(Job, document.job_id).status == "failed"
    page = clerk.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert "Chưa soạn được văn bản." in page
    assert "Chưa khai báo tên cơ quan ban hành" in page
    assert "Soạn lại</button>" in page

    with app.extensions["vanthu.db"].session() as session:
        session.get(Organization, world["school"]).name = "TRƯỜNG THCS MỸ THẠNH"
    assert clerk.post(f"/van-ban/{document_id}/soan-lai").status_code == 302
    work(app)
    assert _document(app, document_id).render_status == "done"
    assert "Chưa soạn được" not in clerk.get(f"/van-ban/{document_id}").get_data(as_text=True)


def test_vietnam_today_is_the_default_issue_date(app, clerk, make_draft):
    from datetime import datetime

    page = clerk.get(f"/van-ban/{make_draft()}").get_data(as_text=True)
    assert f'value="{datetime.now(VIETNAM).date():%d/%m/%Y}"' in page
