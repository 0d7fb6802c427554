"""Staff forms offer only what the round's rule set allows (issue 9): under NĐ 152/2025 the
district chairman's Giấy khen is gone with the district level, on the page and on the
server."""

from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.emulation.choices import ruleset_of
from domain.emulation.choices import title_name
from storage.models import Round
from storage.models import Submission
from tests.web.test_submission_forms import COMMENDATION_OK

HUYEN = "GIAY_KHEN_UBND_HUYEN"
HUYEN_NAME = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện"
REFUSED = f"không xét “{HUYEN_NAME}”"


def _submissions(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalars(select(Submission).order_by(Submission.id)).all()


@pytest.fixture
def nd98_round(app, world):
    """An open round of the school assessed under NĐ 98/2023 (before the reform)."""
    today = date.today()
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        round_ = Round(
            organization_id=world["school"], name="Năm học 2024-2025", school_year="2024-2025",
            reference_date=date(2025, 5, 31), ruleset_id="ND98_2023",
            registration_opens=today - timedelta(days=5),
            registration_closes=today + timedelta(days=5),
            nomination_opens=today - timedelta(days=5),
            nomination_closes=today + timedelta(days=5),
        )  # fmt: skip
        session.add(round_)
        session.commit()
        return round_.id


def test_an_nd152_round_offers_nothing_of_the_district_level(client, auth, world):
    auth.login("staff")
    for slug in ("dang-ky", "khen-thuong"):
        page = client.get(f"/dot/{world['round']}/{slug}").get_data(as_text=True)
        assert "cấp huyện" not in page, slug
    page = client.get(f"/dot/{world['round']}/khen-thuong").get_data(as_text=True)
    assert "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã" in page  # its successor


def test_an_nd152_round_refuses_a_crafted_district_giay_khen(client, auth, world, app):
    auth.login("staff")
    response = client.post(
        f"/dot/{world['round']}/khen-thuong", data=COMMENDATION_OK | {"form_code": HUYEN}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert REFUSED in page and "NĐ 152/2025" in page
    assert _submissions(app) == []


@pytest.mark.parametrize(
    "data",
    [
        {"nominee_type": "collective", "collective_unit": "Tổ Toán", "collective_title": HUYEN},
        {
            "nominee_type": "individual",
            "people-0-full_name": "Lê Văn A",
            "people-0-title_code": HUYEN,
        },
    ],
    ids=["collective", "person-row"],
)
def test_an_nd152_registration_refuses_a_code_the_rule_set_does_not_offer(
    client, auth, world, app, data
):
    auth.login("staff")
    response = client.post(f"/dot/{world['round']}/dang-ky", data=data)
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
    assert _submissions(app) == []


def test_editing_in_an_nd152_round_offers_and_accepts_only_its_forms(client, auth, world, app):
    auth.login("staff")
    client.post(f"/dot/{world['round']}/khen-thuong", data=COMMENDATION_OK)
    client.post(
        f"/dot/{world['round']}/dang-ky",
        data={
            "nominee_type": "collective",
            "collective_unit": "Tổ Toán",
            "collective_title": "TTLDTT",
        },
    )
    commendation, registration = _submissions(app)
    for saved in (commendation, registration):
        page = client.get(f"/ho-so/{saved.id}/sua").get_data(as_text=True)
        assert "cấp huyện" not in page
    response = client.post(
        f"/ho-so/{commendation.id}/sua", data=COMMENDATION_OK | {"form_code": HUYEN}
    )
    assert REFUSED in response.get_data(as_text=True)
    assert _submissions(app)[0].title_code == "GIAY_KHEN"


def test_an_nd98_round_still_offers_the_district_giay_khen(client, auth, world, app, nd98_round):
    auth.login("staff")
    page = client.get(f"/dot/{nd98_round}/khen-thuong").get_data(as_text=True)
    assert HUYEN_NAME in page
    response = client.post(
        f"/dot/{nd98_round}/khen-thuong", data=COMMENDATION_OK | {"form_code": HUYEN}
    )
    assert response.status_code == 302
    assert [s.title_code for s in _submissions(app)] == [HUYEN]


def test_a_round_with_an_unknown_rule_set_id_follows_its_reference_date():
    stray = Round(ruleset_id="KHONG_CO", reference_date=date(2025, 5, 31))
    assert ruleset_of(stray).id == "ND98_2023"
    assert ruleset_of(None) is None


def test_an_unknown_code_is_shown_as_it_is():
    assert title_name("MA_CU") == "MA_CU"
    assert title_name("LDTT") == "Lao động tiên tiến"
