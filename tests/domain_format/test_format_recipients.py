"""Nơi nhận and Kính gửi (domain.recipients)."""

from __future__ import annotations

import pytest

from domain.doc_types import get_doc_type
from domain.recipients import archive_item
from domain.recipients import default_first_item
from domain.recipients import kinh_gui_lines
from domain.recipients import noi_nhan_item_problems
from domain.recipients import noi_nhan_lines


def test_noi_nhan_lines_formats_items_and_archive():
    lines = noi_nhan_lines(
        ["Sở GDĐT (để b/c)", "- Các tổ chuyên môn;", "", "Sở GDĐT (để b/c)."],
        first_item=default_first_item(get_doc_type("CV")),
        archive_unit="VP",
    )
    assert lines == [
        "Nơi nhận:",
        "- Như trên;",
        "- Sở GDĐT (để b/c);",
        "- Các tổ chuyên môn;",
        "- Lưu: VT, VP.",
    ]
    assert noi_nhan_item_problems(lines[1:]) == []


def test_noi_nhan_lines_moves_typed_archive_item_last():
    lines = noi_nhan_lines(["Lưu: VT, Hồ sơ", "Các thành viên"])
    assert lines == ["Nơi nhận:", "- Các thành viên;", "- Lưu: VT, Hồ sơ."]


@pytest.mark.parametrize(("unit", "copies", "expected"), [
    ("", None, "- Lưu: VT."),
    ("TCCB", None, "- Lưu: VT, TCCB."),
    ("VP", 2, "- Lưu: VT, VP (02 bản)."),
])  # fmt: skip
def test_archive_item(unit, copies, expected):
    assert archive_item(unit, copies) == expected


@pytest.mark.parametrize(("code", "has_kinh_gui", "expected"), [
    ("CV", False, "Như trên"), ("TTr", True, "Như trên"), ("BC", True, "Như trên"),
    ("BC", False, None), ("QĐ", False, "Như Điều 3"), ("KH", False, None),
])  # fmt: skip
def test_default_first_item(code, has_kinh_gui, expected):
    assert default_first_item(get_doc_type(code), has_kinh_gui) == expected


@pytest.mark.parametrize(("names", "expected"), [
    (["Ủy ban nhân dân xã Mỹ Phước"], ["Kính gửi: Ủy ban nhân dân xã Mỹ Phước"]),
    (["Bộ Nội vụ", "- Bộ Tài chính;", "Bộ Kế hoạch và Đầu tư"],
     ["Kính gửi:", "- Bộ Nội vụ;", "- Bộ Tài chính;", "- Bộ Kế hoạch và Đầu tư."]),
])  # fmt: skip
def test_kinh_gui_lines(names, expected):
    assert kinh_gui_lines(names) == expected


def test_kinh_gui_lines_without_addressee_raises():
    with pytest.raises(ValueError, match="Kính gửi"):
        kinh_gui_lines([" ", "-"])


@pytest.mark.parametrize(("items", "problem"), [
    ([], "không có tên"),
    (["Sở GDĐT;", "- Lưu: VT."], "gạch đầu dòng"),
    (["- Sở GDĐT", "- Lưu: VT."], "chấm phẩy"),
    (["- Sở GDĐT;", "- Các tổ."], "“- Lưu: VT, …”"),
    (["- Sở GDĐT;", "- Lưu: TCCB."], "“VT”"),
    (["- Sở GDĐT;", "- Lưu: VT"], "dấu chấm (.)"),
])  # fmt: skip
def test_noi_nhan_item_problems(items, problem):
    problems = [text for _, text in noi_nhan_item_problems(items)]
    assert any(problem in p for p in problems), problems
