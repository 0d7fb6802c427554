"""The production web server as configured (gunicorn.conf.py, real gunicorn process): slow
clients do not stop other users' pages, and feed tokens stay out of the access log."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Server:
    def __init__(self, port: int, log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def get(self, path: str, timeout: float = 20) -> int:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.fixture
def server(tmp_path, database_url, redis_url, redis_client) -> Iterator[Server]:
    port = free_port()
    log = tmp_path / "access.log"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "gunicorn-test",
        "QUEUE_NAME": "vanthu-test",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
        "--access-logfile", str(log), "web:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.err").open("wb"),
        start_new_session=True,
    )
    running = Server(port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if running.get("/dang-nhap", timeout=5) == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "gunicorn.err").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield running
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        process.wait()
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _trickle(port: int, stop: threading.Event) -> None:
    """A client sending its request one byte a second (and never finishing in time)."""
    request = b"GET /dang-nhap HTTP/1.1\r\nHost: x\r\nUser-Agent: cham-cham\r\n" + b"X: " * 100
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for byte in request:
            if stop.is_set():
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return
            stop.wait(1)


def test_three_clients_at_one_byte_a_second_do_not_block_a_normal_request(server):
    port = int(server.base.rsplit(":", 1)[1])
    stop = threading.Event()
    slow = [threading.Thread(target=_trickle, args=(port, stop), daemon=True) for _ in range(3)]
    for client in slow:
        client.start()
    try:
        time.sleep(3)  # every slow client is connected and has sent a few bytes
        started = time.monotonic()
        assert server.get("/dang-nhap", timeout=15) == 200
        assert server.get("/dang-nhap", timeout=15) == 200
        assert time.monotonic() - started < 5
    finally:
        stop.set()
        for client in slow:
            client.join(timeout=5)


def test_feed_tokens_are_masked_in_the_access_log(server):
    token = "BiMatLichCuaToi_0123456789abcdefXYZ"
    assert server.get(f"/lich/{token}.ics") == 404
    deadline = time.monotonic() + 10
    while "/lich/" not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = server.log.read_text()
    assert "/lich/…" in log
    assert token not in log


def test_each_worker_puts_the_loaded_app_out_of_the_collectors_reach():
    import gc
    import runpy

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    before = gc.get_freeze_count()
    settings["post_worker_init"](None)
    try:
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
