"""``scripts/run.sh`` (what ``make run`` starts), run for real: the worker restarts the
embedded Redis when it is killed, and Ctrl-C (SIGINT to the process group) stops the web
server, the worker and the embedded Redis, with exit status 0 (so make exits 0 too)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from outbox import embedded
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = ROOT / "instance"

pytestmark = pytest.mark.slow


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _redis_pid() -> int:
    return int((INSTANCE / "redis.pid").read_text().strip())


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1]
    except OSError:
        return "Z"


def _tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _processes(group: int) -> str:
    """The processes still in the script's group, with their state and command line."""
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ", 1)[1].split()
            if int(fields[2]) == group:
                raw = (stat.parent / "cmdline").read_bytes()
                cmd = raw.replace(b"\0", b" ").decode(errors="replace")
                left.append(f"{stat.parent.name} {fields[0]} {cmd.strip()}")
        except (OSError, IndexError, ValueError):
            continue
    return "still running: " + ("; ".join(left) or "nothing")


def test_run_script_supervises_redis_and_stops_everything_on_ctrl_c(tmp_path):
    sock = embedded.socket_path(INSTANCE.resolve())
    if embedded._alive(sock):
        pytest.skip("the project's embedded Redis is in use by a running instance")
    port = free_port()
    env = dict(os.environ, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}")
    env.pop("REDIS_URL", None)
    # As make run: the database is made first (else the worker's sweeps only log errors).
    made = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "web", "bootstrap"],
        cwd=ROOT, env=env, capture_output=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr.decode(errors="replace")
    log = tmp_path / "run.log"  # what make run printed, shown when an assertion fails
    with open(log, "wb") as out:
        script = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives make
        )
    try:
        assert _wait(lambda: _answers(port), 90), "the web server never answered"
        assert embedded._alive(sock)
        first = _redis_pid()
        os.kill(first, signal.SIGKILL)  # the embedded Redis dies
        assert _wait(lambda: embedded._alive(sock), 30), "Redis not restarted\n" + _tail(log)
        second = _redis_pid()
        assert second != first
        os.killpg(script.pid, signal.SIGINT)  # Ctrl-C
        try:
            assert script.wait(timeout=120) == 0, _tail(log)
        except subprocess.TimeoutExpired:
            left = _processes(script.pid)
            pytest.fail(f"Ctrl-C did not stop make run in 120 s; {left}\n{_tail(log)}")
        printed = log.read_text(errors="replace")
        # Everything stopped by asking: no gunicorn worker killed at its graceful timeout,
        # nothing killed by the script.
        assert "SIGKILL" not in printed and "Dừng cưỡng bức" not in printed, _tail(log)
        assert not embedded._alive(sock)
        assert _wait(lambda: not _running(second), 10), "redis-server still runs"
        with pytest.raises(ProcessLookupError):
            os.killpg(script.pid, 0)  # nothing left of the group: no web, no worker
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
        embedded.stop(INSTANCE)
