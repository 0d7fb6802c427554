"""A teacher writes their own Báo cáo thành tích: pre-filled from the nomination and the
staff directory, saved once as the nomination's draft, rendered by a real worker, readable
and downloadable only by those who may write it, final once issued."""

from __future__ import annotations

import io
import re
from datetime import date
from datetime import datetime

import docx
import pytest
from sqlalchemy import func
from sqlalchemy import select

from services import reports
from storage.models import AuditEvent
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from storage.models import Submission
from tests.reports.conftest import form_values
from tests.support import drain_queue
from views.formatting import VIETNAM

ACHIEVEMENTS = "Có 3 học sinh đạt giải cấp tỉnh.\nChủ trì chuyên đề cấp trường."


def today() -> str:
    return datetime.now(VIETNAM).date().isoformat()


def url(submission_id: int) -> str:
    return f"/ho-so/{submission_id}/bao-cao-thanh-tich"


def body_of(values: dict[str, str]) -> dict[str, str]:
    return {k.removeprefix("b_"): v for k, v in values.items() if k.startswith("b_")}


def save(client, submission_id: int, **changes: str):
    """Post the page's own form (as pre-filled or last saved) with ``changes`` to body fields."""
    page = client.get(url(submission_id))
    assert page.status_code == 200
    values = form_values(page.get_data(as_text=True))
    values.pop("csrf_token", None)
    values.update({f"b_{k}": v for k, v in changes.items()})
    return client.post(url(submission_id), data=values)


def documents_of(app, submission_id: int) -> list[Document]:
    with app.extensions["vanthu.db"].session() as session:
        return list(
            session.scalars(select(Document).where(Document.submission_id == submission_id))
        )


# -- pre-fill ---------------------------------------------------------------------------


def test_prefill_from_nomination_and_staff_directory(client, auth, directory, nominate):
    submission_id = nominate(data={"achievements": ACHIEVEMENTS})
    auth.login("staff")
    page = client.get(url(submission_id)).get_data(as_text=True)
    values = form_values(page)
    assert body_of(values) | {"date": values["h_date"], "signer": values["h_signer_name"]} == {
        "danh_hieu": "Chiến sĩ thi đua cơ sở",
        "ky": "Năm học 2025-2026",
        "ho_ten": "Nguyễn Thị Ánh",
        "ngay_sinh": "12/03/1985",  # shown day first (a text input, not type=date)
        "gioi_tinh": "Nữ",
        "que_quan": "",
        "tru_quan": "",
        "don_vi": "Tổ Toán - Tin, Trường THCS Mỹ Thạnh",
        "chuc_vu": "Tổ trưởng chuyên môn",
        "trinh_do": "",
        "hoc_ham": "",
        "nhiem_vu": "",
        "thanh_tich": ACHIEVEMENTS,
        "date": datetime.now(VIETNAM).date().strftime("%d/%m/%Y"),
        "signer": "Nguyễn Văn Giàu",
    } | {k: "" for k in body_of(values) if "-" in k}  # blank table rows
    assert "chỉ có năm sinh" not in page
    assert not documents_of(client.application, submission_id)  # a GET saves nothing


def test_year_only_in_directory_leaves_the_date_empty_with_a_hint(
    client, auth, directory, nominate
):
    submission_id = nominate("staff2", "Trần Văn Đức", unit="Tổ Ngữ văn", position="Giáo viên")
    auth.login("staff2")
    page = client.get(url(submission_id)).get_data(as_text=True)
    values = form_values(page)
    assert values["b_ngay_sinh"] == "" and values["b_gioi_tinh"] == "Nam"
    assert "Danh sách cán bộ chỉ có năm sinh (1979): hãy nhập ngày sinh đầy đủ" in page
    # Saving without the date is refused on the form, with the hint still shown.
    response = client.post(url(submission_id), data={
        **{k: v for k, v in values.items() if k != "csrf_token"}, "b_nhiem_vu": "Dạy Ngữ văn.",
        "b_thanh_tich": "Hoàn thành xuất sắc nhiệm vụ.",
    })  # fmt: skip
    assert response.status_code == 400
    assert "chỉ có năm sinh (1979)" in response.get_data(as_text=True)


def test_namesakes_in_the_directory_are_told_apart_by_unit(app, world, directory, nominate):
    office_id = nominate(name="Nguyễn Văn Bình", unit="Văn phòng")
    unknown_id = nominate(name="Nguyễn Văn Bình", unit="Tổ Hóa")
    with app.extensions["vanthu.db"].session() as session:
        org = session.get(Organization, world["school"])
        start = reports.prefill(session, session.get(Submission, office_id), org, date(2026, 5, 1))
        assert (start.body["ngay_sinh"], start.body["chuc_vu"]) == (
            "1970-05-06",
            "Tổ trưởng chuyên môn",
        )
        # Two namesakes and neither in the nomination's unit: better blank than wrong.
        start = reports.prefill(session, session.get(Submission, unknown_id), org, date(2026, 5, 1))
        assert "ngay_sinh" not in start.body and "Không tìm thấy" in start.hints[0]


def test_collective_nomination_gets_the_collective_report(client, auth, nominate):
    submission_id = nominate(
        name="Tổ Toán - Tin", nominee_type="collective", title_code="TTLDXS", position="",
        data={"achievements": "Tỷ lệ học sinh đạt yêu cầu 98,5 %."},
    )  # fmt: skip
    auth.login("staff")
    page = client.get(url(submission_id)).get_data(as_text=True)
    assert "Báo cáo thành tích tập thể" in page
    values = body_of(form_values(page))
    assert values["ten_tap_the"] == "Tổ Toán - Tin, Trường THCS Mỹ Thạnh"
    assert values["danh_hieu"] == "Tập thể lao động xuất sắc"
    assert values["ket_qua"] == "Tỷ lệ học sinh đạt yêu cầu 98,5 %."


# -- saving and rendering ---------------------------------------------------------------


def test_save_creates_one_document_and_a_second_save_updates_it(app, client, auth, directory,
                                                                 nominate, world):  # fmt: skip
    submission_id = nominate(data={"achievements": ACHIEVEMENTS})
    auth.login("staff")
    response = save(client, submission_id, nhiem_vu="Dạy Toán 8A1, 8A2.")
    assert response.status_code == 302 and response.headers["Location"] == url(submission_id)
    [first] = documents_of(app, submission_id)
    assert (first.kind, first.status, first.round_id, first.created_by_id) == (
        "bao_cao_ca_nhan", "draft", world["round"], world["staff"],
    )  # fmt: skip
    assert first.body_fields["ngay_sinh"] == "1985-03-12"
    assert first.summary == "Nguyễn Thị Ánh – Chiến sĩ thi đua cơ sở"
    assert first.render_status == "queued" and first.job_id

    page = client.get(url(submission_id)).get_data(as_text=True)
    assert "Đang soạn văn bản" in page and "data-poll-job=" in page
    assert form_values(page)["b_nhiem_vu"] == "Dạy Toán 8A1, 8A2."  # from the draft now

    assert save(client, submission_id, trinh_do="Thạc sĩ Toán").status_code == 302
    [second] = documents_of(app, submission_id)
    assert second.id == first.id
    assert second.body_fields["trinh_do"] == "Thạc sĩ Toán"
    assert second.job_id != first.job_id
    with app.extensions["vanthu.db"].session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.save"))
        assert [(e.object_id, e.detail, e.user_id) for e in events] == [
            (str(first.id), {"nominee": "Nguyễn Thị Ánh",
                             "kind_label": "Báo cáo thành tích cá nhân"}, world["staff"]),
        ] * 2  # fmt: skip
    with app.extensions["vanthu.db"].session() as session:
        found = reports.reports_for_round(session, world["school"], world["round"])
        assert {k: v.id for k, v in found.items()} == {submission_id: first.id}
        assert reports.reports_for_round(session, world["other"], world["round"]) == {}


def test_worker_renders_the_report_the_teacher_downloads(app, client, auth, directory,
                                                         nominate):  # fmt: skip
    submission_id = nominate(data={"achievements": ACHIEVEMENTS})
    auth.login("staff")
    assert save(client, submission_id, nhiem_vu="Dạy Toán 8A1, 8A2.").status_code == 302
    drain_queue(app)

    [document] = documents_of(app, submission_id)
    assert document.render_status == "done", document.render_error
    page = client.get(url(submission_id)).get_data(as_text=True)
    assert "data-poll-job=" not in page and "Tải bản Word (.docx)" in page

    response = client.get(url(submission_id) + "/tai/docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    parsed = docx.Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in parsed.paragraphs) + "\n".join(
        cell.text for table in parsed.tables for row in table.rows for cell in row.cells
    )
    assert "Nguyễn Thị Ánh" in text
    assert "ĐỀ NGHỊ TẶNG CHIẾN SĨ THI ĐUA CƠ SỞ" in text
    assert "12/03/1985" in text
    pdf = client.get(url(submission_id) + "/tai/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


# -- who may write it ---------------------------------------------------------------------


def test_a_teacher_cannot_open_a_colleagues_report(app, client, auth, directory, nominate):
    submission_id = nominate(data={"achievements": ACHIEVEMENTS})
    auth.login("staff")
    assert save(client, submission_id, nhiem_vu="Dạy Toán.").status_code == 302
    drain_queue(app)
    auth.logout()

    auth.login("staff2")
    assert client.get(url(submission_id)).status_code == 404
    assert client.get(url(submission_id) + "/tai/docx").status_code == 404
    assert client.post(url(submission_id), data={"b_ho_ten": "Trần Văn Đức"}).status_code == 404
    assert "Nguyễn Thị Ánh" not in client.get("/bao-cao-thanh-tich").get_data(as_text=True)
    [document] = documents_of(app, submission_id)
    assert document.body_fields["ho_ten"] == "Nguyễn Thị Ánh"
    auth.logout()

    auth.login("other_clerk")
    assert client.get(url(submission_id)).status_code == 404
    auth.logout()
    auth.login("clerk")
    assert client.get(url(submission_id)).status_code == 200
    assert client.get(url(submission_id) + "/tai/docx").status_code == 200


def test_the_nominee_writes_the_report_of_a_nomination_someone_else_sent(
    app, client, auth, directory, nominate, world
):
    # The unit head (staff) nominates a colleague, typing the name in capitals.
    submission_id = nominate("staff", "TRẦN VĂN ĐỨC", unit="Tổ Ngữ văn", position="Giáo viên")
    auth.login("staff2")
    assert client.get(f"/ho-so/{submission_id}").status_code == 403  # not their submission
    mine = client.get("/bao-cao-thanh-tich").get_data(as_text=True)
    assert url(submission_id) in mine
    typed = {"nhiem_vu": "Dạy Ngữ văn.", "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ."}
    response = save(client, submission_id, ngay_sinh="1979-01-02", **typed)
    assert response.status_code == 302
    [document] = documents_of(app, submission_id)
    assert document.created_by_id == world["staff2"]
    assert document.body_fields["ngay_sinh"] == "1979-01-02"
    auth.logout()
    # The sender may still open it, and sees the link on the nomination's page.
    auth.login("staff")
    detail = client.get(f"/ho-so/{submission_id}").get_data(as_text=True)
    assert "Sửa báo cáo thành tích" in detail and url(submission_id) in detail


def test_link_on_the_submission_page_only_where_a_report_is_written(client, auth, nominate):
    titled = nominate()
    initiative = nominate(kind="initiative", title_code="", data={"title": "GeoGebra"})
    auth.login("staff")
    assert "Viết báo cáo thành tích" in client.get(f"/ho-so/{titled}").get_data(as_text=True)
    page = client.get(f"/ho-so/{initiative}").get_data(as_text=True)
    assert "báo cáo thành tích" not in page
    assert client.get(url(initiative)).status_code == 404


@pytest.mark.parametrize("status", ["issued", "withdrawn"])
def test_an_issued_or_withdrawn_report_is_read_only(app, client, auth, directory, nominate,
                                                    status):  # fmt: skip
    submission_id = nominate(data={"achievements": ACHIEVEMENTS})
    auth.login("staff")
    assert save(client, submission_id, nhiem_vu="Dạy Toán.").status_code == 302
    with app.extensions["vanthu.db"].session() as session:
        document = session.scalar(select(Document).where(Document.submission_id == submission_id))
        document.status = status
        jobs_before = session.scalar(select(func.count()).select_from(Job))

    page = client.get(url(submission_id)).get_data(as_text=True)
    assert "không sửa được nữa" in page
    assert '<form method="post" novalidate' not in page and "Dạy Toán." in page
    detail = client.get(f"/ho-so/{submission_id}").get_data(as_text=True)
    assert "Xem báo cáo thành tích" in detail

    response = client.post(url(submission_id), data={"b_nhiem_vu": "Đổi"})
    assert response.status_code == 303
    [document] = documents_of(app, submission_id)
    assert document.body_fields["nhiem_vu"] == "Dạy Toán."
    with app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == jobs_before


def test_csrf_token_is_required(csrf_app, world, directory, nominate):
    client = csrf_app.test_client()

    def token(page: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    login = {"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    login["csrf_token"] = token(client.get("/dang-nhap").get_data(as_text=True))
    assert client.post("/dang-nhap", data=login).status_code == 302
    submission_id = nominate(data={"achievements": ACHIEVEMENTS})
    page = client.get(url(submission_id)).get_data(as_text=True)
    values = form_values(page) | {"b_nhiem_vu": "Dạy Toán."}
    without = {k: v for k, v in values.items() if k != "csrf_token"}
    assert client.post(url(submission_id), data=without).status_code == 400
    assert not documents_of(csrf_app, submission_id)
    assert values["csrf_token"] == token(page)
    assert client.post(url(submission_id), data=values).status_code == 302
    assert len(documents_of(csrf_app, submission_id)) == 1
