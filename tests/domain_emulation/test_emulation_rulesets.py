"""Rule sets: choice by date, content, and integrity of rulesets.json."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from domain import legal_basis
from domain.emulation import TITLES
from domain.emulation import NoRuleSetError
from domain.emulation import RuleDataError
from domain.emulation import all_rulesets
from domain.emulation import get_ruleset
from domain.emulation import ruleset_for
from domain.emulation.rules import CollectiveCriteria
from domain.emulation.rules import LdttCriteria
from domain.emulation.rulesets import parse_rulesets


@pytest.mark.parametrize(
    ("day", "expected_id"),
    [
        (date(2024, 1, 1), "ND98_2023"),
        (date(2024, 12, 31), "ND98_2023"),
        (date(2025, 6, 30), "ND98_2023"),
        (date(2025, 7, 1), "ND152_2025"),
        (date(2026, 11, 20), "ND152_2025"),
        (date(2099, 1, 1), "ND152_2025"),
    ],
)
def test_ruleset_for_picks_rule_set_in_force(day, expected_id):
    assert ruleset_for(day).id == expected_id


@pytest.mark.parametrize("day", [date(2023, 5, 15), date(2023, 12, 31)])
def test_ruleset_for_before_2024_raises_vietnamese_error(day):
    with pytest.raises(NoRuleSetError) as caught:
        ruleset_for(day)
    assert "Không có bộ quy tắc thi đua, khen thưởng nào áp dụng cho ngày" in caught.value.message
    assert day.strftime("%d/%m/%Y") in caught.value.message
    assert "NĐ 98/2023" in caught.value.message


def test_get_ruleset_by_id_round_trips():
    for ruleset in all_rulesets():
        assert get_ruleset(ruleset.id) is ruleset


def test_get_ruleset_unknown_id_raises():
    with pytest.raises(NoRuleSetError, match="ND91_2017"):
        get_ruleset("ND91_2017")


def test_ruleset_describe_shows_name_and_period(nd98, nd152):
    assert nd98.describe() == (
        "Bộ quy tắc NĐ 98/2023 (Luật Thi đua, khen thưởng 2022 và Nghị định 98/2023/NĐ-CP), "
        "áp dụng từ 01/01/2024 đến 30/06/2025."
    )
    assert nd152.describe().endswith("áp dụng từ 01/07/2025.")


def test_ruleset_legal_basis_names_the_decree(nd98, nd152):
    assert "Nghị định số 98/2023/NĐ-CP" in nd98.legal_basis
    assert "Nghị định số 152/2025/NĐ-CP" in nd152.legal_basis
    assert "Thông tư số 15/2025/TT-BNV" in nd152.legal_basis
    assert "Luật Thi đua, khen thưởng số 06/2022/QH15" in nd152.legal_basis


@pytest.mark.parametrize(
    ("title", "percent", "strict", "secret"),
    [
        ("CSTDCS", 80, False, True),
        ("CTD_TINH", 80, False, True),
        ("CTD_CP", 80, False, True),
        ("CSTD_TINH", 90, False, True),
        ("CSTDTQ", 90, False, True),
        ("LDTT", 50, True, False),
        ("GIAY_KHEN", 50, True, False),
    ],
)
def test_vote_rule_thresholds_per_title(nd98, nd152, title, percent, strict, secret):
    for ruleset in (nd98, nd152):
        rule = ruleset.vote_rule(title)
        assert (rule.percent, rule.strict, rule.secret_ballot) == (percent, strict, secret)


def test_vote_rules_confirmed_only_under_nd98(nd98, nd152):
    assert nd98.vote_rule("CSTDCS").confirmed
    assert not nd152.vote_rule("CSTDCS").confirmed
    assert not nd98.vote_rule("LDTT").confirmed  # simple majority is practice only
    assert nd152.vote_rule("CSTDCS").note


def test_district_giay_khen_ends_with_district_level(nd98, nd152):
    assert nd98.offers("GIAY_KHEN_UBND_HUYEN")
    assert not nd152.offers("GIAY_KHEN_UBND_HUYEN")
    assert nd152.offers("GIAY_KHEN_UBND_XA")


def test_criteria_parameters_come_from_data(nd152):
    ldtt = nd152.criteria_for("LDTT")
    assert isinstance(ldtt, LdttCriteria)
    assert (ldtt.min_rating, ldtt.exclusions.severity) == ("htt", "warning")
    assert (ldtt.exclusions.min_months_worked, ldtt.exclusions.absent_days_from) == (10, 40)
    assert not ldtt.exclusions.confirmed
    ttldxs = nd152.criteria_for("TTLDXS")
    assert isinstance(ttldxs, CollectiveCriteria)
    assert (ttldxs.min_ldtt_percent, ttldxs.min_completed_percent) == (Fraction(70), 100)
    assert ttldxs.min_cstdcs == 1
    assert nd152.criteria_for("BK_TTG") is None


@pytest.mark.parametrize(
    ("title", "factor"), [("CSTDCS", "1.0"), ("LDTT", "0.3"), ("CTD_CP", "12.0")]
)
def test_reward_factor_per_title(nd152, title, factor):
    assert nd152.reward_factor(title) == Decimal(factor)


def test_unconfirmed_rules_are_listed_for_the_clerk(nd98, nd152):
    assert any("CSTDCS" in line for line in nd152.unconfirmed_rules())
    assert not any(line.startswith("Ngưỡng biểu quyết CSTDCS") for line in nd98.unconfirmed_rules())


# --- integrity of the shipped data -------------------------------------------------------


def test_rulesets_data_every_referenced_title_exists():
    for ruleset in all_rulesets():
        referenced = {*ruleset.titles, *ruleset.votes, *ruleset.criteria, *ruleset.reward_factors}
        for criteria in ruleset.criteria.values():
            referenced.update(getattr(criteria, "prerequisite", ()))
        assert referenced <= set(TITLES), ruleset.id


def test_rulesets_data_effective_ranges_do_not_overlap_and_leave_no_gap():
    rulesets = all_rulesets()
    for earlier, later in zip(rulesets, rulesets[1:], strict=False):
        assert earlier.effective_to is not None
        assert (later.effective_from - earlier.effective_to).days == 1
    assert rulesets[-1].effective_to is None


def test_rulesets_data_instruments_exist_in_legal_basis():
    for ruleset in all_rulesets():
        for code in ruleset.instruments:
            assert legal_basis.get_instrument(code).code == code


def test_rulesets_data_every_rule_cites_a_basis():
    for ruleset in all_rulesets():
        assert ruleset.source
        assert all(rule.basis for rule in ruleset.votes.values())
        assert all(c.basis for c in ruleset.criteria.values())


def test_parse_rulesets_rejects_overlapping_periods(rulesets_data):
    rulesets_data["rulesets"][0]["effective_to"] = "2025-07-01"
    with pytest.raises(RuleDataError, match="chồng lấn"):
        parse_rulesets(rulesets_data)


def test_parse_rulesets_rejects_open_period_followed_by_another(rulesets_data):
    rulesets_data["rulesets"][0]["effective_to"] = None
    with pytest.raises(RuleDataError, match="chồng lấn"):
        parse_rulesets(rulesets_data)


def test_parse_rulesets_rejects_unknown_title_code(rulesets_data):
    rulesets_data["rulesets"][1]["titles"].append("CSTD_HUYEN")
    with pytest.raises(RuleDataError, match="CSTD_HUYEN"):
        parse_rulesets(rulesets_data)


def test_parse_rulesets_rejects_vote_rule_for_title_not_offered(rulesets_data):
    rulesets_data["rulesets"][1]["votes"]["GIAY_KHEN_UBND_HUYEN"] = rulesets_data["rulesets"][1][
        "default_vote"
    ]
    with pytest.raises(RuleDataError, match="GIAY_KHEN_UBND_HUYEN"):
        parse_rulesets(rulesets_data)


def test_parse_rulesets_rejects_unknown_instrument(rulesets_data):
    rulesets_data["rulesets"][0]["instruments"].append("ND_91_2017")
    with pytest.raises(RuleDataError, match="ND_91_2017"):
        parse_rulesets(rulesets_data)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("votes", "CSTDCS", "percent"), "tám mươi"),
        (("votes", "CSTDCS", "percent"), "120"),
        (("criteria", "LDTT", "exclusions", "severity"), "sometimes"),
        (("criteria", "LDTT", "min_rating"), "good"),
        (("criteria", "CSTDCS", "rule"), "magic"),
        (("criteria", "TTLDXS", "min_cstdcs"), -1),
    ],
)
def test_parse_rulesets_rejects_bad_parameters(rulesets_data, path, value):
    node = rulesets_data["rulesets"][1]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(RuleDataError):
        parse_rulesets(rulesets_data)


def test_parse_rulesets_rejects_criteria_for_wrong_scope(rulesets_data):
    criteria = rulesets_data["rulesets"][1]["criteria"]
    criteria["LDTT"] = criteria["TTLDTT"]
    with pytest.raises(RuleDataError, match="sai đối tượng"):
        parse_rulesets(rulesets_data)


def test_ruleset_for_accepts_a_datetime():
    assert ruleset_for(datetime(2025, 7, 1, 8, 30)).id == "ND152_2025"


def test_ruleset_mappings_are_read_only(nd152):
    with pytest.raises(TypeError):
        nd152.votes["LDTT"] = nd152.default_vote
