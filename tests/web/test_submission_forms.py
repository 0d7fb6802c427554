"""Staff forms end to end through the app: validation, storage, NFC, windows, evidence."""

import io
import unicodedata

import pytest
from sqlalchemy import select

from storage.models import Round
from storage.models import StoredFile
from storage.models import Submission


def _submissions(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalars(select(Submission).order_by(Submission.id)).all()


EXEMPLARY_OK = {
    "nominee_type": "individual",
    "nominee_name": "Nguyễn Thị Ánh",
    "position": "Giáo viên",
    "unit": "Tổ Toán - Tin",
    "field": "Đổi mới phương pháp dạy học",
    "achievements": "Có 3 học sinh đạt giải cấp tỉnh.\nChủ trì chuyên đề cấp trường.",
}
COMMENDATION_OK = {
    "nominee_type": "individual",
    "nominee_name": "Trần Văn Đức",
    "form_code": "GIAY_KHEN",
    "period": "Năm học 2024-2025",
    "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học 2024-2025.",
}
INITIATIVE_OK = {
    "title": "Ứng dụng bản đồ tư duy trong dạy học Ngữ văn 8",
    "authors": "Trần Văn Đức\nLê Thị Hồng",
    "field": "Ngữ văn",
    "scope": "Áp dụng tại 4 lớp 8 từ học kỳ I năm học 2024-2025.",
    "effect": "Tỷ lệ học sinh đạt khá, giỏi tăng 12 %.",
}


@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    [
        (
            "dien-hinh",
            EXEMPLARY_OK | {"nominee_name": ""},
            "nominee_name",
            "Vui lòng nhập mục này.",
        ),
        ("dien-hinh", EXEMPLARY_OK | {"achievements": "ngắn"}, "achievements", "Độ dài phải từ 20"),
        (
            "dien-hinh",
            EXEMPLARY_OK | {"nominee_name": "A" * 256},
            "nominee_name",
            "Tối đa 255 ký tự.",
        ),
        ("khen-thuong", COMMENDATION_OK | {"form_code": ""}, "form_code", "Vui lòng chọn"),
        (
            "khen-thuong",
            COMMENDATION_OK | {"form_code": "KHONG_CO"},
            "form_code",
            "Lựa chọn không hợp lệ.",
        ),
        ("khen-thuong", COMMENDATION_OK | {"period": "   "}, "period", "Vui lòng nhập mục này."),
        ("sang-kien", INITIATIVE_OK | {"authors": "\n \n"}, "authors", "Vui lòng nhập"),
        ("sang-kien", INITIATIVE_OK | {"effect": "x" * 20001}, "effect", "Tối đa 20000 ký tự."),
    ],
)
def test_invalid_form_is_refused_with_vietnamese_message_and_saves_nothing(
    client, auth, world, app, slug, data, field, message
):
    auth.login("staff")
    response = client.post(f"/dot/{world['round']}/{slug}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Biểu mẫu còn lỗi" in page
    assert message in page
    assert _submissions(app) == []


@pytest.mark.parametrize(
    ("slug", "data", "kind"),
    [
        ("dien-hinh", EXEMPLARY_OK, "exemplary"),
        ("khen-thuong", COMMENDATION_OK, "commendation"),
        ("sang-kien", INITIATIVE_OK, "initiative"),
    ],
)
def test_valid_form_is_stored_and_shown(client, auth, world, app, slug, data, kind):
    auth.login("staff")
    response = client.post(f"/dot/{world['round']}/{slug}", data=data)
    assert response.status_code == 302
    (saved,) = _submissions(app)
    assert saved.kind == kind and saved.created_by_id == world["staff"]
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    first_value = data.get("nominee_name") or data["title"]
    assert first_value in detail


def test_decomposed_vietnamese_is_stored_nfc_and_shown_unchanged(client, auth, world, app):
    auth.login("staff")
    name = "Nguyễn Thị Thuỷ Đặng"
    nfd = unicodedata.normalize("NFD", name)
    achievements = unicodedata.normalize("NFD", "Đạt giải Nhất “Giáo viên dạy giỏi” cấp tỉnh & <b>")
    client.post(
        f"/dot/{world['round']}/dien-hinh",
        data=EXEMPLARY_OK | {"nominee_name": nfd, "achievements": achievements},
    )
    (saved,) = _submissions(app)
    assert saved.nominee_name == name
    assert unicodedata.is_normalized("NFC", saved.data["achievements"])
    page = client.get(f"/ho-so/{saved.id}").get_data(as_text=True)
    assert name in page
    assert "&lt;b&gt;" in page and "<b>" not in page  # escaped, not interpreted
    assert saved.search_key == "nguyen thi thuy dang"


def test_unit_head_registers_several_people_at_once(client, auth, world, app):
    auth.login("staff")
    data = {
        "nominee_type": "individual",
        "people-0-full_name": "Nguyễn Thị Ánh",
        "people-0-title_code": "CSTDCS",
        "people-0-unit": "Tổ Toán - Tin",
        "people-1-full_name": "",
        "people-1-title_code": "",
        "people-2-full_name": "Hoàng Văn Nam",
        "people-2-title_code": "LDTT",
    }
    response = client.post(f"/dot/{world['round']}/dang-ky", data=data)
    assert response.status_code == 302
    saved = _submissions(app)
    assert [(s.nominee_name, s.title_code) for s in saved] == [
        ("Nguyễn Thị Ánh", "CSTDCS"),
        ("Hoàng Văn Nam", "LDTT"),
    ]
    assert saved[0].batch_id == saved[1].batch_id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nominee_type": "individual"}, "Vui lòng nhập ít nhất một người đăng ký."),
        (
            {"nominee_type": "individual", "people-0-full_name": "Nguyễn Văn A"},
            "Vui lòng chọn danh hiệu.",
        ),
        (
            {
                "nominee_type": "individual",
                "people-0-unit": "Tổ Văn",
                "people-0-title_code": "LDTT",
            },
            "Vui lòng nhập họ và tên.",
        ),
        (
            {"nominee_type": "collective", "collective_title": "TTLDTT"},
            "Vui lòng nhập tên tập thể.",
        ),
    ],
)
def test_registration_validation(client, auth, world, app, data, message):
    auth.login("staff")
    page = client.post(f"/dot/{world['round']}/dang-ky", data=data).get_data(as_text=True)
    assert message in page
    assert _submissions(app) == []


def test_collective_registration(client, auth, world, app):
    auth.login("staff")
    client.post(
        f"/dot/{world['round']}/dang-ky",
        data={
            "nominee_type": "collective",
            "collective_unit": "Tổ Toán - Tin",
            "collective_title": "TTLDXS",
        },
    )
    (saved,) = _submissions(app)
    assert (saved.nominee_type, saved.nominee_name, saved.title_code) == (
        "collective",
        "Tổ Toán - Tin",
        "TTLDXS",
    )


def test_evidence_files_are_checked_by_content_and_kept_with_their_vietnamese_name(
    client, auth, world, app, docx_bytes, pdf_bytes
):
    auth.login("staff")
    data = EXEMPLARY_OK | {
        "evidence": [
            (io.BytesIO(docx_bytes), "Giấy chứng nhận đạt giải.docx"),
            (io.BytesIO(pdf_bytes), "Quyết định số 12-QĐ.pdf"),
        ]
    }
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    (saved,) = _submissions(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        files = session.scalars(select(StoredFile).order_by(StoredFile.original_name)).all()
        assert [(f.original_name, f.mime_type) for f in files] == [
            (
                "Giấy chứng nhận đạt giải.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("Quyết định số 12-QĐ.pdf", "application/pdf"),
        ]
        file_id = files[1].id
    download = client.get(f"/tep/{file_id}")
    assert download.status_code == 200
    assert download.data == pdf_bytes
    assert (
        "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh"
        in download.headers["Content-Disposition"]
    )
    assert download.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "baocao.pdf"),
        (b"<html><script>alert(1)</script></html>", "anh.png"),
        (b"", "rong.pdf"),
    ],
)
def test_file_whose_content_is_not_allowed_is_refused_and_nothing_saved(
    client, auth, world, app, content, name
):
    auth.login("staff")
    data = EXEMPLARY_OK | {"evidence": [(io.BytesIO(content), name)]}
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=data, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert name in page and ("không phải" in page or "rỗng" in page)
    assert _submissions(app) == []


def test_upload_over_size_limit_gets_vietnamese_page(world, database_url, redis_url, redis_client):
    from tests.conftest import Auth
    from tests.conftest import make_app

    app = make_app(database_url, redis_url, MAX_UPLOAD_MB=0.01)
    client = app.test_client()
    Auth(client).login("staff")
    data = EXEMPLARY_OK | {"evidence": [(io.BytesIO(b"%PDF-1.4" + b"0" * 20000), "lon.pdf")]}
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "vượt quá giới hạn" in response.get_data(as_text=True)


def test_forms_refuse_submissions_outside_the_window(client, auth, world, app):
    from datetime import date
    from datetime import timedelta

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        round_ = session.get(Round, world["round"])
        round_.nomination_closes = date.today() - timedelta(days=1)
    auth.login("staff")
    response = client.post(f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK)
    assert response.status_code == 302
    assert _submissions(app) == []
    assert "ngoài thời hạn" in client.get("/").get_data(as_text=True)


def test_staff_edits_own_submission_until_window_closes(client, auth, world, app):
    from datetime import date
    from datetime import timedelta

    auth.login("staff")
    client.post(f"/dot/{world['round']}/khen-thuong", data=COMMENDATION_OK)
    (saved,) = _submissions(app)
    response = client.post(
        f"/ho-so/{saved.id}/sua", data=COMMENDATION_OK | {"period": "Năm học 2025-2026"}
    )
    assert response.status_code == 302
    assert _submissions(app)[0].data["period"] == "Năm học 2025-2026"
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(Round, world["round"]).nomination_closes = date.today() - timedelta(days=1)
    client.post(f"/ho-so/{saved.id}/sua", data=COMMENDATION_OK | {"period": "Đổi sau hạn"})
    assert _submissions(app)[0].data["period"] == "Năm học 2025-2026"


def test_my_submissions_name_an_exemplary_nomination_as_such(client, auth, world):
    auth.login("staff")
    client.post(f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK)
    page = client.get("/ho-so").get_data(as_text=True)
    assert "Điển hình tiên tiến — lĩnh vực Đổi mới phương pháp dạy học" in page
