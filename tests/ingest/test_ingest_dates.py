"""Date grammar: one row per pattern of domain rules §3.3."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import YearContext
from ingest.dates import find_dates

SCHOOL_2019 = YearContext(school_year=(2019, 2020))
YEAR_2021 = YearContext(year=2021)
NONE = YearContext()


def _spans(text: str, ctx: YearContext) -> list[tuple[str, str | None, str | None]]:
    return [
        (h.first.isoformat(), h.last.isoformat() if h.last else None, h.recurrence)
        for h in find_dates(text, ctx)
    ]


@pytest.mark.parametrize(
    ("text", "ctx", "expected"),
    [
        # dd/mm/yyyy and its variants
        ("chậm nhất ngày 15/11/2025", NONE, [("2025-11-15", None, None)]),
        ("trước ngày 05/01/2026.", NONE, [("2026-01-05", None, None)]),
        ("ngày 20.11.2019", NONE, [("2019-11-20", None, None)]),
        ("ngày 24-5-2024 (kiểu văn bản Đảng)", NONE, [("2024-05-24", None, None)]),
        # ngày dd tháng mm năm yyyy
        ("trước ngày 31 tháng 12 năm 2025", NONE, [("2025-12-31", None, None)]),
        ("ngày 09 tháng 02 năm 2024", NONE, [("2024-02-09", None, None)]),
        # dd/mm without a year: school year 2019-2020 (Sept-Dec → 2019, Jan-Aug → 2020)
        ("Ngày Nhà giáo Việt Nam 20/11", SCHOOL_2019, [("2019-11-20", None, None)]),
        ("ngày thành lập Đảng 03/02", SCHOOL_2019, [("2020-02-03", None, None)]),
        ("Quốc khánh 02/9", SCHOOL_2019, [("2019-09-02", None, None)]),
        ("trước ngày 31 tháng 3", YEAR_2021, [("2021-03-31", None, None)]),
        # month-only items take the month's last day
        ("Tháng 9/2019: Tổ chức đăng ký", NONE, [("2019-09-30", None, None)]),
        ("- Tháng 02/2020: Hội thi", NONE, [("2020-02-29", None, None)]),
        ("hoàn thành trong tháng 12 năm 2025", NONE, [("2025-12-31", None, None)]),
        ("Tháng 10: kiểm tra nội bộ", SCHOOL_2019, [("2019-10-31", None, None)]),
        ("Tháng 11, 12/2019: Phát động", NONE, [("2019-11-01", "2019-12-31", None)]),
        # ranges
        ("Từ ngày 15/9 đến 29/9/2019", NONE, [("2019-09-15", "2019-09-29", None)]),
        ("Từ ngày 07/10/2025 đến ngày 22/10/2025", NONE, [("2025-10-07", "2025-10-22", None)]),
        ("(từ ngày 08 đến ngày 10 tháng 12 năm 2025)", NONE, [("2025-12-08", "2025-12-10", None)]),
        ("từ ngày 20/12/2025 đến ngày 05/01/2026", NONE, [("2025-12-20", "2026-01-05", None)]),
        ("từ tháng 9 đến tháng 12/2019", NONE, [("2019-09-01", "2019-12-31", None)]),
        (
            "Từ tháng 01 năm 2025 đến hết năm học 2024 - 2025",
            NONE,
            [("2025-01-01", "2025-08-31", None)],
        ),
        ("Từ nay đến hết năm 2024", NONE, [("2024-12-31", None, None)]),
        # quarter, year
        ("hoàn thành trong Quý I/2026", NONE, [("2026-03-31", None, None)]),
        ("Hội nghị các cấp vào năm 2025.", NONE, [("2025-12-31", None, None)]),
        # recurring windows
        (
            "Định kỳ từ ngày 15 đến ngày 20 tháng cuối mỗi quý",
            YearContext(year=2023, anchor=date(2023, 3, 8)),
            [("2023-03-15", "2023-03-20", "quarterly")],
        ),
        (
            "báo cáo trước ngày 25 hằng tháng",
            YearContext(anchor=date(2025, 9, 27)),
            [("2025-10-25", None, "monthly")],
        ),
        (
            "sinh hoạt dưới cờ vào thứ Hai hằng tuần",
            YearContext(anchor=date(2025, 9, 3)),
            [("2025-09-08", None, "weekly")],
        ),
    ],
)
def test_find_dates_pattern(text: str, ctx: YearContext, expected: list) -> None:
    assert _spans(text, ctx) == expected


@pytest.mark.parametrize(
    "text",
    [
        "năm học 2019-2020",  # a period, not a date
        "Số: 08/KH-PGDĐT",  # a document number
        "tỷ lệ 1/3 đến 1/2 chiều dài dòng chữ",  # fractions
        "nhiệm vụ năm 2024 và kế hoạch 5 năm 2021 - 2025",  # years without a trigger
        "các hoạt động tháng 9 năm học mới",  # a bare month with no trigger
    ],
)
def test_find_dates_ignores_non_dates(text: str) -> None:
    assert find_dates(text, YEAR_2021) == []


def test_find_dates_list_gives_one_hit_per_date() -> None:
    hits = find_dates("Trước ngày 10/3, 10/5, 10/9, 10/12 hàng năm", YEAR_2021)
    assert [h.first.isoformat() for h in hits] == [
        "2021-03-10",
        "2021-05-10",
        "2021-09-10",
        "2021-12-10",
    ]


def test_find_dates_without_year_context_drops_yearless_dates() -> None:
    assert find_dates("trước ngày 10/3", NONE) == []


def test_find_dates_anniversary_is_one_range() -> None:
    hits = find_dates("kỷ niệm 95 năm (03/02/1930 - 03/02/2025)", NONE)
    assert [(h.first.year, h.last.year if h.last else None) for h in hits] == [(1930, 2025)]


def test_year_context_school_year_splits_at_september() -> None:
    ctx = YearContext(school_year=(2024, 2025))
    assert [ctx.year_for(m) for m in (8, 9, 12, 1)] == [2025, 2024, 2024, 2025]
