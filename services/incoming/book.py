"""The printed register (.xlsx): the ten columns of the sổ đăng ký văn bản đến of NĐ 30/2020,
Phụ lục IV, one row per số đến, removed lines struck through.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from services.incoming.columns import handed_on
from services.incoming.columns import handler_receipt
from services.signatures import state_label as signature_state_label
from services.spreadsheets import append_text_row
from services.spreadsheets import new_book
from storage.models import ENTRY_STATUS_LABELS
from storage.models import IncomingEntry

# The ten columns of the sổ đăng ký văn bản đến, named and ordered as in NĐ 30/2020/NĐ-CP,
# Phụ lục IV (Mẫu về quản lý văn bản), Mục VI "Mẫu sổ đăng ký văn bản đến", 2. "Nội dung
# đăng ký văn bản đến — tối thiểu gồm 10 nội dung", numbered (1)…(10). The register page
# (templates/incoming/_book_cells.html) shows the same columns.
BOOK_COLUMNS = (
    ("Ngày đến", 11), ("Số đến", 8), ("Tác giả", 22), ("Số, ký hiệu văn bản", 15),
    ("Ngày tháng văn bản", 11), ("Tên loại và trích yếu nội dung văn bản", 42),
    ("Đơn vị hoặc người nhận", 20), ("Ngày chuyển", 11), ("Ký nhận", 20), ("Ghi chú", 24),
)  # fmt: skip


def export_register(entries: Sequence[IncomingEntry], year: int, organization_name: str) -> bytes:
    """The register of ``year`` as the printed book: title, the ten Phụ lục IV columns
    with their numbers (1)…(10), one row per số đến (removed lines struck through), A4
    landscape with the header repeated on every page. User text is always written as
    text, never as a formula."""
    from openpyxl.styles import Alignment
    from openpyxl.styles import Border
    from openpyxl.styles import Font
    from openpyxl.styles import Side
    from openpyxl.utils import get_column_letter

    book, sheet = new_book()
    sheet.title = f"Sổ văn bản đến {year}"
    last = len(BOOK_COLUMNS)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for text, size in (
        (organization_name, 12),
        ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", 14),
        (f"Năm {year}", 12),
    ):
        append_text_row(sheet, [text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.cell(row, 1).font = Font(name="Times New Roman", bold=True, size=size)
        sheet.cell(row, 1).alignment = centre
    header_row = 5
    sheet.append([])
    sheet.append([title for title, _width in BOOK_COLUMNS])
    sheet.append([f"({column})" for column in range(1, last + 1)])
    for row in (header_row, header_row + 1):
        for cell in sheet[row]:
            cell.font = Font(name="Times New Roman", bold=row == header_row, size=11)
            cell.alignment = centre
            cell.border = box
    for column, (_title, width) in enumerate(BOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    top = Alignment(vertical="top", wrap_text=True)
    for entry in entries:
        append_text_row(
            sheet, [None if value in ("", None) else value for value in _book_row(entry)]
        )
        for cell, number_format in zip(sheet[sheet.max_row][:last], BOOK_FORMATS, strict=True):
            cell.font = Font(name="Times New Roman", size=11, strike=entry.removed_at is not None)
            cell.alignment = top
            cell.border = box
            if number_format and cell.data_type != "s":
                cell.number_format = number_format
    sheet.print_title_rows = f"{header_row}:{header_row + 1}"
    sheet.freeze_panes = f"A{header_row + 2}"
    # Filter buttons on the (1)…(9) row, just above the entries.
    sheet.auto_filter.ref = f"A{header_row + 1}:{get_column_letter(last)}{sheet.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    fit = sheet.sheet_properties.pageSetUpPr
    assert fit is not None  # openpyxl always creates it; its stubs say it may be missing
    fit.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Number formats of the book's columns: dates as date cells shown dd/mm/yyyy, the số đến a
# number cell shown 01, 02 …; the rest is text.
BOOK_FORMATS = ("DD/MM/YYYY", "00", "", "", "DD/MM/YYYY", "", "", "DD/MM/YYYY", "", "")


def _book_row(entry: IncomingEntry) -> list[object]:
    kind_and_summary = " ".join(part for part in (entry.doc_type, entry.summary) if part)
    note = entry.note
    if entry.removed_at is not None:
        label = entry.remove_reason if entry.merged_into_id else f"Đã xóa: {entry.remove_reason}"
        note = "\n".join(part for part in (label, note) if part)
    elif entry.deadline:
        status = ENTRY_STATUS_LABELS.get(entry.status, entry.status)
        note = "\n".join(
            part for part in (f"Hạn giải quyết {entry.deadline:%d/%m/%Y}; {status.lower()}", note)
            if part
        )  # fmt: skip
    if entry.signature_state:  # "Ký số" (issue 17)
        signed = f"Ký số: {signature_state_label(entry.signature_state)}"
        note = "\n".join(part for part in (note, signed) if part)
    return [
        entry.received_date,
        entry.number,
        entry.issuer,
        entry.reference,
        entry.doc_date,
        kind_and_summary,
        entry.recipient,
        handed_on(entry),
        handler_receipt(entry),
        note,
    ]
