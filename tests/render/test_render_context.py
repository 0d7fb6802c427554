"""render.context: header lines from the domain rules, fields, computed per-kind values."""

from __future__ import annotations

import pytest

from render.context import build_context
from render.context import sample_context
from render.context_kinds import percent_text
from render.errors import RenderError
from render.manifest import load_manifest


def _sample(kind: str) -> tuple[dict, dict, dict]:
    sample = load_manifest(kind).sample
    return dict(sample["header"]), dict(sample["body"]), dict(sample["org"])


def test_build_context_formats_header_lines_of_a_ke_hoach():
    context = sample_context("ke_hoach")
    assert context["number_line"] == "Số: 12/KH-THCSMT"
    assert context["place_date_line"] == "Mỹ Thạnh, ngày 15 tháng 9 năm 2025"
    assert context["issuer"] == "TRƯỜNG THCS MỸ THẠNH"
    assert context["parent_issuer"] == "UBND XÃ MỸ THẠNH"
    assert context["type_name"] == "KẾ HOẠCH"
    assert context["recipients"][-1] == "- Lưu: VT."
    assert context["can_cu"][-1].endswith(".")
    assert all(line.endswith(";") for line in context["can_cu"][:-1])


def test_build_context_gives_cong_van_a_vv_line_and_kinh_gui_list():
    context = sample_context("cong_van")
    assert context["number_line"] == "Số: 05/THCSMT-VP"
    assert context["vv_line"] == "V/v đăng ký danh hiệu thi đua năm học 2025-2026"
    assert context["type_name"] == ""
    assert context["kinh_gui"] == ["Kính gửi:", "- Các tổ chuyên môn;", "- Tổ Văn phòng."]
    assert context["recipients"][0] == "- Như trên;"
    assert context["recipients"][-1] == "- Lưu: VT, VP."


def test_build_context_keeps_a_single_addressee_on_the_kinh_gui_line():
    header, body, org = _sample("cong_van")
    header["kinh_gui"] = "Phòng Văn hóa - Xã hội"
    context = build_context("cong_van", header, body, org)
    assert context["kinh_gui"] == ["Kính gửi: Phòng Văn hóa - Xã hội"]


def test_build_context_prints_blanks_for_a_draft():
    header, body, org = _sample("ke_hoach")
    header.update(number=None, date=None)
    context = build_context("ke_hoach", header, body, org)
    assert context["number_line"].startswith("Số:") and "/KH-THCSMT" in context["number_line"]
    assert not any(ch.isdigit() for ch in context["number_line"])
    assert "ngày" in context["place_date_line"] and "tháng" in context["place_date_line"]


@pytest.mark.parametrize(
    ("day", "decree"),
    [
        ("2025-06-30", "98/2023/NĐ-CP"),
        ("2025-07-01", "152/2025/NĐ-CP"),
    ],
)
def test_build_context_cites_the_decree_in_force_on_the_document_date(day, decree):
    header, body, org = _sample("quyet_dinh")
    header["date"] = day
    context = build_context("quyet_dinh", header, body, org)
    assert any(decree in line for line in context["can_cu"])
    assert context["can_cu"][-1] == "Theo đề nghị của Hội đồng Thi đua - Khen thưởng nhà trường."


def test_build_context_starts_quyet_dinh_recipients_with_dieu_3():
    context = sample_context("quyet_dinh")
    assert context["recipients"][0] == "- Như Điều 3;"
    assert context["annex_line"].startswith("(Kèm theo Quyết định số 45/QĐ-THCSMT ngày 05")


def test_build_context_bien_ban_has_no_date_line_and_archives_to_ho_so():
    context = sample_context("bien_ban")
    assert context["place_date_line"] == ""
    assert context["number_line"] == "Số: 03/BB-HĐTĐKT"
    assert context["recipients"][-1] == "- Lưu: VT, Hồ sơ."
    assert context["attendance_line"] == "10/11 thành viên Hội đồng (90,91%)"


def test_build_context_refuses_more_votes_than_members():
    header, body, org = _sample("bien_ban")
    body["ung_vien"] = [{**body["ung_vien"][0], "dong_y": 12}]
    with pytest.raises(RenderError, match="vượt quá tổng số thành viên"):
        build_context("bien_ban", header, body, org)


def test_build_context_lists_missing_required_fields_by_label():
    header, body, org = _sample("to_trinh")
    del body["noi_dung"]
    body["de_nghi"] = []
    with pytest.raises(RenderError) as caught:
        build_context("to_trinh", header, body, org)
    assert caught.value.message == ("Chưa nhập: Nội dung tờ trình; Danh hiệu, hình thức đề nghị.")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"date": "31/02/2025"}, "không phải là ngày hợp lệ"),
        ({"number": "mười"}, "phải là số nguyên"),
        ({"summary": ""}, "Chưa nhập trích yếu"),
    ],
)
def test_build_context_reports_bad_header_input_in_vietnamese(value, message):
    header, body, org = _sample("ke_hoach")
    header.update(value)
    with pytest.raises(RenderError, match=message):
        build_context("ke_hoach", header, body, org)


def test_build_context_formats_dates_of_body_fields():
    context = sample_context("bao_cao_ca_nhan")
    assert context["ngay_sinh"] == "ngày 12 tháng 3 năm 1985"
    assert context["ngay_sinh_short"] == "12/03/1985"
    assert context["award_line"] == "ĐỀ NGHỊ TẶNG CHIẾN SĨ THI ĐUA CƠ SỞ"


def test_build_context_adds_row_numbers_to_lists():
    rows = sample_context("quyet_dinh")["danh_sach"]
    assert [row["stt"] for row in rows] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("part", "total", "expected"),
    [
        (9, 11, "81,82%"),
        (10, 10, "100%"),
        (4, 5, "80%"),
        (0, 7, "0%"),
        (1, 0, ""),
    ],
)
def test_percent_text_uses_a_decimal_comma(part, total, expected):
    assert percent_text(part, total) == expected


def test_load_manifest_refuses_an_unknown_kind():
    with pytest.raises(RenderError, match="Không có mẫu văn bản loại"):
        load_manifest("hop_dong")
