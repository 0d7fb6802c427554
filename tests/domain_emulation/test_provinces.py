"""A province's regulation applies to that province only (issue 9: Bắc Ninh was cited to
every school)."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from importlib import resources

import pytest

from domain.emulation import ruleset_for
from domain.emulation.provinces import regulation_for
from domain.emulation.provinces import regulations
from domain.text import fold


@pytest.mark.parametrize("typed", ["tỉnh Bắc Ninh", "Tỉnh  Bắc Ninh", "tinh bac ninh", "Bắc Ninh"])
def test_bac_ninh_is_found_however_its_name_is_typed(typed):
    regulation = regulation_for(typed)
    assert regulation is not None
    assert (regulation.number, regulation.issued) == ("86/2025/QĐ-UBND", date(2025, 12, 3))
    assert regulation.issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"


@pytest.mark.parametrize("province", ["", "tỉnh Đồng Tháp", "thành phố Hà Nội", "Ninh"])
def test_other_provinces_have_no_regulation_by_default(province):
    assert regulation_for(province) is None


def test_the_citation_names_number_date_issuer_and_the_article_of_the_title():
    regulation = regulation_for("tỉnh Bắc Ninh")
    assert regulation.basis_for("TTLDTT") == (
        "Quyết định số 86/2025/QĐ-UBND ngày 03 tháng 12 năm 2025 của Ủy ban nhân dân tỉnh "
        "Bắc Ninh, Điều 4 khoản 2"
    )
    assert regulation.basis_for("TTLDXS").endswith("Điều 3 khoản 2")
    # The reference does not give the article of LĐTT's criteria: nothing is made up.
    assert regulation.basis_for("LDTT") is None
    # The trích yếu is only summarised in the reference, so it is not printed as if quoted.
    assert not regulation.subject_confirmed
    assert "thi đua, khen thưởng" not in regulation.citation()


def test_a_regulation_never_governs_a_day_before_it_was_issued():
    regulation = regulation_for("tỉnh Bắc Ninh")
    assert not regulation.may_apply_on(date(2025, 5, 31))
    assert regulation.may_apply_on(date(2026, 5, 31))


def test_data_keys_are_folded_names_and_the_file_is_nfc():
    text = resources.files("domain").joinpath("data/provinces.json").read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    for key, regulation in regulations().items():
        assert key == fold(regulation.province)
        assert regulation.notes and regulation.source


@pytest.mark.parametrize("day", [date(2025, 6, 30), date(2025, 7, 1)])
def test_national_rule_sets_cite_no_province(day):
    # Provincial texts live in provinces.json; the rule sets every school gets cite the Law.
    ruleset = ruleset_for(day)
    for code in ("TTLDTT", "TTLDXS"):
        criteria = ruleset.criteria_for(code)
        texts = [criteria.basis, criteria.discipline.basis, criteria.discipline.note]
        assert not any("Bắc Ninh" in text or "86/2025" in text for text in texts), code
        assert criteria.basis.startswith("Luật Thi đua, khen thưởng 2022, Điều")


def test_rule_set_criteria_carry_no_provincial_text_in_the_raw_data():
    data = json.loads(resources.files("domain").joinpath("data/rulesets.json").read_text("utf-8"))
    for ruleset in data["rulesets"]:
        assert "Bắc Ninh" not in json.dumps(ruleset["criteria"], ensure_ascii=False)
