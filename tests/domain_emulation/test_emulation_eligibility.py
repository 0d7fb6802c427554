"""Eligibility of individuals and collectives, rule by rule (Luật 2022 Điều 21–24, 28)."""

from __future__ import annotations

import pytest

from domain.emulation import CollectiveFacts
from domain.emulation import IndividualFacts
from domain.emulation import InvalidFactsError
from domain.emulation import OrgSettings
from domain.emulation import check_collective
from domain.emulation import check_individual
from domain.emulation import has_errors

CLEAN = {"months_worked": 12, "absent_working_days": 0, "disciplined_level": "khong"}


def _by_code(findings):
    return {f.code: f.severity for f in findings}


# --- Lao động tiên tiến ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ("htxs", {}),
        ("htt", {}),
        ("Hoàn thành tốt nhiệm vụ", {}),
        ("ht", {"LDTT_RATING": "error"}),
        ("kht", {"LDTT_RATING": "error"}),
        (None, {"LDTT_RATING": "info"}),
    ],
)
def test_check_individual_ldtt_rating(nd152, rating, expected):
    facts = IndividualFacts(rating=rating, **CLEAN)
    assert _by_code(check_individual("LDTT", facts, nd152)) == expected


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"months_worked": 9}, "LDTT_MONTHS_WORKED"),
        ({"absent_working_days": 40}, "LDTT_ABSENCE"),
        ({"disciplined_level": "khien_trach"}, "LDTT_DISCIPLINE"),
        ({"disciplined_level": "Cảnh cáo"}, "LDTT_DISCIPLINE"),
    ],
)
def test_check_individual_ldtt_exclusions_default_to_warning(nd98, nd152, changes, code):
    facts = IndividualFacts(rating="htt", **{**CLEAN, **changes})
    for ruleset in (nd98, nd152):
        findings = check_individual("LDTT", facts, ruleset)
        assert _by_code(findings) == {code: "warning"}
        assert "chưa xác nhận" in findings[0].message_vi
        assert not has_errors(findings)


@pytest.mark.parametrize(
    ("changes", "flagged"),
    [
        ({"months_worked": 10}, False),
        ({"months_worked": 9}, True),
        ({"absent_working_days": 39}, False),
        ({"absent_working_days": 40}, True),
    ],
)
def test_check_individual_ldtt_exclusion_boundaries(nd152, changes, flagged):
    facts = IndividualFacts(rating="htt", **{**CLEAN, **changes})
    assert bool(check_individual("LDTT", facts, nd152)) is flagged


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"ldtt_exclusions": "error"}, {"LDTT_MONTHS_WORKED": "error"}),
        ({"ldtt_exclusions": "off"}, {}),
        ({"ldtt_min_months_worked": 6}, {}),
        ({"ldtt_min_months_worked": 12}, {"LDTT_MONTHS_WORKED": "warning"}),
    ],
)
def test_check_individual_ldtt_exclusions_follow_org_settings(nd152, settings, expected):
    facts = IndividualFacts(rating="htt", **{**CLEAN, "months_worked": 8})
    assert _by_code(check_individual("LDTT", facts, nd152, settings)) == expected


def test_check_individual_org_exclusion_cites_org_regulation(nd152):
    settings = OrgSettings.from_dict(
        {"basis": "Quy chế TĐKT Trường THCS A", "ldtt_exclusions": "error"}
    )
    facts = IndividualFacts(rating="htt", **{**CLEAN, "absent_working_days": 45})
    (finding,) = check_individual("LDTT", facts, nd152, settings)
    assert finding.legal_basis == "Quy chế TĐKT Trường THCS A"


def test_check_individual_unknown_facts_give_info_not_pass(nd152):
    findings = check_individual("LDTT", IndividualFacts(), nd152)
    assert {f.severity for f in findings} == {"info"}
    assert all(f.message_vi.startswith("Chưa đủ thông tin") for f in findings)
    assert set(_by_code(findings)) == {
        "LDTT_RATING",
        "LDTT_MONTHS_WORKED",
        "LDTT_ABSENCE",
        "LDTT_DISCIPLINE",
    }


# --- Chiến sĩ thi đua cơ sở --------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # HTXS alone is enough since Luật 2022 (no sáng kiến needed).
        ({"rating": "htxs", "initiative_recognised": False, "research_accepted": False}, {}),
        ({"rating": "htt", "initiative_recognised": True}, {}),
        ({"rating": "htt", "initiative_recognised": False, "research_accepted": True}, {}),
        (
            {"rating": "htt", "initiative_recognised": False, "research_accepted": False},
            {"CSTDCS_ACHIEVEMENT": "error"},
        ),
        ({"rating": "htt", "initiative_recognised": False}, {"CSTDCS_ACHIEVEMENT": "info"}),
        (
            {"rating": "ht", "initiative_recognised": True},
            {"LDTT_RATING": "error"},
        ),
        (
            {"rating": "htxs", "lao_dong_tien_tien_met": False},
            {"CSTDCS_LDTT": "error"},
        ),
    ],
)
def test_check_individual_cstdcs_needs_ldtt_and_one_achievement(nd98, nd152, facts, expected):
    known = {**CLEAN, **facts}
    for ruleset in (nd98, nd152):
        assert _by_code(check_individual("CSTDCS", IndividualFacts(**known), ruleset)) == expected


def test_check_individual_cstdcs_trusts_given_ldtt_result(nd152):
    facts = IndividualFacts(rating="htxs", lao_dong_tien_tien_met=True)
    assert check_individual("CSTDCS", facts, nd152) == []


# --- Chiến sĩ thi đua cấp bộ, tỉnh, toàn quốc --------------------------------------------


@pytest.mark.parametrize(
    ("title", "facts", "expected"),
    [
        ("CSTD_TINH", {"consecutive_cstdcs": 3, "initiative_scope": "bo_tinh"}, {}),
        ("CSTD_TINH", {"consecutive_cstdcs": 3, "initiative_scope": "toan_quoc"}, {}),
        (
            "CSTD_TINH",
            {"consecutive_cstdcs": 2, "initiative_scope": "bo_tinh"},
            {"CSTD_TINH_CONSECUTIVE": "error"},
        ),
        (
            "CSTD_BO",
            {"consecutive_cstdcs": 3, "initiative_scope": "cấp cơ sở"},
            {"CSTD_BO_INITIATIVE_SCOPE": "error"},
        ),
        (
            "CSTD_BO",
            {},
            {"CSTD_BO_CONSECUTIVE": "info", "CSTD_BO_INITIATIVE_SCOPE": "info"},
        ),
        ("CSTDTQ", {"consecutive_cstd_higher": 2, "initiative_scope": "toan_quoc"}, {}),
        (
            "CSTDTQ",
            {"consecutive_cstd_higher": 1, "initiative_scope": "bo_tinh"},
            {"CSTDTQ_CONSECUTIVE": "error", "CSTDTQ_INITIATIVE_SCOPE": "error"},
        ),
    ],
)
def test_check_individual_higher_titles(nd152, title, facts, expected):
    assert _by_code(check_individual(title, IndividualFacts(**facts), nd152)) == expected


# --- titles without coded criteria, availability, scope ----------------------------------


def test_check_individual_form_without_criteria_is_info(nd152):
    findings = check_individual("BK_UBND_TINH", IndividualFacts(), nd152)
    assert _by_code(findings) == {"NOT_AUTO_CHECKED": "info"}


def test_check_individual_title_not_offered_after_reform(nd98, nd152):
    assert _by_code(check_individual("GIAY_KHEN_UBND_HUYEN", IndividualFacts(), nd152)) == {
        "TITLE_NOT_OFFERED": "error"
    }
    assert _by_code(check_individual("GIAY_KHEN_UBND_HUYEN", IndividualFacts(), nd98)) == {
        "NOT_AUTO_CHECKED": "info"
    }


def test_check_individual_rejects_collective_title(nd152):
    with pytest.raises(InvalidFactsError, match="không xét tặng cho cá nhân"):
        check_individual("TTLDTT", IndividualFacts(), nd152)


def test_check_collective_rejects_individual_title(nd152):
    with pytest.raises(InvalidFactsError, match="không xét tặng cho tập thể"):
        check_collective("CSTDCS", CollectiveFacts(), nd152)


# --- Tập thể lao động tiên tiến / xuất sắc -----------------------------------------------

GOOD_TTLDTT = {"member_count": 100, "ldtt_count": 70, "cstdcs_count": 0,
               "completed_tasks_count": 100, "disciplined_warning_or_above_count": 0,
               "rating": "htt"}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"ldtt_count": 69}, {"TTLDTT_LDTT_RATIO": "error"}),
        ({"member_count": 10, "ldtt_count": 7, "completed_tasks_count": 10}, {}),
        ({"disciplined_warning_or_above_count": 1}, {"TTLDTT_DISCIPLINE": "error"}),
        ({"rating": "ht"}, {"TTLDTT_RATING": "error"}),
        ({"ldtt_count": None}, {"TTLDTT_LDTT_RATIO": "info"}),
        ({"disciplined_warning_or_above_count": None}, {"TTLDTT_DISCIPLINE": "info"}),
    ],
)
def test_check_collective_ttldtt(nd98, nd152, changes, expected):
    facts = CollectiveFacts(**{**GOOD_TTLDTT, **changes})
    for ruleset in (nd98, nd152):
        assert _by_code(check_collective("TTLDTT", facts, ruleset)) == expected


def test_check_collective_ttldtt_ratio_message_shows_exact_numbers(nd152):
    facts = CollectiveFacts(**{**GOOD_TTLDTT, "ldtt_count": 69})
    (finding,) = check_collective("TTLDTT", facts, nd152)
    assert "69/100 (69%), dưới mức 70%" in finding.message_vi


GOOD_TTLDXS = {**GOOD_TTLDTT, "rating": "htxs", "cstdcs_count": 1}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"rating": "htt"}, {"TTLDXS_RATING": "error"}),
        ({"completed_tasks_count": 99}, {"TTLDXS_COMPLETED_RATIO": "error"}),
        ({"ldtt_count": 69}, {"TTLDXS_LDTT_RATIO": "error"}),
        ({"cstdcs_count": 0}, {"TTLDXS_CSTDCS": "error"}),
        ({"cstdcs_count": None}, {"TTLDXS_CSTDCS": "info"}),
        # Unconfirmed for TTLĐXS: flagged for review, not refused.
        ({"disciplined_warning_or_above_count": 2}, {"TTLDXS_DISCIPLINE": "warning"}),
    ],
)
def test_check_collective_ttldxs(nd152, changes, expected):
    facts = CollectiveFacts(**{**GOOD_TTLDXS, **changes})
    assert _by_code(check_collective("TTLDXS", facts, nd152)) == expected


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"member_count": 0}, "ít nhất 01 thành viên"),
        ({"member_count": 10, "ldtt_count": 11}, "lớn hơn số thành viên"),
        ({"member_count": -1}, "không âm"),
        ({"rating": "giỏi"}, "Không hiểu mức độ hoàn thành nhiệm vụ"),
    ],
)
def test_collective_facts_reject_impossible_values(kwargs, match):
    with pytest.raises(InvalidFactsError, match=match):
        CollectiveFacts(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"months_worked": 13}, "12"),
        ({"absent_working_days": -2}, "không âm"),
        ({"disciplined_level": "phạt"}, "hình thức kỷ luật"),
        ({"initiative_scope": "quốc tế"}, "phạm vi công nhận"),
    ],
)
def test_individual_facts_reject_impossible_values(kwargs, match):
    with pytest.raises(InvalidFactsError, match=match):
        IndividualFacts(**kwargs)


def test_individual_facts_normalise_labels_to_codes():
    facts = IndividualFacts(rating="HOÀN THÀNH XUẤT SẮC NHIỆM VỤ", disciplined_level="Khiển trách")
    assert (facts.rating, facts.disciplined_level) == ("htxs", "khien_trach")


@pytest.mark.parametrize("blank", ["", "   "])
def test_individual_facts_blank_choice_means_unknown(blank):
    facts = IndividualFacts(rating=blank, disciplined_level=blank, initiative_scope=blank)
    assert (facts.rating, facts.disciplined_level, facts.initiative_scope) == (None, None, None)
