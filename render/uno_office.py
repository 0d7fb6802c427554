"""Own one running LibreOffice plus its UNO bridge process, and talk to it with timeouts.

The bridge (``render/uno_bridge.py``) runs under the system Python, because only that
interpreter has the ``uno`` module; it starts ``soffice.bin`` as its child in a fresh process
group, so killing the group removes both at once. Everything lives in a private run directory
(LibreOffice profile, exchanged files, logs) that is deleted when the process ends.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

BRIDGE_SCRIPT = Path(__file__).with_name("uno_bridge.py")
_QUIT_GRACE_SECONDS = 15.0
_LOG_TAIL_BYTES = 1500
# Variables that would point the system Python (or LibreOffice's embedded one) at our venv.
_PYTHON_ENV_VARS = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


class BridgeTimeout(Exception):
    """The bridge did not answer within the allowed time."""


class BridgeGone(Exception):
    """The bridge (and so LibreOffice) is no longer running or could not start.

    ``delivered`` tells whether the last request reached the bridge before it went away:
    if not, the document was never handed to LibreOffice and may safely be retried.
    """

    def __init__(self, detail: str, *, delivered: bool = True) -> None:
        super().__init__(detail)
        self.delivered = delivered


def default_soffice() -> str:
    """Return the path of ``soffice.bin`` next to the ``soffice`` launcher on PATH.

    The launcher script hands over to ``oosplash``, which forks ``soffice.bin``; running the
    binary directly gives us its real PID to watch and kill.
    """
    launcher = shutil.which("soffice") or "/usr/lib/libreoffice/program/soffice"
    return str(Path(os.path.realpath(launcher)).with_name("soffice.bin"))


class OfficeProcess:
    """A started bridge + soffice pair; not thread-safe (the converter serialises calls)."""

    def __init__(self, bridge: subprocess.Popen[bytes], run_dir: Path) -> None:
        self.bridge = bridge
        self.run_dir = run_dir
        self.soffice_pid = 0
        self._buffer = bytearray()
        self._selector = selectors.DefaultSelector()
        assert bridge.stdout is not None
        self._selector.register(bridge.stdout, selectors.EVENT_READ)

    @classmethod
    def start(cls, *, uno_python: str, soffice: str, timeout: float) -> OfficeProcess:
        """Start LibreOffice and the bridge; return once LibreOffice accepts UNO calls.

        Raises:
            BridgeGone: if either program is missing or LibreOffice fails to start.
            BridgeTimeout: if it is not ready within ``timeout`` seconds.
        """
        run_dir = Path(tempfile.mkdtemp(prefix="vanthu-lo-"))
        (run_dir / "io").mkdir()
        pipe_name = f"vanthu-{os.getpid()}-{secrets.token_hex(6)}"
        command = [
            uno_python,
            "-I",  # ignore PYTHON* variables and user site-packages of whoever runs us
            str(BRIDGE_SCRIPT),
            f"--soffice={soffice}",
            f"--run-dir={run_dir}",
            f"--pipe-name={pipe_name}",
        ]
        env = {k: v for k, v in os.environ.items() if k not in _PYTHON_ENV_VARS}
        try:
            with open(run_dir / "bridge.log", "ab") as log:
                bridge = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    bufsize=0,
                    env=env,
                    start_new_session=True,
                )
        except OSError as exc:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise BridgeGone(f"cannot run {uno_python}: {exc}") from exc
        office = cls(bridge, run_dir)
        try:
            message = office.read_message(timeout)
            if message.get("event") != "ready":
                raise BridgeGone(f"{message.get('error')}; {office.log_tail()}")
        except BaseException:
            office.kill()  # also when interrupted, so no LibreOffice is left without owner
            raise
        office.soffice_pid = int(message["soffice_pid"])
        return office

    @property
    def alive(self) -> bool:
        """Return whether the bridge process is still running."""
        return self.bridge.poll() is None

    def request(self, payload: dict, timeout: float) -> dict:
        """Send one request and return the bridge's answer.

        Raises:
            BridgeGone: if the bridge is dead or dies before answering.
            BridgeTimeout: if no answer arrives within ``timeout`` seconds.
        """
        assert self.bridge.stdin is not None
        line = (json.dumps(payload) + "\n").encode()
        try:
            self.bridge.stdin.write(line)
        except (BrokenPipeError, OSError) as exc:
            raise BridgeGone(f"bridge not running: {exc}", delivered=False) from exc
        return self.read_message(timeout)

    def read_message(self, timeout: float) -> dict:
        """Read one JSON line from the bridge, waiting at most ``timeout`` seconds."""
        assert self.bridge.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                raise BridgeTimeout(f"no answer within {timeout:g} s")
            chunk = os.read(self.bridge.stdout.fileno(), 65536)
            if not chunk:
                self.bridge.wait()
                raise BridgeGone(f"bridge exited ({self.bridge.returncode}); {self.log_tail()}")
            self._buffer.extend(chunk)
        line, _, rest = self._buffer.partition(b"\n")
        self._buffer = bytearray(rest)
        return json.loads(line)

    def log_tail(self) -> str:
        """Return the end of the bridge and soffice logs, for error details."""
        parts = []
        for name in ("bridge.log", "soffice.log"):
            try:
                with open(self.run_dir / name, "rb") as log:
                    log.seek(0, os.SEEK_END)
                    log.seek(max(0, log.tell() - _LOG_TAIL_BYTES))
                    text = log.read().decode("utf-8", "replace").strip()
            except OSError:
                continue
            if text:
                parts.append(f"{name}: {text}")
        return " | ".join(parts)

    def quit(self) -> None:
        """Ask LibreOffice to exit cleanly; kill it if it does not in time."""
        if self.alive:
            try:
                assert self.bridge.stdin is not None
                self.bridge.stdin.write(b'{"op": "quit"}\n')
                self.bridge.wait(timeout=_QUIT_GRACE_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass  # kill() below takes care of it
        self.kill()

    def kill(self) -> None:
        """Kill the bridge and LibreOffice at once and delete the run directory."""
        # Kill the whole group even if the bridge already exited: soffice may outlive it.
        try:
            os.killpg(self.bridge.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.bridge.wait()
        self.close_pipes()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def close_pipes(self) -> None:
        """Close our ends of the bridge's pipes without touching the processes."""
        self._selector.close()
        for stream in (self.bridge.stdin, self.bridge.stdout):
            if stream is not None:
                stream.close()
