"""Header and signature fields as real offices print them (issue 11), on small typed inputs."""

from __future__ import annotations

import pytest

from ingest import parse_bytes

QH = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TN = "Độc lập - Tự do - Hạnh phúc"


def _doc(left: list[str], right: list[str], title: str = "KẾ HOẠCH\nThi đua", body: str = "",
         closing: str = "") -> dict:  # fmt: skip
    rows = max(len(left), len(right))
    left = left + [""] * (rows - len(left))
    right = right + [""] * (rows - len(right))
    header = "\n".join(f"{a:<40}{b}" for a, b in zip(left, right, strict=True))
    text = f"{header}\n\n{title}\n\n{body or 'Nội dung kế hoạch.'}\n\n{closing}"
    return parse_bytes(text.encode())


@pytest.mark.parametrize(
    ("so_line", "number", "symbol"),
    [
        ("Số: 14/KH- THTBS", "14", "KH-THTBS"),
        ("Số: 2865/GDĐT –KT&KĐCL", "2865", "GDĐT-KT&KĐCL"),
        ("Số: 12 /HD – HĐTĐKT", "12", "HD-HĐTĐKT"),
        ("Số: 14 / CV- HKH", "14", "CV-HKH"),
    ],
)
def test_symbol_parts_spaced_around_the_dash_are_joined(so_line, number, symbol) -> None:
    result = _doc(["PHÒNG GD&ĐT A", "TRƯỜNG TH B", so_line], [QH, TN, "B, ngày 2 tháng 3 năm 2024"])
    assert (result["number"], result["symbol"]) == (number, symbol)


def test_number_with_a_year_keeps_its_symbol() -> None:
    # Legal acts carry the year: "09/2009/CT-UBND" is split at the first slash (corpus rule).
    result = _doc(
        ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH PHƯỚC", "Số: 09/2009/CT-UBND"],
        [QH, TN, "Bình Phước, ngày 5 tháng 3 năm 2009"],
        title="CHỈ THỊ\nVề nhiệm vụ năm học",
    )
    assert (result["number"], result["symbol"], result["doc_type"]) == (
        "09",
        "2009/CT-UBND",
        "CT",
    )


def test_joint_issuer_ending_in_a_dash_is_one_name() -> None:
    result = _doc(
        ["BAN AN TOÀN GIAO THÔNG -", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 295 /KHLT-BATGT-GDĐT"],
        [QH, TN, "Thành phố Hồ Chí Minh, ngày 08 tháng 8 năm 2018"],
    )
    assert result["issuer"] == "BAN AN TOÀN GIAO THÔNG - SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert result["parent_issuer"] is None


@pytest.mark.parametrize(
    ("left", "issuer", "parent"),
    [
        (["HỘI KHUYẾN HỌC VIỆT NAM", "TỈNH HỘI HƯNG YÊN"], "TỈNH HỘI HƯNG YÊN",
         "HỘI KHUYẾN HỌC VIỆT NAM"),
        (["UBND XÃ ĐÔNG HƯNG A", "Liên đội trường THCS Đông Hưng A"],
         "LIÊN ĐỘI TRƯỜNG THCS ĐÔNG HƯNG A", "UBND XÃ ĐÔNG HƯNG A"),
        (["QUẬN ĐOÀN HẢI AN", "BCH ĐOÀN TRƯỜNG CĐ", "HÀNG HẢI 1"], "BCH ĐOÀN TRƯỜNG CĐ HÀNG HẢI 1",
         "QUẬN ĐOÀN HẢI AN"),
        (["LĐLĐ HUYỆN ĐẠI TỪ", "CÔNG ĐOÀN TRƯỜNG THCS LỤC BA"], "CÔNG ĐOÀN TRƯỜNG THCS LỤC BA",
         "LĐLĐ HUYỆN ĐẠI TỪ"),
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
         "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"),
    ],
)  # fmt: skip
def test_two_line_issuer_and_parent_split(left, issuer, parent) -> None:
    result = _doc([*left, "Số: 14/KH-ABC"], [QH, TN, "Hưng Yên, ngày 7 tháng 02 năm 2018"])
    assert (result["issuer"], result["parent_issuer"]) == (issuer, parent)


def test_issuer_from_the_body_is_not_a_cited_body() -> None:
    text = (
        "KẾ HOẠCH CÔNG ĐOÀN\nNăm học 2018 – 2019\n\n"
        "Căn cứ hướng dẫn số 39/HD-CĐN ngày 20/9/2016 của Ban Thường vụ Công đoàn Giáo dục "
        "Đại Từ hướng dẫn triển khai chương trình công tác công đoàn năm học 2018-2019;\n"
        "BCH Công đoàn trường THCS Lục Ba xây dựng phương hướng hoạt động như sau:\n"
    )
    assert parse_bytes(text.encode())["issuer"] == "BCH CÔNG ĐOÀN TRƯỜNG THCS LỤC BA"


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Công tác Thi đua – Khen thưởng năm 2018", "2018"),
        ("Phát động phong trào thi đua năm học 2019 - 2020", "2019-2020"),
        ("Tuyên truyền gương điển hình tiên tiến giai đoạn 2023-2025", "2023-2025"),
        ("Hướng dẫn tổ chức Kỳ thi tốt nghiệp trung học phổ thông năm 2024", None),
        ("Treo cờ Tổ quốc và nghỉ Lễ giỗ Quốc tổ Hùng Vương năm 2012", None),
        ("Tổ chức văn nghệ chào mừng ngày nhà giáo Việt Nam 20-11", None),
    ],
)
def test_period_is_what_the_title_covers(title: str, period: str | None) -> None:
    result = _doc(
        ["PHÒNG GD&ĐT A", "TRƯỜNG TH B", "Số: 1/KH-THB"],
        [QH, TN, "B, ngày 2 tháng 10 năm 2017"],
        title=f"KẾ HOẠCH\n{title}",
        body="Thực hiện nhiệm vụ năm học 2017-2018, trường xây dựng kế hoạch như sau:",
    )
    assert result["period"] == period


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"),
        (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
         "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),
        (["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"],
         "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG"),
        (["HIỆU TRƯỞNG"], "HIỆU TRƯỞNG"),
    ],
)  # fmt: skip
def test_signer_title_joins_every_authority_line_with_the_position(lines, title) -> None:
    closing_right = [*lines, "(Đã ký)", "Nguyễn Văn Hiếu"]
    closing_left = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    rows = max(len(closing_left), len(closing_right))
    closing_left += [""] * (rows - len(closing_left))
    closing_right += [""] * (rows - len(closing_right))
    closing = "\n".join(f"{a:<40}{b}" for a, b in zip(closing_left, closing_right, strict=True))
    result = _doc(
        ["SỞ GD&ĐT A", "Số: 1/KH-SGDĐT"], [QH, TN, "A, ngày 2 tháng 10 năm 2017"], closing=closing
    )
    assert result["signer_title"] == title
    assert result["signer_name"] == "Nguyễn Văn Hiếu"
    assert result["recipients"] == ["Như trên", "Lưu: VT"]


def test_unicode_capitals_are_not_read_as_vni() -> None:
    # "À" and "Ô" are also VNI marks: "TOÀN … THÔNG" would become "TỒN … THƠNG".
    result = _doc(
        ["BAN AN TOÀN GIAO THÔNG", "TRƯỜNG THCS A", "Số: 5/KH-THCS"],
        [QH, TN, "A, ngày 2 tháng 3 năm 2024"],
    )
    assert result["parent_issuer"] == "BAN AN TOÀN GIAO THÔNG"
    assert result["encoding"] == "utf-8"


def test_title_stops_before_the_enacting_authority_of_a_decision() -> None:
    result = _doc(
        ["THỦ TƯỚNG CHÍNH PHỦ", "Số: 10/2007/QĐ-TTg"],
        [QH, TN, "Hà Nội, ngày 23 tháng 01 năm 2007"],
        title="QUYẾT ĐỊNH\nBAN HÀNH HỆ THỐNG NGÀNH KINH TẾ CỦA VIỆT NAM\nTHỦ TƯỚNG CHÍNH PHỦ",
        body="Căn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;",
    )
    assert result["title"] == "BAN HÀNH HỆ THỐNG NGÀNH KINH TẾ CỦA VIỆT NAM"
    assert (result["number"], result["symbol"]) == ("10", "2007/QĐ-TTg")


def test_v_v_line_in_regular_weight_under_a_bold_type_name_is_the_title() -> None:
    from ingest.extract import extract
    from ingest.layout import Word
    from ingest.layout import words_to_lines
    from ingest.reading import build_document

    rows = [
        (85, 50, "ĐOÀN TRƯỜNG THPT BƯNG RIỀNG", True),
        (330, 50, "ĐOÀN TNCS HỒ CHÍ MINH", True),
        (85, 70, "Số: /TT-ĐTN", False),
        (330, 70, "TP. Hồ Chí Minh, ngày 17 tháng 11 năm 2025", False),
        (270, 110, "TỜ TRÌNH", True),
        (190, 128, "V/v Hỗ trợ học sinh đi tham quan", False),
        (85, 160, "Nay Đoàn trường làm tờ trình xin hỗ trợ tiền ăn cho các em học sinh.", False),
    ]
    words = []
    for x, y, text, bold in rows:
        for piece in text.split():
            width = 6.0 * len(piece)
            words.append(Word(piece, x, x + width, y, y + 12, 12.0, bold=bold))
            x += width + 4.0
    result = extract(build_document(words_to_lines(words, 1, 595.0), "pdf"))
    assert (result["doc_type"], result["title"]) == ("TTr", "V/v Hỗ trợ học sinh đi tham quan")
