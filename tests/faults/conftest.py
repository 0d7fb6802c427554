"""Real faults: a private Redis server to stop, a private PostgreSQL to restart, worker
processes to SIGKILL. Private instances, so stopping them never disturbs the rest of the
suite (or the machine's own servers that ``.ci/run`` uses)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from outbox import embedded
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]


class PrivateRedis:
    """The embedded Redis binary in a folder of its own, stopped and started at will."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = embedded.ensure_running(folder)

    def stop(self, *, lose_data: bool = False) -> None:
        embedded.stop(self.folder)
        if lose_data:  # a restart of a server that keeps nothing on disk
            for name in ("redis.rdb", "appendonlydir", "appendonly.aof"):
                path = self.folder / name
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
                    missing_ok=True
                )

    def start(self) -> None:
        embedded.ensure_running(self.folder)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path / "redis")
    yield server
    embedded.stop(server.folder)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb) on a free port, restartable by the test."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = Path(bins[-1])
        self.folder = Path(tempfile.mkdtemp(prefix="vanthu-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync")  # fmt: skip
        self.start()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "log"), "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    yield server
    server.destroy()


def worker_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        QUEUE_NAME="vanthu-test",
        SECRET_KEY="test-secret",
        PYTHONPATH=str(ROOT),
        # As the tests' app (tests/conftest.make_app): a scan read by its one job, so that
        # killing "the" parse job means what these tests say.
        **{"OCR_PAGES_PER_JOB": "0", **extra},
    )


def wait_for(predicate, timeout: float, what: str):
    """Poll until ``predicate()`` is truthy; fail the test (not a speed assertion) after
    ``timeout`` seconds so a broken recovery cannot hang the suite."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting {timeout:.0f} s for: {what}")
