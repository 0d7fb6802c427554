"""Convert legacy Word .doc files to .docx with LibreOffice in headless mode."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.errors import ConversionError
from ingest.errors import TimeoutExceededError


def convert_doc_to_docx(data: bytes, timeout: float) -> bytes:
    """Return the bytes of a DOCX converted from the .doc ``data``.

    Each call uses its own LibreOffice profile in a temporary folder, so parallel workers
    do not fight over the user installation lock.

    Raises:
        ConversionError: LibreOffice is missing or produced no file.
        TimeoutExceededError: the conversion took longer than ``timeout`` seconds.
    """
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise ConversionError(
            "Không chuyển đổi được tệp .doc: máy chủ chưa cài LibreOffice (soffice)."
        )
    with tempfile.TemporaryDirectory(prefix="vanthu-doc-") as tmp:
        folder = Path(tmp)
        source = folder / "input.doc"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        command = [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            # A new session lets us kill soffice.bin too, not only its wrapper script.
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            raise ConversionError() from exc
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise TimeoutExceededError(
                "Chuyển đổi tệp .doc bằng LibreOffice quá thời gian cho phép."
            ) from exc
        target = folder / "out" / "input.docx"
        if not target.exists() or target.stat().st_size == 0:
            raise ConversionError(
                "Không chuyển đổi được tệp .doc (tệp hỏng hoặc không phải văn bản Word)."
            )
        return target.read_bytes()
