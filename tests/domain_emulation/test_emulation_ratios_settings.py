"""Exact percentages and organisation settings parsing."""

from __future__ import annotations

from fractions import Fraction

import pytest

from domain.emulation import OrgSettings
from domain.emulation import SettingsError
from domain.emulation.ratios import format_percent
from domain.emulation.ratios import meets
from domain.emulation.ratios import parse_percent
from domain.emulation.ratios import percent_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80", 80), ("80%", 80), ("66,67 %", Fraction(6667, 100)), ("2/3", Fraction(200, 3)),
     ("0", 0), ("100", 100), (15, 15)],
)  # fmt: skip
def test_parse_percent_accepts_vietnamese_forms(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "101", "-5", "1/0"])
def test_parse_percent_rejects_bad_text(text):
    with pytest.raises(ValueError, match="phần trăm"):
        parse_percent(text)


@pytest.mark.parametrize(
    ("part", "whole", "threshold", "strict", "expected"),
    [(8, 10, 80, False, True), (7, 9, 80, False, False), (4, 5, 80, False, True),
     (70, 100, 70, False, True), (69, 100, 70, False, False), (1, 2, 50, True, False),
     (9, 10, 90, False, True), (2, 3, Fraction(200, 3), False, True)],
)  # fmt: skip
def test_meets_uses_exact_fractions(part, whole, threshold, strict, expected):
    assert meets(percent_of(part, whole), Fraction(threshold), strict) is expected


@pytest.mark.parametrize(
    ("value", "below", "expected"),
    [(Fraction(80), None, "80%"), (Fraction(700, 9), None, "77,78%"),
     (Fraction(1, 3), None, "0,33%"), (Fraction(79996, 1000), 80, "79,99%"),
     (Fraction(79996, 1000), None, "80%"), (Fraction(100), 80, "100%")],
)  # fmt: skip
def test_format_percent_never_shows_failing_ratio_as_passing(value, below, expected):
    assert format_percent(value, below=below) == expected


def test_org_settings_from_dict_builds_typed_values():
    settings = OrgSettings.from_dict(
        {
            "basis": "  Quy chế   TĐKT tỉnh X ",
            "votes": {"LDTT": {"percent": "60", "strict": True}},
            "quotas": {"CSTDCS": {"max_percent": "15"}},
            "ldtt_exclusions": "error",
            "ldtt_absent_days_from": 30,
        }
    )
    assert settings.basis == "Quy chế TĐKT tỉnh X"
    assert settings.votes["LDTT"].percent == 60 and settings.votes["LDTT"].strict
    assert settings.quotas["CSTDCS"].of_title == "LDTT"
    assert settings.quotas["CSTDCS"].basis == "Quy chế TĐKT tỉnh X"
    assert (settings.ldtt_exclusions, settings.ldtt_absent_days_from) == ("error", 30)


def test_org_settings_mappings_are_read_only():
    settings = OrgSettings.from_dict({"quotas": {"CSTDCS": {"max_percent": "15"}}})
    with pytest.raises(TypeError):
        settings.quotas["LDTT"] = settings.quotas["CSTDCS"]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"quota": {}}, "khóa không hợp lệ"),
        ({"votes": {"XYZ": {"percent": "50"}}}, "XYZ"),
        ({"votes": {"LDTT": {}}}, "thiếu tỷ lệ"),
        ({"quotas": {"CSTDCS": {"max_percent": "150"}}}, "0–100"),
        ({"ldtt_exclusions": "strict"}, "error .*warning.*off"),
        ({"ldtt_min_months_worked": -3}, "không âm"),
        ({"votes": ["LDTT"]}, "cấu trúc"),
    ],
)
def test_org_settings_from_dict_rejects_bad_input(data, match):
    with pytest.raises(SettingsError, match=match):
        OrgSettings.from_dict(data)
