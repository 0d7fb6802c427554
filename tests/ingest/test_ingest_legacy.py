"""Legacy encodings (TCVN3/ABC, VNI-Windows) detected on phrases and converted to NFC."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.legacy import Encoding
from ingest.legacy import detect_legacy
from ingest.legacy import fix_legacy
from ingest.txt_text import decode_text
from tests.ingest.conftest import encode_cp1258


@pytest.mark.parametrize(
    ("legacy", "expected", "kind"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc", "tcvn3"),
        ("C¨n cø NghÞ ®Þnh sè", "Căn cứ Nghị định số", "tcvn3"),
        ("B¸o c¸o tµi chÝnh", "Báo cáo tài chính", "tcvn3"),
        # U+00AD is "ư" in TCVN3 and must not be stripped before conversion.
        ("QuyÕt ®Þnh cña Bé tr\u00adëng", "Quyết định của Bộ trưởng", "tcvn3"),
        # .VnTimeH: lower-case bytes drawn as capitals.
        ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3"),
        ("KÕ HO¹CH", "KẾ HOẠCH", "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa", "Cộng hòa xã hội chủ nghĩa", "vni"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc", "vni"),
        ("Tieáng Vieät", "Tiếng Việt", "vni"),
        ("Tröôøng Tieåu hoïc", "Trường Tiểu học", "vni"),
    ],
)
def test_fix_legacy_converts_real_sentences(legacy: str, expected: str, kind: str) -> None:
    text, found = fix_legacy(legacy)
    assert (text, found) == (expected, kind)
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    "text",
    [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Hòa bình và phát triển",  # Latin-1 letters only, still Unicode
        "Kế hoạch số 08/KH-PGDĐT",
        "señor",  # Spanish: looks a little like VNI, too short to decide
    ],
)
def test_fix_legacy_leaves_unicode_alone(text: str) -> None:
    assert fix_legacy(text) == (text, Encoding.UNICODE)


def test_detect_legacy_judges_each_column_of_a_mixed_line() -> None:
    line = "TR\u00a6êNG THCS Mü TH¹NH                    §éc lËp - Tù do - H¹nh phóc"
    text, kind = fix_legacy(line)
    assert kind == Encoding.TCVN3
    assert text.split("   ")[0] == "TRƯỜNG THCS MỸ THẠNH"


def test_detect_legacy_needs_a_phrase() -> None:
    assert detect_legacy("aø") == Encoding.UNICODE


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Kế hoạch năm học 2025-2026".encode(), "utf-8"),
        ("Kế hoạch năm học 2025-2026".encode("utf-16"), "utf-16"),
        ("\ufeffKế hoạch năm học 2025-2026".encode(), "utf-8"),
        (encode_cp1258("Kế hoạch tuyên truyền năm học 2025-2026 của trường"), "cp1258"),
        ("KÕ ho¹ch tuyªn truyÒn n¨m häc 2025-2026 cña tr\u00adêng".encode("latin-1"), "tcvn3"),
    ],
)
def test_decode_text_tells_the_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_text(data)
    assert found == encoding
    assert text.startswith("Kế hoạch")
