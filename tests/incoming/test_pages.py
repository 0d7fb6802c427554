"""The register's pages: registering a read upload from its suggested fields, a paper letter
by hand, the duplicate question, handing out with a deadline, status by the handler, search
without diacritics, the printed book as .xlsx, removal — and who may see what."""

from __future__ import annotations

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import select

from services.audit import describe
from services.incoming.deadlines import handling_deadlines
from storage.models import AuditEvent
from storage.models import IncomingEntry
from tests.conftest import Auth
from tests.incoming.conftest import DAY

PAPER = {
    "received_date": "02/03/2026",
    "issuer": "Phòng Giáo dục và Đào tạo",
    "reference": "45/CV-PGDĐT",
    "doc_date": "27/02/2026",
    "doc_type": "Công văn",
    "summary": "Về việc tổ chức Hội khỏe Phù Đổng cấp trường",
    "recipient": "Tổ Thể dục",
    "deadline": "20/03/2026",
    "note": "",
    "channel": "paper",
}

PLAN_RESULT = {
    "doc_type": "KH",
    "number": "12",
    "symbol": "KH-SGDĐT",
    "issuer": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "issued_date": "2026-02-20",
    "title": "TỔ CHỨC PHONG TRÀO THI ĐUA NĂM HỌC 2025-2026",
    "deadlines": [
        {"date": (date.today() - timedelta(days=10)).isoformat(), "what": "đã qua"},
        {"date": (date.today() + timedelta(days=40)).isoformat(), "what": "báo cáo"},
        {"date": (date.today() + timedelta(days=20)).isoformat(), "what": "đăng ký"},
    ],
    "text": [{"page": 1, "line": 1, "text": "KẾ HOẠCH tổ chức phong trào thi đua"}],
}


def _entries(app) -> list[IncomingEntry]:
    with app.extensions["vanthu.db"].session() as session:
        entries = list(session.scalars(select(IncomingEntry).order_by(IncomingEntry.number)))
        for entry in entries:
            _ = [h.user.full_name for h in entry.handlers]
        return entries


def test_a_paper_letter_is_registered_by_hand_with_number_01(app, clerk):
    page = clerk.get("/so-van-ban-den/vao-so")
    assert page.status_code == 200 and "Vào sổ, cấp số đến" in page.get_data(as_text=True)
    response = clerk.post("/so-van-ban-den/vao-so", data=PAPER)
    assert response.status_code == 302
    (entry,) = _entries(app)
    assert (entry.number, entry.year, entry.received_date) == (1, 2026, DAY)
    assert (entry.reference, entry.doc_date, entry.channel) == (
        "45/CV-PGDĐT",
        date(2026, 2, 27),
        "paper",
    )
    detail = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Số đến 01/2026" in detail and "Hội khỏe Phù Đổng" in detail


def test_an_upload_suggests_its_parsed_fields_and_registers_once(app, clerk, make_plan):
    plan = make_plan(PLAN_RESULT, b"KE HOACH\n", "kh.txt", "text/plain")
    form = clerk.get(f"/so-van-ban-den/vao-so?plan={plan}").get_data(as_text=True)
    assert 'value="12/KH-SGDĐT"' in form and 'value="Sở Giáo dục và Đào tạo"' in form
    first_due = (date.today() + timedelta(days=20)).strftime("%d/%m/%Y")
    assert 'value="20/02/2026"' in form and f'value="{first_due}"' in form, form
    assert "Tổ chức phong trào thi đua năm học 2025-2026" in form
    index = clerk.get("/so-van-ban-den/").get_data(as_text=True)
    assert f"/so-van-ban-den/vao-so?plan={plan}" in index  # waits to be registered
    data = {**PAPER, "plan_id": str(plan), "reference": "12/KH-SGDĐT", "summary": "Sửa trích yếu"}
    assert clerk.post("/so-van-ban-den/vao-so", data=data).status_code == 302
    (entry,) = _entries(app)
    assert entry.plan_id == plan and entry.channel == "text" and entry.summary == "Sửa trích yếu"
    assert f"vao-so?plan={plan}" not in clerk.get("/so-van-ban-den/").get_data(as_text=True)
    again = clerk.get(f"/so-van-ban-den/vao-so?plan={plan}")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/{entry.id}")


def test_a_duplicate_is_asked_about_before_a_number_is_taken(app, clerk):
    clerk.post("/so-van-ban-den/vao-so", data=PAPER)
    response = clerk.post("/so-van-ban-den/vao-so", data=PAPER)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Có thể trùng" in text and "cùng tác giả, số ký hiệu và ngày văn bản" in text
    assert len(_entries(app)) == 1
    # merged as a copy: no number taken
    merged = clerk.post("/so-van-ban-den/vao-so/gop", data={**PAPER, "into": _entries(app)[0].id})
    assert merged.status_code == 302
    assert [e.number for e in _entries(app)] == [1]
    assert "Nhận thêm bản giấy ngày 02/03/2026." in _entries(app)[0].note
    # or registered anyway
    forced = clerk.post("/so-van-ban-den/vao-so", data={**PAPER, "not_duplicate": "y"})
    assert forced.status_code == 302 and [e.number for e in _entries(app)] == [1, 2]


def test_handing_out_puts_the_deadline_on_the_calendar_and_the_handler_moves_it(
    app, client, auth, world
):
    auth.login("clerk")
    client.post("/so-van-ban-den/vao-so", data=PAPER)
    entry = _entries(app)[0]
    response = client.post(
        f"/so-van-ban-den/{entry.id}/giao",
        data={"handlers": [str(world["staff"])], "deadline": "25/03/2026"},
    )
    assert response.status_code == 302
    with app.extensions["vanthu.db"].session() as session:
        (due,) = handling_deadlines(session, world["school"], user_id=world["staff"])
        assert (due.due, due.done, due.handler_names) == (
            date(2026, 3, 25),
            False,
            ("Nguyễn Thị Ánh",),
        )
        assert due.title.startswith("Số đến 01: Công văn 45/CV-PGDĐT — Về việc")
        assert handling_deadlines(session, world["school"], user_id=world["staff2"]) == []
    auth.logout()
    auth.login("staff")
    assert "45/CV-PGDĐT" in client.get("/so-van-ban-den/duoc-giao").get_data(as_text=True)
    assert client.get(f"/so-van-ban-den/{entry.id}").status_code == 200
    assert (
        client.post(f"/so-van-ban-den/{entry.id}/tinh-trang", data={"status": "done"}).status_code
        == 302
    )
    (entry,) = _entries(app)
    assert entry.status == "done" and entry.handlers[0].received_at is not None
    assert client.get("/so-van-ban-den/").status_code == 403  # the register itself: clerks
    auth.logout()
    auth.login("staff2")  # not a handler
    assert client.get(f"/so-van-ban-den/{entry.id}").status_code == 403
    assert (
        client.post(
            f"/so-van-ban-den/{entry.id}/tinh-trang", data={"status": "waiting"}
        ).status_code
        == 403
    )


def test_another_organizations_clerk_never_sees_the_register(app, client, auth, world):
    auth.login("clerk")
    client.post("/so-van-ban-den/vao-so", data=PAPER)
    entry = _entries(app)[0]
    auth.logout()
    auth.login("other_clerk")
    assert "45/CV-PGDĐT" not in client.get("/so-van-ban-den/?year=2026").get_data(as_text=True)
    assert "45/CV" not in client.get("/so-van-ban-den/?year=2026&q=45").get_data(as_text=True)
    assert client.get(f"/so-van-ban-den/{entry.id}").status_code == 404
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/so-van-ban-den/xuat-excel?year=2026").data)
    )
    assert book.active.max_row == 6  # title and header rows only


def test_search_ignores_diacritics_and_case(app, clerk):
    clerk.post("/so-van-ban-den/vao-so", data=PAPER)
    other = {"reference": "7/KH-UBND", "issuer": "UBND xã Mỹ Thạnh", "summary": "Thiên tai"}
    clerk.post("/so-van-ban-den/vao-so", data={**PAPER, **other})
    for query in ("hoi khoe phu dong", "HỘI KHỎE", "pgddt 45"):
        page = clerk.get(f"/so-van-ban-den/?year=2026&q={query}").get_data(as_text=True)
        assert "45/CV-PGDĐT" in page and "7/KH-UBND" not in page, query
    page = clerk.get("/so-van-ban-den/?year=2026&q=my thanh").get_data(as_text=True)
    assert "7/KH-UBND" in page and "45/CV-PGDĐT" not in page


def test_the_export_is_the_printed_book_with_formulas_written_as_text(app, clerk, world):
    clerk.post("/so-van-ban-den/vao-so", data={**PAPER, "summary": "=HYPERLINK(\"http://x\")",
               "issuer": "@SUM(A1)", "recipient": "=1+2", "note": "-1"})  # fmt: skip
    clerk.post("/so-van-ban-den/vao-so", data={**PAPER, "reference": "46/CV-PGDĐT"})
    second = _entries(app)[1]
    clerk.post(f"/so-van-ban-den/{second.id}/xoa", data={"reason": "Vào sổ nhầm"})
    response = clerk.get("/so-van-ban-den/xuat-excel?year=2026")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" and sheet["A3"].value == "Năm 2026"
    # NĐ 30/2020, Phụ lục IV, Mục VI.2: ten columns, these names, this order.
    assert [c.value for c in sheet[5]] == [
        "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung văn bản", "Đơn vị hoặc người nhận", "Ngày chuyển",
        "Ký nhận", "Ghi chú",
    ]  # fmt: skip
    assert [c.value for c in sheet[6]] == [f"({i})" for i in range(1, 11)]
    row = [c for c in sheet[7]]
    assert [c.value for c in row[:5]] == [
        datetime(2026, 3, 2),  # date cells shown dd/mm/yyyy, the số đến a number shown 01
        1,
        "@SUM(A1)",
        "45/CV-PGDĐT",
        datetime(2026, 2, 27),
    ]
    assert [row[i].number_format for i in (0, 1, 4)] == ["DD/MM/YYYY", "00", "DD/MM/YYYY"]
    assert row[5].value == 'Công văn =HYPERLINK("http://x")' and row[6].value == "=1+2"
    assert all(c.data_type == "s" for c in row[2:] if c.value is not None and c.column != 5)
    assert row[2].quotePrefix and row[6].quotePrefix
    removed = [c.value for c in sheet[8]]
    assert removed[1] == 2 and removed[9].startswith("Đã xóa: Vào sổ nhầm")
    assert sheet.auto_filter.ref == "A6:J8" and sheet.freeze_panes == "A7"
    assert sheet[8][5].font.strike
    assert sheet.print_title_rows == "$5:$6" and sheet.page_setup.orientation == "landscape"


def test_removal_needs_a_reason_and_is_in_the_audit_log(app, clerk, world):
    clerk.post("/so-van-ban-den/vao-so", data=PAPER)
    entry = _entries(app)[0]
    assert clerk.post(f"/so-van-ban-den/{entry.id}/xoa", data={"reason": " "}).status_code == 400
    assert clerk.post(f"/so-van-ban-den/{entry.id}/xoa", data={"reason": "Nhầm"}).status_code == 302
    with app.extensions["vanthu.db"].session() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "incoming.delete"))
        assert event.user_id == world["clerk"]
        assert describe(event) == (
            "Lê Thị Hồng xóa khỏi sổ văn bản đến số đến 01/2026 (45/CV-PGDĐT). Lý do: Nhầm."
        )
    page = clerk.get(f"/so-van-ban-den/{entry.id}").get_data(as_text=True)
    assert "đã bị xóa" in page and "không được cấp lại" in page


def test_the_nav_marks_only_the_register_on_its_page_and_only_assigned_on_theirs(clerk):
    import re

    for path, marked in (
        ("/so-van-ban-den/", "/so-van-ban-den/"),
        ("/so-van-ban-den/duoc-giao", "/so-van-ban-den/duoc-giao"),
    ):
        html = clerk.get(path).get_data(as_text=True)
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
        assert current == [marked], (path, current)


def test_the_register_page_and_the_book_have_the_ten_columns_of_phu_luc_iv(app, clerk, world):
    clerk.post("/so-van-ban-den/vao-so", data=PAPER)
    without_recipient = {**PAPER, "reference": "46/CV-PGDĐT", "recipient": ""}
    clerk.post("/so-van-ban-den/vao-so", data=without_recipient)
    entry = _entries(app)[0]
    clerk.post(
        f"/so-van-ban-den/{entry.id}/giao",
        data={"handlers": [str(world["staff"])], "deadline": "25/03/2026"},
    )
    page = clerk.get("/so-van-ban-den/?year=2026").get_data(as_text=True)
    heads = re.findall(r"<th>([^<]*)</th>", page.split("incoming-register", 1)[1])
    sheet = openpyxl.load_workbook(
        io.BytesIO(clerk.get("/so-van-ban-den/xuat-excel?year=2026").data)
    ).active
    assert heads == [c.value for c in sheet[5]]
    assert heads[7] == "Ngày chuyển" and len(heads) == 10
    handed = sheet[7][7]
    # Handed on today (Vietnam time), printed as a date cell like the other dates.
    assert handed.value.date() == datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert handed.number_format == "DD/MM/YYYY" and sheet[7][8].value == "Nguyễn Thị Ánh"
    assert f'data-label="Ngày chuyển">{handed.value:%d/%m/%Y}<' in page
    assert "Hạn giải quyết 25/03/2026" in page
    # An empty cell carries no label: a phone's card of line 02 lists no "Đơn vị…" line.
    assert page.count('data-label="Đơn vị hoặc người nhận"') == 1
    line = clerk.get(f"/so-van-ban-den/{entry.id}").get_data(as_text=True)
    assert f"<dt>Ngày chuyển</dt><dd>{handed.value:%d/%m/%Y}</dd>" in line


def test_clerks_pressing_register_on_one_upload_together_all_land_on_its_one_line(
    app, world, make_upload
):
    """Whether a clerk's request is refused by the check or by the unique index, the answer
    is the same: the line the upload got, with a message, never a second line or an error."""
    upload = make_upload()
    clerks = []
    for _ in range(4):
        client = app.test_client()
        Auth(client).login("clerk")
        clerks.append(client)
    barrier = threading.Barrier(len(clerks))
    data = {**PAPER, "plan_id": str(upload), "not_duplicate": "y"}

    def press(client) -> str:
        barrier.wait()
        response = client.post("/so-van-ban-den/vao-so", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response.headers["Location"]

    with ThreadPoolExecutor(len(clerks)) as pool:
        targets = set(pool.map(press, clerks))
    (entry,) = _entries(app)
    assert targets == {f"/so-van-ban-den/{entry.id}"}
    page = clerks[0].get(f"/so-van-ban-den/vao-so?plan={upload}", follow_redirects=True)
    assert "Văn bản này đã được vào sổ văn bản đến (số đến 01/2026)" in page.get_data(as_text=True)
