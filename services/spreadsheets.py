"""Excel in and out: the clerk's exported list and the staff list a school already keeps."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl import load_workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from domain.archive import DAMAGED
from domain.archive import NOT_ZIP
from domain.archive import ArchiveLimits
from domain.archive import ArchiveRefused
from domain.archive import check_archive
from domain.dates import format_place_date
from domain.emulation.choices import title_name
from domain.errors import VanthuError
from domain.text import clean_line
from domain.text import fold
from domain.text import upper_vi
from services.rounds import Summary
from storage.models import STATUS_LABELS
from storage.models import SUBMISSION_KIND_LABELS
from storage.models import Organization
from storage.models import Round
from storage.models import Submission

MAX_IMPORT_ROWS = 5000
# The shared archive guard (domain.archive) counts the bytes really decompressed. No ratio
# limit: a sheet of similar rows compresses far better than prose, and the total and row
# limits already bound what openpyxl reads.
ARCHIVE_LIMITS = ArchiveLimits(max_members=5000, max_total_bytes=50 * 1024 * 1024)

# A cell starting with one of these is a formula to Excel or LibreOffice (or becomes one when
# the sheet is saved as CSV and opened again): "=HYPERLINK(…)", "=cmd|' /C calc'!A0", "@SUM(…)".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# One row of a sheet read with values_only=True.
SheetRow = tuple[object, ...]


def new_book() -> tuple[Workbook, Worksheet]:
    """A new workbook and its one sheet (openpyxl's stubs type ``active`` as optional)."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return book, sheet


def append_text_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """Append ``values`` as a row; typed text that looks like a formula is written as text
    (a string cell, shown with a quote prefix), never as a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True


class SpreadsheetError(VanthuError, ValueError):
    """The workbook cannot be read as asked; the message is Vietnamese."""

    code = "invalid_spreadsheet"


# --- Exports laid out as the printed lists -------------------------------------------------

FONT = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Rows of every export: the issuer and national title (1–2), the place and date (3), the
# title (4), a subtitle (5), a blank (6), the column headers (7), data from 8.
HEADER_ROW = 7
FIRST_DATA_ROW = HEADER_ROW + 1
# Wider than this (in Excel character widths) prints landscape.
PORTRAIT_WIDTH = 100
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, width, and what its cells hold.

    ``kind`` is "text" (typed text, never a formula), "date" (a date cell shown dd/mm/yyyy),
    "number" (an integer cell) or "number2" (an integer shown with two digits: 01, 02 …).
    """

    header: str
    width: float
    kind: str = "text"


_NUMBER_FORMATS = {"date": DATE_FORMAT, "number": "0", "number2": "00"}


@dataclass(frozen=True)
class SheetHeader:
    """What an export prints above its table, as on the organization's documents."""

    parent_issuer: str  # cơ quan chủ quản, may be empty
    issuer: str  # cơ quan ban hành
    title: str  # "Danh sách …", printed in capitals
    subtitle: str = ""  # "Đợt thi đua: Năm học 2025-2026"
    place_date: str = ""  # "Mỹ Thạnh, ngày 07 tháng 12 năm 2026"


def sheet_header(
    org: Organization | None, title: str, subtitle: str = "", *, today: date | None = None
) -> SheetHeader:
    """The header of an export by ``org`` today (its header lines as on its documents)."""
    if org is None:
        return SheetHeader("", "", title, subtitle)
    place_date = ""
    if clean_line(org.place or ""):
        place_date = format_place_date(clean_line(org.place), today or date.today())
    return SheetHeader(
        upper_vi(clean_line(org.parent_name or "")), upper_vi(clean_line(org.name or "")),
        title, subtitle, place_date,
    )  # fmt: skip


def write_table(
    sheet: Worksheet,
    header: SheetHeader,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
) -> None:
    """Lay out ``rows`` on ``sheet`` as a printed list: the issuer's lines and the national
    title, the title, column headers in row :data:`HEADER_ROW` (frozen, filtered, repeated on
    every printed page), dates and numbers as real cells, A4 fit to the page's width
    (landscape when wide). Text goes through :func:`append_text_row`: never a formula."""
    last = len(columns)
    left = max(1, (last * 2) // 5)  # the issuer's block; the national title takes the rest
    _banner(sheet, 1, 1, left, header.parent_issuer, bold=False)
    _banner(sheet, 2, 1, left, header.issuer, bold=True)
    if last > left:
        _banner(sheet, 1, left + 1, last, NATIONAL_TITLE, bold=True)
        _banner(sheet, 2, left + 1, last, MOTTO, bold=True)
        _banner(sheet, 3, left + 1, last, header.place_date, bold=False, italic=True)
    _banner(sheet, 4, 1, last, upper_vi(header.title), bold=True, size=14)
    _banner(sheet, 5, 1, last, header.subtitle, bold=False, italic=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.header)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    top = Alignment(vertical="top", wrap_text=True)
    for values in rows:
        cells = [_cell_value(value, column) for value, column in zip(values, columns, strict=True)]
        append_text_row(sheet, cells)
        for written, column in zip(sheet[sheet.max_row], columns, strict=False):
            written.font = Font(name=FONT, size=11)
            written.alignment = top
            written.border = _BOX
            if column.kind in _NUMBER_FORMATS and written.data_type != "s":
                written.number_format = _NUMBER_FORMATS[column.kind]
    end = max(sheet.max_row, FIRST_DATA_ROW)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last)}{end}"
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    wide = sum(column.width for column in columns) > PORTRAIT_WIDTH
    setup.orientation = "landscape" if wide else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    fit = sheet.sheet_properties.pageSetUpPr
    assert fit is not None  # openpyxl always creates it; its stubs say it may be missing
    fit.fitToPage = True
    sheet.print_options.horizontalCentered = True


def _banner(
    sheet: Worksheet, row: int, first: int, last: int, text: str, *,
    bold: bool, italic: bool = False, size: int = 12,
) -> None:  # fmt: skip
    cell = sheet.cell(row, first)
    cell.value = text or None
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.font = Font(name=FONT, bold=bold, italic=italic, size=size)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _cell_value(value: object, column: Column) -> object:
    """A value as its column's cell holds it (a datetime in a date column is its date)."""
    if value is None or value == "":
        return None
    if column.kind == "date" and isinstance(value, datetime):
        if value.tzinfo is not None:  # a moment stored in UTC is dated as in Vietnam
            value = value.astimezone(VIETNAM)
        return value.date()
    return value


def save_book(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EXPORT_COLUMNS = (
    Column("STT", 6, "number"), Column("Loại hồ sơ", 22), Column("Họ tên / tập thể", 28),
    Column("Chức vụ", 18), Column("Tổ / bộ phận", 18), Column("Danh hiệu / hình thức", 30),
    Column("Trạng thái", 18), Column("Phiếu đồng ý", 10, "number"),
    Column("Tổng thành viên HĐ", 11, "number"), Column("Ngày gửi", 12, "date"),
    Column("Ghi chú", 28),
)  # fmt: skip


def export_submissions(rows: Iterable[Submission], org: Organization | None = None) -> bytes:
    """The clerk's filtered list as an .xlsx laid out as a printed list, one row per entry."""
    book, sheet = new_book()
    sheet.title = "Danh sách"
    items = []
    for index, s in enumerate(rows, start=1):
        title = title_name(s.title_code) if s.title_code else (s.data or {}).get("title", "")
        items.append([
            index, SUBMISSION_KIND_LABELS.get(s.kind, s.kind), s.nominee_name, s.position, s.unit,
            title, STATUS_LABELS.get(s.status, s.status), s.votes_for, s.council_total,
            s.created_at, s.decision_note,
        ])  # fmt: skip
    header = sheet_header(org, "Danh sách hồ sơ thi đua, khen thưởng")
    write_table(sheet, header, EXPORT_COLUMNS, items)
    return save_book(book)


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
        check_archive(content, ARCHIVE_LIMITS)
    except ArchiveRefused as refused:
        if refused.kind in (NOT_ZIP, DAMAGED):
            raise SpreadsheetError("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.") from refused
        raise SpreadsheetError(
            "Bảng tính giải nén quá lớn; hãy chỉ giữ danh sách cán bộ."
        ) from refused


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
    rows: Iterator[SheetRow] = sheet.iter_rows(values_only=True)
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

        def cell(key: str, row: SheetRow = row) -> str:
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


def _match_headers(row: SheetRow) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = _header_key(value)
        for field, names in _HEADER_KEYS.items():
            if key in names and field not in found:
                found[field] = index
    return found


def _raw(row: SheetRow, index: int | None) -> object:
    value = row[index] if index is not None and index < len(row) else None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _cell_text(row: SheetRow, index: int | None) -> str:
    value = _raw(row, index)
    return clean_line(str(value)) if value is not None else ""


def _birth(row: SheetRow, columns: dict[str, int]) -> tuple[date | None, int | None]:
    """The first birth date or year the row's birth columns state (full date preferred)."""
    year: int | None = None
    for key in ("birth_date", "birth_year", "male", "female"):
        found_date, found_year = parse_birth(_raw(row, columns.get(key)))
        if found_date is not None:
            return found_date, found_date.year
        year = year or found_year
    return None, year


def _gender(row: SheetRow, columns: dict[str, int]) -> str:
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


SUMMARY_COLUMNS = (
    Column("STT", 6, "number"), Column("Danh hiệu / hình thức", 40), Column("Tổ / bộ phận", 26),
    Column("Số hồ sơ", 11, "number"), Column("Được đề nghị / công nhận", 14, "number"),
    Column("Không được đề nghị", 14, "number"), Column("Chờ xét", 10, "number"),
)  # fmt: skip


def export_round_summary(summary: Summary, round_: Round, org: Organization | None) -> bytes:
    """A round's summary by title and unit: one row per unit of each title, then the title's
    total ("Cộng"), then the round's total ("Tổng cộng")."""
    rows: list[list[object]] = []
    totals = {row.title: row for row in summary.by_title}
    index = 0
    for title, total in totals.items():
        for row in (r for r in summary.rows if r.title == title):
            index += 1
            rows.append([index, row.title, row.unit, row.total, row.approved, row.rejected,
                         row.waiting])  # fmt: skip
        rows.append([None, f"Cộng: {title}", None, total.total, total.approved, total.rejected,
                     total.waiting])  # fmt: skip
    grand = summary.total
    rows.append([None, "Tổng cộng", None, grand.total, grand.approved, grand.rejected,
                 grand.waiting])  # fmt: skip
    book, sheet = new_book()
    sheet.title = "Tổng hợp"
    subtitle = f"Đợt thi đua: {round_.name}"
    if round_.school_year:
        subtitle += f" (năm học {round_.school_year})"
    write_table(sheet, sheet_header(org, "Tổng hợp hồ sơ thi đua theo danh hiệu và đơn vị",
                                    subtitle), SUMMARY_COLUMNS, rows)  # fmt: skip
    for line in sheet.iter_rows(min_row=FIRST_DATA_ROW):
        if line[0].value is None:
            for cell in line:
                cell.font = Font(name=FONT, size=11, bold=True)
    return save_book(book)
