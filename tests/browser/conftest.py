"""Browser tests: the real app served over HTTP, a real worker process, headless Chromium.

One live server per package run (CSRF on, as in production), a ``python -m worker``
subprocess on a queue of its own so jobs run as they would for a person, and Playwright
driving the Debian Chromium. Each step of a test saves a screenshot under
``test-artifacts/browser/<test>/<nn-step>.png``. Every page visited is watched for console
errors, uncaught exceptions and CSP violations (the policy allows no inline scripts).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from domain.text import fold
from storage.models import Submission
from storage.models import SubmissionKind
from tests.conftest import PASSWORD
from tests.conftest import seed_world
from tests.conftest import truncate_server_db
from tests.support import free_port
from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
QUEUE = "vanthu-browser"
# Pages declare static/favicon.svg; should Chromium still probe /favicon.ico on its own, that
# 404 is the browser's request, not one of the pages'.
IGNORED_404 = ("/favicon.ico",)
# Waits for background jobs (LibreOffice, the plan parser) are long on a busy 2-core machine;
# they bound a wait, they are not assertions about speed.
JOB_WAIT_MS = 240_000


# -- Prerequisites ---------------------------------------------------------------------------


@pytest.fixture(scope="package")
def playwright_api() -> Any:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium không có ở {CHROMIUM} (apt-get install chromium)")
    return pytest.importorskip(
        "playwright.sync_api", reason="thiếu gói playwright (pip install -r requirements-dev.txt)"
    )


# -- Data ------------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def live_database(
    tmp_path_factory: pytest.TempPathFactory,
    migrated_sqlite: Path,
    migrated_server_db: str | None,
) -> str:
    """A database of its own for the package: a copy of the migrated SQLite file, or the
    server database emptied (the other packages' tests empty it again before each test)."""
    if migrated_server_db:
        truncate_server_db(migrated_server_db)
        return migrated_server_db
    path = tmp_path_factory.mktemp("browser-db") / "vanthu.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


def add_registration(app: Any, world: dict[str, int], name: str, unit: str, code: str,
                     **columns: Any) -> int:  # fmt: skip
    """A registration as a staff member's form leaves it (status and votes as given)."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        submission = Submission(
            organization_id=world["school"], round_id=world["round"],
            kind=SubmissionKind.REGISTRATION.value, created_by_id=world["staff2"],
            nominee_type="individual", nominee_name=name, position="Giáo viên", unit=unit,
            title_code=code, search_key=fold(name), data={}, facts={}, **columns,
        )  # fmt: skip
        session.add(submission)
        session.flush()
        return submission.id


# -- Live server and worker ------------------------------------------------------------------


@dataclass
class Live:
    url: str
    app: Any
    world: dict[str, int]
    worker_log: Path


@pytest.fixture(scope="package")
def live(
    playwright_api: Any,
    live_database: str,
    redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Live]:
    config = {
        "SECRET_KEY": "browser-test-secret",
        "DATABASE_URL": live_database,
        "REDIS_URL": redis_url,
        "QUEUE_NAME": QUEUE,
        "WTF_CSRF_ENABLED": True,
    }
    app = create_app(dict(config))
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"rq:*{QUEUE}*"):
        client.delete(key)
    client.close()
    world = seed_world(app)

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()

    logs = tmp_path_factory.mktemp("browser-worker")
    worker_log = logs / "worker.log"
    env = dict(os.environ)
    env.update({k: str(v) for k, v in config.items() if k != "WTF_CSRF_ENABLED"})
    env["PYTHONPATH"] = str(ROOT)
    with worker_log.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "worker", "--name", f"browser-{os.getpid()}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Live(f"http://127.0.0.1:{port}", app, world, worker_log)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["vanthu.db"].dispose()


@pytest.fixture(scope="package")
def browser(playwright_api: Any, live: Live) -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# -- One person at a browser -----------------------------------------------------------------


@dataclass
class Person:
    """A browser tab of one person: screenshots per step, console problems collected."""

    page: Any
    base_url: str
    shots: Path
    problems: list[str] = field(default_factory=list)
    step: int = 0
    manual_reloads: int = 0

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, name: str) -> Path:
        self.step += 1
        path = self.shots / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def login(self, key: str) -> None:
        self.open("/dang-nhap")
        self.page.get_by_label("Thư điện tử").fill(f"{key}@truong.edu.vn")
        self.page.get_by_label("Mật khẩu").fill(PASSWORD)
        self.shot(f"dang-nhap-{key}")
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_load_state()
        assert self.page.url.rstrip("/") != self.base_url + "/dang-nhap", "đăng nhập không được"

    def nav(self, label: str) -> None:
        """Click a link of the navigation bar."""
        self.page.locator("header nav").get_by_role("link", name=label, exact=True).click()
        self.page.wait_for_load_state()

    def wait_for_jobs(self, attempts: int = 8) -> None:
        """Wait until the page shows no running job. static/app.js reloads the page when a job
        ends; if that stalls (it stops polling after a failed fetch), do what the page tells
        a person to do: click "tải lại". Such manual reloads are counted for the report."""
        expect = _expect()
        boxes = self.page.locator("[data-poll-job]")
        for _ in range(attempts):
            try:
                expect(boxes).to_have_count(0, timeout=JOB_WAIT_MS // attempts)
                return
            except AssertionError:
                self.manual_reloads += 1
                self.page.reload()
        expect(boxes).to_have_count(0, timeout=JOB_WAIT_MS // attempts)

    def assert_clean_console(self) -> None:
        assert not self.problems, "Lỗi trong trình duyệt:\n" + "\n".join(self.problems)


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def _watch(page: Any, problems: list[str]) -> None:
    def console(message: Any) -> None:
        source = (message.location or {}).get("url", "")
        if message.type in ("error", "assert"):
            if source.endswith(IGNORED_404) and "404" in message.text:
                return
            problems.append(f"console {message.type} on {page.url} ({source}): {message.text}")
        elif message.type == "warning" and "Content Security Policy" in message.text:
            problems.append(f"CSP on {page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"pageerror on {page.url}: {error}"))


def _test_folder(request: pytest.FixtureRequest) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def person(browser: Any, live: Live, request: pytest.FixtureRequest) -> Iterator[Person]:
    """A fresh browser context (no cookies) for one test; the console is checked at the end."""
    context = browser.new_context(
        base_url=live.url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    who = Person(page=page, base_url=live.url, shots=_test_folder(request))
    _watch(page, who.problems)
    yield who
    context.close()
    if who.manual_reloads:
        print(f"\n{request.node.name}: trang phải tải lại tay {who.manual_reloads} lần")
