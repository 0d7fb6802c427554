"""Simulated users for ``bench.load``: one thread per user, a cookie jar each, plain urllib.

Staff sign in, open the start page, open a nomination form, post it with the page's CSRF
token, and look at "Hồ sơ của tôi". Clerks search the review list, open one nomination,
open the documents list and now and then create a công văn (which queues a render job).
Every user also fetches ``/static/style.css`` once per round, interleaved with the pages,
so page latency can be read as a ratio to a static file served by the same processes
under the same load.
"""

from __future__ import annotations

import http.cookiejar
import random
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
REVIEW_LINK = re.compile(r'href="/xet-duyet/(\d+)"')
STATIC = "static /static/style.css"

# Names the staff nominate; clerks search for them (without diacritics, as people type).
NOMINEES = (
    ("Nguyễn Thị Ánh", "nguyen thi anh"),
    ("Trần Văn Đức", "tran van duc"),
    ("Lê Thị Hồng Nhung", "le thi hong"),
    ("Phạm Quốc Bảo", "pham quoc bao"),
    ("Đỗ Minh Khoa", "do minh khoa"),
    ("Võ Thị Lan Anh", "vo thi lan"),
    ("Huỳnh Ngọc Trâm", "huynh ngoc tram"),
    ("Bùi Thanh Tùng", "bui thanh tung"),
)


@dataclass
class Sample:
    name: str
    status: int  # 0: the request raised
    seconds: float
    ok: bool
    at: float  # perf_counter when it finished


@dataclass
class Recorder:
    """Every request's outcome, from all user threads."""

    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, problem: str = "") -> None:
        with self.lock:
            self.samples.append(sample)
            if problem:
                self.errors.append(problem)


class _KeepStatus(urllib.request.HTTPErrorProcessor):
    """Hand every response back as it is: a 302 is an answer to measure, not to follow."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Browser:
    """One user's HTTP client: its own cookie jar, no redirects followed, every request timed."""

    def __init__(self, base: str, recorder: Recorder, timeout: float = 60.0) -> None:
        self.base = base
        self.recorder = recorder
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _KeepStatus()
        )

    def request(
        self,
        name: str,
        path: str,
        data: dict[str, str] | None = None,
        expect: int = 200,
    ) -> tuple[int, str, str]:
        """(status, body, Location) of one GET (or POST when ``data``); records the sample."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status = response.status
                text = response.read().decode("utf-8", errors="replace")
                location = response.headers.get("Location", "")
        except Exception as exc:  # noqa: BLE001 — any failure is an error to report
            finished = time.perf_counter()
            self.recorder.add(
                Sample(name, 0, finished - started, False, finished),
                f"{name}: {type(exc).__name__}: {exc}",
            )
            return 0, "", ""
        finished = time.perf_counter()
        ok = status == expect
        problem = "" if ok else f"{name}: HTTP {status} (expected {expect}): {_snippet(text)}"
        self.recorder.add(Sample(name, status, finished - started, ok, finished), problem)
        return status, text, location

    def token(self, page: str, name: str) -> str:
        match = TOKEN.search(page)
        if match is None:
            with self.recorder.lock:
                self.recorder.errors.append(f"{name}: no csrf_token on the page")
            return ""
        return match.group(1)


def _snippet(text: str) -> str:
    """A short, readable piece of an error page (its title and first message)."""
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    return plain[:200]


@dataclass
class Scenario:
    """What every user thread needs to know about the instance under load."""

    base: str
    round_id: int
    password: str
    document_form: dict[str, str]
    recorder: Recorder
    # Set by the main thread once every user has signed in: the measured window starts
    # then, so the sign-in burst (scrypt, on purpose slow) is reported on its own.
    go: threading.Event = field(default_factory=threading.Event)
    stop_at: float = 0.0
    document_every: int = 5
    think: tuple[float, float] = (0.05, 0.2)


class User(threading.Thread):
    """A simulated person: signs in, then repeats ``one_round`` until the time is up."""

    def __init__(self, scenario: Scenario, email: str, seed: int) -> None:
        super().__init__(daemon=True, name=email)
        self.scenario = scenario
        self.email = email
        self.random = random.Random(seed)
        self.browser = Browser(scenario.base, scenario.recorder)
        self.iterations = 0
        self.signed_in = False
        self.ready = threading.Event()  # set once the sign-in is over (either way)

    def think(self) -> None:
        low, high = self.scenario.think
        time.sleep(self.random.uniform(low, high))

    def login(self) -> bool:
        _, page, _ = self.browser.request("login form GET /dang-nhap", "/dang-nhap")
        token = self.browser.token(page, "login form")
        status, _, _ = self.browser.request(
            "login POST /dang-nhap",
            "/dang-nhap",
            {"email": self.email, "password": self.scenario.password, "csrf_token": token},
            expect=302,
        )
        return status == 302

    def run(self) -> None:
        try:
            self.signed_in = self.login()
            self.ready.set()
            self.scenario.go.wait()
            if not self.signed_in:
                return
            while time.perf_counter() < self.scenario.stop_at:
                self.one_round()
                self.static()
                self.iterations += 1
        except Exception as exc:  # noqa: BLE001 — a crashed user must show up as an error
            with self.scenario.recorder.lock:
                self.scenario.recorder.errors.append(f"{self.email}: {type(exc).__name__}: {exc}")
        finally:
            self.ready.set()

    def static(self) -> None:
        self.think()
        self.browser.request(STATIC, "/static/style.css")

    def one_round(self) -> None:
        raise NotImplementedError


class Staff(User):
    """Start page → nomination form → post it → "Hồ sơ của tôi"."""

    def one_round(self) -> None:
        b = self.browser
        self.think()
        b.request("start page GET /", "/")
        slug, label = self.random.choice(
            (("khen-thuong", "commendation"), ("dien-hinh", "exemplary"))
        )
        path = f"/dot/{self.scenario.round_id}/{slug}"
        self.think()
        _, page, _ = b.request(f"{label} form GET /dot/<id>/{slug}", path)
        token = b.token(page, f"{label} form")
        self.think()
        b.request(
            f"{label} POST (nomination)",
            path,
            self.nomination(slug) | {"csrf_token": token},
            expect=302,
        )
        self.think()
        b.request("my submissions GET /ho-so", "/ho-so")

    def nomination(self, slug: str) -> dict[str, str]:
        name, _ = self.random.choice(NOMINEES)
        if slug == "khen-thuong":
            return {
                "nominee_type": "individual",
                "nominee_name": name,
                "form_code": "GIAY_KHEN",
                "period": "Năm học 2024-2025",
                "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học 2024-2025.",
            }
        return {
            "nominee_type": "individual",
            "nominee_name": name,
            "position": "Giáo viên",
            "unit": self.random.choice(("Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên")),
            "field": "Đổi mới phương pháp dạy học",
            "achievements": "Có 3 học sinh đạt giải cấp tỉnh.\nChủ trì chuyên đề cấp trường.",
        }


class Clerk(User):
    """Review list with a search → one nomination → documents list → sometimes a công văn."""

    def one_round(self) -> None:
        b = self.browser
        _, query = self.random.choice(NOMINEES)
        self.think()
        _, page, _ = b.request(
            "review list GET /xet-duyet/?q=…", "/xet-duyet/?" + urllib.parse.urlencode({"q": query})
        )
        ids = REVIEW_LINK.findall(page)
        if ids:
            self.think()
            b.request("review detail GET /xet-duyet/<id>", f"/xet-duyet/{self.random.choice(ids)}")
        self.think()
        b.request("documents list GET /van-ban/", "/van-ban/")
        if self.random.randrange(self.scenario.document_every) == 0:
            self.create_document()

    def create_document(self) -> None:
        b = self.browser
        self.think()
        _, page, _ = b.request("document form GET /van-ban/moi/cong_van", "/van-ban/moi/cong_van")
        token = b.token(page, "document form")
        self.think()
        b.request(
            "document POST /van-ban/moi/cong_van (queues render)",
            "/van-ban/moi/cong_van",
            self.scenario.document_form | {"csrf_token": token},
            expect=302,
        )


def start_users(
    scenario: Scenario,
    staff_emails: list[str],
    clerk_emails: list[str],
    seed: int,
) -> list[User]:
    """Start one thread per e-mail (clerk accounts may repeat: one person, several tabs)."""
    makers: list[tuple[Callable[..., User], str]] = [(Staff, e) for e in staff_emails]
    makers += [(Clerk, e) for e in clerk_emails]
    users = [maker(scenario, email, seed * 1000 + i) for i, (maker, email) in enumerate(makers)]
    for user in users:
        user.start()
    return users


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """count, rate, p50/p95/p99 (ms), errors of a list of samples."""
    times = sorted(s.seconds for s in samples)
    return {
        "count": len(samples),
        "per_second": len(samples) / seconds if seconds else 0.0,
        "p50_ms": _percentile(times, 50) * 1000,
        "p95_ms": _percentile(times, 95) * 1000,
        "p99_ms": _percentile(times, 99) * 1000,
        "errors": sum(1 for s in samples if not s.ok),
    }


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without float rounding surprises
    return ordered[int(rank) - 1]
