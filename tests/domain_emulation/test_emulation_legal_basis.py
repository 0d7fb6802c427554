"""The "Căn cứ" lines per document kind and date (NĐ 30/2020 Phụ lục I, II.6)."""

from __future__ import annotations

import unicodedata
from datetime import date
from datetime import datetime

import pytest

from domain.dates import format_date_words
from domain.legal_basis import InstrumentNotInForceError
from domain.legal_basis import LegalBasisDataError
from domain.legal_basis import LegalBasisError
from domain.legal_basis import NoLegalBasisError
from domain.legal_basis import UndatedInstrumentError
from domain.legal_basis import UnknownDocumentKindError
from domain.legal_basis import UnknownInstrumentError
from domain.legal_basis import all_instruments
from domain.legal_basis import citation_for
from domain.legal_basis import citation_lines
from domain.legal_basis import document_kinds
from domain.legal_basis import get_instrument
from domain.legal_basis import instruments_for
from domain.legal_basis import legal_basis_for
from domain.legal_basis import parse_catalogue
from domain.legal_basis import suggested_instruments

LAW_LINE = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
ND98_LINE = (
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;"
)
ND152_START = "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ"


@pytest.mark.parametrize(
    ("day", "decree_prefix", "circular"),
    [
        (date(2024, 9, 5), ND98_LINE, "01/2024/TT-BNV"),
        (date(2025, 6, 30), ND98_LINE, "01/2024/TT-BNV"),
        (date(2025, 7, 1), ND152_START, "01/2024/TT-BNV"),
        (date(2025, 8, 4), ND152_START, "01/2024/TT-BNV"),
        (date(2025, 8, 5), ND152_START, "15/2025/TT-BNV"),
        (date(2026, 5, 20), ND152_START, "15/2025/TT-BNV"),
    ],
)
def test_legal_basis_for_decision_follows_the_date(day, decree_prefix, circular):
    lines = legal_basis_for("QD_KHEN_THUONG", day)
    assert lines[0] == LAW_LINE
    assert lines[1].startswith(decree_prefix)
    # The circulars' dates are not confirmed: they are offered, never printed undated.
    assert len(lines) == 2
    codes = [item.code for item in instruments_for("QD_KHEN_THUONG", day)]
    assert any(circular.replace("/", "_").split("_TT")[0] in code for code in codes)


@pytest.mark.parametrize("code", ["TT_15_2025_BNV", "TT_29_2023_BGDDT", "TT_01_2024_BNV"])
def test_an_instrument_without_a_confirmed_date_is_never_printed_without_one(code):
    item = get_instrument(code)
    assert item.issued is None and not item.confirmed
    with pytest.raises(UndatedInstrumentError, match="ngày ban hành"):
        item.citation()
    day = item.effective_from
    with pytest.raises(UndatedInstrumentError):
        citation_lines([code], day)
    (line,) = citation_lines([code], day, {code: date(2025, 8, 4)})
    assert f"số {item.number} ngày 04 tháng 8 năm 2025 của " in line


def test_every_printed_line_carries_its_instruments_date():
    for item in all_instruments():
        if item.dated:
            assert format_date_words(item.issued) in item.line, item.code


def test_a_confirmed_date_is_not_replaced_by_a_typed_one():
    (line,) = citation_lines(["ND_152_2025"], date(2025, 9, 1), {"ND_152_2025": date(2025, 1, 1)})
    assert "ngày 14 tháng 6 năm 2025" in line


def test_a_plan_is_suggested_the_emulation_law_only_when_it_is_about_emulation():
    day = date(2025, 9, 15)
    assert suggested_instruments("KH_THI_DUA", day, "Tổ chức Hội giảng cấp trường") == []
    emulation = suggested_instruments("KH_THI_DUA", day, "Tổ chức phong trào thi đua năm học")
    assert [i.code for i in emulation] == ["LUAT_TDKT_2022", "ND_152_2025"]


def test_suggestions_follow_the_rule_set_in_force():
    before = suggested_instruments("QD_KHEN_THUONG", date(2025, 6, 30))
    after = suggested_instruments("QD_KHEN_THUONG", date(2025, 7, 1))
    assert [i.code for i in before] == ["LUAT_TDKT_2022", "ND_98_2023"]
    assert [i.code for i in after] == ["LUAT_TDKT_2022", "ND_152_2025"]
    assert (
        suggested_instruments("QD_KHEN_THUONG", date(2025, 7, 1), within=("ND_152_2025",))[0].code
        == "ND_152_2025"
    )


def test_a_chosen_instrument_not_in_force_on_the_date_is_refused():
    with pytest.raises(InstrumentNotInForceError, match="bỏ chọn"):
        citation_lines(["ND_98_2023"], date(2025, 7, 1))


def test_legal_basis_for_never_cites_both_decrees():
    for kind in document_kinds():
        for day in (date(2025, 6, 30), date(2025, 7, 1)):
            text = " ".join(legal_basis_for(kind, day))
            old, new = "98/2023/NĐ-CP" in text, "Nghị định số 152/2025/NĐ-CP ngày" in text
            assert not (old and new), kind
            if kind != "QD_SANG_KIEN":  # the Điều lệ Sáng kiến cites neither decree
                assert old or new, kind


@pytest.mark.parametrize("kind", ["QD_KHEN_THUONG", "TTR_KHEN_THUONG", "KH_THI_DUA", "BB_HOI_DONG"])
def test_legal_basis_for_lines_start_with_can_cu_and_end_with_semicolon(kind):
    for line in legal_basis_for(kind, date(2025, 9, 5)):
        assert line.startswith("Căn cứ ")
        assert line.endswith(";") and not line.endswith(";;")


def test_legal_basis_for_council_minutes_skips_interior_circular():
    lines = legal_basis_for("BB_HOI_DONG", date(2025, 9, 5))
    assert not any("TT-BNV" in line for line in lines)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "Quyết định số 86/2025/QĐ-UBND ngày 03 tháng 12 năm 2025 của UBND tỉnh.",
            "Căn cứ Quyết định số 86/2025/QĐ-UBND ngày 03 tháng 12 năm 2025 của UBND tỉnh;",
        ),
        ("  Căn cứ   Quy chế thi đua của nhà trường,", "Căn cứ Quy chế thi đua của nhà trường;"),
        (
            "Căn cứ Biên bản họp Hội đồng số 05/BB-HĐTĐKT;",
            "Căn cứ Biên bản họp Hội đồng số 05/BB-HĐTĐKT;",
        ),
    ],
)
def test_legal_basis_for_appends_user_lines_in_the_same_form(extra, expected):
    lines = legal_basis_for("TTR_KHEN_THUONG", date(2025, 9, 5), extra=[extra])
    assert lines[-1] == expected


def test_legal_basis_for_normalises_decomposed_user_text():
    nfd = unicodedata.normalize("NFD", "Quy chế thi đua của trường")
    (line,) = legal_basis_for("KH_THI_DUA", date(2025, 9, 5), extra=[nfd])[-1:]
    assert line == "Căn cứ Quy chế thi đua của trường;"


def test_legal_basis_for_rejects_blank_user_line():
    with pytest.raises(LegalBasisError, match="để trống"):
        legal_basis_for("KH_THI_DUA", date(2025, 9, 5), extra=[" ; "])


def test_legal_basis_for_unknown_kind_raises():
    with pytest.raises(UnknownDocumentKindError, match="QD_KY_LUAT"):
        legal_basis_for("QD_KY_LUAT", date(2025, 9, 5))


def test_legal_basis_for_date_before_data_raises():
    with pytest.raises(NoLegalBasisError, match="01/01/2024"):
        legal_basis_for("KH_THI_DUA", date(2023, 9, 5))


def test_instruments_for_exposes_unconfirmed_entries():
    items = instruments_for("QD_KHEN_THUONG", date(2025, 9, 5))
    flags = {item.code: item.confirmed for item in items}
    assert flags["ND_152_2025"] and flags["LUAT_TDKT_2022"]
    assert not flags["TT_15_2025_BNV"]


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("LUAT_TDKT_2022", date(2025, 1, 1), LAW_LINE),
        ("ND_98_2023", date(2025, 6, 30), ND98_LINE),
    ],
)  # fmt: skip
def test_citation_for_returns_one_line(code, day, expected):
    assert citation_for(code, day) == expected


@pytest.mark.parametrize(("code", "day"), [("ND_98_2023", date(2025, 7, 1)),
                                           ("ND_152_2025", date(2025, 6, 30))])  # fmt: skip
def test_citation_for_instrument_not_in_force_raises(code, day):
    with pytest.raises(InstrumentNotInForceError, match="không có hiệu lực"):
        citation_for(code, day)


def test_citation_for_unknown_code_raises():
    with pytest.raises(UnknownInstrumentError):
        citation_for("ND_91_2017", date(2025, 1, 1))


# --- integrity of legal_basis.json -------------------------------------------------------


def test_legal_basis_data_every_entry_has_a_source_note():
    for item in all_instruments():
        assert item.source, item.code
        if not item.confirmed:
            assert item.note, f"{item.code}: an unconfirmed entry must say what is unconfirmed"


def test_legal_basis_data_dates_match_the_printed_text():
    for item in all_instruments():
        if item.issued is not None:
            assert format_date_words(item.issued) in item.text, item.code
        assert item.number in item.text or item.type == "Luật", item.code


def test_legal_basis_data_replacements_do_not_overlap():
    pairs = [("ND_98_2023", "ND_152_2025"), ("TT_01_2024_BNV", "TT_15_2025_BNV")]
    by_code = {item.code: item for item in all_instruments()}
    for old, new in pairs:
        assert (by_code[new].effective_from - by_code[old].effective_to).days == 1


def test_parse_catalogue_rejects_missing_source(legal_data):
    legal_data["instruments"][0]["source"] = " "
    with pytest.raises(LegalBasisDataError, match="source"):
        parse_catalogue(legal_data)


def test_parse_catalogue_rejects_text_with_prefix_or_final_punctuation(legal_data):
    legal_data["instruments"][1]["text"] = "Căn cứ " + legal_data["instruments"][1]["text"] + ";"
    with pytest.raises(LegalBasisDataError, match="Căn cứ"):
        parse_catalogue(legal_data)


def test_parse_catalogue_rejects_kind_with_unknown_instrument(legal_data):
    legal_data["kinds"]["KH_THI_DUA"]["instruments"].append("ND_91_2017")
    with pytest.raises(LegalBasisDataError, match="ND_91_2017"):
        parse_catalogue(legal_data)


def test_parse_catalogue_rejects_duplicate_code(legal_data):
    legal_data["instruments"].append(dict(legal_data["instruments"][0]))
    with pytest.raises(LegalBasisDataError, match="trùng"):
        parse_catalogue(legal_data)


def test_parse_catalogue_rejects_bad_date(legal_data):
    legal_data["instruments"][0]["effective_from"] = "01/01/2024"
    with pytest.raises(LegalBasisDataError):
        parse_catalogue(legal_data)


def test_legal_basis_for_accepts_a_datetime():
    lines = legal_basis_for("QD_KHEN_THUONG", datetime(2025, 6, 30, 23, 59))
    assert lines[1] == ND98_LINE
