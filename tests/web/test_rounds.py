"""A round copied from last year's, closed and reopened, and summed up by title and unit
(issue 14, item 5)."""

import io
from datetime import date

import openpyxl
from sqlalchemy import func
from sqlalchemy import select

from services.rounds import next_name
from services.rounds import shift_year
from services.spreadsheets import FIRST_DATA_ROW
from storage.models import Round
from storage.models import Submission
from tests.web.test_submission_forms import EXEMPLARY_OK


def test_next_years_name_and_dates():
    assert next_name("Năm học 2025-2026 (đợt 1)") == "Năm học 2026-2027 (đợt 1)"
    assert next_name("Thi đua năm 2026, 15 tiêu chí") == "Thi đua năm 2027, 15 tiêu chí"
    assert shift_year(date(2027, 5, 31)) == date(2028, 5, 31)
    assert shift_year(date(2028, 2, 29)) == date(2029, 2, 28)


def test_admin_copies_last_years_round_with_windows_a_year_later(app, client, auth, world):
    auth.login("admin")
    response = client.post(f"/dot-thi-dua/{world['round']}/sao-chep")
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.extensions["vanthu.db"].session() as session:
        old, new = session.get(Round, world["round"]), session.get(Round, new_id)
        assert (new.name, new.school_year) == ("Năm học 2026-2027", "2026-2027")
        assert new.organization_id == old.organization_id
        assert new.reference_date == date(2027, 5, 31)
        for field in ("registration_opens", "registration_closes", "nomination_opens",
                      "nomination_closes"):  # fmt: skip
            assert getattr(new, field) == shift_year(getattr(old, field)), field
        assert new.closed_at is None and new.ruleset_id
    assert "Năm học 2026-2027" in client.get("/quan-tri/").get_data(as_text=True)
    form = client.get(f"/quan-tri/dot-thi-dua/{new_id}").get_data(as_text=True)
    assert f"/dot-thi-dua/{new_id}/tong-hop" in form  # its summary, copy and closing


def _count(app) -> int:
    with app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(func.count()).select_from(Submission))


def test_a_closed_round_takes_no_submission_and_says_so(app, client, auth, world):
    auth.login("admin")
    assert client.post(f"/dot-thi-dua/{world['round']}/dong").status_code == 302
    assert "Đã đóng" in client.get("/quan-tri/").get_data(as_text=True)
    assert "Đã đóng" in client.get(f"/dot-thi-dua/{world['round']}/tong-hop").get_data(as_text=True)
    auth.logout()
    auth.login("staff")  # the windows are open, the round is closed
    client.post(f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK)
    assert _count(app) == 0
    auth.logout()
    auth.login("admin")
    client.post(f"/dot-thi-dua/{world['round']}/mo-lai")
    auth.logout()
    auth.login("staff")
    client.post(f"/dot/{world['round']}/dien-hinh", data=EXEMPLARY_OK)
    assert _count(app) == 1


def test_summary_counts_each_title_in_each_unit_on_the_page_and_in_excel(app, client, auth, world):
    entries = [
        ("Nguyễn Văn An", "Tổ Toán - Tin", "LDTT", "approved"),
        ("Trần Thị Bình", "Tổ Toán - Tin", "LDTT", "submitted"),
        ("Lê Văn Cường", "Tổ Ngữ văn", "LDTT", "rejected"),
        ("Phạm Thị Dung", "Tổ Ngữ văn", "CSTDCS", "approved"),
    ]
    with app.extensions["vanthu.db"].session() as session:
        for name, unit, code, status in entries:
            session.add(
                Submission(
                    organization_id=world["school"],
                    round_id=world["round"],
                    kind="registration",
                    created_by_id=world["staff"],
                    nominee_name=name,
                    unit=unit,
                    title_code=code,
                    search_key=name,
                    status=status,
                )  # fmt: skip
            )
    auth.login("clerk")  # from the review list of the round
    listing = client.get(f"/xet-duyet/?round={world['round']}").get_data(as_text=True)
    assert f"/dot-thi-dua/{world['round']}/tong-hop" in listing
    page = client.get(f"/dot-thi-dua/{world['round']}/tong-hop").get_data(as_text=True)
    assert "Lao động tiên tiến" in page and "Chiến sĩ thi đua cơ sở" in page
    response = client.get(f"/dot-thi-dua/{world['round']}/tong-hop.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [row[1:] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)]
    assert rows == [
        ("Chiến sĩ thi đua cơ sở", "Tổ Ngữ văn", 1, 1, 0, 0),
        ("Cộng: Chiến sĩ thi đua cơ sở", None, 1, 1, 0, 0),
        ("Lao động tiên tiến", "Tổ Ngữ văn", 1, 0, 1, 0),
        ("Lao động tiên tiến", "Tổ Toán - Tin", 2, 1, 0, 1),
        ("Cộng: Lao động tiên tiến", None, 3, 1, 1, 1),
        ("Tổng cộng", None, 4, 2, 1, 1),
    ]
    assert "Năm học 2025-2026" in str(sheet["A5"].value)
