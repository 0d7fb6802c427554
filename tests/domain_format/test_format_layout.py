"""The Phụ lục I rules as data (domain.layout)."""

from __future__ import annotations

import pytest

from domain import layout


def test_layout_a4_in_twips_matches_word():
    assert (layout.mm_to_twips(210), layout.mm_to_twips(297)) == (11906, 16838)


@pytest.mark.parametrize(("side", "low", "high", "default"), [
    ("top", 20, 25, 20), ("bottom", 20, 25, 20), ("left", 30, 35, 30), ("right", 15, 20, 15),
])  # fmt: skip
def test_layout_margins_follow_the_decree(side, low, high, default):
    rule = layout.MARGINS[side]
    assert (rule.min_mm, rule.max_mm, rule.default_mm) == (low, high, default)
    assert rule.allows(default) and not rule.allows(low - 1) and not rule.allows(high + 1)


@pytest.mark.parametrize(("key", "sizes", "bold", "italic", "upper"), [
    ("national_title", (12, 13), True, False, True),
    ("motto", (13, 14), True, False, False),
    ("parent_issuer", (12, 13), False, False, True),
    ("issuer", (12, 13), True, False, True),
    ("number_line", (13, 13), False, False, None),
    ("place_date", (13, 14), False, True, False),
    ("doc_type_name", (13, 14), True, False, True),
    ("summary", (13, 14), True, False, False),
    ("cv_summary", (12, 13), False, False, False),
    ("signature_authority", (13, 14), True, False, True),
    ("signer_name", (13, 14), True, False, False),
    ("recipients_label", (12, 12), True, True, False),
    ("recipient_item", (11, 11), False, False, False),
    ("page_number", (13, 14), False, False, None),
])  # fmt: skip
def test_layout_element_rules_match_phu_luc_i(key, sizes, bold, italic, upper):
    rule = layout.element(key)
    assert (rule.size_min, rule.size_max) == sizes
    assert rule.size_min <= rule.size_default <= rule.size_max
    assert (rule.bold, rule.italic, rule.uppercase) == (bold, italic, upper)
    assert rule.clause.startswith("Phụ lục I")


def test_layout_element_unknown_key_raises():
    with pytest.raises(KeyError):
        layout.element("khong_co")


@pytest.mark.parametrize(("text", "expected"), [
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", False),
    ("CỘNG HÒA XHCN VIỆT NAM", False),
])  # fmt: skip
def test_layout_is_national_title(text, expected):
    assert layout.is_national_title(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Độc lập - Tự do - Hạnh phúc", True),
    ("Độc lập – Tự do – Hạnh phúc", True),
    ("Độc lập-Tự do-Hạnh phúc", False),
    ("Độc Lập - Tự Do - Hạnh Phúc", False),
])  # fmt: skip
def test_layout_is_motto(text, expected):
    assert layout.is_motto(text) is expected


def test_layout_comparison_keys_ignore_spelling_variants():
    assert layout.national_title_key("Cộng hoà xã hội chủ nghĩa Việt Nam") == layout.NATIONAL_TITLE
    assert layout.motto_key("Độc lập–Tự do–Hạnh phúc") == layout.motto_key(layout.MOTTO)


def test_layout_style_text_uses_the_decree_words():
    assert layout.element("recipients_label").style_text == "in thường, nghiêng, đậm"
    assert layout.element("national_title").size_text == "12–13"
