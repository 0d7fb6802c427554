"""The clerk's review: filters, accent-insensitive search, facts, votes, decisions, export."""

import io

import openpyxl
import pytest
from sqlalchemy import select

from services.spreadsheets import HEADER_ROW
from storage.models import Submission
from tests.web.test_submission_forms import COMMENDATION_OK

# An approval of a title needs the council's vote at or above the rule set's threshold.
APPROVED_9_OF_9 = {
    "decision-decision": "approved",
    "decision-votes_for": "9",
    "decision-council_total": "9",
}


@pytest.fixture
def registered(client, auth, world):
    """Staff register three people; a staff member of another school registers one."""
    auth.login("staff")
    client.post(
        f"/dot/{world['round']}/dang-ky",
        data={
            "nominee_type": "individual",
            "people-0-full_name": "Nguyễn Văn An",
            "people-0-unit": "Tổ Toán - Tin",
            "people-0-title_code": "CSTDCS",
            "people-1-full_name": "Nguyễn Văn Ánh",
            "people-1-unit": "Tổ Ngữ văn",
            "people-1-title_code": "LDTT",
            "people-2-full_name": "Đặng Thị Ngọc",
            "people-2-unit": "Tổ Toán - Tin",
            "people-2-title_code": "LDTT",
        },
    )
    auth.logout()
    auth.login("other_staff")
    client.post(
        f"/dot/{world['other_round']}/dang-ky",
        data={
            "nominee_type": "individual",
            "people-0-full_name": "Nguyễn Văn An Khác",
            "people-0-title_code": "LDTT",
        },
    )
    auth.logout()
    auth.login("clerk")
    return world


def _names(client, query):
    page = client.get(f"/xet-duyet/?{query}").get_data(as_text=True)
    return [
        n
        for n in ("Nguyễn Văn An", "Nguyễn Văn Ánh", "Đặng Thị Ngọc", "Nguyễn Văn An Khác")
        if f">{n}</a>" in page
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Nguyễn Văn An", "Nguyễn Văn Ánh", "Đặng Thị Ngọc"]),
        ("q=nguyen+van+a", ["Nguyễn Văn An", "Nguyễn Văn Ánh"]),
        ("q=Nguyễn+Văn+Ánh", ["Nguyễn Văn Ánh"]),
        ("q=dang+ngoc", ["Đặng Thị Ngọc"]),
        ("q=%25", []),
        ("unit=Tổ+Toán+-+Tin", ["Nguyễn Văn An", "Đặng Thị Ngọc"]),
        ("kind=commendation", []),
        ("status=approved", []),
    ],
)
def test_clerk_filters_and_searches_own_organization_only(client, registered, query, expected):
    assert _names(client, query) == expected


def test_clerk_records_facts_and_sees_eligibility_warnings(client, registered, app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        an = session.scalar(select(Submission).where(Submission.nominee_name == "Nguyễn Văn An"))
    page = client.get(f"/xet-duyet/{an.id}").get_data(as_text=True)
    assert "Quy định áp dụng" in page and "152/2025" in page
    # HTT rating, no initiative: not CSTĐCS material.
    client.post(
        f"/xet-duyet/{an.id}/thong-tin",
        data={
            "facts-rating": "htt",
            "facts-discipline": "khong",
            "facts-months_worked": "12",
            "facts-absent_days": "0",
        },
    )
    page = client.get(f"/xet-duyet/{an.id}").get_data(as_text=True)
    assert "Không đạt" in page
    # HTXS: the CSTĐCS criteria hold.
    client.post(
        f"/xet-duyet/{an.id}/thong-tin",
        data={
            "facts-rating": "htxs",
            "facts-discipline": "khong",
            "facts-months_worked": "12",
            "facts-absent_days": "0",
        },
    )
    page = client.get(f"/xet-duyet/{an.id}").get_data(as_text=True)
    assert "Không đạt" not in page


# A failing vote can no longer be recorded as "approved" (tests/decisions); it is recorded
# as the council's rejection and still judged on the page.
@pytest.mark.parametrize(
    ("votes", "total", "decision", "passes"),
    [(8, 10, "approved", True), (7, 10, "rejected", False), (12, 15, "approved", True)],
)
def test_council_vote_is_recorded_and_judged_against_threshold(
    client, registered, app, votes, total, decision, passes
):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        an = session.scalar(select(Submission).where(Submission.nominee_name == "Nguyễn Văn An"))
    response = client.post(
        f"/xet-duyet/{an.id}/ket-qua",
        data={
            "decision-votes_for": str(votes),
            "decision-council_total": str(total),
            "decision-decision": decision,
            "decision-note": "Họp ngày 20/5",
        },
    )
    assert response.status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        saved = session.get(Submission, an.id)
        assert (saved.votes_for, saved.council_total, saved.status) == (votes, total, decision)
    page = client.get(f"/xet-duyet/{an.id}").get_data(as_text=True)
    assert ('class="ok"' in page.split("Kết quả Hội đồng")[1].split("</p>")[0]) is passes


def test_vote_above_council_size_is_refused_and_nothing_changes(client, registered, app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        an = session.scalar(select(Submission).where(Submission.nominee_name == "Nguyễn Văn An"))
    response = client.post(
        f"/xet-duyet/{an.id}/ket-qua",
        data={
            "decision-votes_for": "11",
            "decision-council_total": "10",
            "decision-decision": "approved",
        },
    )
    assert response.status_code == 400
    assert "không thể lớn hơn tổng số" in response.get_data(as_text=True)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Submission, an.id).status == "submitted"


def test_export_gives_xlsx_of_the_filtered_list(client, registered):
    response = client.get("/xet-duyet/xuat-excel?unit=Tổ+Toán+-+Tin")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    assert rows[0][:3] == ("STT", "Loại hồ sơ", "Họ tên / tập thể")
    assert [r[2] for r in rows[1:]] == ["Nguyễn Văn An", "Đặng Thị Ngọc"]
    assert rows[1][5] == "Chiến sĩ thi đua cơ sở"


def test_decided_submission_is_no_longer_editable_by_staff(client, auth, world, app):
    auth.login("staff")
    client.post(f"/dot/{world['round']}/khen-thuong", data=COMMENDATION_OK)
    auth.logout()
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        item = session.scalar(select(Submission))
    auth.login("clerk")
    client.post(f"/xet-duyet/{item.id}/ket-qua", data=APPROVED_9_OF_9)
    auth.logout()
    auth.login("staff")
    client.post(f"/ho-so/{item.id}/sua", data=COMMENDATION_OK | {"period": "khác"})
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Submission, item.id).data["period"] == COMMENDATION_OK["period"]


def test_organization_quota_warns_when_cstdcs_exceeds_share_of_ldtt(client, auth, registered, app):
    auth.logout()
    auth.login("admin")
    client.post(
        "/quan-tri/co-quan",
        data={
            "name": "TRƯỜNG THCS MỸ THẠNH",
            "abbrev": "THCSMT",
            "place": "Mỹ Thạnh",
            "head_title": "HIỆU TRƯỞNG",
            "cstdcs_quota_percent": "50",
        },
    )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        ids = {s.nominee_name: s.id for s in session.scalars(select(Submission))}
    # One LĐTT approved: a 50 % quota allows 0 CSTĐCS, so proposing An exceeds it.
    client.post(f"/xet-duyet/{ids['Nguyễn Văn Ánh']}/ket-qua", data=APPROVED_9_OF_9)
    page = client.get(f"/xet-duyet/{ids['Nguyễn Văn An']}").get_data(as_text=True)
    assert "vượt hạn mức" in page
    # Two LĐTT approved: 50 % allows one CSTĐCS.
    client.post(f"/xet-duyet/{ids['Đặng Thị Ngọc']}/ket-qua", data=APPROVED_9_OF_9)
    page = client.get(f"/xet-duyet/{ids['Nguyễn Văn An']}").get_data(as_text=True)
    assert "vượt hạn mức" not in page
