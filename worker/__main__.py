"""``python -m worker``: run an RQ worker on the app's queues (embedded Redis or REDIS_URL).

It serves interactive work first and bulk work when none is waiting (RQ reads its queues in
order); ``--only bulk`` (or ``interactive``) makes a dedicated worker for one class.

RQ's default worker forks a fresh work-horse per job, which would start (and lose) a
LibreOffice for every document. This one runs jobs in its own process (``SimpleWorker``)
so the PDF converter stays warm; jobs that read untrusted uploads (the plan parser) do that
in a child process with memory and time limits, so hostile input cannot take it down.
Scaling out is more of these processes, on any machine that reaches the database and Redis.

A stop (Ctrl-C, SIGTERM) is obeyed at any moment, starting up included: ``make run`` starts
the worker in the background, where bash has it ignore SIGINT until RQ's own handlers take
over, so until then our handlers end the process. RQ's loop that ends on an error (not on a
stop, not after its jobs) is started afresh after a pause (``worker.loop``).

Memory stays flat over long runs: after ``WORKER_MAX_JOBS`` jobs the worker stops its
LibreOffice and render server and starts afresh in the same process (``exec``: same PID, so
whatever supervises it sees no exit), and LibreOffice itself restarts every
``LIBREOFFICE_RESTART_AFTER`` conversions.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from types import FrameType

import redis
from flask import Flask
from rq.serializers import JSONSerializer

from outbox import embedded
from outbox.connection import get_queues
from outbox.connection import get_redis
from outbox.routing import WorkClass
from render import pdf
from web import create_app
from worker.loop import ServiceWorker
from worker.sweeper import Sweeper
from worker.sweeper import sweep
from worker.sweeper import sweep_notifications

# Seconds between RQ's loop ending on an error and the fresh start: long enough not to spin
# while Redis restarts, short enough that nobody waits for it.
RESTART_PAUSE = 2.0
MAX_REDIS_PAUSE = 30.0


def _exit_now(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _obey_stops() -> None:
    """Ctrl-C and SIGTERM end the process now (RQ installs its own while its loop runs)."""
    signal.signal(signal.SIGINT, _exit_now)
    signal.signal(signal.SIGTERM, _exit_now)


def main() -> None:
    _obey_stops()
    parser = argparse.ArgumentParser(description="Chạy tiến trình xử lý nền của vanthu.")
    parser.add_argument("--burst", action="store_true", help="xử lý hết hàng đợi rồi thoát")
    parser.add_argument("--name", default=None, help="tên worker (mặc định: tự sinh)")
    parser.add_argument(
        "--only",
        choices=[work_class.value for work_class in WorkClass],
        default=None,
        help="chỉ xử lý một loại việc: interactive (xem trước, kết xuất văn bản) "
        "hoặc bulk (đọc văn bản, OCR, lô giấy khen); mặc định cả hai, ưu tiên interactive",
    )
    options = parser.parse_args()
    app = create_app()
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    pdf.configure(restart_after=int(app.config["LIBREOFFICE_RESTART_AFTER"]))
    max_jobs = 0 if options.burst else int(app.config["WORKER_MAX_JOBS"])
    # Pick up rows stranded while no worker ran (Redis down, a worker killed), then keep
    # sweeping on a timer beside the job loop.
    try:
        sweep(app)
    except Exception:
        logging.getLogger(__name__).exception("first sweep failed; the timer retries")
    sweep_notifications(app)
    sweeper = None if options.burst else Sweeper(app)
    if sweeper:
        sweeper.start()
    if not options.burst and not app.config.get("REDIS_URL"):
        embedded.Supervisor(app.instance_path).start()  # restarts the embedded Redis
    with app.app_context():
        worker = _work_once_redis_answers(app, options, max_jobs)
    _obey_stops()  # RQ's handlers would raise StopRequested out of the pause below
    # work() returns when stopped (Ctrl-C, SIGTERM: we exit), after max_jobs jobs, or when
    # its loop gave up on an error (both: a fresh start).
    if worker.ended_unexpectedly(options.burst, max_jobs or None):
        app.logger.error("the job loop ended on an error; starting afresh in %.0f s", RESTART_PAUSE)
        time.sleep(RESTART_PAUSE)
        start_afresh(app, "the job loop ended on an error")
    elif max_jobs and worker.jobs_run >= max_jobs and not worker.stop_signalled:
        start_afresh(app, f"worker ran {max_jobs} jobs (WORKER_MAX_JOBS)")


def _work_once_redis_answers(
    app: Flask, options: argparse.Namespace, max_jobs: int
) -> ServiceWorker:
    """Run RQ's loop; while Redis does not answer as it starts (RQ registers the worker
    first, outside the loop that waits for Redis), wait and try again, with back-off."""
    pause = RESTART_PAUSE
    while True:
        try:
            worker = ServiceWorker(
                get_queues(app, WorkClass(options.only) if options.only else None),
                connection=get_redis(app),
                serializer=JSONSerializer,
                name=options.name,
            )
            worker.work(
                burst=options.burst,
                logging_level=app.config["LOG_LEVEL"],
                max_jobs=max_jobs or None,
            )
            return worker
        except redis.exceptions.ConnectionError as exc:
            if options.burst:
                raise
            _obey_stops()
            app.logger.error("Redis does not answer (%s); trying again in %.0f s", exc, pause)
            time.sleep(pause)
            pause = min(pause * 2, MAX_REDIS_PAUSE)


def start_afresh(app: Flask, reason: str) -> None:
    """Replace this process by a new worker (same PID and arguments), after stopping what
    it started: LibreOffice and the render server do not outlive an ``exec`` cleanly."""
    from worker.render_sandbox import shutdown

    app.logger.warning("%s: starting afresh", reason)
    pdf.get_converter().close()
    shutdown()
    logging.shutdown()
    os.execv(sys.executable, [sys.executable, "-m", "worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
