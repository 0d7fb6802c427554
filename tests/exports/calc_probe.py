"""What LibreOffice Calc itself sees in an .xlsx: run under the system Python (python3-uno).

Usage: /usr/bin/python3 calc_probe.py FILE.xlsx PROFILE_DIR ROW COLUMNS
Prints one JSON object: the first sheet's frozen split (mode 2 = frozen, and the number of
frozen rows), the print title rows, the auto-filter's range, the page style (landscape,
pages wide), and for the COLUMNS first cells of 0-based row ROW each cell's content type
(VALUE, TEXT, FORMULA, EMPTY), whether its number format is a date format, and its text.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

DATE = 2  # com.sun.star.util.NumberFormat.DATE


def _props(**values):
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def main() -> None:
    path, profile, row, columns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    installation = f"-env:UserInstallation=file://{profile}"
    subprocess.run(
        ["soffice", installation, "--headless", "--terminate_after_init"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    pipe = f"vanthu-probe-{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            installation,
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(600):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path),
            "_blank",
            0,
            _props(Hidden=True, ReadOnly=True, FilterName="Calc MS Excel 2007 XML"),
        )
        sheet = doc.Sheets.getByIndex(0)
        settings = {p.Name: p.Value for p in doc.getViewData().getByIndex(0)}
        view = {p.Name: p.Value for p in settings["Tables"].getByName(sheet.Name)}
        area = doc.getPropertyValue("UnnamedDatabaseRanges").getByTable(0)
        style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
        formats = doc.getNumberFormats()
        cells = []
        for column in range(columns):
            cell = sheet.getCellByPosition(column, row)
            kind = cell.getType().value
            is_date = bool(formats.getByKey(cell.NumberFormat).Type & DATE)
            cells.append([kind, is_date, cell.getString()])
        print(
            json.dumps(
                {
                    "split_mode": view.get("VerticalSplitMode"),
                    "frozen_rows": view.get("VerticalSplitPositionTwips"),  # rows, when frozen
                    "print_title_rows": [sheet.getTitleRows().StartRow, sheet.getTitleRows().EndRow]
                    if sheet.getPrintTitleRows()
                    else None,
                    "auto_filter": bool(area.AutoFilter),
                    "filter_rows": [area.DataArea.StartRow, area.DataArea.EndRow],
                    "landscape": bool(style.IsLandscape),
                    "paper_mm": sorted([round(style.Width / 100), round(style.Height / 100)]),
                    "pages_wide": style.ScaleToPagesX,
                    "cells": cells,
                },
                ensure_ascii=False,
            )
        )
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes away with the office
            pass
    finally:
        try:
            office.wait(30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
