"""Real .doc / .xls / .odt / .ods / .rtf files, written by LibreOffice at test time from a
line of Vietnamese text (no binary is committed); cached for the test session."""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

TEXT = "Minh chứng: Giấy khen giáo viên dạy giỏi cấp trường năm học 2024-2025"
TABLE = "Họ và tên,Kết quả\nNguyễn Thị Ánh,Hoàn thành xuất sắc\n"
SPREADSHEETS = ("xls", "ods")


@functools.cache
def office_file(ext: str) -> bytes:
    """A small real file of type ``ext`` (doc, xls, odt, ods, rtf) made by LibreOffice."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice (soffice) is needed to write the legacy test files"
    with tempfile.TemporaryDirectory(prefix="vanthu-office-") as tmp:
        folder = Path(tmp)
        source = folder / ("bang.csv" if ext in SPREADSHEETS else "van-ban.txt")
        source.write_text(TABLE if ext in SPREADSHEETS else TEXT, encoding="utf-8")
        subprocess.run(
            [
                office,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--infilter=" + ("CSV:44,34,76" if ext in SPREADSHEETS else "Text (encoded):UTF8"),
                "--convert-to",
                ext,
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (folder / f"{source.stem}.{ext}").read_bytes()
