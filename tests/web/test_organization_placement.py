"""An organization says what it is and who is above it (issue 9): the admin form stores the
placement, derives the superior's decision maker and Kính gửi line, keeps the head's powers
in the settings, and shows who decides each title; provincial rules reach only their
province's schools."""

import re
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from services import eligibility
from services.placement import placement_of
from services.placement import who_decides
from storage.models import Organization
from storage.models import Round
from storage.models import Submission

XA = "Ủy ban nhân dân xã Mỹ Thạnh"
CHU_TICH_XA = "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"
ORG = {
    "name": "TRƯỜNG THCS MỸ THẠNH",
    "parent_name": "UBND XÃ MỸ THẠNH",
    "abbrev": "THCSMT",
    "place": "Mỹ Thạnh",
    "head_title": "HIỆU TRƯỞNG",
    "head_name": "Nguyễn Văn Giàu",
    "org_kind": "truong_thcs",
    "province": "tỉnh Đồng Tháp",
    "superior_kind": "ubnd_xa",
    "superior_name": XA,
    "head_recognises_initiatives": "y",
}
URL = "/quan-tri/co-quan"
PLACEMENT_COLUMNS = (
    "org_kind", "province", "superior_kind", "superior_name", "superior_decider",
    "superior_address",
)  # fmt: skip


def _org(app, org_id):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org = session.get(Organization, org_id)
        session.expunge(org)
        return org


def _set_settings(app, org_id, settings):
    _set(app, org_id, settings=settings)


def _set(app, org_id, **values):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org = session.get(Organization, org_id)
        for name, value in values.items():
            setattr(org, name, value)
        session.commit()


def _placement_columns(org):
    return tuple(getattr(org, name) for name in PLACEMENT_COLUMNS)


def _checked(page, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return " checked" in tag


def _decision_row(page, title):
    """The cells of the summary row of one title, tags stripped."""
    row = re.search(rf"<td>{re.escape(title)}</td>(.*?)</tr>", page, re.S)
    assert row, title
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))).strip()


def test_saving_stores_the_placement_and_derives_decider_and_address(client, auth, world, app):
    auth.login("admin")
    assert client.post(URL, data=ORG).status_code == 302
    org = _org(app, world["school"])
    assert (org.org_kind, org.province, org.superior_kind, org.superior_name) == (
        "truong_thcs", "tỉnh Đồng Tháp", "ubnd_xa", XA,
    )  # fmt: skip
    # An Ủy ban is addressed through its chairman, who holds the power.
    assert (org.superior_decider, org.superior_address) == (CHU_TICH_XA, CHU_TICH_XA)


def test_a_sở_is_addressed_as_a_body(client, auth, world, app):
    auth.login("admin")
    so = "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"
    data = ORG | {"org_kind": "truong_thpt", "superior_kind": "so_gddt", "superior_name": so}
    assert client.post(URL, data=data).status_code == 302
    org = _org(app, world["school"])
    assert org.superior_decider == f"Giám đốc {so}"
    assert org.superior_address == so


def test_a_derived_decider_follows_the_superior_and_a_typed_one_stays(client, auth, world, app):
    auth.login("admin")
    client.post(URL, data=ORG)
    stored = _org(app, world["school"])
    # The browser posts back what the form showed: the derived lines of the old superior.
    shown = {"superior_decider": stored.superior_decider}
    shown["superior_address"] = stored.superior_address
    moved = ORG | shown | {"superior_name": "Ủy ban nhân dân xã Mỹ Long"}
    client.post(URL, data=moved)
    org = _org(app, world["school"])
    assert org.superior_decider == "Chủ tịch Ủy ban nhân dân xã Mỹ Long"
    assert org.superior_address == "Chủ tịch Ủy ban nhân dân xã Mỹ Long"
    typed = moved | {"superior_decider": "Phó Chủ tịch Ủy ban nhân dân xã Mỹ Long"}
    client.post(URL, data=typed | {"superior_address": ""})
    org = _org(app, world["school"])
    assert org.superior_decider == "Phó Chủ tịch Ủy ban nhân dân xã Mỹ Long"
    assert org.superior_address == "Phó Chủ tịch Ủy ban nhân dân xã Mỹ Long"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"superior_name": ""}, "Vui lòng nhập tên cấp trên trực tiếp."),
        ({"province": "Đồng Tháp"}, "Viết kèm chữ “tỉnh” hoặc “thành phố”"),
        ({"superior_kind": "khong_co"}, "Lựa chọn không hợp lệ."),
        ({"org_kind": "truong_dai_hoc"}, "Lựa chọn không hợp lệ."),
    ],
)
def test_invalid_placement_is_refused_in_vietnamese_and_nothing_saved(
    client, auth, world, app, data, message
):
    before = _placement_columns(_org(app, world["school"]))
    auth.login("admin")
    response = client.post(URL, data=ORG | data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _placement_columns(_org(app, world["school"])) == before


def test_no_superior_needs_no_name_and_text_is_stored_nfc(client, auth, world, app):
    auth.login("admin")
    data = ORG | {"superior_kind": "", "superior_name": "", "province": "Tỉnh Đồng Tháp"}
    data["province"] = unicodedata.normalize("NFD", data["province"])
    assert client.post(URL, data=data).status_code == 302
    org = _org(app, world["school"])
    # NFC, and written as it stands in running text ("Ủy ban nhân dân tỉnh Đồng Tháp").
    assert org.province == "tỉnh Đồng Tháp"
    assert (org.superior_kind, org.superior_decider, org.superior_address) == ("", "", "")


def test_superiors_that_ended_say_so_in_the_select(client, auth, world):
    auth.login("admin")
    page = client.get(URL).get_data(as_text=True)
    assert "Phòng Giáo dục và Đào tạo (cấp huyện, đến 30/6/2025)" in page
    assert "(đến 30/6/2025) (đến 30/6/2025)" not in page
    assert "Trường trung học cơ sở" in page


def test_head_powers_round_trip_without_losing_a_stored_quota(client, auth, world, app):
    quota = {"CSTDCS": {"max_percent": "15", "of": "LDTT"}}
    _set_settings(app, world["school"], {"quotas": quota, "basis": "Quy chế thi đua của trường"})
    auth.login("admin")
    page = client.get(URL).get_data(as_text=True)
    # The stored quota is shown, so a save that does not touch it posts it back.
    assert re.search(r'name="cstdcs_quota_percent"[^>]*value="15"', page)
    assert _checked(page, "head_recognises_initiatives")  # on by default
    assert not _checked(page, "head_confers_ldtt")
    data = ORG | {"cstdcs_quota_percent": "15", "head_confers_ldtt": "y"}
    del data["head_recognises_initiatives"]  # unticked: the browser sends nothing
    assert client.post(URL, data=data).status_code == 302
    settings = _org(app, world["school"]).settings
    assert settings["quotas"] == quota
    assert settings["basis"] == "Quy chế thi đua của trường"
    assert settings["head_confers"] == ["LDTT"]
    assert settings["head_recognises_initiatives"] is False
    page = client.get(URL).get_data(as_text=True)
    assert _checked(page, "head_confers_ldtt")
    assert not _checked(page, "head_recognises_initiatives")
    # Unticking LĐTT keeps a code delegated by hand in the settings.
    _set_settings(app, world["school"], settings | {"head_confers": ["LDTT", "CSTDCS"]})
    client.post(URL, data=ORG | {"cstdcs_quota_percent": "15"})
    settings = _org(app, world["school"]).settings
    assert settings["head_confers"] == ["CSTDCS"]
    assert settings["head_recognises_initiatives"] is True
    assert settings["quotas"] == quota


def test_the_summary_names_who_decides_each_title_today(client, auth, world):
    auth.login("admin")
    client.post(URL, data=ORG)
    page = client.get(URL).get_data(as_text=True)
    assert date.today() >= date(2025, 7, 1)  # the two-level local government
    # NĐ 129/2025 Điều 59: the commune chairman decides CSTĐCS of a commune's school.
    cstdcs = _decision_row(page, "Chiến sĩ thi đua cơ sở")
    assert cstdcs.startswith(CHU_TICH_XA)
    assert f"kính gửi: {CHU_TICH_XA}" in cstdcs
    assert _decision_row(page, "Tập thể lao động xuất sắc").startswith(
        "Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp"
    )
    assert "Đơn vị tự ra quyết định" in _decision_row(
        page, "Giấy khen của Hiệu trưởng, Thủ trưởng đơn vị"
    )
    assert "Bộ trưởng Bộ Giáo dục và Đào tạo" in _decision_row(
        page, "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"
    )


def test_the_summary_shows_why_nobody_can_be_named(client, auth, world, app):
    _set(app, world["school"], **dict.fromkeys(PLACEMENT_COLUMNS, ""))  # nothing declared
    auth.login("admin")
    page = client.get(URL).get_data(as_text=True)
    assert "đơn vị chưa khai báo cấp trên trực tiếp" in _decision_row(page, "Lao động tiên tiến")


def test_a_delegated_ldtt_is_decided_by_the_head(client, auth, world):
    auth.login("admin")
    client.post(URL, data=ORG | {"head_confers_ldtt": "y"})
    row = _decision_row(client.get(URL).get_data(as_text=True), "Lao động tiên tiến")
    assert row.startswith("Hiệu trưởng Trường THCS Mỹ Thạnh")
    assert "Phân cấp của tỉnh" in row


def test_placement_of_writes_names_as_running_text(app, world):
    org = _org(app, world["school"])
    org.superior_kind, org.superior_name = "ubnd_xa", XA
    placement = placement_of(org)
    assert (placement.org_name, placement.head_title) == ("Trường THCS Mỹ Thạnh", "Hiệu trưởng")
    before = {row.code: row for row in who_decides(org, date(2025, 5, 30))}
    # Before 01/7/2025 only the district chairman conferred CSTĐCS: not this superior.
    assert before["CSTDCS"].problem and not before["CSTDCS"].decider
    assert before["LDTT"].decider == CHU_TICH_XA


# -- Provincial regulations reach only their province ------------------------------------


def _collective_reviews(client, auth, world, app, province):
    """The review pages of a TTLĐTT and a TTLĐXS registration of a school in ``province``."""
    auth.login("admin")
    assert client.post(URL, data=ORG | {"province": province}).status_code == 302
    auth.logout()
    auth.login("staff")
    for code, unit in (("TTLDTT", "Tổ Toán - Tin"), ("TTLDXS", "Tổ Ngữ văn")):
        data = {"nominee_type": "collective", "collective_unit": unit, "collective_title": code}
        assert client.post(f"/dot/{world['round']}/dang-ky", data=data).status_code == 302
    auth.logout()
    auth.login("clerk")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        ids = session.scalars(
            select(Submission.id).where(Submission.nominee_type == "collective")
        ).all()
    assert len(ids) == 2
    return [client.get(f"/xet-duyet/{sid}").get_data(as_text=True) for sid in ids]


def _findings(page):
    return re.search(r'<ul class="(?:findings|checklist)">(.*?)</ul>', page, re.S).group(1)


def test_a_school_in_another_province_never_sees_bac_ninh(client, auth, world, app):
    for page in _collective_reviews(client, auth, world, app, "tỉnh Đồng Tháp"):
        assert "Luật Thi đua, khen thưởng 2022, Điều 2" in _findings(page)
        assert "Bắc Ninh" not in page and "86/2025" not in page


def test_a_school_in_bac_ninh_sees_its_regulation_cited(client, auth, world, app):
    pages = _collective_reviews(client, auth, world, app, "tỉnh Bắc Ninh")
    tt, xs = (_findings(page) for page in pages)
    assert "Luật Thi đua, khen thưởng 2022, Điều 28; Quyết định số 86/2025/QĐ-UBND" in tt
    assert "Ủy ban nhân dân tỉnh Bắc Ninh, Điều 4 khoản 2" in tt
    assert "Ủy ban nhân dân tỉnh Bắc Ninh, Điều 3 khoản 2" in xs


def test_a_regulation_is_not_cited_for_a_round_before_it_was_issued():
    org = Organization(name="TRƯỜNG THCS A", head_title="HIỆU TRƯỞNG", province="tỉnh Bắc Ninh")
    org.settings = {}
    submission = Submission(
        kind="registration", nominee_type="collective", title_code="TTLDTT", facts={}
    )
    for day, ruleset_id, cited in (
        (date(2025, 5, 31), "ND98_2023", False),
        (date(2026, 5, 31), "ND152_2025", True),
    ):
        round_ = Round(reference_date=day, ruleset_id=ruleset_id)
        report = eligibility.review(submission, round_, org)
        assert report.findings
        assert any("86/2025" in f.basis for f in report.findings) is cited
