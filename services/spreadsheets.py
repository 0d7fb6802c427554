"""Excel in and out: the clerk's exported list and the staff list a school already keeps."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl import load_workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Font

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
        sheet.append([
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


_HEADERS = {
    "full_name": ("ho va ten", "ho ten", "ten", "full name", "name"),
    "position": ("chuc vu", "chuc danh", "position"),
    "unit": ("to", "to chuyen mon", "bo phan", "to / bo phan", "don vi", "unit"),
    "email": ("email", "e-mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
}


def _guard_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.") from exc
    if total > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError("Bảng tính giải nén quá lớn; hãy chỉ giữ danh sách cán bộ.")


def read_staff(content: bytes) -> list[StaffRow]:
    """Read the staff list: finds the header row (Họ và tên, Chức vụ, Tổ, Email) anywhere in
    the first 20 rows of the first sheet; rows without a name are skipped.

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
    result: list[StaffRow] = []
    for line, row in enumerate(rows, start=header_line + 1):

        def cell(key: str, row: tuple = row) -> str:  # type: ignore[type-arg]
            index = columns.get(key)
            value = row[index] if index is not None and index < len(row) else None
            return clean_line(str(value)) if value is not None else ""

        if not cell("full_name"):
            continue
        result.append(
            StaffRow(cell("full_name"), cell("position"), cell("unit"), cell("email").lower(), line)
        )
        if len(result) > MAX_IMPORT_ROWS:
            raise SpreadsheetError(f"Danh sách vượt quá {MAX_IMPORT_ROWS} người.")
    book.close()
    return result


def _match_headers(row: tuple) -> dict[str, int]:  # type: ignore[type-arg]
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = fold(str(value)) if value is not None else ""
        for field, names in _HEADERS.items():
            if key in names and field not in found:
                found[field] = index
    return found
