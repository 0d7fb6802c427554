"""Custom templates: hostile uploads refused with reasons, versions, activation after the
trial render (a job: nothing runs a template in the web request), previews, and the render
job using the active version."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from render.manifest import load_manifest
from services.documents import create_document
from services.documents import request_render
from storage.models import Document
from storage.models import DocumentTemplate
from storage.models import Job
from storage.models import Organization
from storage.models import Role
from storage.models import User
from tests.conftest import _password_hash
from tests.doc_templates.template_files import KIND
from tests.doc_templates.template_files import MARK
from tests.doc_templates.template_files import builtin
from tests.doc_templates.template_files import docm
from tests.doc_templates.template_files import png_bytes
from tests.doc_templates.template_files import upload
from tests.doc_templates.template_files import with_first_paragraph
from tests.doc_templates.template_files import zip_bomb_docx
from tests.support import drain_queue as drain

BASE = f"/quan-tri/mau-van-ban/{KIND}"


def _versions(app) -> list[DocumentTemplate]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return list(session.scalars(select(DocumentTemplate).order_by(DocumentTemplate.version)))


def _text(docx_bytes: bytes) -> str:
    document = docx.Document(io.BytesIO(docx_bytes))
    return "\n".join(p.text for p in document.paragraphs)


HOSTILE = {
    "class access": (
        lambda: with_first_paragraph("{{ ''.__class__ }}"),
        "thuộc tính nội bộ “__class__”",
    ),
    "globals through cycler": (
        lambda: with_first_paragraph("{{ cycler.__init__.__globals__ }}"),
        "thuộc tính nội bộ “__globals__”",
    ),
    "unknown variable": (
        lambda: with_first_paragraph("{{ mat_khau_quan_tri }}"),
        "biến không có trong biểu mẫu “Công văn”: mat_khau_quan_tri",
    ),
    "bad syntax": (lambda: with_first_paragraph("{{ issuer | }}"), "sai cú pháp"),
    "unclosed block": (lambda: with_first_paragraph("{% if issuer %}không đóng"), "sai cú pháp"),
    "nesting too deep to compile": (
        lambda: with_first_paragraph("{% if issuer %}" * 3000 + "x" + "{% endif %}" * 3000),
        "quá nhiều tầng",
    ),
    "zip bomb": (zip_bomb_docx, "zip bomb"),
    "png renamed docx": (png_bytes, "nội dung thực là image/png"),
    "macro-enabled docm": (docm, "macro"),
    "empty file": (lambda: b"", "rỗng"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_template_is_refused_with_vietnamese_reason(admin, app, case):
    make, reason = HOSTILE[case]
    response = upload(admin, make())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mẫu không được chấp nhận" in page
    assert reason in page.replace("&#34;", '"').replace("&#39;", "'")
    assert _versions(app) == []


def test_cycler_globals_reason_names_every_internal_attribute(admin):
    page = upload(admin, with_first_paragraph("{{ cycler.__init__.__globals__ }}")).get_data(
        as_text=True
    )
    assert "“__init__”" in page and "“__globals__”" in page


def test_upload_without_file_asks_for_one(admin, app):
    response = admin.post(BASE, data={"note": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Vui lòng chọn tệp mẫu .docx." in response.get_data(as_text=True)


def test_good_template_is_versioned_activated_reverted_and_downloadable(admin, app, world):
    first = with_first_paragraph(MARK)
    response = upload(admin, first, note="Thêm logo trường")
    assert response.status_code == 302
    assert upload(admin, builtin(), name="bản hai.docx", activate=True).status_code == 302
    assert [v.active for v in _versions(app)] == [False, False]  # not before its trial render
    drain(app)
    v1, v2 = _versions(app)
    assert (v1.version, v1.active, v1.note, v1.created_by_id) == (
        1,
        False,
        "Thêm logo trường",
        world["admin"],
    )
    assert (v2.version, v2.active) == (2, True)

    page = admin.get(BASE).get_data(as_text=True)
    assert "Phiên bản 1" in page and "Phiên bản 2" in page and "Thêm logo trường" in page
    assert "Phạm Quốc Bảo" in page  # who uploaded

    download = admin.get(f"{BASE}/{v1.id}/tai-ve")
    assert download.data == first
    assert (
        "filename*=UTF-8''M%E1%BA%ABu%20C%C3%B4ng%20v%C4%83n"
        in download.headers["Content-Disposition"]
    )
    assert admin.get(f"{BASE}/mau-goc.docx").data == builtin()

    # Revert to the older version, then to the built-in.
    assert admin.post(f"{BASE}/{v1.id}/kich-hoat").status_code == 302
    assert [v.active for v in _versions(app)] == [True, False]
    assert admin.post(f"{BASE}/dung-mau-goc").status_code == 302
    assert [v.active for v in _versions(app)] == [False, False]
    assert admin.post(f"{BASE}/{v2.id}/kich-hoat").status_code == 302
    assert [v.active for v in _versions(app)] == [False, True]

    index = admin.get("/quan-tri/mau-van-ban/").get_data(as_text=True)
    assert "Phiên bản 2" in index


def test_version_of_another_kind_or_organization_is_not_found(admin, app, world):
    upload(admin, builtin())
    (v1,) = _versions(app)
    assert admin.get(f"/quan-tri/mau-van-ban/ke_hoach/{v1.id}/tai-ve").status_code == 404
    assert admin.get("/quan-tri/mau-van-ban/khong_co").status_code == 404
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.add(
            User(
                organization_id=world["other"], email="other_admin@truong.edu.vn",
                full_name="Quản trị khác", role=Role.ADMIN.value, password_hash=_password_hash(),
            )
        )  # fmt: skip
    admin.post("/dang-xuat")
    admin.post("/dang-nhap", data={"email": "other_admin@truong.edu.vn", "password": "MatKhau123"})
    assert admin.get(f"{BASE}/{v1.id}/tai-ve").status_code == 404
    assert admin.post(f"{BASE}/{v1.id}/kich-hoat").status_code == 404
    assert "Phiên bản 1" not in admin.get(BASE).get_data(as_text=True)


def test_preview_job_renders_sample_to_png_on_real_worker(admin, app):
    upload(admin, with_first_paragraph(MARK))
    (v1,) = _versions(app)
    page = admin.get(BASE).get_data(as_text=True)
    assert "data-poll-job" in page  # the upload queued the trial render: the page polls it
    drain(app)
    assert admin.post(f"{BASE}/{v1.id}/xem-truoc").status_code == 302
    page = admin.get(BASE).get_data(as_text=True)
    assert "data-poll-job" in page  # queued: the page polls the job
    drain(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        trial, job = session.scalars(select(Job).order_by(Job.created_at)).all()
        assert (trial.status, trial.args["template_id"]) == ("done", v1.id)
        assert (job.status, job.error) == ("done", "")
        assert job.result["template_id"] == v1.id
    page = admin.get(BASE).get_data(as_text=True)
    assert "phiên bản 1" in page and "data-poll-job" not in page
    image = admin.get(f"/quan-tri/mau-van-ban/xem-truoc/{job.id}/png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG\r\n\x1a\n")
    pdf = admin.get(f"/quan-tri/mau-van-ban/xem-truoc/{job.id}/pdf")
    assert pdf.data.startswith(b"%PDF-")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        text = document.pages[0].extract_text()
    assert MARK in text
    assert "TRƯỜNG THCS MỸ THẠNH" in text  # the organization's own header


def test_preview_of_builtin_template(admin, app):
    assert admin.post(f"{BASE}/xem-truoc").status_code == 302
    drain(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.scalar(select(Job))
        assert job.status == "done" and job.result["template_id"] is None
    assert "mẫu gốc" in admin.get(BASE).get_data(as_text=True)


def _render_sample_document(app, world) -> Document:
    sample = load_manifest(KIND).sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session,
            organization_id=world["school"],
            created_by_id=world["clerk"],
            kind=KIND,
            header_fields=sample.get("header", {}),
            body_fields=sample.get("body", {}),
        )
        request_render(session, app, document, user_id=world["clerk"])
        document_id = document.id
    drain(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert document.render_status == "done", document.render_error
        document.docx = document.docx_file.content
        return document


def test_render_job_uses_the_active_version_and_builtin_after_revert(admin, app, world):
    upload(admin, with_first_paragraph(MARK), activate=True)
    drain(app)
    (v1,) = _versions(app)
    assert v1.active
    rendered = _render_sample_document(app, world)
    assert MARK in _text(rendered.docx)
    assert rendered.template_id == v1.id
    admin.post(f"{BASE}/dung-mau-goc")
    rendered = _render_sample_document(app, world)
    assert MARK not in _text(rendered.docx)
    assert rendered.template_id is None


def test_other_organization_keeps_the_builtin(admin, app, world):
    upload(admin, with_first_paragraph(MARK), activate=True)
    from services.documents import template_bytes

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Organization, world["other"]) is not None
        assert template_bytes(session, world["other"], KIND) == (builtin(), None)


def test_upload_runs_no_template_in_the_request_and_queues_its_trial_render(
    admin, app, monkeypatch
):
    import docxtpl

    def refuse(*args, **kwargs):
        raise AssertionError("a template was rendered in the web request")

    monkeypatch.setattr(docxtpl.DocxTemplate, "render", refuse)
    monkeypatch.setattr("render.engine.render_docx", refuse)
    # A template that would take gigabytes if run: the request only checks it.
    response = upload(admin, with_first_paragraph("{{ 'x' * 10**9 }}"), activate=True)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#xem-truoc")
    (version,) = _versions(app)
    assert not version.active
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        (job,) = session.scalars(select(Job)).all()
        assert job.function == "worker.jobs.preview_template"
        assert job.args == {
            "organization_id": version.organization_id, "kind": KIND,
            "template_id": version.id, "activate": True, "active_before": None,
        }  # fmt: skip
    page = admin.get(BASE).get_data(as_text=True)
    assert "Đang thử tạo văn bản với dữ liệu mẫu" in page


def test_template_failing_its_trial_render_is_kept_but_never_activated(admin, app):
    app.config.update(RENDER_MEMORY_MB=256)
    upload(admin, with_first_paragraph("{{ 'x' * 10**9 }}"), activate=True)
    drain(app)  # the trial render runs in a limited child of the worker
    (version,) = _versions(app)
    assert not version.active
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        (job,) = session.scalars(select(Job)).all()
    assert job.status == "failed"
    assert job.error == (
        "Thử tạo văn bản với dữ liệu mẫu không thành công: Mẫu văn bản dùng quá nhiều bộ nhớ "
        "khi soạn (giới hạn 256 MB); hãy kiểm tra vòng lặp hoặc phép nhân chuỗi trong mẫu."
    )
    page = admin.get(BASE).get_data(as_text=True)
    assert "dùng quá nhiều bộ nhớ khi soạn (giới hạn 256 MB)" in page
    # Choosing it by hand is refused with the same reason.
    response = admin.post(f"{BASE}/{version.id}/kich-hoat", follow_redirects=True)
    assert "Chưa dùng được phiên bản 1" in response.get_data(as_text=True)
    assert not _versions(app)[0].active


def test_template_failing_on_a_missing_attribute_is_named_by_its_trial_render(admin, app):
    upload(admin, with_first_paragraph("{{ summary.khong_co }}"), activate=True)
    drain(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        (job,) = session.scalars(select(Job)).all()
    assert job.status == "failed"
    assert job.error.startswith("Thử tạo văn bản với dữ liệu mẫu không thành công: Thiếu dữ liệu")
    assert not _versions(app)[0].active


def test_activation_after_the_trial_keeps_a_choice_made_meanwhile(admin, app):
    upload(admin, with_first_paragraph(MARK))
    drain(app)
    upload(admin, builtin(), name="bản hai.docx", activate=True)  # trial still queued
    v1, _v2 = _versions(app)
    assert admin.post(f"{BASE}/{v1.id}/kich-hoat").status_code == 302  # chosen meanwhile
    drain(app)
    assert [v.active for v in _versions(app)] == [True, False]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        trial = session.scalars(select(Job).order_by(Job.created_at.desc())).first()
    assert (trial.status, trial.result["activated"]) == ("done", False)
