"""Drive one headless LibreOffice over UNO on behalf of ``render.pdf`` (JSON lines on stdio).

This script runs under the *system* Python (``/usr/bin/python3``), the only interpreter for
which Debian's ``python3-uno`` provides the ``uno`` module, so it may import nothing but the
standard library and ``uno``. It starts ``soffice.bin`` as its own child (same process group,
so the parent can kill both at once on a timeout), connects to it over a private pipe and then
answers one request per line on stdin:

    {"op": "convert", "id": 1, "src": "/abs/in.docx", "dst": "/abs/out.pdf",
     "import_filter": "MS Word 2007 XML", "export_filter": "writer_pdf_Export",
     "filter_data": {"SelectPdfVersion": 2}}
    {"op": "quit"}

Each answer is one line on the original stdout:

    {"event": "ready", "soffice_pid": 123}            once, after connecting
    {"event": "failed", "error": "..."}               instead of "ready", then exit
    {"id": 1, "ok": true}
    {"id": 1, "ok": false, "kind": "document" | "crashed" | "unavailable", "error": "..."}

"unavailable" means LibreOffice was already dead before the document was handed over (safe to
retry elsewhere); "crashed" means it died while working on this document. After either the
bridge exits. If stdin reaches EOF (the parent died), LibreOffice is killed so it never
outlives its owner.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# LibreOffice asks its launcher for a restart with these exit codes (81 after creating a fresh
# user profile, 79 after a crash with recovery); oosplash normally handles that, we replace it.
_RESTART_EXIT_CODES = (79, 81)
_MAX_LAUNCHES = 3
_CONNECT_POLL_SECONDS = 0.05
_QUIT_GRACE_SECONDS = 10.0
# com.sun.star.document.MacroExecMode.NEVER_EXECUTE / UpdateDocMode.NO_UPDATE: documents come
# from users, so no macros and no fetching of linked content.
_NEVER_EXECUTE = 0
_NO_UPDATE = 0


def _props(**values: object) -> tuple[PropertyValue, ...]:
    """Build the PropertyValue tuple UNO expects for keyword arguments."""
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def _describe(exc: BaseException) -> str:
    """Return a one-line description of a (possibly UNO) exception."""
    message = getattr(exc, "Message", None) or str(exc)
    return f"{type(exc).__name__}: {message}".strip()


class Office:
    """One soffice.bin child process and the UNO desktop it exposes."""

    def __init__(self, soffice: str, run_dir: str, pipe_name: str) -> None:
        self.soffice = soffice
        self.run_dir = run_dir
        self.pipe_name = pipe_name
        self.process: subprocess.Popen[bytes] | None = None
        self.desktop: Any = None  # a UNO object: no types for the bridge

    def _launch(self) -> subprocess.Popen[bytes]:
        profile_url = uno.systemPathToFileUrl(os.path.join(self.run_dir, "profile"))
        command = [
            self.soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={self.pipe_name};urp;",
            f"-env:UserInstallation={profile_url}",
        ]
        env = dict(os.environ, SAL_ENABLE_FILE_LOCKING="1")
        with open(os.path.join(self.run_dir, "soffice.log"), "ab") as log:
            return subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env
            )

    def start(self) -> None:
        """Launch LibreOffice and connect to it; relaunch when it asks for a restart."""
        context = uno.getComponentContext()
        resolver = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", context
        )
        url = f"uno:pipe,name={self.pipe_name};urp;StarOffice.ComponentContext"
        launches = 1
        self.process = self._launch()
        while True:
            try:
                remote = resolver.resolve(url)
                break
            except NoConnectException:
                code = self.process.poll()
                if code is None:
                    time.sleep(_CONNECT_POLL_SECONDS)
                    continue
                if code in _RESTART_EXIT_CODES and launches < _MAX_LAUNCHES:
                    launches += 1
                    self.process = self._launch()
                    continue
                raise RuntimeError(f"soffice exited with code {code} before accepting") from None
        self.desktop = remote.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", remote
        )

    def exit_code(self, wait: float = 0.0) -> int | None:
        """Return soffice's exit code, waiting up to ``wait`` seconds; None while it runs."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=wait) if wait else self.process.poll()
        except subprocess.TimeoutExpired:
            return None

    def convert(self, request: dict) -> dict:
        """Convert one file as described by ``request`` and return the answer to send."""
        answer: dict = {"id": request.get("id")}
        # A soffice killed while idle may still be exiting (its threads wind down after the
        # main one), so poll() alone misses it; a cheap UNO round trip cannot.
        if self.exit_code() is not None or not self._responsive():
            code = self.exit_code(wait=0.5)
            return {**answer, "ok": False, "kind": "unavailable", "error": f"exit code {code}"}
        try:
            self._load_and_store(request)
        except Exception as exc:  # every failure is reported to the parent
            # A dying soffice surfaces as DisposedException/RuntimeException; give it a moment
            # to finish exiting so a crash is not mistaken for a bad document.
            code = self.exit_code(wait=0.5)
            kind = "crashed" if code is not None else "document"
            detail = _describe(exc) + (f" (exit code {code})" if code is not None else "")
            return {**answer, "ok": False, "kind": kind, "error": detail}
        return {**answer, "ok": True}

    def _responsive(self) -> bool:
        """Return whether LibreOffice still answers UNO calls."""
        try:
            self.desktop.getFrames()
        except Exception:  # DisposedException once the connection is gone
            return False
        return True

    def _load_and_store(self, request: dict) -> None:
        load_props = _props(
            Hidden=True,
            ReadOnly=True,
            FilterName=request["import_filter"],
            MacroExecutionMode=_NEVER_EXECUTE,
            UpdateDocMode=_NO_UPDATE,
        )
        src_url = uno.systemPathToFileUrl(request["src"])
        document = self.desktop.loadComponentFromURL(src_url, "_blank", 0, load_props)
        if document is None:
            raise RuntimeError("loadComponentFromURL returned no document")
        try:
            dst_url = uno.systemPathToFileUrl(request["dst"])
            store_props = {"FilterName": request["export_filter"]}
            filter_data = request.get("filter_data") or {}
            if filter_data:
                # FilterData is a sequence<PropertyValue> held in an Any; give it that type.
                store_props["FilterData"] = uno.Any(
                    "[]com.sun.star.beans.PropertyValue", _props(**filter_data)
                )
            document.storeToURL(dst_url, _props(**store_props))
        finally:
            _close_document(document)

    def quit(self) -> None:
        """Ask LibreOffice to terminate, killing it if it does not within the grace period."""
        if self.process is None:
            return
        if self.process.poll() is None and self.desktop is not None:
            try:
                self.desktop.terminate()
            except Exception:  # the connection drops as soffice exits
                pass
        if self.exit_code(wait=_QUIT_GRACE_SECONDS) is None:
            self.kill()

    def kill(self) -> None:
        """Kill LibreOffice immediately."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _close_document(document: Any) -> None:
    """Close a loaded document, falling back to dispose() when close() is vetoed."""
    try:
        document.close(True)
    except Exception:
        try:
            document.dispose()
        except Exception:  # nothing more can be done for this document
            pass


def _read_requests(lines: queue.Queue, office: Office, run_dir: str) -> None:
    """Forward stdin lines to ``lines``; on EOF the parent is gone, so take LibreOffice down."""
    for line in sys.stdin:
        lines.put(line)
    # The main thread may be stuck inside a UNO call, so do not wait for it.
    office.kill()
    shutil.rmtree(run_dir, ignore_errors=True)
    os._exit(0)


def main() -> int:
    """Run the bridge until told to quit or until stdin closes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--pipe-name", required=True)
    args = parser.parse_args()

    # Keep the protocol channel private: anything that writes to fd 1 (native code included)
    # would corrupt the JSON stream, so fd 1 now points at stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    def send(message: dict) -> None:
        protocol.write(json.dumps(message) + "\n")

    office = Office(args.soffice, args.run_dir, args.pipe_name)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_requests, args=(lines, office, args.run_dir), daemon=True).start()
    try:
        office.start()
    except Exception as exc:  # reported to the parent, which raises
        office.kill()
        send({"event": "failed", "error": _describe(exc)})
        return 1
    assert office.process is not None  # started above
    send({"event": "ready", "soffice_pid": office.process.pid})
    try:
        while True:
            request = json.loads(lines.get())
            if request.get("op") == "quit":
                break
            answer = office.convert(request)
            send(answer)
            if answer.get("kind") in ("crashed", "unavailable"):
                return 1
    finally:
        office.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
