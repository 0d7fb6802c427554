"""``python -m worker``: run an RQ worker on the app's queues (embedded Redis or REDIS_URL).

It serves interactive work first and bulk work when none is waiting (RQ reads its queues in
order); ``--only bulk`` (or ``interactive``) makes a dedicated worker for one class.

RQ's default worker forks a fresh work-horse per job, which would start (and lose) a
LibreOffice for every document. This one runs jobs in its own process (``SimpleWorker``)
so the PDF converter stays warm; jobs that read untrusted uploads (the plan parser) do that
in a child process with memory and time limits, so hostile input cannot take it down.
Scaling out is more of these processes, on any machine that reaches the database and Redis.

Memory stays flat over long runs: after ``WORKER_MAX_JOBS`` jobs the worker stops its
LibreOffice and render server and starts afresh in the same process (``exec``: same PID, so
whatever supervises it sees no exit), and LibreOffice itself restarts every
``LIBREOFFICE_RESTART_AFTER`` conversions.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from flask import Flask
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from outbox import embedded
from outbox.connection import get_queues
from outbox.connection import get_redis
from outbox.routing import WorkClass
from render import pdf
from web import create_app
from worker.sweeper import Sweeper
from worker.sweeper import sweep
from worker.sweeper import sweep_notifications


def main() -> None:
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
        worker = SimpleWorker(
            get_queues(app, WorkClass(options.only) if options.only else None),
            connection=get_redis(app),
            serializer=JSONSerializer,
            name=options.name,
        )
        ran = worker.work(
            burst=options.burst,
            logging_level=app.config["LOG_LEVEL"],
            max_jobs=max_jobs or None,
        )
    # work() returns after max_jobs jobs, or when stopped (Ctrl-C, SIGTERM): then we exit.
    if max_jobs and ran and not worker._stop_requested:
        start_afresh(app, max_jobs)


def start_afresh(app: Flask, jobs: int) -> None:
    """Replace this process by a new worker (same PID and arguments), after stopping what
    it started: LibreOffice and the render server do not outlive an ``exec`` cleanly."""
    from worker.render_sandbox import shutdown

    app.logger.warning("worker ran %d jobs (WORKER_MAX_JOBS): starting afresh", jobs)
    pdf.get_converter().close()
    shutdown()
    logging.shutdown()
    os.execv(sys.executable, [sys.executable, "-m", "worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
