"""Birth date, birth year and gender in the staff directory, read from the school's .xlsx as
schools really write it: real Excel dates, day-first text, a year only, "Nam"/"Nữ" columns."""

from __future__ import annotations

import io
from datetime import date
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from services.people import import_staff
from services.spreadsheets import parse_birth
from services.spreadsheets import read_staff
from storage.models import Person


def xlsx(rows: list[list[object]], *, merge: list[str] = (), date_cells: tuple = ()) -> bytes:
    """A real workbook: ``merge`` ranges are merged as Excel does (value in the first cell);
    ``date_cells`` get a date number format."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    for ref in date_cells:
        sheet[ref].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def by_name(content: bytes) -> dict[str, tuple[date | None, int | None, str]]:
    return {r.full_name: (r.birth_date, r.birth_year, r.gender) for r in read_staff(content)}


@pytest.mark.parametrize(
    "header",
    ["Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "NGÀY SINH (dd/mm/yyyy)"],
)
def test_birth_date_columns_with_real_dates_and_day_first_text(header):
    content = xlsx(
        [
            ["DANH SÁCH CÁN BỘ, GIÁO VIÊN"],
            ["STT", "Họ và tên", header, "Giới tính", "Tổ"],
            [1, "Nguyễn Thị Ánh", datetime(1985, 3, 12), "Nữ", "Tổ Toán - Tin"],
            [2, "Trần Văn Đức", "12/03/1985", "Nam", "Tổ Ngữ văn"],
            [3, "Lê Thị Hồng", "5-7-1990", "nữ", "Văn phòng"],
            [4, "Phạm Quốc Bảo", "1979", "NAM", "Ban giám hiệu"],
            [5, "Võ Thị Em", 1988, "", "Văn phòng"],
        ],
        date_cells=("C3",),
    )
    assert by_name(content) == {
        "Nguyễn Thị Ánh": (date(1985, 3, 12), 1985, "Nữ"),
        "Trần Văn Đức": (date(1985, 3, 12), 1985, "Nam"),  # day first: 12 March
        "Lê Thị Hồng": (date(1990, 7, 5), 1990, "Nữ"),
        "Phạm Quốc Bảo": (None, 1979, "Nam"),
        "Võ Thị Em": (None, 1988, ""),
    }


def test_nam_nu_columns_under_a_merged_nam_sinh_header():
    # The common layout: "Năm sinh" merged over two sub-columns, the year in the one that
    # applies; some schools write a full date or just an x there.
    content = xlsx(
        [
            ["STT", "Họ và tên", "Năm sinh", None, "Chức vụ"],
            [None, None, "Nam", "Nữ", None],
            [1, "Nguyễn Thị Ánh", None, 1985, "Giáo viên"],
            [2, "Trần Văn Đức", "1979", None, "Tổ trưởng"],
            [3, "Lê Thị Hồng", None, datetime(1990, 7, 5), "Nhân viên"],
            [4, "Phạm Quốc Bảo", "x", None, "Phó Hiệu trưởng"],
        ],
        merge=["C1:D1"],
        date_cells=("D5",),
    )
    rows = read_staff(content)
    assert [r.line for r in rows] == [3, 4, 5, 6]  # the sub-header row is no person
    assert by_name(content) == {
        "Nguyễn Thị Ánh": (None, 1985, "Nữ"),
        "Trần Văn Đức": (None, 1979, "Nam"),
        "Lê Thị Hồng": (date(1990, 7, 5), 1990, "Nữ"),
        "Phạm Quốc Bảo": (None, None, "Nam"),
    }
    assert rows[0].position == "Giáo viên"


def test_nam_and_nu_columns_on_the_header_row_and_a_nam_nu_column():
    content = xlsx(
        [
            ["Họ tên", "Nam", "Nữ", "Ngày sinh"],
            ["Nguyễn Thị Ánh", None, "x", "12/3/1985"],
            ["Trần Văn Đức", "X", None, None],
        ]
    )
    assert by_name(content) == {
        "Nguyễn Thị Ánh": (date(1985, 3, 12), 1985, "Nữ"),
        "Trần Văn Đức": (None, None, "Nam"),
    }
    content = xlsx([["Họ tên", "Nam/Nữ"], ["Nguyễn Thị Ánh", "Nữ"], ["Trần Văn Đức", "Nam"]])
    assert by_name(content) == {
        "Nguyễn Thị Ánh": (None, None, "Nữ"),
        "Trần Văn Đức": (None, None, "Nam"),
    }


@pytest.mark.parametrize(
    "value",
    ["31/02/1985", "không rõ", "12/13/1985", "1850", "3000", "01/01/2999", True, "", "  ", 0],
)
def test_bad_birth_values_are_left_empty_and_the_row_is_kept(value):
    content = xlsx([["Họ và tên", "Ngày sinh", "Giới tính"], ["Nguyễn Thị Ánh", value, "không rõ"]])
    assert by_name(content) == {"Nguyễn Thị Ánh": (None, None, "")}


def test_parse_birth_accepts_excel_day_numbers_and_iso_text():
    assert parse_birth(31118) == (date(1985, 3, 12), 1985)  # a date in a General-format cell
    assert parse_birth("1985-03-12") == (date(1985, 3, 12), 1985)
    assert parse_birth("3/1985") == (None, 1985)
    assert parse_birth(1985.0) == (None, 1985)
    assert parse_birth(None) == (None, None)


def test_import_stores_birth_data_and_a_list_without_it_keeps_it(app, world, db_session):
    full = xlsx(
        [
            ["Họ và tên", "Tổ", "Ngày, tháng, năm sinh", "Giới tính"],
            ["Nguyễn Thị Ánh", "Tổ Toán - Tin", datetime(1985, 3, 12), "Nữ"],
            ["Trần Văn Đức", "Tổ Ngữ văn", "1979", "Nam"],
            ["Lê Thị Hồng", "Văn phòng", "ngày 5 tháng 7", "Nữ"],
        ]
    )
    assert import_staff(db_session, world["school"], full).created == 3
    db_session.commit()

    def people() -> dict:
        db_session.expire_all()
        return {
            p.full_name: (p.birth_date, p.birth_year, p.gender)
            for p in db_session.scalars(select(Person))
        }

    assert people() == {
        "Nguyễn Thị Ánh": (date(1985, 3, 12), 1985, "Nữ"),
        "Trần Văn Đức": (None, 1979, "Nam"),
        "Lê Thị Hồng": (None, None, "Nữ"),
    }
    # A later list with only names and positions updates those, not the birth data.
    short = xlsx([["Họ và tên", "Tổ", "Chức vụ"], ["Nguyễn Thị Ánh", "Tổ Toán - Tin", "TTCM"]])
    assert import_staff(db_session, world["school"], short).updated == 1
    db_session.commit()
    assert people()["Nguyễn Thị Ánh"] == (date(1985, 3, 12), 1985, "Nữ")
    # A list that has the columns is the new truth, corrected date included.
    fixed = xlsx([["Họ và tên", "Tổ", "Ngày sinh"], ["Trần Văn Đức", "Tổ Ngữ văn", "02-01-1979"]])
    import_staff(db_session, world["school"], fixed)
    db_session.commit()
    assert people()["Trần Văn Đức"] == (date(1979, 1, 2), 1979, "Nam")
