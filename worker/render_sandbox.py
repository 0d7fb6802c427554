"""Rendering .docx templates in limited child processes, forked from a warm server.

A template is code: docxtpl runs its Jinja tags. The sandboxed environment of
:mod:`render.engine` stops access to Python internals, but not ``{{ 'x' * 10**9 }}``, nested
loops or a loop writing a million paragraphs; and a template may behave on the sample data
and misbehave only on real data. Run in the worker itself, such a template took the worker
to gigabytes, held the GIL until the job timeout (so the heartbeat stopped and a second
worker took the same job) or ended in ``MemoryError``. So every render of a template, the
built-in ones too, goes through :func:`render_docx_sandboxed`::

    worker (job) ──request──▶ render server ──fork──▶ render child
                 ◀──answer───  (python -m              RLIMIT_AS  = server + RENDER_MEMORY_MB
                               worker.render_sandbox,  RLIMIT_CPU = RENDER_TIMEOUT
                               one per worker,         XML and .docx ≤ RENDER_MAX_OUTPUT_MB
                               docxtpl imported)

The server is started on first use, in its own process group, and dies with the worker
(PR_SET_PDEATHSIG); it is single-threaded, so forking it is cheap and safe, and its children
start with everything imported and warmed up. Each child lowers its limits, renders one
document, writes the result to a pipe and exits. The server kills it when it outlives
``2 × RENDER_TIMEOUT + 5`` seconds of wall-clock time or writes more than the output limit,
and answers with the result or with which limit was hit. Meanwhile the worker only waits on
a pipe, so its heartbeat goes on. A limit hit is a :class:`RenderLimitError` (a
:class:`render.errors.RenderError`) with a Vietnamese reason; the worker carries on.
"""

from __future__ import annotations

import atexit
import io
import json
import logging
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from typing import Any

from render.errors import RenderError
from worker.sandbox import EXIT_MEMORY
from worker.sandbox import address_space_bytes
from worker.sandbox import caused_by_memory
from worker.sandbox import die_with_parent
from worker.sandbox import kill_group
from worker.sandbox import protocol_pipe
from worker.sandbox import set_limits
from worker.sandbox import start_child

__all__ = ["RenderLimitError", "RenderLimits", "render_docx_sandboxed", "shutdown"]

log = logging.getLogger(__name__)

MODULE = "worker.render_sandbox"
START_TIMEOUT = 60.0  # seconds for the server to import docxtpl and warm up
_FRAME = struct.Struct(">Q")
_HEADER_MAX = 1 << 20
_ADVICE = "hãy kiểm tra vòng lặp hoặc phép nhân chuỗi trong mẫu."


@dataclass(frozen=True)
class RenderLimits:
    """What one render may use (defaults: those of ``config.py``).

    Attributes:
        memory_mb: address space (MiB) the render may add to the render server's own.
        cpu_seconds: CPU seconds of one render (RLIMIT_CPU); wall-clock time is bounded
            at twice that plus five seconds.
        max_output_mb: largest XML the template's parts may expand to, and largest .docx.
    """

    memory_mb: int = 512
    cpu_seconds: int = 30
    max_output_mb: float = 20

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RenderLimits:
        """The limits set in an app's config (``RENDER_MEMORY_MB`` ...)."""
        return cls(
            memory_mb=int(config["RENDER_MEMORY_MB"]),
            cpu_seconds=int(config["RENDER_TIMEOUT"]),
            max_output_mb=float(config["RENDER_MAX_OUTPUT_MB"]),
        )

    @classmethod
    def current(cls) -> RenderLimits:
        """The current app's limits; the defaults outside an app."""
        from flask import current_app
        from flask import has_app_context

        return cls.from_config(current_app.config) if has_app_context() else cls()

    @property
    def max_output_bytes(self) -> int:
        return int(self.max_output_mb * 1024 * 1024)

    @property
    def wall_seconds(self) -> float:
        return self.cpu_seconds * 2 + 5.0

    def message(self, limit: str) -> str:
        """The Vietnamese reason for hitting ``limit`` ("memory", "time" or "output")."""
        if limit == "memory":
            return (
                "Mẫu văn bản dùng quá nhiều bộ nhớ khi soạn (giới hạn "
                f"{self.memory_mb} MB); {_ADVICE}"
            )
        if limit == "time":
            return (
                "Mẫu văn bản chạy quá thời gian cho phép khi soạn (giới hạn "
                f"{self.cpu_seconds} giây); {_ADVICE}"
            )
        return (
            "Mẫu văn bản sinh ra văn bản quá lớn khi soạn (giới hạn "
            f"{self.max_output_mb:g} MB); {_ADVICE}"
        )


class RenderLimitError(RenderError):
    """A render hit a limit; ``limit`` is "memory", "time" or "output"."""

    def __init__(self, message: str, *, limit: str, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.limit = limit


# -- the worker's side --------------------------------------------------------------------


def render_docx_sandboxed(
    template: bytes,
    context: Mapping[str, Any],
    *,
    limits: RenderLimits | None = None,
    check_opens: bool = False,
    stats: dict[str, Any] | None = None,
) -> bytes:
    """Render ``template`` with ``context`` in a limited child process.

    Args:
        template: the .docx template's bytes.
        context: its variables (plain data: strings, numbers, dates, lists, dicts).
        limits: the limits (default: the current app's, see :meth:`RenderLimits.current`).
        check_opens: also open the result with python-docx (in the child) and refuse it if
            that fails (the trial render of an uploaded template).
        stats: filled with the child's CPU seconds and peak memory, when given.

    Returns:
        The rendered .docx.

    Raises:
        RenderLimitError: a limit was hit (Vietnamese reason).
        RenderError: the template is refused (syntax, missing field, forbidden access...)
            or the renderer could not run.
    """
    limits = limits or RenderLimits.current()
    request = {
        "template": template,
        "context": dict(context),
        "limits": asdict(limits),
        "check_opens": check_opens,
    }
    header, payload = _call(request, limits)
    if stats is not None:
        keys = ("cpu", "max_rss_kb", "signal", "killed_by_server", "limit")
        stats.update({k: header[k] for k in keys if k in header})
    if header.get("ok"):
        return payload
    if header.get("limit"):
        log.warning(
            "render stopped at the %s limit (cpu %.1f s, max rss %s KiB)",
            header["limit"],
            header.get("cpu", 0.0),
            header.get("max_rss_kb"),
        )
        raise RenderLimitError(
            limits.message(header["limit"]), limit=header["limit"], detail=str(header)
        )
    if header.get("error"):
        raise RenderError(header["error"], detail=header.get("detail", ""))
    log.warning("render child ended abnormally: %s", header)
    signal_number = header.get("signal")
    if signal_number:
        raise RenderError(
            f"Bộ soạn văn bản bị dừng đột ngột (tín hiệu {signal_number}), thường do mẫu văn "
            f"bản dùng quá nhiều bộ nhớ (giới hạn {limits.memory_mb} MB); {_ADVICE}",
            detail=str(header),
        )
    raise RenderError(
        "Bộ soạn văn bản dừng bất thường khi điền mẫu; hãy thử lại hoặc báo quản trị.",
        detail=str(header),
    )


class _ServerGone(Exception):
    """The render server died or broke the protocol (not the template's doing)."""


class _Server:
    """One render server, owned by the process that started it."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        options = json.dumps({"parent_pid": self.owner})
        self.process = start_child(MODULE, options, stdin=subprocess.PIPE, stderr=None)
        try:
            header = json.loads(self._read_frame(time.monotonic() + START_TIMEOUT, _HEADER_MAX))
        except BaseException:
            kill_group(self.process)
            raise
        if not header.get("ready"):
            kill_group(self.process)
            raise _ServerGone(f"render server did not start: {header}")

    def usable(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def call(self, request: bytes, deadline: float, payload_max: int) -> tuple[dict, bytes]:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(_FRAME.pack(len(request)) + request)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise _ServerGone(f"render server gone: {exc!r}") from exc
        header = json.loads(self._read_frame(deadline, _HEADER_MAX))
        payload = self._read_frame(deadline, payload_max) if header.get("ok") else b""
        return header, payload

    def _read_frame(self, deadline: float, limit: int) -> bytes:
        (size,) = _FRAME.unpack(self._read_exactly(_FRAME.size, deadline))
        if size > limit:
            raise _ServerGone(f"render server sent a frame of {size} bytes")
        return self._read_exactly(size, deadline)

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        missing = size
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while missing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                if not selector.select(timeout=min(remaining, 1.0)):
                    continue
                chunk = os.read(fd, min(missing, 1 << 20))
                if not chunk:
                    raise _ServerGone(f"render server exited ({self.process.poll()})")
                chunks.append(chunk)
                missing -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        kill_group(self.process)


_lock = threading.Lock()
_server: _Server | None = None


def _call(request: dict[str, Any], limits: RenderLimits) -> tuple[dict, bytes]:
    global _server
    data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
    payload_max = limits.max_output_bytes + (1 << 16)
    with _lock:
        for attempt in (1, 2):
            if _server is None or not _server.usable():
                if _server is not None and _server.owner == os.getpid():
                    _server.close()
                try:
                    _server = _Server()
                except (_ServerGone, TimeoutError, OSError, ValueError) as exc:
                    _server = None
                    log.error("render server could not start: %r", exc)
                    raise RenderError(
                        "Không khởi động được bộ soạn văn bản; hãy thử lại sau hoặc báo quản trị.",
                        detail=repr(exc),
                    ) from exc
            # The server answers within the wall-clock limit; the margin covers the fork.
            deadline = time.monotonic() + limits.wall_seconds + 10.0
            try:
                return _server.call(data, deadline, payload_max)
            except _ServerGone as exc:
                # Died between two renders (or was killed): a fresh one renders once more;
                # rendering has no side effects, so the retry is safe.
                log.warning("render server lost (%r), attempt %d", exc, attempt)
                _server.close()
                _server = None
                if attempt == 2:
                    raise RenderError(
                        "Bộ soạn văn bản dừng bất thường; hãy thử lại hoặc báo quản trị.",
                        detail=repr(exc),
                    ) from exc
            except TimeoutError:
                _server.close()
                _server = None
                return {"limit": "time"}, b""
            except BaseException:
                # Interrupted (the job's own timeout, Ctrl-C): the render in flight must not
                # run on unattended, and the half-read answer would confuse the next call.
                _server.close()
                _server = None
                raise
    raise AssertionError("unreachable")


def shutdown() -> None:
    """Stop this process's render server, if it runs (it also stops when we exit)."""
    global _server
    with _lock:
        if _server is not None and _server.owner == os.getpid():
            _server.close()
        _server = None


atexit.register(shutdown)


# -- the server ---------------------------------------------------------------------------


def _serve(argv: list[str]) -> int:
    """Entry point of the server: warm up, then fork one limited child per request."""
    options = json.loads(argv[0])
    die_with_parent(int(options.get("parent_pid") or 0))
    out = protocol_pipe()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the worker; EOF stops us
    _warm_up()
    _write_frame(out, json.dumps({"ready": True, "pid": os.getpid()}).encode())
    while True:
        data = _read_stdin_frame()
        if data is None:
            return 0
        request = pickle.loads(data)  # noqa: S301 - written by the worker that started us
        del data
        header, payload = _render_in_child(request)
        del request
        _write_frame(out, json.dumps(header).encode())
        if header.get("ok"):
            _write_frame(out, payload)


def _warm_up() -> None:
    """Import and exercise the whole render path once, so every child starts warm."""
    import docx  # noqa: F401 - the open check of a trial render

    from render.context import sample_context
    from render.engine import render_docx
    from render.manifest import template_path

    try:
        render_docx(template_path("cong_van").read_bytes(), sample_context("cong_van"))
    except Exception:  # noqa: BLE001 - only a warm-up: the imports above are what matter
        log.warning("render server warm-up failed", exc_info=True)


def _read_stdin_frame() -> bytes | None:
    head = _read_fd(0, _FRAME.size)
    if head is None:
        return None
    (size,) = _FRAME.unpack(head)
    return _read_fd(0, size)


def _read_fd(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    missing = size
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _write_frame(pipe: Any, data: bytes) -> None:
    pipe.write(_FRAME.pack(len(data)))
    view = memoryview(data)
    while view:
        written = pipe.write(view)
        view = view[written:]


def _render_in_child(request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Fork a child for ``request``; collect its answer under the wall-clock and output
    limits; say which limit ended it, if one did."""
    limits = RenderLimits(**request["limits"])
    cap = limits.max_output_bytes + (1 << 16)
    server_pid = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 70
        try:
            os.close(read_end)
            code = _child(request, limits, write_end, server_pid)
        except MemoryError:
            code = EXIT_MEMORY
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(write_end)
    started = time.monotonic()
    stopped = ""
    received = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(read_end, selectors.EVENT_READ)
        while True:
            remaining = started + limits.wall_seconds - time.monotonic()
            if remaining <= 0:
                stopped = "time"
                break
            if not selector.select(timeout=min(remaining, 1.0)):
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            received += chunk
            if len(received) > cap:
                stopped = "output"
                break
    os.close(read_end)
    if stopped:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    facts: dict[str, Any] = {"cpu": round(cpu, 3), "max_rss_kb": usage.ru_maxrss}
    if stopped:
        return {"limit": stopped, "killed_by_server": True, **facts}, b""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        facts["signal"] = number
        if number == signal.SIGXCPU or (
            number == signal.SIGKILL and cpu >= limits.cpu_seconds - 0.5
        ):
            return {"limit": "time", **facts}, b""
        if number == signal.SIGKILL:  # not ours, not the CPU limit: the kernel's OOM killer
            return {"limit": "memory", **facts}, b""
        return facts, b""
    code = os.WEXITSTATUS(status)
    if code == EXIT_MEMORY:
        return {"limit": "memory", **facts}, b""
    line, _, body = bytes(received).partition(b"\n")
    try:
        header = json.loads(line) if code == 0 else {}
    except ValueError:
        header = {}
    if not isinstance(header, dict) or not header:
        return {"exit": code, **facts}, b""
    if header.get("ok"):
        if header.get("size") != len(body):
            return {"exit": code, "garbled": True, **facts}, b""
        return {"ok": True, **facts}, body
    for key in ("limit", "error", "detail"):  # nothing else from the child is passed on
        if key in header:
            facts[key] = str(header[key])[:2000]
    if facts.get("limit") not in (None, "memory", "time", "output"):
        facts["limit"] = "output"
    return facts, b""


def _child(request: dict[str, Any], limits: RenderLimits, fd: int, server_pid: int) -> int:
    """Render one document under the limits; write a JSON line (and the .docx) to ``fd``."""
    die_with_parent(server_pid)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    set_limits(
        memory_bytes=address_space_bytes() + (limits.memory_mb << 20),
        cpu_seconds=limits.cpu_seconds,
        file_bytes=limits.max_output_bytes,
    )
    try:
        content = _render(request, limits)
        header: dict[str, Any] = {"ok": True, "size": len(content)}
    except _OutputTooLarge:
        content, header = b"", {"limit": "output"}
    except RenderError as exc:
        if caused_by_memory(exc):
            return EXIT_MEMORY
        content, header = b"", {"error": exc.message, "detail": exc.detail[:2000]}
    except RecursionError as exc:
        content = b""
        header = {
            "error": "Mẫu văn bản lồng các thẻ quá sâu nên không soạn được.",
            "detail": repr(exc)[:2000],
        }
    except Exception as exc:
        if caused_by_memory(exc):
            return EXIT_MEMORY
        content = b""
        header = {
            "error": f"Không tạo được văn bản từ mẫu (lỗi {type(exc).__name__}).",
            "detail": repr(exc)[:2000],
        }
    del request
    pipe = os.fdopen(fd, "wb", buffering=0)
    _write_all(pipe, json.dumps(header, ensure_ascii=False).encode() + b"\n")
    _write_all(pipe, content)
    pipe.close()
    return 0


def _write_all(pipe: Any, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[pipe.write(view) :]


def _render(request: dict[str, Any], limits: RenderLimits) -> bytes:
    from render.engine import make_environment
    from render.engine import render_docx

    environment = make_environment()
    environment.template_class = _limited_template_class()
    # Our own counter, kept on the environment the templates share (Jinja has no slot for it).
    environment.vanthu_output_left = limits.max_output_bytes  # type: ignore[attr-defined]  # ours
    content = render_docx(request["template"], request["context"], environment=environment)
    if len(content) > limits.max_output_bytes:
        raise _OutputTooLarge
    if request.get("check_opens"):
        import docx

        try:
            docx.Document(io.BytesIO(content))
        except MemoryError:
            raise
        except Exception as exc:
            raise RenderError(
                "Mẫu văn bản sinh ra tệp Word không mở được; hãy kiểm tra các thẻ {% %} trong mẫu.",
                detail=repr(exc),
            ) from exc
    return content


class _OutputTooLarge(RenderError):
    """The XML a template expands to, or the .docx, exceeds the output limit."""

    def __init__(self) -> None:
        super().__init__("output")


def _limited_template_class() -> type:
    """A Jinja Template whose ``render`` (what docxtpl calls for every part) counts the
    UTF-8 bytes it produces against the environment's budget and stops at the limit,
    before the whole expansion is ever held in memory."""
    from jinja2 import Template

    class LimitedTemplate(Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            environment = self.environment
            context = self.new_context(dict(*args, **kwargs))
            pieces: list[str] = []
            left = environment.vanthu_output_left  # type: ignore[attr-defined]  # set above
            try:
                for piece in self.root_render_func(context):
                    left -= len(piece) if piece.isascii() else len(piece.encode("utf-8", "replace"))
                    if left < 0:
                        raise _OutputTooLarge
                    pieces.append(piece)
            except _OutputTooLarge:
                raise
            except Exception:
                environment.handle_exception()
            finally:
                environment.vanthu_output_left = left  # type: ignore[attr-defined]  # ours
            return environment.concat(pieces)

    return LimitedTemplate


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1:]))
