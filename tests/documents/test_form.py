"""The "new document" form is built from each kind's manifest; bad input is refused on the
page in Vietnamese with everything kept, never as a failed job."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlalchemy import select

from render.manifest import KINDS
from render.manifest import load_manifest
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from tests.documents.conftest import form_data
from tests.documents.conftest import sample


def _count(app, model) -> int:
    with app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _latest(app) -> Document:
    with app.extensions["vanthu.db"].session() as session:
        return session.scalars(select(Document).order_by(Document.id.desc())).first()


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_form_shows_each_manifest_field_with_its_label(clerk, kind):
    page = clerk.get(f"/van-ban/moi/{kind}").get_data(as_text=True)
    manifest = load_manifest(kind)
    for spec in (*manifest.header_fields, *manifest.fields):
        assert spec.label in page, spec.name
        if spec.type == "list":
            for column in spec.columns:
                assert column.label in page
            assert f'name="b_{spec.name}-0-{spec.columns[0].name}"' in page
        elif spec.type == "choice":
            assert (
                f'<select id="{"h_" if spec in manifest.header_fields else "b_"}{spec.name}"'
                in page
            )
        if spec.help:
            assert spec.help.replace("“", "").split()[0] in page


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_saves_its_sample_through_the_form(app, clerk, kind):
    header, body = sample(kind)
    response = clerk.post(f"/van-ban/moi/{kind}", data=form_data(kind, header, body))
    assert response.status_code == 302, re.findall(r'class="error">([^<]+)', response.text)
    document = _latest(app)
    assert document.kind == kind and document.status == "draft" and document.number is None
    assert document.render_status == "queued" and document.job_id
    manifest = load_manifest(kind)
    for spec in manifest.fields:
        if spec.type == "list":
            assert len(document.body_fields[spec.name]) == len(body.get(spec.name) or [])


@pytest.mark.parametrize("kind", KINDS)
def test_missing_required_fields_are_form_errors_in_vietnamese(app, clerk, kind):
    response = clerk.post(f"/van-ban/moi/{kind}", data={})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Biểu mẫu còn lỗi" in page
    assert "Vui lòng nhập mục này." in page
    manifest = load_manifest(kind)
    if any(f.type == "list" and f.required for f in manifest.fields):
        assert "Vui lòng nhập ít nhất một dòng." in page
    assert _count(app, Document) == 0 and _count(app, Job) == 0


def test_table_row_missing_a_required_column_names_the_row_and_column(app, clerk):
    header, body = sample("ke_hoach")
    body["phan"] = [{"tieu_de": "Mục đích", "noi_dung": "Nội dung"}, {"tieu_de": "Yêu cầu"}]
    response = clerk.post("/van-ban/moi/ke_hoach", data=form_data("ke_hoach", header, body))
    assert response.status_code == 400
    assert "Dòng 2: chưa nhập “Nội dung”." in response.get_data(as_text=True)
    assert 'value="Yêu cầu"' in response.get_data(as_text=True)  # nothing typed is lost
    assert _count(app, Document) == 0


def test_blank_table_rows_are_dropped_and_zero_counts_are_accepted(app, clerk):
    header, body = sample("bien_ban")
    body["ung_vien"] = [{}, *body["ung_vien"], {"ho_ten": "", "dong_y": ""}]
    data = form_data("bien_ban", header, body) | {"b_so_co_mat": "0"}
    data["b_ung_vien-1-dong_y"] = "0"
    response = clerk.post("/van-ban/moi/bien_ban", data=data)
    assert response.status_code == 302
    document = _latest(app)
    assert document.body_fields["so_co_mat"] == 0
    assert len(document.body_fields["ung_vien"]) == len(sample("bien_ban")[1]["ung_vien"])


def test_domain_refusal_is_shown_on_the_form_not_as_a_failed_job(app, clerk):
    header, body = sample("bien_ban")
    data = form_data("bien_ban", header, body) | {"b_so_thanh_vien": "5", "b_so_co_mat": "9"}
    response = clerk.post("/van-ban/moi/bien_ban", data=data)
    assert response.status_code == 400
    assert "Số thành viên có mặt phải từ 0 đến tổng số" in response.get_data(as_text=True)
    assert _count(app, Job) == 0


def test_wrong_number_and_date_are_refused_in_vietnamese(clerk):
    header, body = sample("bien_ban")
    data = form_data("bien_ban", header, body) | {"b_so_thanh_vien": "mười", "h_date": "31/02/2026"}
    page = clerk.post("/van-ban/moi/bien_ban", data=data).get_data(as_text=True)
    assert "Vui lòng nhập một số nguyên." in page
    assert "Không có ngày 31/02/2026 trong lịch." in page


def test_multi_paragraph_text_stays_multi_paragraph(app, clerk):
    header, body = sample("cong_van")
    body["noi_dung"] = "Đoạn một.\r\n\r\nĐoạn hai có dấu “ngoặc”.\r\nĐoạn ba./."
    assert (
        clerk.post("/van-ban/moi/cong_van", data=form_data("cong_van", header, body)).status_code
        == 302
    )
    assert (
        _latest(app).body_fields["noi_dung"] == "Đoạn một.\n\nĐoạn hai có dấu “ngoặc”.\nĐoạn ba./."
    )


def test_values_are_stored_nfc(app, clerk):
    header, body = sample("cong_van")
    header["summary"] = "Về việc thi đua".replace("ệ", "e\u0323\u0302")  # decomposed
    assert (
        clerk.post("/van-ban/moi/cong_van", data=form_data("cong_van", header, body)).status_code
        == 302
    )
    assert _latest(app).summary == "Về việc thi đua"


def test_new_form_is_prefilled_with_the_head_of_the_body_and_usual_recipients(app, world, clerk):
    with app.extensions["vanthu.db"].session() as session:
        session.get(
            Organization, world["school"]
        ).default_recipients = "Phòng GD&ĐT\nCác tổ chuyên môn"
    page = clerk.get("/van-ban/moi/ke_hoach").get_data(as_text=True)
    assert 'value="Hiệu trưởng"' in page
    assert 'value="Nguyễn Văn Giàu"' in page
    assert "Phòng GD&amp;ĐT\nCác tổ chuyên môn</textarea>" in page


def test_add_rows_keeps_what_was_typed_and_saves_nothing(app, clerk):
    header, body = sample("ke_hoach")
    data = form_data("ke_hoach", header, body) | {"add_rows": "tien_do"}
    response = clerk.post("/van-ban/moi/ke_hoach", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = len(body["tien_do"])
    assert f'name="b_tien_do-{rows + 2}-thoi_gian"' in page
    assert body["tien_do"][0]["noi_dung"] in page and "Vui lòng nhập" not in page
    assert _count(app, Document) == 0


def test_editing_a_draft_shows_its_values_and_re_renders(app, clerk, make_draft):
    document_id = make_draft("ke_hoach")
    page = clerk.get(f"/van-ban/{document_id}/sua").get_data(as_text=True)
    assert "Mục đích, yêu cầu" in page and 'value="15/09/2025"' in page
    header, body = sample("ke_hoach")
    header["summary"] = "Kế hoạch đã sửa"
    response = clerk.post(f"/van-ban/{document_id}/sua", data=form_data("ke_hoach", header, body))
    assert response.status_code == 302
    document = _latest(app)
    assert document.summary == "Kế hoạch đã sửa" and document.render_status == "queued"
    assert _count(app, Job) == 1


def test_unknown_kind_is_404(clerk):
    assert clerk.get("/van-ban/moi/khong_co").status_code == 404
