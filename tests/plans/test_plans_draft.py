"""Drafting the school's responding plan from a confirmed incoming plan."""

from __future__ import annotations

from sqlalchemy import select

from services.plans import citation_line
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from tests.plans.conftest import load
from tests.plans.test_plans_review import form_data


def _confirm(app, clerk, incoming_id):  # type: ignore[no-untyped-def]
    extracted = load(app, incoming_id).extracted
    response = clerk.post(
        f"/van-ban-den/{incoming_id}/ra-soat", data=form_data(extracted) | {"confirm": "y"}
    )
    assert response.status_code == 302


def _document(app) -> Document:  # type: ignore[no-untyped-def]
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
    assert [row["thoi_gian"] for row in body["tien_do"]] == [
        "Trước ngày 23/09/2024",
        "Từ ngày 08/10/2024 đến ngày 18/10/2024",
        "Trước ngày 03/01/2025 (hằng năm)",
    ]
    assert body["tien_do"][0]["ghi_chu"] == "Hạn của cấp trên: 30/09/2024"
    assert "Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập" in body["phan"][1]["noi_dung"]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get(Job, document.job_id)
        assert job.function == "worker.jobs.render_document"
        assert job.args == {"document_id": document.id}


def test_default_lead_days_come_from_the_config(app, clerk, parsed_text):
    _confirm(app, clerk, parsed_text)
    clerk.post(f"/van-ban-den/{parsed_text}/lap-ke-hoach")
    rows = _document(app).body_fields["tien_do"]
    assert rows[0]["thoi_gian"] == "Trước ngày 25/09/2024"  # 30/9 minus DRAFT_LEAD_DAYS=5


def test_no_draft_before_confirmation(app, clerk, parsed_text):
    response = clerk.post(f"/van-ban-den/{parsed_text}/lap-ke-hoach")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/van-ban-den/{parsed_text}")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(Document)) is None
