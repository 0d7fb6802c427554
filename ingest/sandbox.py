"""Child processes that run untrusted work under resource limits.

Shared by the plan parser (:mod:`worker.jobs.plans`, one ``python -m worker.jobs.plans``
child per upload), the template renderer (:mod:`worker.render_sandbox`, a warm fork
server whose forked children each render one document) and the web process's page images
drawn on demand (:mod:`ingest.page_images`). Here, below services, so that the web side
reaches them through a service; :mod:`worker.sandbox` hands them on to the worker. The
pieces:

* the child lowers its own limits (:func:`set_limits`: address space, CPU seconds, file
  size, no core file) after importing what it needs, so the limit measures the input;
* it dies with the process that started it (:func:`die_with_parent`, Linux prctl), so a
  worker SIGKILLed mid-job leaves nothing running;
* the parent starts it in a process group of its own (:func:`start_child`) and kills that
  whole group (:func:`kill_group`) on a timeout, so programs the child started die too;
* the parent only waits on a pipe (:func:`json_lines`), which releases the GIL: the job's
  heartbeat thread keeps beating while the child works.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from typing import Any
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
EXIT_MEMORY = 3  # exit status of a child that ran out of memory (reporting might need more)
_PR_SET_PDEATHSIG = 1


# -- the child side -----------------------------------------------------------------------


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux prctl).

    A worker SIGKILLed mid-job must not leave its child running on; the job itself is
    taken up again by the sweeper. Not Linux: the child's own time limit still bounds it.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent_pid and os.getppid() != parent_pid:  # the parent died before prctl took hold
        os._exit(1)


def set_limits(
    *,
    memory_bytes: int | None = None,
    cpu_seconds: int | None = None,
    file_bytes: int | None = None,
) -> None:
    """Lower this process's limits (inherited by every program it starts).

    ``memory_bytes`` is the whole address space (RLIMIT_AS); ``cpu_seconds`` sends SIGXCPU
    at that many CPU seconds and SIGKILL one second later (RLIMIT_CPU); ``file_bytes``
    bounds any file it writes (RLIMIT_FSIZE). A crash never writes a core file.
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds is not None:
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime)
        soft = spent + max(1, int(cpu_seconds))
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
    if file_bytes is not None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))


def address_space_bytes() -> int:
    """The address space this process uses now (VmSize), 0 where /proc is unavailable."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def caused_by_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was caused by, a MemoryError (readers often wrap it)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def protocol_pipe() -> IO[bytes]:
    """Take over the real stdout for the protocol; anything a library prints goes to
    stderr instead of corrupting it."""
    pipe = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    return pipe


# -- the parent side ----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of a child: ours, with the project importable."""
    return dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )


def start_child(
    module: str,
    argument: str,
    *,
    stderr: IO[bytes] | int | None,
    stdin: IO[bytes] | int = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """Start ``python -m module argument`` in a process group of its own (so that whatever
    it starts dies with it), stdout a pipe to us."""
    return subprocess.Popen(
        [sys.executable, "-m", module, argument],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=str(ROOT),
        env=child_env(),
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's whole process group (if still running) and reap the child."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


def json_lines(process: subprocess.Popen[bytes], deadline: float) -> Iterator[Any]:
    """Yield each JSON line the child writes until it closes its stdout.

    A line that is not JSON is yielded as ``None`` (the caller treats it as a crash).

    Raises:
        TimeoutError: ``deadline`` (``time.monotonic()``) passed first.
    """
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    fd = process.stdout.fileno()
    buffer = b""
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if not selector.select(timeout=min(remaining, 1.0)):
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                try:
                    yield json.loads(line)
                except ValueError:
                    yield None
    finally:
        selector.close()


def run_child(main: Callable[[list[str]], int]) -> NoReturn:
    """A child module's ``__main__``: run ``main`` on the arguments and exit with its code.

    A MemoryError that escapes ends the process at once with :data:`EXIT_MEMORY` (reporting
    it might need memory too): the parent tells that from a crash by the exit code.
    """
    try:
        code = main(sys.argv[1:])
    except MemoryError:
        os._exit(EXIT_MEMORY)
    sys.exit(code)
