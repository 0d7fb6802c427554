"""The list with its filters, issuing and withdrawing from the document page, the register
page and its .xlsx export (no rendering here: the queued jobs are not run)."""

from __future__ import annotations

import io
from datetime import date
from datetime import datetime
from datetime import timedelta

from openpyxl import load_workbook

from services.register import issue_document
from services.register import withdraw_document
from services.spreadsheets import FIRST_DATA_ROW
from storage.models import Document


def _issue(app, world, document_id: int, issued_on: date) -> None:
    with app.extensions["vanthu.db"].session() as session:
        issue_document(
            session, session.get(Document, document_id), user_id=world["clerk"], issued_on=issued_on
        )


def _withdraw(app, world, document_id: int, reason: str) -> None:
    with app.extensions["vanthu.db"].session() as session:
        withdraw_document(
            session, session.get(Document, document_id), user_id=world["clerk"], reason=reason
        )


def test_list_filters_by_kind_status_year_and_searches_summary_without_diacritics(
    app, world, clerk, make_draft
):
    plan = make_draft("ke_hoach", summary="Kế hoạch tổ chức Hội khỏe Phù Đổng")
    letter = make_draft("cong_van", summary="Về việc đăng ký thi đua")
    _issue(app, world, letter, date(2025, 11, 3))
    other = make_draft("ke_hoach", organization="other", summary="Kế hoạch của trường khác")

    def listed(query: str) -> str:
        return clerk.get(f"/van-ban/?{query}").get_data(as_text=True)

    page = listed("")
    assert "Hội khỏe Phù Đổng" in page and "Về việc đăng ký thi đua" in page
    assert "trường khác" not in page and f"/van-ban/{other}" not in page
    assert "Về việc" not in listed("kind=ke_hoach")
    assert "Phù Đổng" not in listed("status=issued") and "01/THCSMT" in listed("status=issued")
    assert "Phù Đổng" not in listed("year=2025") and "Về việc" in listed("year=2025")
    assert f"/van-ban/{plan}" in listed("q=hoi+khoe+phu+dong")
    assert f"/van-ban/{letter}" in listed("q=01%2FTHCSMT")
    assert "Chưa có văn bản nào phù hợp" in listed("q=khong+co+gi")


def test_issue_from_the_page_takes_a_number_and_queues_the_final_render(app, clerk, make_draft):
    document_id = make_draft()
    today = date.today().isoformat()
    response = clerk.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": today})
    assert response.status_code == 302
    with app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert (document.number, document.symbol, document.render_status) == (
            1, "KH-THCSMT", "queued",
        )  # fmt: skip
    page = clerk.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert "Phát hành và cấp số" not in page and "Sửa dự thảo" not in page
    assert "Thu hồi văn bản" in page
    edit = clerk.get(f"/van-ban/{document_id}/sua")
    assert edit.status_code == 302  # issued documents are final


def test_issue_date_in_the_future_or_missing_is_refused_in_vietnamese(app, clerk, make_draft):
    document_id = make_draft()
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = clerk.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": tomorrow})
    assert response.status_code == 400
    assert "không được sau ngày hôm nay" in response.get_data(as_text=True)
    response = clerk.post(f"/van-ban/{document_id}/phat-hanh", data={"issued_on": "hôm qua"})
    assert "Ngày phát hành không hợp lệ." in response.get_data(as_text=True)
    with app.extensions["vanthu.db"].session() as session:
        assert session.get(Document, document_id).number is None


def test_kind_without_number_offers_no_issue(clerk, make_draft):
    page = clerk.get(f"/van-ban/{make_draft('giay_khen')}").get_data(as_text=True)
    assert "Loại văn bản này không có số" in page and "Phát hành và cấp số" not in page


def test_withdraw_from_the_page_needs_a_reason(app, world, clerk, make_draft):
    document_id = make_draft()
    _issue(app, world, document_id, date(2026, 1, 5))
    response = clerk.post(f"/van-ban/{document_id}/thu-hoi", data={"reason": " "})
    assert response.status_code == 400
    assert "Vui lòng nhập lý do thu hồi." in response.get_data(as_text=True)
    response = clerk.post(f"/van-ban/{document_id}/thu-hoi", data={"reason": "Ban hành nhầm"})
    assert response.status_code == 302
    page = clerk.get(f"/van-ban/{document_id}").get_data(as_text=True)
    assert "Đã thu hồi" in page and "Ban hành nhầm" in page


def test_register_lists_the_year_by_number_with_withdrawn_struck_and_reason(
    app, world, clerk, make_draft
):
    ids = [make_draft(summary=f"Kế hoạch số {i}") for i in range(3)]
    for document_id in ids:
        _issue(app, world, document_id, date(2026, 2, 10))
    _withdraw(app, world, ids[1], "Sai thể thức & <nội dung>")
    _issue(app, world, make_draft(summary="Năm sau"), date(2027, 1, 1))

    page = clerk.get("/van-ban/so-van-ban-di?year=2026").get_data(as_text=True)
    assert page.index("Kế hoạch số 0") < page.index("Kế hoạch số 1") < page.index("Kế hoạch số 2")
    assert "<s>Kế hoạch số 1</s>" in page
    assert "Sai thể thức &amp; &lt;nội dung&gt;" in page
    assert "Năm sau" not in page
    assert "Hiệu trưởng Nguyễn Văn An" in page
    assert "Năm sau" in clerk.get("/van-ban/so-van-ban-di?year=2027").get_data(as_text=True)


def test_register_export_is_an_xlsx_with_every_number_of_the_year(app, world, clerk, make_draft):
    ids = [make_draft(summary=f"Kế hoạch số {i}") for i in range(3)]
    for document_id in ids:
        _issue(app, world, document_id, date(2026, 2, 10))
    _withdraw(app, world, ids[2], "Ban hành nhầm")
    response = clerk.get("/van-ban/so-van-ban-di/xuat-excel?year=2026")
    assert (
        "filename*=UTF-8''S%E1%BB%95%20v%C4%83n%20b%E1%BA%A3n%20%C4%91i%20n%C4%83m%202026.xlsx"
        in (response.headers["Content-Disposition"])
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW)]
    assert [r[0] for r in rows] == [1, 2, 3]  # number cells printed 01, 02, 03
    assert sheet.cell(FIRST_DATA_ROW, 1).number_format == "00"
    assert rows[0][1:5] == ["KH-THCSMT", datetime(2026, 2, 10), "Kế hoạch", "Kế hoạch số 0"]
    assert rows[2][6:] == ["Đã thu hồi", "Thu hồi: Ban hành nhầm"]


def test_other_organization_register_and_files_are_out_of_reach(
    app, world, client, auth, make_draft
):
    document_id = make_draft()
    _issue(app, world, document_id, date(2026, 2, 10))
    auth.login("other_clerk")
    assert "KH-THCSMT" not in client.get("/van-ban/so-van-ban-di?year=2026").get_data(as_text=True)
    assert client.get(f"/van-ban/{document_id}/tai/docx").status_code == 404


def test_missing_files_and_previews_are_404_not_errors(clerk, make_draft):
    document_id = make_draft()
    assert clerk.get(f"/van-ban/{document_id}/tai/pdf").status_code == 404
    assert clerk.get(f"/van-ban/{document_id}/tai/exe").status_code == 404
    assert clerk.get(f"/van-ban/{document_id}/xem-truoc.png").status_code == 404
