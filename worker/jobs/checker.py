"""The format checker (Kiểm tra thể thức) in a limited child process of the worker.

The checker is pure Python, but a .docx is untrusted input: a 6 MB document takes minutes
of CPU, tables nested thousands deep exhaust the interpreter's recursion, a crafted part
may want gigabytes. So it never runs in a web request: the upload is stored, a job is
queued, and :func:`check_format` starts ``python -m worker.jobs.checker`` with an
address-space limit (``CHECK_MEMORY_MB``) and a CPU-time limit (``CHECK_TIMEOUT``, the
wall clock twice that plus 5 s). Whatever the child does (crash, run out of memory or
time) the job ends with a Vietnamese reason and the worker carries on. The stored upload
is deleted once checked: the checker keeps only its findings (the job's result).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

from worker.sandbox import EXIT_MEMORY
from worker.sandbox import ChildFailed
from worker.sandbox import caused_by_memory
from worker.sandbox import die_with_parent
from worker.sandbox import json_lines
from worker.sandbox import kill_group
from worker.sandbox import protocol_pipe
from worker.sandbox import run_child
from worker.sandbox import set_limits
from worker.sandbox import start_child

__all__ = ["check_format"]

log = logging.getLogger(__name__)

EXIT_DEPTH = 4  # exit status of a child whose document nests too deep for the interpreter
_DEPTH_MESSAGE = (
    "Văn bản có cấu trúc lồng nhau quá sâu (bảng trong bảng, khung trong khung…) nên "
    "không kiểm tra được. Hãy lưu lại văn bản bằng Word hoặc bỏ bớt các bảng lồng nhau."
)


def check_format(
    progress: Any, *, file_id: str, filename: str, allow_academic_titles: bool = False
) -> dict[str, Any]:
    """Check stored upload ``file_id``; the result is the report the checker page shows."""
    from flask import current_app

    from storage.db import get_db
    from storage.models import StoredFile
    from worker.errors import JobError

    database = get_db()
    with database.session() as session:
        stored = session.get(StoredFile, file_id)
        if stored is None:
            raise JobError("Tệp cần kiểm tra không còn nữa; hãy tải lên lại.")
        content = stored.content
    progress(1, 3, "Đang kiểm tra thể thức")
    config = current_app.config
    try:
        result = run_checker_child(
            content,
            memory_mb=int(config["CHECK_MEMORY_MB"]),
            cpu_seconds=int(config["CHECK_TIMEOUT"]),
            allow_academic_titles=allow_academic_titles,
        )
    except ChildFailed as exc:
        raise JobError(f"Không kiểm tra được tệp “{filename}”: {exc.message}") from exc
    finally:
        with database.session() as session:
            stored = session.get(StoredFile, file_id)
            if stored is not None:
                session.delete(stored)
    progress(3, 3, "Đã kiểm tra xong")
    return {"file": filename, **result}


# -- the parent side ----------------------------------------------------------------------


def run_checker_child(
    content: bytes, *, memory_mb: int, cpu_seconds: int, allow_academic_titles: bool
) -> dict[str, Any]:
    """Run the checker on ``content`` in a limited child: ``{"findings", "profile"}``.

    Raises:
        ChildFailed: the checker refused the file, or the child crashed or ran out of
            memory or time; the message is Vietnamese.
    """
    with tempfile.TemporaryDirectory(prefix="vanthu-check-") as folder:
        source = Path(folder) / "input.docx"
        source.write_bytes(content)
        options = {
            "path": str(source),
            "memory_mb": memory_mb,
            "cpu_seconds": cpu_seconds,
            "allow_academic_titles": allow_academic_titles,
            "parent_pid": os.getpid(),
        }
        with open(Path(folder) / "stderr.txt", "wb") as errors:
            process = start_child("worker.jobs.checker", json.dumps(options), stderr=errors)
            result: dict[str, Any] | None = None
            try:
                deadline = time.monotonic() + 2 * cpu_seconds + 5
                for message in json_lines(process, deadline):
                    if isinstance(message, dict) and "error" in message:
                        raise ChildFailed(str(message["error"]))
                    if isinstance(message, dict) and "result" in message:
                        result = message["result"]
                process.wait()
            except TimeoutError:
                raise ChildFailed(_time_message(cpu_seconds)) from None
            finally:
                kill_group(process)
        if result is None or process.returncode != 0:
            tail = (Path(folder) / "stderr.txt").read_bytes()[-2000:].decode("utf-8", "replace")
            log.warning("checker child exited %s: %s", process.returncode, tail)
            raise ChildFailed(_crash_message(process.returncode, memory_mb, cpu_seconds))
        return result


def _time_message(cpu_seconds: int) -> str:
    return (
        f"Kiểm tra vượt quá thời gian cho phép ({cpu_seconds:g} giây) nên đã bị dừng. Văn bản "
        "có thể quá dài hoặc quá phức tạp; hãy tách văn bản hoặc kiểm tra từng phần."
    )


def _crash_message(returncode: int | None, memory_mb: int, cpu_seconds: int) -> str:
    if returncode == EXIT_DEPTH:
        return _DEPTH_MESSAGE
    if returncode == -signal.SIGXCPU:
        return _time_message(cpu_seconds)
    if returncode in (EXIT_MEMORY, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
        return (
            f"Kiểm tra cần nhiều bộ nhớ hơn giới hạn cho phép ({memory_mb} MB) nên đã bị dừng. "
            "Tệp có thể bị hỏng hoặc chứa nội dung quá lớn."
        )
    return (
        f"Chương trình kiểm tra dừng bất thường (mã thoát {returncode}); tệp có thể bị hỏng. "
        "Hãy mở và lưu lại tệp bằng Word rồi thử lại."
    )


# -- the child ----------------------------------------------------------------------------


def _child_main(argv: list[str]) -> int:
    """Entry point of the child: check one file, write one JSON line to the pipe."""
    options = json.loads(argv[0])
    die_with_parent(int(options.get("parent_pid") or 0))
    pipe = protocol_pipe()

    def emit(message: dict[str, Any]) -> None:
        pipe.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")

    # Import everything before the limits, so that they measure the document.
    from domain.check import DocxError
    from domain.check import check_docx
    from domain.check import profile_of

    set_limits(
        memory_bytes=int(options["memory_mb"]) << 20, cpu_seconds=int(options["cpu_seconds"])
    )
    try:
        data = Path(options["path"]).read_bytes()
        allow = bool(options.get("allow_academic_titles"))
        findings = check_docx(data, allow_academic_titles=allow)
        emit({"result": {"findings": [f.as_dict() for f in findings], "profile": profile_of(data)}})
    except DocxError as exc:
        emit({"error": exc.message})
    except RecursionError:
        os._exit(EXIT_DEPTH)
    except Exception as exc:
        if caused_by_memory(exc):
            os._exit(EXIT_MEMORY)
        if isinstance(exc.__cause__ or exc.__context__, RecursionError):
            os._exit(EXIT_DEPTH)
        emit({"error": f"Không đọc được tệp do lỗi của bộ kiểm tra ({type(exc).__name__})."})
        raise
    return 0


if __name__ == "__main__":
    run_child(_child_main)
