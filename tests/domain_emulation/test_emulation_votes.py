"""Council votes (NĐ 98/2023 Điều 30 khoản 7) and organisation quotas."""

from __future__ import annotations

from fractions import Fraction

import pytest

from domain.emulation import InvalidFactsError
from domain.emulation import OrgSettings
from domain.emulation import UnknownTitleError
from domain.emulation import check_quota
from domain.emulation import check_vote


@pytest.mark.parametrize(
    ("title", "votes_for", "total", "passed", "shown"),
    [
        ("CSTDCS", 8, 10, True, "80%"),  # exactly 80 % passes "từ 80% trở lên"
        ("CSTDCS", 7, 9, False, "77,78%"),
        ("CSTDCS", 12, 15, True, "80%"),
        ("CSTDCS", 11, 15, False, "73,33%"),
        ("CTD_TINH", 4, 5, True, "80%"),
        ("CSTD_TINH", 9, 10, True, "90%"),  # exactly 90 %
        ("CSTD_TINH", 8, 9, False, "88,89%"),
        ("CSTDTQ", 10, 11, True, "90,91%"),
        ("LDTT", 5, 10, False, "50%"),  # simple majority means strictly more than half
        ("LDTT", 6, 11, True, "54,55%"),
        ("GIAY_KHEN", 4, 7, True, "57,14%"),
    ],
)
def test_check_vote_thresholds(nd98, nd152, title, votes_for, total, passed, shown):
    for ruleset in (nd98, nd152):
        result = check_vote(title, votes_for, total, ruleset)
        assert result.passed is passed
        assert result.percent == Fraction(votes_for * 100, total)
        assert result.percent_text == shown
        assert shown in result.message_vi
        assert result.ruleset_id == ruleset.id


def test_check_vote_counts_total_members_not_those_present(nd98):
    # 8 of the 9 present approve, but the council has 11 members: 72,73 % < 80 %.
    assert not check_vote("CSTDCS", 8, 11, nd98).passed


def test_check_vote_message_cites_the_clause(nd98):
    result = check_vote("CSTDCS", 7, 9, nd98)
    assert result.message_vi.startswith("“Chiến sĩ thi đua cơ sở”: không đạt — 7/9")
    assert "từ 80% trở lên tổng số thành viên Hội đồng" in result.message_vi
    assert "NĐ 98/2023/NĐ-CP, Điều 30 khoản 7" in result.message_vi
    assert [f.severity for f in result.findings()] == ["error"]


def test_check_vote_unconfirmed_threshold_is_flagged(nd152):
    result = check_vote("CSTDCS", 8, 10, nd152)
    assert result.passed
    assert "chưa được xác nhận" in result.message_vi
    assert [f.severity for f in result.findings()] == ["warning"]


def test_check_vote_confirmed_pass_has_no_findings(nd98):
    assert check_vote("CSTDCS", 9, 10, nd98, secret_ballot=True).findings() == []


@pytest.mark.parametrize(("secret", "passed"), [(True, True), (None, True), (False, False)])
def test_check_vote_requires_secret_ballot_for_cstdcs(nd98, secret, passed):
    result = check_vote("CSTDCS", 9, 10, nd98, secret_ballot=secret)
    assert result.passed is passed


def test_check_vote_org_threshold_sets_ldtt_rule(nd152):
    settings = {"basis": "Quy chế TĐKT Trường THCS A", "votes": {"LDTT": {"percent": "2/3"}}}
    assert not check_vote("LDTT", 6, 10, nd152, settings).passed
    result = check_vote("LDTT", 7, 10, nd152, settings)
    assert result.passed
    assert result.threshold.percent == Fraction(200, 3)
    assert "Quy chế TĐKT Trường THCS A" in result.message_vi


def test_check_vote_org_cannot_lower_confirmed_legal_threshold(nd98):
    settings = OrgSettings.from_dict({"votes": {"CSTDCS": {"percent": "60"}}})
    result = check_vote("CSTDCS", 7, 10, nd98, settings)
    assert not result.passed
    assert result.threshold.percent == 80
    assert "áp dụng mức luật định" in result.message_vi


def test_check_vote_org_overrides_unconfirmed_threshold(nd152):
    settings = {"votes": {"CSTDCS": {"percent": "70"}}}
    result = check_vote("CSTDCS", 7, 10, nd152, settings)
    assert result.passed
    assert result.threshold.secret_ballot  # the legal secret-ballot duty stays


def test_check_vote_org_may_raise_confirmed_threshold(nd98):
    settings = {"votes": {"CSTDCS": {"percent": "85"}}}
    assert not check_vote("CSTDCS", 8, 10, nd98, settings).passed


@pytest.mark.parametrize(
    ("votes_for", "total", "match"),
    [(11, 10, "từ 0 đến tổng số"), (-1, 10, "từ 0 đến tổng số"), (0, 0, "ít nhất 01")],
)
def test_check_vote_rejects_impossible_counts(nd98, votes_for, total, match):
    with pytest.raises(InvalidFactsError, match=match):
        check_vote("CSTDCS", votes_for, total, nd98)


def test_check_vote_unknown_title_raises(nd98):
    with pytest.raises(UnknownTitleError):
        check_vote("ABC", 1, 1, nd98)


# --- quotas -----------------------------------------------------------------------------

QUOTA_15 = {"quotas": {"CSTDCS": {"max_percent": "15", "of": "LDTT", "basis": "QĐ 12/2025 tỉnh X"}}}


@pytest.mark.parametrize(
    ("proposed", "base", "settings", "exceeded"),
    [
        (3, 15, None, False),  # national law has no cap since 01/01/2024
        (3, 15, {}, False),
        (2, 15, QUOTA_15, False),  # 13,3 %
        (3, 15, QUOTA_15, True),  # 20 %
        (3, 20, QUOTA_15, False),  # exactly 15 %
        (4, 20, QUOTA_15, True),
        (1, 0, QUOTA_15, True),
        (0, 0, QUOTA_15, False),
    ],
)
def test_check_quota_org_setting_changes_outcome(proposed, base, settings, exceeded):
    findings = check_quota("CSTDCS", proposed, base, settings)
    assert bool(findings) is exceeded


def test_check_quota_message_gives_maximum_and_basis():
    (finding,) = check_quota("CSTDCS", 3, 15, QUOTA_15)
    assert finding.code == "QUOTA_EXCEEDED"
    assert "tối đa 2 trên 15 người" in finding.message_vi
    assert finding.legal_basis == "QĐ 12/2025 tỉnh X"


def test_check_quota_rejects_negative_counts():
    with pytest.raises(InvalidFactsError):
        check_quota("CSTDCS", -1, 10, QUOTA_15)
