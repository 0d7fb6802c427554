"""A teacher's own forms: pre-filled from the account and the staff directory, what others
sent for them, duplicate warnings, evidence listed and removable until the clerk reviews,
and their list ordered by last change."""

from __future__ import annotations

import io
import re
from html import unescape

from sqlalchemy import update

from storage.models import StoredFile
from storage.models import Submission
from storage.models import SubmissionFile
from tests.web.test_submission_forms import EXEMPLARY_OK

EXEMPLARY = EXEMPLARY_OK


def _value(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, name
    return unescape(match.group(1)).strip()


def _register(client, round_id: int, name: str, unit: str, title: str = "LDTT", position=""):
    return client.post(
        f"/dot/{round_id}/dang-ky",
        data={
            "nominee_type": "individual",
            "people-0-full_name": name,
            "people-0-position": position,
            "people-0-unit": unit,
            "people-0-title_code": title,
        },
    )


# -- pre-fill ------------------------------------------------------------------------------


def test_every_new_form_starts_with_my_name_position_and_unit_from_the_directory(
    login_as, world, directory
):
    # The directory knows her by e-mail, with her position; the account has no position.
    directory("Nguyễn Thị Ánh", "Tổ trưởng chuyên môn", "Tổ Toán - Tin", "STAFF@truong.edu.vn")
    client = login_as("staff")
    round_id = world["round"]
    for slug in ("dien-hinh", "khen-thuong"):
        page = client.get(f"/dot/{round_id}/{slug}").get_data(as_text=True)
        assert _value(page, "nominee_name") == "Nguyễn Thị Ánh", slug
        assert _value(page, "position") == "Tổ trưởng chuyên môn", slug
        assert _value(page, "unit") == "Tổ Toán - Tin", slug
    page = client.get(f"/dot/{round_id}/dang-ky").get_data(as_text=True)
    assert _value(page, "people-0-full_name") == "Nguyễn Thị Ánh"
    assert _value(page, "people-0-position") == "Tổ trưởng chuyên môn"
    assert _value(page, "people-0-unit") == "Tổ Toán - Tin"
    assert _value(page, "people-1-full_name") == ""  # the other rows stay blank
    page = client.get(f"/dot/{round_id}/sang-kien").get_data(as_text=True)
    assert _textarea(page, "authors") == "Nguyễn Thị Ánh"
    assert _value(page, "unit") == "Tổ Toán - Tin"


def test_without_a_directory_line_the_account_fills_the_form(login_as, world):
    page = login_as("staff2").get(f"/dot/{world['round']}/dien-hinh").get_data(as_text=True)
    assert _value(page, "nominee_name") == "Trần Văn Đức"
    assert _value(page, "unit") == "Tổ Ngữ văn"


def test_the_prefilled_values_can_be_changed(login_as, world, submissions):
    client = login_as("staff")
    response = client.post(
        f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY | {"nominee_name": "Lê Văn Bình"}
    )
    assert response.status_code == 302
    assert [s.nominee_name for s in submissions()] == ["Lê Văn Bình"]


# -- what others sent for me ---------------------------------------------------------------


def test_a_registration_made_by_my_head_of_unit_shows_on_my_home_page_and_my_list(login_as, world):
    head = login_as("staff2")
    assert _register(head, world["round"], "nguyễn thị ánh", "Tổ Toán - Tin").status_code == 302
    me = login_as("staff")
    for path in ("/", "/ho-so"):
        page = me.get(path).get_data(as_text=True)
        assert "Được đề nghị bởi người khác" in page, path
        section = page.split("Được đề nghị bởi người khác", 1)[1]
        assert "Lao động tiên tiến" in section and "Trần Văn Đức" in section, path


def test_a_namesake_in_another_unit_does_not_see_it(login_as, world):
    _register(login_as("staff2"), world["round"], "Nguyễn Thị Ánh", "Tổ Ngữ văn")
    page = login_as("staff").get("/ho-so").get_data(as_text=True)
    assert "Được đề nghị bởi người khác" not in page


def test_the_directory_links_my_account_to_the_name_others_type(login_as, world, directory):
    # The account says "Nguyễn Thị Ánh"; the directory line with her e-mail has her full
    # name, which is what her head of unit types.
    directory("Nguyễn Thị Ngọc Ánh", "Giáo viên", "Tổ Toán - Tin", "staff@truong.edu.vn")
    _register(login_as("staff2"), world["round"], "Nguyễn Thị Ngọc Ánh", "Tổ Toán - Tin")
    page = login_as("staff").get("/ho-so").get_data(as_text=True)
    assert "Được đề nghị bởi người khác" in page


def test_a_sang_kien_i_co_authored_is_listed(login_as, world):
    colleague = login_as("staff2")
    response = colleague.post(
        f"/dot/{world['round']}/sang-kien",
        data={
            "title": "Dạy học hình học bằng GeoGebra",
            "authors": "Trần Văn Đức\nNguyễn Thị Ánh",
            "unit": "Tổ Toán - Tin",
            "field": "Toán",
            "scope": "Áp dụng tại 6 lớp 7 năm học 2024-2025.",
            "effect": "Học sinh hứng thú hơn, điểm kiểm tra tăng.",
        },
    )
    assert response.status_code == 302
    page = login_as("staff").get("/").get_data(as_text=True)
    section = page.split("Được đề nghị bởi người khác", 1)[1]
    assert "Dạy học hình học bằng GeoGebra" in section and "đồng tác giả" in section


# -- duplicate nominations -----------------------------------------------------------------


def test_the_same_person_registered_twice_for_a_title_is_flagged_everywhere(
    login_as, world, submissions
):
    _register(login_as("staff2"), world["round"], "Nguyễn Thị Ánh", "Tổ Toán - Tin", "CSTDCS")
    me = login_as("staff")
    _register(me, world["round"], "Nguyễn Thị Ánh", "Tổ Toán - Tin", "CSTDCS")
    _register(me, world["round"], "Nguyễn Thị Ánh", "Tổ Toán - Tin", "LDTT")  # another title
    by_head, mine, other_title = submissions()
    page = me.get(f"/ho-so/{mine.id}").get_data(as_text=True)
    assert "Có thể trùng" in page and f"Hồ sơ #{by_head.id}" in page and "Trần Văn Đức" in page
    page = login_as("staff2").get(f"/ho-so/{by_head.id}").get_data(as_text=True)
    assert "Có thể trùng" in page and f"Hồ sơ #{mine.id}" in page
    assert "Có thể trùng" not in me.get(f"/ho-so/{other_title.id}").get_data(as_text=True)
    review = login_as("clerk").get("/xet-duyet/").get_data(as_text=True)
    assert f"Có thể trùng: #{mine.id}" in review and f"Có thể trùng: #{by_head.id}" in review
    assert review.count("Có thể trùng:") == 2


# -- evidence ------------------------------------------------------------------------------


def _with_evidence(client, round_id: int, docx_bytes: bytes) -> None:
    response = client.post(
        f"/dot/{round_id}/dien-hinh",
        data=EXEMPLARY | {"evidence": [(io.BytesIO(docx_bytes), "giấy chứng nhận.docx")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_the_edit_page_lists_the_files_and_a_wrong_one_can_be_removed(
    app, login_as, world, submissions, docx_bytes
):
    client = login_as("staff")
    _with_evidence(client, world["round"], docx_bytes)
    submission = submissions()[0]
    page = client.get(f"/ho-so/{submission.id}/sua").get_data(as_text=True)
    assert "giấy chứng nhận.docx" in page
    link = re.search(r'action="(/ho-so/\d+/tep/\d+/go)"', page).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert "Đã gỡ tệp “giấy chứng nhận.docx”" in client.get(response.location).get_data(
        as_text=True
    )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.query(SubmissionFile).count() == 0
        assert session.query(StoredFile).count() == 0
        assert session.get(Submission, submission.id).updated_at > submission.updated_at


def test_after_review_a_file_cannot_be_removed(app, login_as, world, submissions, docx_bytes):
    client = login_as("staff")
    _with_evidence(client, world["round"], docx_bytes)
    submission = submissions()[0]
    link = re.search(
        r'action="(/ho-so/\d+/tep/\d+/go)"',
        client.get(f"/ho-so/{submission.id}").get_data(as_text=True),
    ).group(1)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.execute(update(Submission).values(status="approved"))
    response = client.post(link)
    assert response.status_code == 409
    assert "Hồ sơ đã được xét" in response.get_data(as_text=True)
    assert "/go" not in client.get(f"/ho-so/{submission.id}").get_data(as_text=True)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.query(SubmissionFile).count() == 1


def test_a_colleague_cannot_remove_my_file(login_as, world, submissions, docx_bytes):
    client = login_as("staff")
    _with_evidence(client, world["round"], docx_bytes)
    submission = submissions()[0]
    link = f"/ho-so/{submission.id}/tep/{submission.id}/go"
    assert login_as("staff2").post(link).status_code == 403
    response = login_as("clerk").post(link)
    assert response.status_code == 409  # the clerk reviews; only the sender removes


# -- order of my list ----------------------------------------------------------------------


def test_my_list_shows_the_last_changed_first(app, login_as, world, submissions):
    client = login_as("staff")
    for name in ("Người Một", "Người Hai"):
        client.post(f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY | {"nominee_name": name})
    first, _second = submissions()
    client.post(f"/ho-so/{first.id}/sua", data=EXEMPLARY | {"nominee_name": "Người Một (sửa)"})
    for path in ("/ho-so", "/"):
        page = client.get(path).get_data(as_text=True)
        assert page.index("Người Một (sửa)") < page.index("Người Hai"), path


def test_my_report_drafts_show_the_last_changed_first(login_as, world, submissions):
    client = login_as("staff")
    _register(client, world["round"], "Người Một", "Tổ Toán - Tin")
    _register(client, world["round"], "Người Hai", "Tổ Toán - Tin")
    first, _second = submissions()
    response = client.post(
        f"/ho-so/{first.id}/sua",
        data={
            "nominee_type": "individual",
            "nominee_name": "Người Một (sửa)",
            "unit": "Tổ Toán - Tin",
            "title_code": "LDTT",
        },
    )
    assert response.status_code == 302
    page = client.get("/bao-cao-thanh-tich").get_data(as_text=True)
    assert page.index("Người Một (sửa)") < page.index("Người Hai")
