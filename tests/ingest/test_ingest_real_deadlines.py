"""Deadlines only where something is due in this document (issue 11), on typed paragraphs."""

from __future__ import annotations

import pytest

from ingest import parse_bytes

HEADER = (
    "PHÒNG GD&ĐT A          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TRƯỜNG THCS B          Độc lập - Tự do - Hạnh phúc\n"
    "Số: 15/KH-THCS          B, ngày 10 tháng 12 năm 2024\n\n"
    "KẾ HOẠCH\nTổ chức hội thi năm học 2024-2025\n\n"
)


def _deadlines(body: str) -> list[tuple[str, str | None]]:
    result = parse_bytes((HEADER + body + "\n").encode())
    return [(d["date"], d["end"]) for d in result["deadlines"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- Ngày 26, 27/12: thi vòng trường.", [("2024-12-26", "2024-12-27")]),
        ("- Thi chung khảo vào chiều 28/12 và cả ngày 29/12 tại hội trường.",
         [("2024-12-28", "2024-12-29")]),
        ("Kỳ thi diễn ra các ngày 26, 27, 28, 29/6/2025.", [("2025-06-26", "2025-06-29")]),
        ("Tuần 2   17/12/2024   23/12/2024   Nộp sản phẩm dự thi", [("2024-12-17", "2024-12-23")]),
    ],
)  # fmt: skip
def test_ranges_written_as_lists_of_days_and_table_cells(body: str, expected: list) -> None:
    assert _deadlines(body) == expected


def test_half_a_day_is_not_the_first_of_february() -> None:
    assert _deadlines("Mỗi lớp được nghỉ 1/2 ngày để chuẩn bị; nộp bài trước ngày 20/12.") == [
        ("2024-12-20", None)
    ]


def test_dates_of_laws_in_can_cu_lines_are_not_deadlines() -> None:
    body = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
        "Căn cứ Luật Thi đua, khen thưởng năm 2022;\n"
        "Các tổ nộp danh sách trước ngày 25/12/2024."
    )
    assert _deadlines(body) == [("2024-12-25", None)]


def test_headings_effective_dates_and_past_events_are_not_deadlines() -> None:
    body = (
        "THÁNG 01 NĂM 2025\n"
        "Ngày 03/12/2024, Ban giám hiệu đã họp thống nhất nội dung.\n"
        "Kế hoạch này có hiệu lực kể từ ngày 15/12/2024.\n"
        "- Ngày 15/01/2025: tổng kết, trao giải."
    )
    assert _deadlines(body) == [("2025-01-15", None)]


def test_the_same_day_under_two_activities_is_two_items() -> None:
    body = "- 20/12/2024: nộp hồ sơ dự thi.\n\n- 20/12/2024: họp ban giám khảo."
    assert _deadlines(body) == [("2024-12-20", None), ("2024-12-20", None)]


def test_what_a_cited_decree_makes_due_after_its_citation_is_kept() -> None:
    body = (
        "Thực hiện Nghị định số 123/2020/NĐ-CP ngày 19/10/2020 của Chính phủ; theo đó, "
        "kể từ ngày 01/7/2025, các trường phải dùng hóa đơn điện tử."
    )
    assert _deadlines(body) == [("2025-07-01", None)]


def test_minutes_of_a_meeting_have_no_deadlines() -> None:
    text = HEADER.replace("Số: 15/KH-THCS", "Số: 02/BB-THCS").replace(
        "KẾ HOẠCH\nTổ chức hội thi năm học 2024-2025", "BIÊN BẢN\nHọp Hội đồng thi đua"
    )
    body = "Vào lúc 14h00 ngày 26/12/2024, tại phòng họp, Hội đồng thi đua họp xét."
    assert parse_bytes((text + body + "\n").encode())["deadlines"] == []


def test_a_monthly_report_s_own_month_is_history() -> None:
    # The day is left blank (handwritten): only the title tells which month is reported.
    text = (
        HEADER.replace("Số: 15/KH-THCS", "Số: 23/BC-THCS")
        .replace("ngày 10 tháng 12", "ngày    tháng 12")
        .replace(
            "KẾ HOẠCH\nTổ chức hội thi năm học 2024-2025",
            "BÁO CÁO\nKết quả công tác tháng 11/2024",
        )
    )
    body = (
        "Trong tháng 11/2024, nhà trường tổ chức thi giáo viên giỏi.\n"
        "Nhiệm vụ: nộp hồ sơ thi đua trước ngày 25/12/2024."
    )
    result = parse_bytes((text + body + "\n").encode())
    assert [(d["date"], d["end"]) for d in result["deadlines"]] == [("2024-12-25", None)]


def test_tasks_under_a_coming_month_heading_are_due_by_its_end() -> None:
    header = (
        "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH QUẢNG NGÃI          Độc lập - Tự do - Hạnh phúc\n"
        "Số: 23/BC-UBND          Quảng Ngãi, ngày 23 tháng 01 năm 2025\n\n"
        "BÁO CÁO\nKết quả cải cách thủ tục hành chính tháng 01/2025\n\n"
    )
    body = (
        "I. KẾT QUẢ THỰC HIỆN THÁNG 01 NĂM 2025\n"
        "1. Đã ban hành 02 kế hoạch kiểm soát thủ tục hành chính.\n\n"
        "II. NHIỆM VỤ TRỌNG TÂM THÁNG 02 NĂM 2025\n"
        "1. Ban hành các kế hoạch truyền thông và kiểm tra hoạt động kiểm soát TTHC.\n"
        "2. Tiếp tục rà soát, phê duyệt phương án đơn giản hóa TTHC nội bộ.\n"
        "3. Theo dõi tiếp nhận, xử lý phản ánh, kiến nghị.\n\n"
        "Trên đây là báo cáo kết quả tháng 01 năm 2025 của UBND tỉnh./.\n"
    )
    result = parse_bytes((header + body).encode())
    assert [d["date"] for d in result["deadlines"]] == ["2025-02-28"] * 3
