"""References, titles and lines as real offices write them (issue 11), on small inputs."""

from __future__ import annotations

import pytest

from ingest import parse_bytes

HEADER = (
    "PHÒNG GD&ĐT A          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TRƯỜNG THCS B          Độc lập - Tự do - Hạnh phúc\n"
    "Số: 15/KH-THCS          B, ngày 10 tháng 9 năm 2024\n\n"
    "KẾ HOẠCH\nThi đua năm học 2024-2025\n\n"
)


@pytest.mark.parametrize(
    ("body", "number"),
    [
        ("Thực hiện nghị quyết số 29 NQ/TW về đổi mới giáo dục;", "29 NQ/TW"),
        ("Công văn số 28/PGD ĐT-VP ngày 27/01/2021 của Phòng;", "28/PGD ĐT-VP"),
        ("Căn cứ Thông tư số 32/2018/2018/TT-BGDĐT ngày 26/12/2018;", "32/2018/2018/TT-BGDĐT"),
        ("Căn cứ Quyết định số 10/2007/QĐ_BKHCN của Bộ;", "10/2007/QĐ_BKHCN"),
        ("Căn cứ Thông báo số: 194/TB-THPT.XM về việc tổ chức;", "194/TB-THPT.XM"),
    ],
)
def test_references_printed_with_spaces_years_and_marks(body: str, number: str) -> None:
    references = parse_bytes((HEADER + body + "\n").encode())["references"]
    assert [r["number"] for r in references] == [number]


def test_cong_van_title_written_ve_under_the_number() -> None:
    text = (
        "ỦY BAN NHÂN DÂN          CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÀNH PHỐ HỒ CHÍ MINH          Độc lập – Tự do – Hạnh phúc\n"
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO          Tp.Hồ Chí Minh, ngày 07 tháng 12 năm 2007\n"
        "Số: 2865/GDĐT –KT&KĐCL\n"
        "Về: tham gia ý kiến về dự thảo\n"
        "Quy chế thi tốt nghiệp THPT.\n\n"
        "Kính gửi: Bộ Giáo dục và Đào tạo.\n"
    )
    result = parse_bytes(text.encode())
    assert (result["doc_type"], result["symbol"]) == ("CV", "GDĐT-KT&KĐCL")
    assert result["title"].endswith("tham gia ý kiến về dự thảo Quy chế thi tốt nghiệp THPT")
    assert result["issuer"] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


def test_title_stops_before_the_decision_it_is_attached_to() -> None:
    text = HEADER.replace("Thi đua năm học 2024-2025\n", "“NĂM GIÁO DỤC VÙNG KHÓ KHĂN” XÃ A\n") + ""
    text = text.replace("XÃ A\n\n", "XÃ A\n(Ban hành kèm theo Quyết định số 12/QĐ-UBND)\n\n")
    assert parse_bytes(text.encode())["title"] == "“NĂM GIÁO DỤC VÙNG KHÓ KHĂN” XÃ A"


def test_programme_and_contest_titles_in_quotes_are_not_themes() -> None:
    body = (
        "- Chương trình Tư vấn tuyển sinh “Đúng ngành nghề - Sáng tương lai”.\n"
        "- Ngày hội hướng nghiệp với chủ đề “Gen Z chọn ngành nghề trong kỷ nguyên AI”.\n"
        "- Hưởng ứng phong trào thi đua “Dạy tốt, học tốt”.\n"
    )
    themes = parse_bytes((HEADER + body).encode())["themes"]
    assert themes == ["Gen Z chọn ngành nghề trong kỷ nguyên AI", "Dạy tốt, học tốt"]


def test_letter_spaced_digits_of_the_number_and_date() -> None:
    text = (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "– TẠP CHÍ GIÁO DỤC          Độc lập - Tự do - Hạnh phúc\n"
        "Số: 9 0 /KHLT-SGDĐT-TCGD          Thành phố Hồ Chí Minh, ngày 0 3 tháng 1 0 năm 2025\n\n"
        "KẾ HOẠCH LIÊN TỊCH\nTổ chức Chương trình Hướng nghiệp\n\nNội dung.\n"
    )
    result = parse_bytes(text.encode())
    assert (result["number"], result["symbol"]) == ("90", "KHLT-SGDĐT-TCGD")
    assert result["issued_date"] == "2025-10-03"


def test_undashed_line_wraps_the_item_above_when_every_item_has_a_dash() -> None:
    closing = (
        "Nơi nhận:                                   GIÁM ĐỐC\n"
        "- Ban Tuyên giáo Thành ủy;\n"
        "- Các trường THPT, trường phổ thông.\n"
        "có nhiều cấp học (có cấp THPT);\n"
        "- Tạp chí Giáo dục;\n"
        "- Lưu: VT.                                  Nguyễn Văn Hiếu\n"
    )
    result = parse_bytes((HEADER + "Nội dung./.\n\n" + closing).encode())
    assert result["recipients"][1] == (
        "Các trường THPT, trường phổ thông. có nhiều cấp học (có cấp THPT)"
    )
    assert len(result["recipients"]) == 4
