"""Verifying the digital signatures of incoming documents (issue 17) in a sandboxed child.

A signed PDF is hostile input like any upload: pyHanko parses its cross-reference tables,
object streams and CMS blobs in Python and C, and a crafted file could take the worker's
memory or time. So, like the plan parser (:mod:`worker.jobs.plans`), the check runs as
``python -m worker.jobs.signatures`` in a child with the parser's limits (address space
``INGEST_MEMORY_MB``, wall clock ``INGEST_TIMEOUT``) through :mod:`worker.sandbox`; the child
writes one JSON line with the reports, anything else marks the check failed with a
Vietnamese reason and the worker carries on.

Runs after each upload's parse (:func:`verify_upload`, called by
:func:`worker.jobs.plans.parse_incoming`) and as its own job (:func:`verify_signatures`):
for one document (the page's "Kiểm tra lại" button) or for an organization's signed
documents after its admin changed the trusted roots.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from collections.abc import Sequence
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

__all__ = ["verify_signatures"]

log = logging.getLogger(__name__)


def verify_signatures(
    progress: Callable[..., None], *, organization_id: int, incoming_id: int | None = None
) -> dict[str, Any]:
    """Verify one incoming document's signatures, or every signed one of the organization."""
    from services import incoming_signatures as svc
    from storage.db import get_db

    with get_db().session() as session:
        ids = svc.documents_to_verify(session, organization_id, incoming_id)
    states: dict[str, int] = {}
    for done, document_id in enumerate(ids):
        progress(done, len(ids), f"Đang kiểm tra chữ ký số {done + 1}/{len(ids)}")
        state = verify_upload(document_id)
        if state is not None:
            states[state] = states.get(state, 0) + 1
    progress(len(ids), max(1, len(ids)), "Đã kiểm tra chữ ký số")
    return {"checked": len(ids), "states": states}


def verify_upload(incoming_id: int, *, reuse: bool = False) -> str | None:
    """Verify the signatures of upload ``incoming_id`` with its organization's roots and
    store the result; returns the document's state (None: not a PDF, nothing stored).

    ``reuse`` (a new upload's check): take the reports of the same bytes checked lately
    with the same roots by another upload, when there are some, instead of checking again;
    a check asked for (Kiểm tra lại, the roots changed) always checks.
    """
    from flask import current_app

    from services import incoming_signatures as svc
    from storage.db import get_db
    from storage.models import IncomingDocument

    database = get_db()
    with database.session() as session:
        incoming = session.get(IncomingDocument, incoming_id)
        if incoming is None:
            return None
        content = incoming.file.content
        if b"%PDF-" not in content[: 1024 + 5]:
            return None  # .docx, pasted text: no PDF signatures to check
        roots = svc.root_ders(session, incoming.organization_id)
        config = current_app.config
        fetch_revocation = bool(config.get("SIGNATURE_FETCH_REVOCATION", False))
        fingerprint = svc.roots_fingerprint(roots, fetch_revocation=fetch_revocation)
        # A signature's dictionary carries /ByteRange in the file's own bytes (its
        # /Contents is found by offset, so it is never in a compressed object stream): a
        # file without it is unsigned, known without starting a child (about a second
        # each, paid 500 times when a Sở's scan reaches 500 schools). A signed file that
        # another school checked lately with the same roots takes its reports (issue 15).
        signed = b"/ByteRange" in content
        earlier = svc.reusable_reports(session, incoming, fingerprint) if signed and reuse else None
    reports = [] if not signed else earlier.reports if earlier is not None else None
    error = ""
    if reports is None:
        try:
            reports = run_verifier_child(
                content,
                roots,
                memory_mb=int(config["INGEST_MEMORY_MB"]),
                timeout=float(config["INGEST_TIMEOUT"]),
                fetch_revocation=fetch_revocation,
            )
        except ChildFailed as exc:
            error = exc.message
    with database.session() as session:
        incoming = session.get(IncomingDocument, incoming_id)
        if incoming is None:
            return None
        svc.record_result(
            session,
            incoming,
            reports,
            error,
            roots=fingerprint,
            checked_at=earlier.checked_at if earlier is not None else None,
        )
        return incoming.signature_state


# -- the parent side ----------------------------------------------------------------------


def run_verifier_child(
    content: bytes,
    roots: Sequence[bytes],
    *,
    memory_mb: int,
    timeout: float,
    fetch_revocation: bool = False,
) -> list[Any]:
    """Verify ``content``'s signatures in a limited child process.

    Raises:
        ChildFailed: the file could not be read, or the child crashed, ran out of memory or
            time; the message says which, in Vietnamese.
    """
    from services.signatures import SignatureReport

    with tempfile.TemporaryDirectory(prefix="vanthu-signatures-") as folder:
        source = Path(folder) / "input.pdf"
        source.write_bytes(content)
        for index, der in enumerate(roots):
            (Path(folder) / f"root-{index}.der").write_bytes(der)
        options = {
            "path": str(source),
            "roots": [str(Path(folder) / f"root-{index}.der") for index in range(len(roots))],
            "memory_mb": memory_mb,
            "fetch_revocation": fetch_revocation,
            "parent_pid": os.getpid(),
        }
        result: list[dict[str, Any]] | None = None
        with open(Path(folder) / "stderr.txt", "wb") as errors:
            process = start_child("worker.jobs.signatures", json.dumps(options), stderr=errors)
            deadline = time.monotonic() + timeout
            try:
                for message in json_lines(process, deadline):
                    if isinstance(message, dict) and "error" in message:
                        raise ChildFailed(message["error"])
                    if isinstance(message, dict) and "reports" in message:
                        result = message["reports"]
                # Its pipe is closed: let it exit on its own before the group is killed.
                process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except (TimeoutError, subprocess.TimeoutExpired):
                raise ChildFailed(
                    f"Kiểm tra chữ ký số quá thời gian cho phép ({timeout:g} giây) nên đã bị "
                    "dừng; tệp có thể bị hỏng."
                ) from None
            finally:
                kill_group(process)
        if result is None or process.returncode != 0:
            tail = (Path(folder) / "stderr.txt").read_bytes()[-2000:].decode("utf-8", "replace")
            log.warning("signature child exited %s: %s", process.returncode, tail)
            if process.returncode == EXIT_MEMORY or (process.returncode or 0) < 0:
                raise ChildFailed(
                    "Kiểm tra chữ ký số cần nhiều bộ nhớ hơn giới hạn cho phép "
                    f"({memory_mb} MB) nên đã bị dừng; tệp có thể bị hỏng."
                )
            raise ChildFailed(
                f"Chương trình kiểm tra chữ ký số dừng bất thường (mã thoát {process.returncode}); "
                "tệp có thể bị hỏng."
            )
        return [SignatureReport.from_dict(report) for report in result]


# -- the child ----------------------------------------------------------------------------


def _child_main(argv: list[str]) -> int:
    options = json.loads(argv[0])
    die_with_parent(int(options.get("parent_pid") or 0))
    pipe = protocol_pipe()

    def emit(message: dict[str, Any]) -> None:
        pipe.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")

    # Import before the limit, so that the limit measures the file, not pyHanko.
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401

    from services.signatures import verify_pdf

    set_limits(memory_bytes=int(options["memory_mb"]) << 20)
    try:
        data = Path(options["path"]).read_bytes()
        roots = [Path(path).read_bytes() for path in options["roots"]]
        reports = verify_pdf(data, roots, fetch_revocation=bool(options["fetch_revocation"]))
        emit({"reports": [report.to_dict() for report in reports]})
    except Exception as exc:
        if caused_by_memory(exc):
            os._exit(EXIT_MEMORY)
        log.warning("signature verification failed", exc_info=True)
        emit(
            {
                "error": "Không đọc được cấu trúc PDF để kiểm tra chữ ký số "
                f"({type(exc).__name__}); tệp có thể bị hỏng."
            }
        )
    return 0


if __name__ == "__main__":
    run_child(_child_main)
