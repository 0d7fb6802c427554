"""Every .xlsx export is laid out as the printed list (issue 14, item 5), as openpyxl reads it
and as LibreOffice Calc reads it: the organization's header lines and the title above a
frozen, filtered header row repeated on every printed page (A4, landscape, one page wide);
dates are date cells shown dd/mm/yyyy, numbers number cells, and typed text starting with
= + - @ stays text, never a formula."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from services.incoming.book import export_register as export_incoming
from services.register import export_register
from services.rounds import Summary
from services.rounds import SummaryRow
from services.spreadsheets import HEADER_ROW
from services.spreadsheets import export_round_summary
from services.spreadsheets import export_submissions
from storage.models import IncomingEntry
from storage.models import Organization
from storage.models import Round
from storage.models import Submission
from tests.support import issued_plans

HOSTILE = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(1,2)"]
ORG = Organization(
    name="Trường THCS Mỹ Thạnh", parent_name="UBND xã Mỹ Thạnh", place="Mỹ Thạnh", abbrev="THCSMT"
)
ROUND = Round(name="Năm học 2025-2026", school_year="2025-2026")
PROBE = Path(__file__).with_name("calc_probe.py")


@dataclass(frozen=True)
class Export:
    content: bytes
    title: str
    dates: tuple[int, ...]  # 1-based columns holding dates
    numbers: tuple[int, ...]  # … numbers
    texts: tuple[int, ...]  # … typed text (the hostile strings)
    first_date: date | None  # the first data row's date in the first date column
    stride: int = 1  # rows from one hostile string's row to the next's
    header_row: int = HEADER_ROW  # the filtered row just above the entries
    title_rows: tuple[int, int] = (HEADER_ROW, HEADER_ROW)  # repeated on every printed page
    issuer_lines: bool = True  # the list's header as on documents (not the register book)

    @property
    def first_row(self) -> int:
        return self.header_row + 1


def _submissions() -> Export:
    rows = [
        Submission(
            kind="commendation",
            nominee_name=text,
            position=text,
            unit=text,
            status="approved",
            data={"title": text},
            decision_note=text,
            votes_for=9,
            council_total=11,
            created_at=datetime(2026, 3, 4, 20, 30, tzinfo=UTC),  # 05/03 in Vietnam
        )  # fmt: skip
        for text in HOSTILE
    ]
    return Export(
        export_submissions(rows, ORG), "DANH SÁCH HỒ SƠ THI ĐUA, KHEN THƯỞNG", (10,), (1, 8, 9),
        (3, 4, 5, 6, 11), date(2026, 3, 5),
    )  # fmt: skip


def _register() -> Export:
    documents = issued_plans(HOSTILE)
    return Export(
        export_register(documents, 2026, ORG), "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2026", (3,), (1,),
        (5, 6), date(2026, 2, 10),
    )  # fmt: skip


def _summary() -> Export:
    rows = [SummaryRow(text, text, 3, 1, 1) for text in HOSTILE]
    summary = Summary(
        rows, [SummaryRow(r.title, "", 3, 1, 1) for r in rows], SummaryRow("", "", 12, 4, 4)
    )
    return Export(
        export_round_summary(summary, ROUND, ORG),
        "TỔNG HỢP HỒ SƠ THI ĐUA THEO DANH HIỆU VÀ ĐƠN VỊ", (), (1, 4, 5, 6, 7), (2, 3), None,
        stride=2,  # each title's unit row, then its "Cộng" row
    )  # fmt: skip


def _incoming() -> Export:
    """The sổ văn bản đến, laid out as the printed book (Phụ lục IV): title, column names
    and their numbers (1)…(9) above the entries."""
    entries = [
        IncomingEntry(
            received_date=date(2026, 3, 2),
            number=index,
            issuer=text,
            reference=text,
            doc_date=date(2026, 2, 27),
            doc_type="Công văn",
            summary=text,
            recipient=text,
            note="",
            status="waiting",
            handlers=[],
        )  # fmt: skip
        for index, text in enumerate(HOSTILE, start=1)
    ]
    return Export(
        export_incoming(entries, 2026, "TRƯỜNG THCS MỸ THẠNH"), "", (1, 5), (2,), (3, 4, 7),
        date(2026, 3, 2), header_row=6, title_rows=(5, 6), issuer_lines=False,
    )  # fmt: skip


EXPORTS = {
    "submissions": _submissions,
    "register": _register,
    "round_summary": _summary,
    "incoming_register": _incoming,
}


@pytest.mark.parametrize("name", EXPORTS)
def test_openpyxl_finds_header_frozen_filtered_typed_cells_and_print_setup(name):
    export = EXPORTS[name]()
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book.active
    if export.issuer_lines:  # the header lines as on the organization's documents, the title
        assert sheet["A1"].value == "UBND XÃ MỸ THẠNH"
        assert sheet["A2"].value == "TRƯỜNG THCS MỸ THẠNH"
        values = [c.value for row in sheet.iter_rows(max_row=5) for c in row if c.value]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values
        assert "Độc lập - Tự do - Hạnh phúc" in values
        assert any(str(v).startswith("Mỹ Thạnh, ngày ") for v in values)
        assert sheet["A4"].value == export.title
    # The header row: frozen, filtered, repeated on every printed page.
    assert sheet.freeze_panes == f"A{export.first_row}"
    assert sheet.auto_filter.ref.startswith(f"A{export.header_row}:")
    assert sheet.print_title_rows == "${}:${}".format(*export.title_rows)
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    first = export.first_row
    for column in export.dates:
        cell = sheet.cell(first, column)
        assert cell.is_date and cell.number_format == "DD/MM/YYYY", cell.coordinate
        if column == export.dates[0]:
            assert cell.value.date() == export.first_date
    for column in export.numbers:
        cell = sheet.cell(first, column)
        assert cell.data_type == "n" and isinstance(cell.value, int), cell.coordinate
    for offset, text in enumerate(HOSTILE):
        for column in export.texts:
            cell = sheet.cell(first + offset * export.stride, column)
            assert (cell.value, cell.data_type) == (text, "s"), cell.coordinate
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def _soffice(tmp_path: Path, source: Path, target: str) -> subprocess.CompletedProcess[bytes]:
    converted = subprocess.run(
        [
            "soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
            "--convert-to", target, "--outdir", str(tmp_path / "out"), str(source),
        ],
        capture_output=True, timeout=180,
    )  # fmt: skip
    if b"could not be loaded" in converted.stderr or b"no export filter" in converted.stderr:
        pytest.skip("LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
    assert converted.returncode == 0, converted.stderr
    return converted


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPORTS)
def test_libreoffice_keeps_dates_numbers_text_filter_and_print_titles(tmp_path, name):
    """Calc opens the file and saves it again (.xlsx and .csv): what it wrote back is what it
    understood — date cells with a dd/mm/yyyy format, number cells, the typed text as text,
    the filter, the repeated header row and the page setup."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    export = EXPORTS[name]()
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(export.content)
    _soffice(tmp_path, source, "xlsx:Calc MS Excel 2007 XML")  # as "Save as .xlsx"
    _soffice(tmp_path, source, "csv:Text - txt - csv (StarCalc):44,34,76")
    sheet = openpyxl.load_workbook(tmp_path / "out" / f"{name}.xlsx").active
    first = export.first_row
    for column in export.dates:
        cell = sheet.cell(first, column)
        assert cell.is_date and cell.number_format.lower() == "dd/mm/yyyy", cell.coordinate
        if column == export.dates[0]:
            assert cell.value.date() == export.first_date
    for column in export.numbers:
        assert sheet.cell(first, column).data_type == "n", column
    for offset, text in enumerate(HOSTILE):
        for column in export.texts:
            cell = sheet.cell(first + offset * export.stride, column)
            assert (cell.value, cell.data_type) == (text, "s"), cell.coordinate
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet.auto_filter.ref.startswith(f"A{export.header_row}:")
    assert sheet.print_title_rows == "${}:${}".format(*export.title_rows)
    assert (int(sheet.page_setup.paperSize), sheet.page_setup.orientation) == (9, "landscape")
    assert int(sheet.page_setup.fitToWidth) == 1
    csv_rows = (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    if export.first_date:
        assert export.first_date.strftime("%d/%m/%Y") in csv_rows[first - 1]
    assert HOSTILE[0].replace('"', '""') in "\n".join(csv_rows)  # the text, not "x"


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPORTS)
def test_libreoffice_calc_sees_a_frozen_filtered_header_and_typed_cells(tmp_path, name):
    """Calc's own view of the file over UNO (python3-uno): the frozen split under the header
    row (view settings are lost by a headless conversion, so they are read this way), the
    print titles, the filter and each cell's type."""
    python = shutil.which("python3", path="/usr/bin")
    if shutil.which("soffice") is None or python is None:
        pytest.skip("LibreOffice or the system Python is not installed")
    if subprocess.run([python, "-c", "import uno"], capture_output=True).returncode:
        pytest.skip("python3-uno is not installed")
    export = EXPORTS[name]()
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(export.content)
    columns = max(export.dates + export.numbers + export.texts)
    probe = subprocess.run(
        [python, str(PROBE), str(source), str(tmp_path / "profile"), str(export.first_row - 1),
         str(columns)],
        capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    seen = json.loads(probe.stdout)
    assert (seen["split_mode"], seen["frozen_rows"]) == (2, export.header_row)
    assert seen["print_title_rows"] == [row - 1 for row in export.title_rows]
    assert seen["auto_filter"] and seen["filter_rows"][0] == export.header_row - 1
    assert (seen["landscape"], seen["paper_mm"], seen["pages_wide"]) == (True, [210, 297], 1)
    cells = seen["cells"]
    for column in export.dates:
        assert cells[column - 1][:2] == ["VALUE", True], column
    if export.dates:  # shown as the day it is (Calc's own epoch, not a day off)
        assert cells[export.dates[0] - 1][2] == f"{export.first_date:%d/%m/%Y}"
    for column in export.numbers:
        assert cells[column - 1][:2] == ["VALUE", False], column
    for column in export.texts:
        assert cells[column - 1][0] == "TEXT" and cells[column - 1][2] == HOSTILE[0], column
