"""Many people at once: the real web and worker processes under simulated users.

Run from the project root::

    .venv/bin/python -m bench.load --users 20 --seconds 60 --workers 2

A temporary instance is built (a SQLite file, or the database in DATABASE_URL; the
embedded Redis, or REDIS_URL, with a private queue name), migrated and filled with one
organization, 20 staff accounts, 3 clerks and an open round. Then the production stack
starts on loopback: ``gunicorn --workers N "web:create_app()"`` and ``python -m worker``
process(es), CSRF on. About 70 % of the simulated users are staff (sign in; start page,
a nomination form, post it with the page's token, "Hồ sơ của tôi"), the rest clerks (the
review list with a search, one nomination, the documents list, and about one round in
five a new công văn, which queues a render job). Each user also fetches a static file
once per round: page latencies are given as a ratio to it, measured in the same run.
Before the load, one staff member and one clerk run the same rounds for a few seconds
(``--quiet-seconds``): each page's latency with little queueing, for comparison.

Reported: requests/s and p50/p95/p99 latency per request type and overall, errors (any
unexpected status or exception: the run exits 1 unless there are none), the resident
memory of the gunicorn master, each gunicorn worker and each rq worker (and the
LibreOffice it started) at the start and end, render jobs created vs completed and the
time the worker(s) needed to clear the backlog. The machine's other load shows up in the
figures (the load average is printed): compare ratios, not absolute values.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis
from rq import Queue
from rq import Worker
from sqlalchemy import func
from sqlalchemy import select

from bench.load_users import STATIC
from bench.load_users import Recorder
from bench.load_users import Scenario
from bench.load_users import start_users
from bench.load_users import summarise
from outbox import embedded
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Job
from storage.models import Organization
from storage.models import Role
from storage.models import Round
from storage.models import User
from views.auth import hash_password

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "BenchTai123"
SECRET = "bench-load-secret"
STAFF_ACCOUNTS = 20
CLERK_ACCOUNTS = 3
DOCUMENT_KIND = "cong_van"


# -- the instance ------------------------------------------------------------------------


class Instance:
    """Database, Redis, queue name and the accounts the simulated users sign in with."""

    def __init__(self, work: Path, staff_users: int) -> None:
        self.tag = uuid.uuid4().hex[:8]
        self.embedded_redis = not os.environ.get("REDIS_URL")
        self.redis_folder = work / "redis"
        self.database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'load.sqlite3'}"
        self.backend = "PostgreSQL" if "postgres" in self.database_url else "SQLite"
        self.redis_url = os.environ.get("REDIS_URL") or embedded.ensure_running(self.redis_folder)
        self.queue = f"vanthu-load-{self.tag}"
        self.staff_emails = [
            f"gv{i:02d}-{self.tag}@load.bench.vn" for i in range(max(STAFF_ACCOUNTS, staff_users))
        ]
        self.clerk_emails = [f"vt{i}-{self.tag}@load.bench.vn" for i in range(CLERK_ACCOUNTS)]
        try:
            upgrade(self.database_url)
            self.db = Database(self.database_url)
            self._fill()
        except BaseException:
            if self.embedded_redis:  # no redis-server left behind in a deleted folder
                embedded.stop(self.redis_folder)
            raise

    def _fill(self) -> None:
        from render.manifest import load_manifest

        org = load_manifest(DOCUMENT_KIND).sample["org"]
        password_hash = hash_password(PASSWORD)  # scrypt is slow on purpose: hash once
        today = date.today()
        with self.db.session() as session:
            organization = Organization(
                name=org["issuer"].upper(),
                parent_name=org["parent_issuer"].upper(),
                abbrev=org["issuer_abbrev"],
                place=org["place"],
                head_title="HIỆU TRƯỞNG",
                head_name="Nguyễn Văn An",
                settings={},
            )
            session.add(organization)
            session.flush()
            units = ("Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Ngoại ngữ")
            for i, email in enumerate(self.staff_emails):
                session.add(
                    User(
                        organization_id=organization.id,
                        email=email,
                        full_name=f"Giáo viên Số {i + 1}",
                        unit=units[i % len(units)],
                        role=Role.STAFF.value,
                        password_hash=password_hash,
                    )
                )
            for i, email in enumerate(self.clerk_emails):
                session.add(
                    User(
                        organization_id=organization.id,
                        email=email,
                        full_name=f"Văn thư Số {i + 1}",
                        unit="Văn phòng",
                        role=Role.CLERK.value,
                        password_hash=password_hash,
                    )
                )
            round_ = Round(
                organization_id=organization.id,
                name="Năm học 2025-2026",
                school_year="2025-2026",
                reference_date=date(2026, 5, 31),
                ruleset_id="ND152_2025",
                registration_opens=today - timedelta(days=5),
                registration_closes=today + timedelta(days=5),
                nomination_opens=today - timedelta(days=5),
                nomination_closes=today + timedelta(days=5),
            )
            session.add(round_)
            session.flush()
            self.org_id, self.round_id = organization.id, round_.id

    def env(self) -> dict[str, str]:
        return dict(
            os.environ,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            QUEUE_NAME=self.queue,
            SECRET_KEY=SECRET,
            LOG_LEVEL="WARNING",
        )

    def job_counts(self) -> dict[str, int]:
        with self.db.session() as session:
            rows = session.execute(
                select(Job.status, func.count())
                .where(Job.organization_id == self.org_id)
                .group_by(Job.status)
            ).all()
        return {status: count for status, count in rows}

    def job_errors(self) -> list[str]:
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(Job.error).where(
                        Job.organization_id == self.org_id, Job.status == "failed"
                    )
                )
            )

    def close(self) -> None:
        self.db.dispose()
        if self.embedded_redis:
            embedded.stop(self.redis_folder)
            return
        client = redis.Redis.from_url(self.redis_url)
        try:  # leave a shared server as found: the queue's keys and its jobs' hashes
            for pattern in (f"*{self.queue}*", f"rq:worker:load-{self.tag}-*"):
                for key in client.scan_iter(pattern):
                    client.delete(key)
            client.srem("rq:queues", f"rq:queue:{self.queue}")
            for key in client.scan_iter("rq:job:*"):
                if key.count(b":") == 2 and client.hget(key, "origin") == self.queue.encode():
                    job_id = key.decode().removeprefix("rq:job:")
                    client.delete(key, f"rq:results:{job_id}", f"rq:job:{job_id}:dependents")
        finally:
            client.close()


def document_form() -> dict[str, str]:
    """The POST data of the new-công-văn form for the manifest's sample (without CSRF)."""
    from forms.documents import post_data
    from render.manifest import load_manifest

    manifest = load_manifest(DOCUMENT_KIND)
    header = {k: v for k, v in manifest.sample["header"].items() if k != "number"}
    return post_data(DOCUMENT_KIND, header, manifest.sample["body"])


# -- processes ---------------------------------------------------------------------------


class Stack:
    """gunicorn and ``python -m worker`` processes, each in its own process group."""

    def __init__(self, instance: Instance, work: Path, web_workers: int, rq_workers: int) -> None:
        self.instance = instance
        self.work = work
        self.web_workers = web_workers
        self.rq_count = rq_workers
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.gunicorn: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        out = open(self.work / log, "wb")  # noqa: SIM115 — closed with the process
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.instance.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own group: stopping it also stops LibreOffice children
        )

    def start(self, timeout: float = 90.0) -> None:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.gunicorn = self._spawn(
            [
                gunicorn,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.web_workers),
                "--log-level",
                "warning",
                "web:create_app()",
            ],
            "gunicorn.log",
        )
        for i in range(self.rq_count):
            self.workers.append(
                self._spawn(
                    [sys.executable, "-m", "worker", "--name", f"load-{self.instance.tag}-{i}"],
                    f"worker-{i}.log",
                )
            )
        deadline = time.monotonic() + timeout
        while not self._ready():
            for process in [self.gunicorn, *self.workers]:
                if process.poll() is not None:
                    raise RuntimeError(f"process {process.args!r} exited early:\n{self.logs()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stack did not start in {timeout:.0f} s:\n{self.logs()}")
            time.sleep(0.3)

    def _ready(self) -> bool:
        assert self.gunicorn is not None
        if len(descendants(self.gunicorn.pid, deep=False)) < self.web_workers:
            return False
        for _ in range(2 * self.web_workers):  # every booted worker answers
            try:
                with urllib.request.urlopen(self.base + "/dang-nhap", timeout=5) as response:
                    if response.status != 200:
                        return False
            except OSError:
                return False
        connection = redis.Redis.from_url(self.instance.redis_url)
        try:
            queue = Queue(self.instance.queue, connection=connection)
            return len(Worker.all(queue=queue)) >= self.rq_count
        finally:
            connection.close()

    def memory(self) -> list[dict[str, Any]]:
        """Resident memory (MiB) of every process of the stack, by role."""
        assert self.gunicorn is not None
        rows: list[dict[str, Any]] = [{"process": "gunicorn master", "pid": self.gunicorn.pid}]
        for i, pid in enumerate(sorted(descendants(self.gunicorn.pid, deep=False)), start=1):
            rows.append({"process": f"gunicorn worker {i}", "pid": pid})
        for i, process in enumerate(self.workers, start=1):
            rows.append({"process": f"rq worker {i}", "pid": process.pid})
            children = descendants(process.pid, deep=True)
            rows.append(
                {
                    "process": f"rq worker {i}: children (LibreOffice)",
                    "pid": None,
                    "pids": children,
                    "rss_mib": sum(rss_mib(pid) for pid in children),
                }
            )
        for row in rows:
            if row["pid"] is not None:
                row["rss_mib"] = rss_mib(row["pid"])
        return rows

    def logs(self, tail: int = 3000) -> str:
        parts = []
        for path in sorted(self.work.glob("*.log")):
            text = path.read_text(errors="replace")
            if text.strip():
                parts.append(f"--- {path.name} ---\n{text[-tail:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        processes = [p for p in [self.gunicorn, *self.workers] if p is not None]
        for process in processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)  # leftovers of the group (LibreOffice)
            process.wait()


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # the group we created for this process only
    except ProcessLookupError:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int, *, deep: bool) -> list[int]:
    """Child processes of ``pid`` (all descendants when ``deep``), from /proc."""
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        children: list[int] = []
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                children += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
        found += children
        if deep:
            pending += children
    return found


def rss_mib(pid: int) -> float:
    """VmRSS of one process in MiB (0 when it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# -- the run -----------------------------------------------------------------------------


def run(options: argparse.Namespace) -> dict[str, Any]:
    clerks = max(1, round(options.users * 0.3)) if options.users > 1 else 0
    staff = options.users - clerks
    result: dict[str, Any] = {
        "users": options.users,
        "staff_users": staff,
        "clerk_users": clerks,
        "seconds": options.seconds,
        "gunicorn_workers": options.workers,
        "rq_workers": options.rq_workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-load-") as work_dir:
        work = Path(work_dir)
        instance = Instance(work, staff)
        stack = Stack(instance, work, options.workers, options.rq_workers)
        result["database"] = instance.backend
        result["redis"] = "embedded" if instance.embedded_redis else "server (REDIS_URL)"
        try:
            stack.start()
            result["memory_start"] = stack.memory()
            clerk_emails = [
                instance.clerk_emails[i % len(instance.clerk_emails)] for i in range(clerks)
            ]
            if options.quiet_seconds > 0:
                # Two users (one staff, one clerk) on the same stack first: each page's cost
                # with little queueing, for comparison with the same page under the load.
                quiet = _phase(
                    stack, instance, options, instance.staff_emails[:1],
                    instance.clerk_emails[:1], options.quiet_seconds, options.seed + 1,
                )  # fmt: skip
                result["quiet"] = _by_name(quiet.recorder, quiet.elapsed)
                result["quiet_errors"] = _error_counts(quiet.recorder)
            jobs_before = sum(instance.job_counts().values())
            result["load_average_start"] = os.getloadavg()
            load = _phase(
                stack, instance, options, instance.staff_emails[:staff], clerk_emails,
                options.seconds, options.seed,
            )  # fmt: skip
            recorder, elapsed = load.recorder, load.elapsed
            result["sign_in_seconds"] = load.sign_in_seconds
            result["load_average_end"] = os.getloadavg()
            result["memory_end"] = stack.memory()
            result["jobs_at_end"] = instance.job_counts()
            result["drain_seconds"] = _drain(instance, options.drain)
            result["jobs_after_drain"] = instance.job_counts()
            result["memory_after_drain"] = stack.memory()
            _summarise(result, recorder, elapsed)
            for message, count in result.get("quiet_errors", {}).items():
                result["error_messages"][f"(2-user phase) {message}"] = count
                result["errors"] += count
            result["iterations"] = load.iterations
            result["jobs_before_load"] = jobs_before
            result["job_errors"] = instance.job_errors()
            if result["errors"] or result["job_errors"]:
                result["server_logs"] = stack.logs()
        finally:
            stack.stop()
            instance.close()
    return result


@dataclass
class Phase:
    recorder: Recorder
    sign_in_seconds: float
    elapsed: float
    iterations: int


def _phase(
    stack: Stack,
    instance: Instance,
    options: argparse.Namespace,
    staff_emails: list[str],
    clerk_emails: list[str],
    seconds: float,
    seed: int,
) -> Phase:
    """Sign everyone in, then let them all work for ``seconds`` (the measured window)."""
    recorder = Recorder()
    scenario = Scenario(
        base=stack.base,
        round_id=instance.round_id,
        password=PASSWORD,
        document_form=document_form(),
        recorder=recorder,
        document_every=options.document_every,
    )
    signing_in = time.perf_counter()
    users = start_users(scenario, staff_emails, clerk_emails, seed)
    for user in users:
        while not user.ready.wait(timeout=0.5):  # short waits: Ctrl-C stays responsive
            pass
    started = time.perf_counter()
    scenario.stop_at = started + seconds
    scenario.go.set()
    for user in users:
        while user.is_alive():
            user.join(timeout=0.5)
    return Phase(
        recorder,
        started - signing_in,
        time.perf_counter() - started,
        sum(u.iterations for u in users),
    )


def _drain(instance: Instance, limit: float) -> float | None:
    """Seconds until no render job is queued or running (None if not within ``limit``)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        counts = instance.job_counts()
        if not counts.get("queued") and not counts.get("running"):
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def _summarise(result: dict[str, Any], recorder: Recorder, elapsed: float) -> None:
    sign_in = [s for s in recorder.samples if s.name.startswith("login")]
    result["sign_in"] = summarise(sign_in, result["sign_in_seconds"])
    result["elapsed"] = elapsed
    result["requests"] = _by_name(recorder, elapsed)
    samples = [s for s in recorder.samples if not s.name.startswith("login")]
    result["overall"] = summarise(samples, elapsed)
    result["pages"] = summarise([s for s in samples if s.name != STATIC], elapsed)
    static_p50 = result["requests"].get(STATIC, {}).get("p50_ms") or 0.0
    for summary in (result["overall"], result["pages"]):
        summary["p50_vs_static"] = summary["p50_ms"] / static_p50 if static_p50 else None
    counts = _error_counts(recorder)
    result["errors"] = sum(counts.values())
    result["error_messages"] = counts


def _by_name(recorder: Recorder, elapsed: float) -> dict[str, dict[str, Any]]:
    """Summary per request type (sign-in excluded), in the order a user meets them."""
    samples = [s for s in recorder.samples if not s.name.startswith("login")]
    first_seen = {s.name: -i for i, s in enumerate(reversed(samples))}
    names = sorted(first_seen, key=lambda n: (n == STATIC, _order(n), first_seen[n]))
    summaries = {n: summarise([s for s in samples if s.name == n], elapsed) for n in names}
    static_p50 = summaries.get(STATIC, {}).get("p50_ms") or 0.0
    for summary in summaries.values():
        summary["p50_vs_static"] = summary["p50_ms"] / static_p50 if static_p50 else None
    return summaries


def _error_counts(recorder: Recorder) -> dict[str, int]:
    counts: dict[str, int] = {}
    for problem in recorder.errors:
        counts[problem] = counts.get(problem, 0) + 1
    return counts


ORDER = ("start", "commendation", "exemplary", "my ", "review", "documents", "document")


def _order(name: str) -> int:
    return next((i for i, prefix in enumerate(ORDER) if name.startswith(prefix)), len(ORDER))


# -- the report --------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    load_start = " / ".join(f"{v:.2f}" for v in result["load_average_start"])
    load_end = " / ".join(f"{v:.2f}" for v in result["load_average_end"])
    lines = [
        f"**{result['users']} users** ({result['staff_users']} staff, "
        f"{result['clerk_users']} clerk(s)) for {result['elapsed']:.0f} s; {result['database']}, "
        f"Redis {result['redis']}; gunicorn {result['gunicorn_workers']} sync workers, "
        f"{result['rq_workers']} rq worker(s); {result['cpus']} CPUs, load average "
        f"(1/5/15 min) {load_start} before, {load_end} after.",
        "",
        "| request | count | req/s | p50 ms | p95 ms | p99 ms | p50 ÷ static | errors "
        "| 2 users: p50 ms | 2 users: ÷ static |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    quiet = result.get("quiet", {})
    rows = [*result["requests"].items()]
    rows += [
        ("**all pages (no static)**", result["pages"]),
        ("**all requests**", result["overall"]),
    ]
    for name, s in rows:
        alone = quiet.get(name)
        lines.append(
            f"| {name} | {s['count']} | {s['per_second']:.1f} | {s['p50_ms']:.0f} | "
            f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} | {_ratio(s)} | {s['errors']} | "
            + (f"{alone['p50_ms']:.0f} | {_ratio(alone)} |" if alone else "— | — |")
        )
    lines += ["", "| process | RSS start MiB | RSS end of load MiB | RSS after drain MiB |"]
    lines.append("|---|---:|---:|---:|")
    by_name = {
        key: {row["process"]: row["rss_mib"] for row in result[key]}
        for key in ("memory_start", "memory_end", "memory_after_drain")
    }
    names = list(dict.fromkeys([*by_name["memory_start"], *by_name["memory_end"]]))
    for name in names:
        cells = [by_name[key].get(name) for key in by_name]
        lines.append(
            f"| {name} | " + " | ".join("—" if c is None else f"{c:.0f}" for c in cells) + " |"
        )
    sign_in = result["sign_in"]
    lines += [
        "",
        f"Sign-in before the measured window (login form + POST, scrypt): "
        f"{result['users']} users in {result['sign_in_seconds']:.1f} s; "
        f"p50 {sign_in['p50_ms']:.0f} ms, p95 {sign_in['p95_ms']:.0f} ms, "
        f"{sign_in['errors']} error(s).",
    ]
    at_end, after = result["jobs_at_end"], result["jobs_after_drain"]
    created = sum(at_end.values()) - result["jobs_before_load"]
    drain = result["drain_seconds"]
    lines += [
        "",
        f"Render jobs: {created} created during the load ({sum(at_end.values())} in the whole "
        f"run); at the end of the load {at_end.get('done', 0)} done, "
        f"{at_end.get('queued', 0) + at_end.get('running', 0)} waiting or running, "
        f"{at_end.get('failed', 0)} failed. Backlog cleared "
        + (f"{drain:.1f} s after the load stopped" if drain is not None else "NOT within the limit")
        + f" ({after.get('done', 0)} done, {after.get('failed', 0)} failed).",
    ]
    return "\n".join(lines)


def _ratio(summary: dict[str, Any]) -> str:
    return f"{summary['p50_vs_static']:.1f}×" if summary.get("p50_vs_static") else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (threads)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--rq-workers", type=int, default=1, help="python -m worker processes")
    parser.add_argument(
        "--quiet-seconds", type=float, default=10, help="2-user phase before the load (0: none)"
    )
    parser.add_argument("--document-every", type=int, default=5, help="1 clerk round in N")
    parser.add_argument("--drain", type=float, default=180, help="longest wait for the backlog")
    parser.add_argument("--seed", type=int, default=1, help="seed of think times and choices")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    options = parser.parse_args()

    def _terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt  # run()'s finally stops the processes

    signal.signal(signal.SIGTERM, _terminate)
    try:
        result = run(options)
    except KeyboardInterrupt:
        print("bench.load: interrupted; processes stopped", file=sys.stderr)
        raise SystemExit(130) from None
    print(markdown(result))
    if options.json:
        options.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    failures = result["errors"] + len(result["job_errors"])
    if failures:
        print(f"\n{result['errors']} request error(s):", file=sys.stderr)
        for message, count in sorted(result["error_messages"].items(), key=lambda i: -i[1])[:30]:
            print(f"  {count}× {message}", file=sys.stderr)
        for error in result["job_errors"][:10]:
            print(f"  failed job: {error}", file=sys.stderr)
        print(result.get("server_logs", ""), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
