"""Names, titles and citations written in running text: one set of rules (domain.names,
domain.numbering, domain.signature) for every document, the dossier, the plans and the
checker."""

from __future__ import annotations

from datetime import date

import pytest

from domain.names import position_title
from domain.names import running_name
from domain.names import strip_honorific
from domain.numbering import cite_document
from domain.signature import authority_line
from domain.signature import glued_prefix


@pytest.mark.parametrize(
    ("written", "running"),
    [
        ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Phòng Giáo dục và Đào tạo"),
        ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO BẾN CÁT", "Phòng Giáo dục và Đào tạo Bến Cát"),
        ("PHÒNG GD&ĐT BẾN CÁT", "Phòng GD&ĐT Bến Cát"),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
        ("UBND XÃ MỸ THẠNH", "Ủy ban nhân dân xã Mỹ Thạnh"),
        ("ỦY BAN NHÂN DÂN XÃ MỸ THẠNH", "Ủy ban nhân dân xã Mỹ Thạnh"),
        ("ỦY BAN NHÂN DÂN QUẬN 1", "Ủy ban nhân dân Quận 1"),
        ("SỞ GD&ĐT THÀNH PHỐ HỒ CHÍ MINH", "Sở GD&ĐT Thành phố Hồ Chí Minh"),
        ("TRƯỜNG THCS MỸ THẠNH", "Trường THCS Mỹ Thạnh"),
        ("TRƯỜNG TIỂU HỌC AN BÌNH", "Trường Tiểu học An Bình"),
        ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "Hội đồng Thi đua - Khen thưởng"),
        ("HIỆU TRƯỞNG TRƯỜNG THCS MỸ THẠNH", "Hiệu trưởng Trường THCS Mỹ Thạnh"),
    ],
)
def test_an_upper_case_name_is_written_with_the_capitals_of_running_text(written, running):
    assert running_name(written) == running


def test_a_name_with_every_word_capitalised_is_normalised():
    assert running_name("Phòng Giáo Dục và Đào Tạo") == "Phòng Giáo dục và Đào tạo"
    assert running_name("Ủy Ban Nhân Dân Xã Mỹ Thạnh") == "Ủy ban nhân dân xã Mỹ Thạnh"


def test_a_name_typed_in_correct_mixed_case_is_kept():
    assert running_name("Trường Mầm non Hoa Sen") == "Trường Mầm non Hoa Sen"
    assert running_name("Sở Giáo dục và Đào tạo") == "Sở Giáo dục và Đào tạo"
    assert running_name("UBND xã Mỹ Thạnh") == "UBND xã Mỹ Thạnh"


def test_position_titles_read_as_in_a_sentence():
    assert position_title("HIỆU TRƯỞNG") == "Hiệu trưởng"
    assert position_title("PHÓ HIỆU TRƯỞNG") == "Phó Hiệu trưởng"
    assert position_title("TRƯỞNG PHÒNG") == "Trưởng phòng"
    assert position_title("Hiệu trưởng") == "Hiệu trưởng"


def test_the_signature_prints_the_name_without_an_honorific():
    assert strip_honorific("Ông Nguyễn Văn An") == "Nguyễn Văn An"
    assert strip_honorific("Bà Phạm Thị Dung") == "Phạm Thị Dung"
    assert strip_honorific("Đ/c Lê Văn Bình") == "Lê Văn Bình"
    assert strip_honorific("Nguyễn Văn An") == "Nguyễn Văn An"
    assert strip_honorific("Ông Ích") == "Ông Ích"  # a family name, not an honorific


def test_a_document_is_cited_with_its_number_and_date():
    assert cite_document("Tờ trình", 2, "TTr-THCSMT", date(2026, 6, 3)) == (
        "Tờ trình số 02/TTr-THCSMT ngày 03/06/2026"
    )
    assert cite_document("Tờ trình", None, "TTr-THCSMT") == "Tờ trình số …/TTr-THCSMT"


def test_the_signing_authority_has_its_full_stop_and_one_space():
    assert glued_prefix("KT.HIỆU TRƯỞNG") == "KT"
    assert glued_prefix("KT. HIỆU TRƯỞNG") is None
    assert authority_line("KT.HIỆU TRƯỞNG") == "KT. HIỆU TRƯỞNG"
    assert authority_line("KT Hiệu trưởng") == "KT. HIỆU TRƯỞNG"


def test_ong_is_kept_when_it_is_the_family_name():
    assert strip_honorific("Ông Văn Tùng") == "Ông Văn Tùng"
    assert strip_honorific("Ông Ích Khiêm") == "Ông Ích Khiêm"
    assert strip_honorific("Ông Ông Văn Tùng") == "Ông Văn Tùng"
    assert strip_honorific("ông Trần Quốc Bảo") == "Trần Quốc Bảo"
    assert strip_honorific("Thầy Văn Công Hùng") == "Văn Công Hùng"
