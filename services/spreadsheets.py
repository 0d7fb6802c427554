"""Excel in and out: the clerk's exported list and the staff list a school already keeps."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from openpyxl import Workbook
from openpyxl import load_workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from domain.text import clean_line
from domain.text import fold
from forms.choices import title_name
from storage.models import STATUS_LABELS
from storage.models import SUBMISSION_KIND_LABELS
from storage.models import Submission

MAX_IMPORT_ROWS = 5000
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024

EXPORT_COLUMNS = (
    "STT", "Loại hồ sơ", "Họ tên / tập thể", "Chức vụ", "Tổ / bộ phận",
    "Danh hiệu / hình thức", "Trạng thái", "Phiếu đồng ý", "Tổng thành viên HĐ", "Ghi chú",
)  # fmt: skip


# A cell starting with one of these is a formula to Excel or LibreOffice (or becomes one when
# the sheet is saved as CSV and opened again): "=HYPERLINK(…)", "=cmd|' /C calc'!A0", "@SUM(…)".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def append_text_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """Append ``values`` as a row; typed text that looks like a formula is written as text
    (a string cell, shown with a quote prefix), never as a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True


class SpreadsheetError(ValueError):
    """The workbook cannot be read as asked; the message is Vietnamese."""


def export_submissions(rows: Iterable[Submission]) -> bytes:
    """The clerk's filtered list as an .xlsx (Vietnamese headers, one row per entry)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(EXPORT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, s in enumerate(rows, start=1):
        title = title_name(s.title_code) if s.title_code else (s.data or {}).get("title", "")
        append_text_row(sheet, [
            index, SUBMISSION_KIND_LABELS.get(s.kind, s.kind), s.nominee_name, s.position, s.unit,
            title, STATUS_LABELS.get(s.status, s.status), s.votes_for, s.council_total,
            s.decision_note,
        ])  # fmt: skip
    for column, width in zip("ABCDEFGHIJ", (6, 26, 30, 20, 20, 34, 22, 12, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class StaffRow:
    full_name: str
    position: str
    unit: str
    email: str
    line: int
    birth_date: date | None = None
    birth_year: int | None = None  # set from birth_date when the full date is known
    gender: str = ""  # "Nam", "Nữ" or "" (unknown)
    # Whether the sheet has birth / gender columns at all: a list without them must not
    # erase what an earlier import recorded.
    has_birth: bool = False
    has_gender: bool = False


_HEADERS = {
    "full_name": ("ho va ten", "ho ten", "ten", "full name", "name"),
    "position": ("chuc vu", "chuc danh", "position"),
    "unit": ("to", "to chuyen mon", "bo phan", "to / bo phan", "don vi", "unit"),
    "email": ("email", "e-mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
    "birth_date": (
        "ngay sinh", "ngay thang nam sinh", "ngay/thang/nam sinh", "sinh ngay",
        "ngay sinh/nam sinh", "ngay, thang, nam sinh", "date of birth", "birth date",
    ),
    "birth_year": ("nam sinh", "year of birth"),
    "gender": ("gioi tinh", "nam/nu", "nam / nu", "nam, nu", "phai", "gender", "sex"),
    # Many school lists have a "Năm sinh" header over two sub-columns "Nam" and "Nữ", the
    # year (or an x) written in the one that applies.
    "male": ("nam",),
    "female": ("nu",),
}  # fmt: skip
_SUBHEADER_FIELDS = ("male", "female", "birth_date", "birth_year", "gender")
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
_HEADER_PUNCTUATION = re.compile(r"[,.;:*]")
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_YEAR = re.compile(r"\d{1,2}\s*[/.-]\s*(\d{4})")
_YEAR = re.compile(r"\d{4}")
_MALE = {"nam", "male", "m"}
_FEMALE = {"nu", "female", "f"}
# Excel day numbers of 01/01/1900 and 31/12/2099: a date typed in a column not formatted
# as a date arrives as this number.
_SERIAL_RANGE = (1, 73050)


def _guard_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.") from exc
    if total > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError("Bảng tính giải nén quá lớn; hãy chỉ giữ danh sách cán bộ.")


def read_staff(content: bytes) -> list[StaffRow]:
    """Read the staff list: finds the header row (Họ và tên, Chức vụ, Tổ, Email, Ngày sinh,
    Giới tính ...) anywhere in the first 20 rows of the first sheet; rows without a name are
    skipped. A second header row just below it (the "Nam" / "Nữ" sub-columns under a merged
    "Năm sinh") is read as part of the header.

    Birth dates and genders the sheet does not state clearly are left empty: a bad cell never
    stops the import of the other columns.

    Raises:
        SpreadsheetError: not an .xlsx, no recognisable header, or too many rows.
    """
    _guard_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SpreadsheetError("Không đọc được tệp Excel; hãy lưu lại dưới dạng .xlsx.") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    columns: dict[str, int] = {}
    header_line = 0
    for line, row in enumerate(rows, start=1):
        columns = _match_headers(row)
        if "full_name" in columns:
            header_line = line
            break
        if line >= 20:
            break
    if not header_line:
        raise SpreadsheetError(
            "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 20 dòng đầu của trang tính."
        )
    first_line = header_line + 1
    following = next(rows, None)
    if following is not None:
        below = _match_headers(following)
        if not _cell_text(following, columns.get("full_name")) and any(
            key in below for key in _SUBHEADER_FIELDS
        ):
            for key in _SUBHEADER_FIELDS:
                if key in below:
                    columns.setdefault(key, below[key])
            first_line += 1
        else:
            rows = itertools.chain([following], rows)
    if not ("male" in columns and "female" in columns):
        # A lone "Nam" is as likely "Năm" (year) without its accent as the male column.
        if "male" in columns:
            columns.setdefault("birth_year", columns["male"])
        columns.pop("male", None)
        columns.pop("female", None)
    has_birth = any(key in columns for key in ("birth_date", "birth_year", "male", "female"))
    has_gender = any(key in columns for key in ("gender", "male", "female"))
    result: list[StaffRow] = []
    for line, row in enumerate(rows, start=first_line):

        def cell(key: str, row: tuple = row) -> str:  # type: ignore[type-arg]
            return _cell_text(row, columns.get(key))

        if not cell("full_name"):
            continue
        birth_date, birth_year = _birth(row, columns)
        result.append(
            StaffRow(
                cell("full_name"), cell("position"), cell("unit"), cell("email").lower(), line,
                birth_date=birth_date, birth_year=birth_year, gender=_gender(row, columns),
                has_birth=has_birth, has_gender=has_gender,
            )
        )  # fmt: skip
        if len(result) > MAX_IMPORT_ROWS:
            raise SpreadsheetError(f"Danh sách vượt quá {MAX_IMPORT_ROWS} người.")
    book.close()
    return result


def _header_key(value: object) -> str:
    """ "Ngày, tháng, năm sinh (dd/mm/yyyy)" → "ngay thang nam sinh"; "Nam / Nữ" → "nam/nu"."""
    if value is None:
        return ""
    text = _HEADER_PUNCTUATION.sub(" ", _BRACKETS.sub(" ", fold(str(value))))
    return " ".join(text.split()).replace(" / ", "/").replace("/ ", "/").replace(" /", "/")


_HEADER_KEYS = {field: {_header_key(name) for name in names} for field, names in _HEADERS.items()}


def _match_headers(row: tuple) -> dict[str, int]:  # type: ignore[type-arg]
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = _header_key(value)
        for field, names in _HEADER_KEYS.items():
            if key in names and field not in found:
                found[field] = index
    return found


def _raw(row: tuple, index: int | None) -> object:  # type: ignore[type-arg]
    value = row[index] if index is not None and index < len(row) else None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _cell_text(row: tuple, index: int | None) -> str:  # type: ignore[type-arg]
    value = _raw(row, index)
    return clean_line(str(value)) if value is not None else ""


def _birth(row: tuple, columns: dict[str, int]) -> tuple[date | None, int | None]:  # type: ignore[type-arg]
    """The first birth date or year the row's birth columns state (full date preferred)."""
    year: int | None = None
    for key in ("birth_date", "birth_year", "male", "female"):
        found_date, found_year = parse_birth(_raw(row, columns.get(key)))
        if found_date is not None:
            return found_date, found_date.year
        year = year or found_year
    return None, year


def _gender(row: tuple, columns: dict[str, int]) -> str:  # type: ignore[type-arg]
    stated = fold(_cell_text(row, columns.get("gender")))
    if stated in _MALE:
        return "Nam"
    if stated in _FEMALE:
        return "Nữ"
    male = _raw(row, columns.get("male")) is not None
    female = _raw(row, columns.get("female")) is not None
    if male != female:  # exactly one of the two columns is filled
        return "Nam" if male else "Nữ"
    return ""


def parse_birth(value: object, *, today: date | None = None) -> tuple[date | None, int | None]:
    """A birth cell as (date, year): an Excel date, an Excel day number, "12/03/1985" or
    "12-3-1985" (day first, as Vietnamese lists write it), "1985-03-12", "3/1985" or "1985".

    Anything else, or a date that cannot be a living staff member's birth date, is
    (None, None).
    """
    today = today or date.today()
    found: date | None = None
    year: int | None = None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, bool):  # bool is an int: a TRUE cell is no year
        return None, None
    elif isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= today.year:
            year = int(value)
        elif _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            try:
                found = from_excel(value).date()
            except (ValueError, OverflowError):
                return None, None
    elif isinstance(value, str):
        found, year = _parse_birth_text(clean_line(value))
    if found is not None:
        year = found.year
        if found > today:
            return None, None
    if year is not None and not 1900 <= year <= today.year:
        return None, None
    return found, year


def _parse_birth_text(text: str) -> tuple[date | None, int | None]:
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _MONTH_YEAR.fullmatch(text):
        return None, int(match.group(1))
    elif _YEAR.fullmatch(text):
        return None, int(text)
    else:
        return None, None
    try:
        return date(year, month, day), year
    except ValueError:  # 31/02/1985: a typo, not a date
        return None, None
