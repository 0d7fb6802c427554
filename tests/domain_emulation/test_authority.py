"""Who may confer what, per period and per kind of organisation (Luật 2022 Điều 80,
NĐ 129/2025 Điều 59, TT 29/2023 Điều 11)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.emulation.authority import Placement
from domain.emulation.authority import decider_for
from domain.emulation.authority import default_superior_address
from domain.emulation.authority import default_superior_decider
from domain.emulation.authority import powers_table
from domain.emulation.authority import superiors_on
from domain.emulation.errors import AuthorityError

BEFORE = date(2025, 5, 30)  # NĐ 98/2023, district level
AFTER = date(2026, 5, 30)  # NĐ 152/2025, two-level local government

COMMUNE_SCHOOL = Placement(
    "Trường THCS Mỹ Thạnh", "Hiệu trưởng", "tỉnh Đồng Tháp", "ubnd_xa",
    "Ủy ban nhân dân xã Mỹ Thạnh", org_kind="truong_thcs",
)  # fmt: skip
DISTRICT_SCHOOL = Placement(
    "Trường THCS Mỹ Thạnh", "Hiệu trưởng", "tỉnh Đồng Tháp", "phong_gddt",
    "Phòng Giáo dục và Đào tạo huyện Cao Lãnh", org_kind="truong_thcs",
)  # fmt: skip
HIGH_SCHOOL = Placement(
    "Trường THPT Lấp Vò 1", "Hiệu trưởng", "tỉnh Đồng Tháp", "so_gddt",
    "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp", org_kind="truong_thpt",
)  # fmt: skip

XA = "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"
HUYEN = "Chủ tịch Ủy ban nhân dân huyện Cao Lãnh"
TINH = "Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp"
SO = "Giám đốc Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"
BO = "Bộ trưởng Bộ Giáo dục và Đào tạo"

CASES = [
    # (placement, day, title, decider key, name, own decision)
    (COMMUNE_SCHOOL, AFTER, "GIAY_KHEN", "HEAD", "Hiệu trưởng Trường THCS Mỹ Thạnh", True),
    (COMMUNE_SCHOOL, AFTER, "LDTT", "CT_UBND_XA", XA, False),
    (COMMUNE_SCHOOL, AFTER, "CSTDCS", "CT_UBND_XA", XA, False),
    (COMMUNE_SCHOOL, AFTER, "TTLDTT", "CT_UBND_XA", XA, False),
    (COMMUNE_SCHOOL, AFTER, "TTLDXS", "CT_UBND_TINH", TINH, False),
    (COMMUNE_SCHOOL, AFTER, "BK_UBND_TINH", "CT_UBND_TINH", TINH, False),
    (COMMUNE_SCHOOL, AFTER, "BK_BO_GDDT", "BT_GDDT", BO, False),
    (COMMUNE_SCHOOL, AFTER, "KNC_GD", "BT_GDDT", BO, False),
    (COMMUNE_SCHOOL, AFTER, "BK_TTG", "TTG", "Thủ tướng Chính phủ", False),
    (DISTRICT_SCHOOL, BEFORE, "GIAY_KHEN", "HEAD", "Hiệu trưởng Trường THCS Mỹ Thạnh", True),
    (DISTRICT_SCHOOL, BEFORE, "LDTT", "CT_UBND_HUYEN", HUYEN, False),
    (DISTRICT_SCHOOL, BEFORE, "CSTDCS", "CT_UBND_HUYEN", HUYEN, False),
    (DISTRICT_SCHOOL, BEFORE, "GIAY_KHEN_UBND_HUYEN", "CT_UBND_HUYEN", HUYEN, False),
    (DISTRICT_SCHOOL, BEFORE, "TTLDXS", "CT_UBND_TINH", TINH, False),
    (HIGH_SCHOOL, AFTER, "LDTT", "GD_SO", SO, False),
    (HIGH_SCHOOL, AFTER, "CSTDCS", "GD_SO", SO, False),
    (HIGH_SCHOOL, BEFORE, "CSTDCS", "GD_SO", SO, False),
    (HIGH_SCHOOL, AFTER, "GIAY_KHEN_GD_SO", "GD_SO", SO, False),
    (HIGH_SCHOOL, AFTER, "GIAY_KHEN", "HEAD", "Hiệu trưởng Trường THPT Lấp Vò 1", True),
]  # fmt: skip


@pytest.mark.parametrize(("placement", "day", "code", "key", "name", "own"), CASES)
def test_each_title_is_decided_by_the_office_the_law_names(placement, day, code, key, name, own):
    decider = decider_for(code, day, placement)
    assert (decider.key, decider.name, decider.is_head) == (key, name, own)


def test_the_commune_chairman_confers_only_ldtt_and_giay_khen_before_the_reform():
    # Luật Điều 80 khoản 3: a commune school's CSTĐCS went to the district chairman.
    decider = decider_for("CSTDCS", BEFORE, DISTRICT_SCHOOL)
    assert decider.key == "CT_UBND_HUYEN"
    commune = Placement(
        "Trường Mầm non Hoa Sen", "Hiệu trưởng", "", "ubnd_xa", "Ủy ban nhân dân xã A"
    )
    assert decider_for("LDTT", BEFORE, commune).key == "CT_UBND_XA"
    with pytest.raises(AuthorityError):
        decider_for("CSTDCS", BEFORE, commune)  # only the district chairman, not in its chain


def test_a_principal_never_confers_a_title_unless_the_province_delegates_it():
    assert not decider_for("LDTT", AFTER, COMMUNE_SCHOOL).is_head
    delegated = decider_for("LDTT", AFTER, COMMUNE_SCHOOL, head_confers={"LDTT"})
    assert delegated.is_head
    assert "cài đặt" in delegated.basis


def test_the_district_giay_khen_cannot_be_proposed_after_the_reform():
    with pytest.raises(AuthorityError) as caught:
        decider_for("GIAY_KHEN_UBND_HUYEN", AFTER, COMMUNE_SCHOOL)
    assert "01/7/2025" in caught.value.message


def test_an_organisation_without_a_superior_is_told_to_declare_it():
    lonely = Placement("Trường THCS A", "Hiệu trưởng")
    with pytest.raises(AuthorityError) as caught:
        decider_for("CSTDCS", AFTER, lonely)
    assert "cấp trên trực tiếp" in caught.value.message
    assert decider_for("GIAY_KHEN", AFTER, lonely).is_head


def test_a_phong_is_addressed_as_a_body_and_an_ubnd_through_its_chairman():
    assert (
        default_superior_address("phong_gddt", "Phòng Giáo dục và Đào tạo huyện Cao Lãnh")
        == "Phòng Giáo dục và Đào tạo huyện Cao Lãnh"
    )
    assert (
        default_superior_address("ubnd_xa", "Ủy ban nhân dân xã Mỹ Thạnh")
        == "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"
    )
    assert not default_superior_decider("phong_gddt", "Phòng GD&ĐT").startswith("Chủ tịch Phòng")


def test_district_superiors_are_offered_only_before_the_reform():
    assert "phong_gddt" in superiors_on(BEFORE)
    assert "phong_gddt" not in superiors_on(AFTER)
    assert "ubnd_xa" in superiors_on(AFTER)


def test_the_powers_table_lists_the_commune_chairman_with_cstdcs_only_after_the_reform():
    before = dict(powers_table(BEFORE))
    after = dict(powers_table(AFTER))
    commune = "Chủ tịch Ủy ban nhân dân cấp xã"
    assert "Chiến sĩ thi đua cơ sở" not in before[commune]
    assert "Chiến sĩ thi đua cơ sở" in after[commune]
    assert "Chủ tịch Ủy ban nhân dân cấp huyện" not in after
