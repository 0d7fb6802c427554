"""Titles and commendation forms: codes, scopes and lookup."""

from __future__ import annotations

import re

import pytest

from domain.emulation import TITLES
from domain.emulation import UnknownTitleError
from domain.emulation import collective_titles
from domain.emulation import commendation_forms
from domain.emulation import get_title
from domain.emulation import individual_titles


@pytest.mark.parametrize(
    ("code", "name", "scope"),
    [
        ("LDTT", "Lao động tiên tiến", "individual"),
        ("CSTDCS", "Chiến sĩ thi đua cơ sở", "individual"),
        ("CSTDTQ", "Chiến sĩ thi đua toàn quốc", "individual"),
        ("TTLDTT", "Tập thể lao động tiên tiến", "collective"),
        ("TTLDXS", "Tập thể lao động xuất sắc", "collective"),
        ("CTD_CP", "Cờ thi đua của Chính phủ", "collective"),
        ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "both"),
        ("KNC_GD", "Kỷ niệm chương “Vì sự nghiệp giáo dục”", "individual"),
    ],
)
def test_get_title_returns_name_and_scope(code, name, scope):
    title = get_title(code)
    assert (title.name, title.scope) == (name, scope)


def test_get_title_unknown_code_raises_vietnamese_error():
    with pytest.raises(UnknownTitleError, match="Không có danh hiệu"):
        get_title("CSTD")


def test_titles_codes_are_stable_ascii_keys():
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", code) for code in TITLES)
    assert all(title.code == code for code, title in TITLES.items())


def test_title_groups_partition_the_table():
    groups = [individual_titles(), collective_titles(), commendation_forms()]
    codes = [t.code for group in groups for t in group]
    assert sorted(codes) == sorted(TITLES)
    assert {t.scope for t in individual_titles()} == {"individual"}
    assert {t.scope for t in collective_titles()} == {"collective"}
    assert {t.kind for t in commendation_forms()} == {"hinh_thuc"}


@pytest.mark.parametrize(
    ("code", "scope", "expected"),
    [("GIAY_KHEN", "individual", True), ("GIAY_KHEN", "collective", True),
     ("LDTT", "collective", False), ("TTLDTT", "individual", False)],
)  # fmt: skip
def test_title_applies_to_scope(code, scope, expected):
    assert get_title(code).applies_to(scope) is expected


def test_title_quoted_name_uses_vietnamese_quotes():
    assert get_title("LDTT").quoted_name == "“Lao động tiên tiến”"
