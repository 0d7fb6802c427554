"""Printed header lines (domain.header)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.dates import DRAFT_DATE_BLANK
from domain.doc_types import get_doc_type
from domain.header import Header


def _header(**changes) -> Header:
    values = dict(
        parent_issuer="UBND xã Mỹ Phước",
        issuer="Trường THCS Mỹ Phước",
        doc_type=get_doc_type("KH"),
        number=5,
        symbol="KH-THCSMP",
        place="Mỹ Phước",
        issued_on=date(2026, 1, 5),
        summary="Tổ chức phong trào thi đua năm học 2025-2026",
        year_hint=None,
    )
    values.update(changes)
    return Header(**values)


def test_header_prints_every_line():
    header = _header()
    assert header.parent_line == "UBND XÃ MỸ PHƯỚC"
    assert header.issuer_line == "TRƯỜNG THCS MỸ PHƯỚC"
    assert header.number_line == "Số: 05/KH-THCSMP"
    assert header.place_date_line == "Mỹ Phước, ngày 05 tháng 01 năm 2026"
    assert header.type_line == "KẾ HOẠCH"
    assert header.summary_line == "Tổ chức phong trào thi đua năm học 2025-2026"
    assert header.problems() == []


@pytest.mark.parametrize("typed", ["nâng bậc lương", "V/v nâng bậc lương", "v/v: nâng bậc lương"])
def test_header_cong_van_has_no_type_line_and_one_vv(typed):
    header = _header(doc_type=get_doc_type("CV"), symbol="THCSMP-VP", summary=typed)
    assert header.type_line == ""
    assert header.summary_line == "V/v nâng bậc lương"
    assert header.problems() == []


def test_header_bien_ban_has_no_date_line():
    header = _header(doc_type=get_doc_type("BB"), symbol="BB-THCSMP", place="")
    assert header.place_date_line == ""
    assert header.problems() == []


def test_header_draft_leaves_number_and_date_blank():
    header = _header(number=None, issued_on=None, year_hint=2026)
    assert header.number_line == "Số:      /KH-THCSMP"
    blank = DRAFT_DATE_BLANK
    assert header.place_date_line == f"Mỹ Phước, ngày{blank}tháng{blank}năm 2026"


def test_header_normalises_decomposed_input():
    header = _header(issuer="Tru\u031bo\u031b\u0300ng THCS  Mỹ Phước")
    assert header.issuer_line == "TRƯỜNG THCS MỸ PHƯỚC"


@pytest.mark.parametrize(("changes", "problem"), [
    ({"issuer": " "}, "Chưa có tên cơ quan"),
    ({"place": ""}, "Chưa có địa danh"),
    ({"symbol": ""}, "Chưa có ký hiệu"),
    ({"symbol": "KH - THCSMP"}, "không được có khoảng trắng"),
    ({"symbol": "QĐ-THCSMP"}, "phải bắt đầu bằng “KH-”"),
    ({"number": 0}, "số nguyên dương"),
    ({"summary": ""}, "Chưa có trích yếu"),
    ({"summary": "Tổ chức thi đua."}, "không kết thúc bằng dấu chấm"),
])  # fmt: skip
def test_header_problems_name_what_is_wrong(changes, problem):
    problems = _header(**changes).problems()
    assert any(problem in p for p in problems), problems


def test_header_place_date_line_without_place_raises_vietnamese_error():
    with pytest.raises(ValueError, match="địa danh"):
        _ = _header(place="").place_date_line
