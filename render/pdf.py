"""Convert .docx (and legacy .doc) to PDF through a LibreOffice that stays running.

Starting LibreOffice costs about a second; converting a short document in a running one costs
a small fraction of that. So each process keeps one headless LibreOffice (own temporary
profile, private UNO pipe) behind a :class:`PdfConverter`, and restarts it transparently when
it dies, hangs past the timeout, or has served ``restart_after`` documents.

Fonts: documents use Times New Roman (NĐ 30/2020/NĐ-CP); on servers without it, fontconfig
maps it to the metric-compatible Liberation Serif (Debian ``fonts-liberation2``), so line and
page breaks match Word's.

Typical use in a worker::

    pdf_bytes = get_converter().convert_docx_to_pdf(docx_bytes)
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import weakref
from typing import Literal

from render import pdf_errors
from render.pdf_errors import PdfConversionError
from render.pdf_formats import check_output
from render.pdf_formats import export_filter_for
from render.pdf_formats import export_options_for
from render.pdf_formats import import_filter_for
from render.pdf_formats import normalise_extension
from render.uno_office import BridgeGone
from render.uno_office import BridgeTimeout
from render.uno_office import OfficeProcess
from render.uno_office import default_soffice

__all__ = ["PdfConversionError", "PdfConverter", "configure", "get_converter"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
DEFAULT_START_TIMEOUT = 60.0
# LibreOffice slowly accumulates memory over many documents; a periodic fresh start bounds it.
DEFAULT_RESTART_AFTER = 200


class _Slot:
    """The LibreOffice currently owned by one converter.

    Kept apart from the converter so that the exit-time finalizer can shut it down without
    keeping the converter itself alive.
    """

    def __init__(self) -> None:
        self.office: OfficeProcess | None = None
        self.owner_pid = os.getpid()
        self.conversions = 0

    def discard(self, *, graceful: bool) -> None:
        """Stop the current LibreOffice, unless it belongs to the process we were forked from."""
        office, self.office = self.office, None
        self.conversions = 0
        if office is None or self.owner_pid != os.getpid():
            return
        if graceful:
            office.quit()
        else:
            office.kill()


class PdfConverter:
    """A warm LibreOffice for this process: thread-safe, restarted on crash or timeout.

    Args:
        soffice: Path of ``soffice.bin``; found next to ``soffice`` on PATH by default.
        uno_python: Interpreter that has the ``uno`` module (Debian ``python3-uno``).
        start_timeout: Seconds allowed for LibreOffice to start and accept connections.
        restart_after: Start a fresh LibreOffice after this many conversions.
    """

    def __init__(
        self,
        *,
        soffice: str | None = None,
        uno_python: str = "/usr/bin/python3",
        start_timeout: float = DEFAULT_START_TIMEOUT,
        restart_after: int = DEFAULT_RESTART_AFTER,
    ) -> None:
        self._soffice = soffice or default_soffice()
        self._uno_python = uno_python
        self._start_timeout = start_timeout
        self._restart_after = restart_after
        self._request_ids = itertools.count(1)
        self._closed = False
        self._finalizer: weakref.finalize | None = None
        self._adopt_process()
        _converters.add(self)

    def _adopt_process(self) -> None:
        """Give this process its own slot, lock and exit hook (also in a forked child).

        A child inherits the parent's pipes to LibreOffice and maybe a held lock; it must use
        neither, and must not shut down the parent's LibreOffice when it exits.
        """
        if self._finalizer is not None:
            self._finalizer.detach()
            inherited = self._slot.office
            if inherited is not None and self._slot.owner_pid != os.getpid():
                # Holding the parent's pipe ends would hide the parent's death from its bridge.
                inherited.close_pipes()
        self._lock = threading.Lock()
        self._slot: _Slot = _Slot()
        self._finalizer = weakref.finalize(self, self._slot.discard, graceful=True)

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Return whether :meth:`close` has been called."""
        return self._closed

    @property
    def soffice_pid(self) -> int | None:
        """Return the PID of the running ``soffice.bin``, or None when none is running."""
        office = self._slot.office
        return office.soffice_pid if office is not None and office.alive else None

    def convert_docx_to_pdf(self, data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        """Convert a .docx document to PDF.

        Args:
            data: The .docx file's bytes.
            timeout: Seconds allowed for the conversion itself (starting LibreOffice, when
                needed, has its own ``start_timeout``).

        Returns:
            The PDF file's bytes.

        Raises:
            PdfConversionError: with a Vietnamese message, if the document is invalid,
                LibreOffice rejects it, crashes or exceeds the timeout.
        """
        return self.convert(data, "docx", "pdf", timeout=timeout)

    def convert(
        self,
        data: bytes,
        src_ext: str,
        target: Literal["pdf", "docx"] = "pdf",
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> bytes:
        """Convert a Word-like document (.docx, .doc, .rtf, .odt) to PDF or .docx.

        Args:
            data: The source file's bytes.
            src_ext: The source file's extension, e.g. "doc" or ".docx".
            target: "pdf", or "docx" (e.g. to read a legacy .doc with python-docx).
            timeout: Seconds allowed for the conversion itself.

        Returns:
            The converted file's bytes.

        Raises:
            PdfConversionError: with a Vietnamese message and a ``reason``; after a crash or
                a timeout LibreOffice is restarted, so the next call works again.
        """
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        import_filter = import_filter_for(data, src_ext)
        export_filter = export_filter_for(target)
        export_options = export_options_for(target)
        target_ext = normalise_extension(target)
        with self._lock:
            if self._closed:
                raise pdf_errors.closed_error()
            # One retry, only when LibreOffice turned out to be dead before it saw the document
            # (e.g. killed while idle); a document that crashes it is never retried.
            for attempt in (1, 2):
                office = self._ensure_office()
                request = self._write_request(
                    office, data, import_filter, export_filter, target_ext, export_options
                )
                try:
                    return self._run(office, request, target_ext, timeout, last=attempt == 2)
                except _RetryOnFreshOffice:
                    continue
                except PdfConversionError:
                    raise
                except BaseException:
                    # Interrupted mid-request (e.g. RQ's job timeout raises from a signal
                    # handler): its answer may still arrive, so this pipe is out of step.
                    self._slot.discard(graceful=False)
                    raise
                finally:
                    _remove_quietly(request["src"], request["dst"])
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Shut LibreOffice down and refuse further conversions."""
        with self._lock:
            self._closed = True
            if self._finalizer is not None:
                self._finalizer()

    def _ensure_office(self) -> OfficeProcess:
        slot = self._slot
        if slot.office is not None and (
            not slot.office.alive or slot.conversions >= self._restart_after
        ):
            slot.discard(graceful=slot.office.alive)
        if slot.office is None:
            try:
                slot.office = OfficeProcess.start(
                    uno_python=self._uno_python,
                    soffice=self._soffice,
                    timeout=self._start_timeout,
                )
            except (BridgeGone, BridgeTimeout) as exc:
                log.error("LibreOffice failed to start: %s", exc)
                raise pdf_errors.startup_error(str(exc)) from exc
            log.info("LibreOffice started (soffice pid %s)", slot.office.soffice_pid)
        return slot.office

    def _write_request(
        self,
        office: OfficeProcess,
        data: bytes,
        import_filter: str,
        export_filter: str,
        target: str,
        export_options: dict[str, bool | int | str],
    ) -> dict:
        number = next(self._request_ids)
        # ASCII names in our private directory: the user's file name never reaches a path.
        src = office.run_dir / "io" / f"in-{number}"
        dst = office.run_dir / "io" / f"out-{number}.{target}"
        src.write_bytes(data)
        return {
            "op": "convert",
            "id": number,
            "src": str(src),
            "dst": str(dst),
            "import_filter": import_filter,
            "export_filter": export_filter,
            "filter_data": export_options,
        }

    def _run(
        self, office: OfficeProcess, request: dict, target: str, timeout: float, *, last: bool
    ) -> bytes:
        slot = self._slot
        try:
            answer = office.request(request, timeout)
        except BridgeTimeout as exc:
            slot.discard(graceful=False)
            log.warning(
                "Conversion %s timed out after %gs; LibreOffice killed", request["id"], timeout
            )
            raise pdf_errors.timeout_error(timeout, str(exc)) from exc
        except BridgeGone as exc:
            slot.discard(graceful=False)
            if not exc.delivered and not last:
                raise _RetryOnFreshOffice from exc
            log.warning("LibreOffice died during a conversion: %s", exc)
            raise pdf_errors.crashed_error(str(exc)) from exc
        if answer.get("id") != request["id"]:
            slot.discard(graceful=False)
            raise pdf_errors.crashed_error(f"answer {answer!r} to request {request['id']}")
        if not answer.get("ok"):
            return self._handle_failure(answer, last=last)
        slot.conversions += 1
        try:
            with open(request["dst"], "rb") as result:
                output = result.read()
        except OSError as exc:
            raise pdf_errors.no_output_error(str(exc)) from exc
        if not check_output(output, target):
            raise pdf_errors.no_output_error(f"{len(output)} bytes, not a .{target}")
        return output

    def _handle_failure(self, answer: dict, *, last: bool) -> bytes:
        kind, detail = answer.get("kind"), str(answer.get("error", ""))
        if kind == "document":
            log.info("LibreOffice rejected a document: %s", detail)
            raise pdf_errors.rejected_error(detail)
        self._slot.discard(graceful=False)
        if kind == "unavailable" and not last:
            log.warning("LibreOffice found dead before converting (%s); restarting", detail)
            raise _RetryOnFreshOffice
        log.warning("LibreOffice died during a conversion: %s", detail)
        raise pdf_errors.crashed_error(detail)


class _RetryOnFreshOffice(Exception):
    """LibreOffice was dead before it saw the document: start a new one and try again."""


def _remove_quietly(*paths: str) -> None:
    for path in paths:
        try:
            os.remove(path)
        except OSError:
            pass  # already gone with the run directory of a killed LibreOffice


_converters: weakref.WeakSet[PdfConverter] = weakref.WeakSet()
_singleton: PdfConverter | None = None
_singleton_pid: int | None = None
_singleton_lock = threading.Lock()


def _after_fork_in_child() -> None:
    global _singleton_lock
    _singleton_lock = threading.Lock()
    for converter in list(_converters):
        converter._adopt_process()


os.register_at_fork(after_in_child=_after_fork_in_child)


_restart_after = DEFAULT_RESTART_AFTER


def configure(*, restart_after: int) -> None:
    """Set how many conversions this process's converter (:func:`get_converter`) serves
    before it starts a fresh LibreOffice (``LIBREOFFICE_RESTART_AFTER``); applies to the
    converter made next."""
    global _restart_after
    if restart_after < 1:
        raise ValueError("restart_after must be at least 1")
    _restart_after = restart_after


def get_converter() -> PdfConverter:
    """Return this process's converter, made anew on first use, after a fork or a close.

    LibreOffice itself starts lazily, on the first conversion.
    """
    global _singleton, _singleton_pid
    with _singleton_lock:
        if _singleton is None or _singleton.closed or _singleton_pid != os.getpid():
            # After a fork the inherited converter still points at the parent's LibreOffice;
            # leave that alone (its finalizer checks the PID) and start our own.
            _singleton = PdfConverter(restart_after=_restart_after)
            _singleton_pid = os.getpid()
        return _singleton
