"""Drafting the school's responding plan from a confirmed incoming plan."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document as DocxDocument
from sqlalchemy import select

from render.build.measure import CELL_MARGIN_MM
from render.build.measure import width_mm
from render.manifest import TEMPLATES_DIR
from services.plans.drafting import citation_line
from services.plans.drafting import draft_schedule
from services.plans.drafting import lead_days
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from tests.plans.conftest import load
from tests.plans.test_plans_review import form_data


def _confirm(app, clerk, incoming_id):
    extracted = load(app, incoming_id).extracted
    response = clerk.post(
        f"/van-ban-den/{incoming_id}/ra-soat", data=form_data(extracted) | {"confirm": "y"}
    )
    assert response.status_code == 302


def _document(app) -> Document:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.scalar(select(Document))
        session.expunge(document)
        return document


def test_citation_line_is_built_from_the_confirmed_fields():
    fields = {
        "doc_type": "KH",
        "number": "15",
        "symbol": "KH-PGDĐT",
        "issued_date": "2024-09-02",
        "issuer": "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO BẾN CÁT",
        "title": "Tổ chức phong trào thi đua năm học 2024-2025",
    }
    assert citation_line(fields) == (
        "Căn cứ Kế hoạch số 15/KH-PGDĐT ngày 02/09/2024 của Phòng Giáo dục và Đào tạo Bến Cát "
        "về tổ chức phong trào thi đua năm học 2024-2025;"
    )
    draft = {"doc_type": "CV", "number": None, "symbol": "PGDĐT-TĐKT", "issuer": "", "title": ""}
    assert citation_line(draft) == "Căn cứ Công văn số …/PGDĐT-TĐKT;"


def test_draft_plan_cites_the_document_and_moves_deadlines_earlier(app, clerk, parsed_text, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org = session.get(Organization, world["school"])
        org.default_recipients = "Các tổ chuyên môn\nCông đoàn, Liên đội"
        org.settings = {"draft_lead_days": 7}
    _confirm(app, clerk, parsed_text)
    response = clerk.post(f"/van-ban-den/{parsed_text}/lap-ke-hoach")
    assert response.status_code == 302
    document = _document(app)
    assert response.headers["Location"].endswith(f"/van-ban/{document.id}")
    assert document.kind == "ke_hoach" and document.incoming_id == parsed_text
    assert document.number is None  # a draft: the register numbers it when issued
    header, body = document.header_fields, document.body_fields
    assert header["can_cu"] == [
        "Căn cứ Kế hoạch số 15/KH-PGDĐT ngày 12/09/2024 của Phòng Giáo dục và Đào tạo Bến Cát "
        "về tổ chức phong trào thi đua năm học 2024-2025;"
    ]
    assert header["summary"] == "Tổ chức phong trào thi đua năm học 2024-2025"
    assert header["recipients"] == ["Các tổ chuyên môn", "Công đoàn, Liên đội"]
    assert header["signer_name"] == "Nguyễn Văn Giàu"
    # A 2024-2025 plan drafted now: its deadlines are long past, so none is scheduled
    # and the clerk is told why (the dates themselves: see the draft_schedule tests).
    assert body["tien_do"] == []
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cần xem lại phần Tiến độ" in page and "đã qua" in page
    assert "Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập" in body["phan"][1]["noi_dung"]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get(Job, document.job_id)
        assert job.function == "worker.jobs.render_document"
        assert job.args == {"document_id": document.id}


def test_default_lead_days_come_from_the_config(app, clerk, parsed_text, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        lead = lead_days(app, session.get(Organization, world["school"]))
    assert lead == 5
    fields = load(app, parsed_text).extracted
    rows = draft_schedule(fields, lead, date(2024, 9, 13)).rows
    assert rows[0]["thoi_gian"] == "Trước ngày 25/09/2024; hạn của cấp trên: 30/09/2024"


def test_the_review_page_warns_what_the_draft_cannot_schedule(app, clerk, parsed_text):
    _confirm(app, clerk, parsed_text)
    page = clerk.get(f"/van-ban-den/{parsed_text}").get_data(as_text=True)
    notes = page.split("Cần xem lại trước khi lập dự thảo")[1].split("</ul>")[0]
    assert "Các trường gửi đăng ký thi đua về Phòng" in notes and "đã qua" in notes


TODAY = date(2026, 12, 7)  # a Monday
FIELDS = {
    "period": "2026-2027",
    "deadlines": [
        {"date": "2023-05-10", "what": "Nộp báo cáo năm 2023"},
        {"date": "2026-12-09", "what": "Nộp danh sách đề nghị"},
        {"date": "2026-12-31", "what": "Nộp báo cáo tổng kết"},
        {"date": "2026-11-02", "recurrence": "weekly", "what": "Họp giao ban"},
        {"date": "2026-12-01", "end": "2026-12-20", "what": "Kiểm tra hồ sơ"},
        {"date": "2026-11-30", "recurrence": "monthly", "month_day": 31, "what": "Báo cáo tháng"},
    ],
}


def test_internal_deadlines_are_never_before_the_draft_date():
    schedule = draft_schedule(FIELDS, 5, TODAY)
    when = {row["noi_dung"]: row["thoi_gian"] for row in schedule.rows}
    assert when == {
        # two days left: today, flagged in Ghi chú and in the notes
        "Nộp danh sách đề nghị": "Trước ngày 07/12/2026; hạn của cấp trên: 09/12/2026",
        "Nộp báo cáo tổng kết": "Trước ngày 26/12/2026; hạn của cấp trên: 31/12/2026",
        # the next meeting whose internal deadline is ahead, not the plan's first one
        "Họp giao ban": "Trước ngày 09/12/2026 (hằng tuần); hạn của cấp trên: 14/12/2026",
        "Kiểm tra hồ sơ": "Từ ngày 07/12/2026 đến ngày 15/12/2026; hạn của cấp trên: "
        "01/12/2026 - 20/12/2026",
        "Báo cáo tháng": "Trước ngày 26/12/2026 (hằng tháng); hạn của cấp trên: 31/12/2026",
    }
    flagged = {row["noi_dung"]: row["ghi_chu"] for row in schedule.rows if row["ghi_chu"]}
    assert flagged == {"Nộp danh sách đề nghị": "Chỉ còn 2 ngày, không đủ 5 ngày chuẩn bị"}
    assert any("Nộp danh sách đề nghị" in note for note in schedule.notes)


def test_long_past_items_and_ended_series_are_left_out_with_a_note():
    fields = {**FIELDS, "period": "2023-2025"}
    schedule = draft_schedule(fields, 5, TODAY)
    names = [row["noi_dung"] for row in schedule.rows]
    assert "Nộp báo cáo năm 2023" not in names
    assert "Họp giao ban" not in names and "Báo cáo tháng" not in names  # ended in 2025
    notes = " ".join(schedule.notes)
    assert "Nộp báo cáo năm 2023" in notes and "10/05/2023" in notes
    assert "Họp giao ban" in notes and "31/12/2025" in notes


def _column_widths_mm() -> dict[str, float]:
    """The Tiến độ table's column widths in the ke_hoach template, by header text."""
    document = DocxDocument(TEMPLATES_DIR / "ke_hoach.docx")
    for table in document.tables:
        headers = [cell.text.strip() for cell in table.rows[0].cells]
        if "Thời gian" in headers:
            return {h: c.width.mm for h, c in zip(headers, table.columns, strict=True)}
    raise AssertionError("no Tiến độ table")


@pytest.mark.parametrize(("column", "key"), [("Thời gian", "thoi_gian"), ("Ghi chú", "ghi_chu")])
def test_no_date_is_wider_than_its_column(column, key):
    """Word and LibreOffice break a word wider than its cell inside it ("31/12/202 / 5");
    every word of the drafted cells, at the table's 13 pt, fits the cell's text width."""
    room = _column_widths_mm()[column] - 2 * CELL_MARGIN_MM
    schedule = draft_schedule(FIELDS, 5, TODAY)
    words = {word for row in schedule.rows for word in row[key].split()}
    assert words
    too_wide = {w: round(width_mm(w, 13), 1) for w in words if width_mm(w, 13) > room}
    assert too_wide == {}, f"column {column}: {room:.1f} mm"


def test_no_draft_before_confirmation(app, clerk, parsed_text):
    response = clerk.post(f"/van-ban-den/{parsed_text}/lap-ke-hoach")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/van-ban-den/{parsed_text}")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(Document)) is None
