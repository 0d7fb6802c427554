"""The RQ worker class ``python -m worker`` runs, and how it tells a stop from a stumble.

RQ's ``SimpleWorker`` is right for us (jobs run in this process, so LibreOffice stays warm),
but its loop has two habits that a service cannot keep:

- a Redis error outside the dequeue call (the registry cleaning it does every ten minutes,
  the suspension check on every turn) counts as an "unhandled exception" and ends the loop,
  so one Redis restart at the wrong moment stopped the worker for good (and, under
  ``make run``, the whole service with it);
- a stop asked while idle leaves no trace on the worker (``_stop_requested`` is set only
  when a job is in flight), so the caller cannot tell Ctrl-C from the loop giving up.

This class rides out Redis errors in those two places (the dequeue call right after them
already waits and retries with back-off) and records every stop signal and every job run.
"""

from __future__ import annotations

from types import FrameType
from typing import Any

import redis
from rq import SimpleWorker


class ServiceWorker(SimpleWorker):
    """A ``SimpleWorker`` that keeps its loop through Redis outages and remembers stops."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jobs_run = 0
        self.stop_signalled = False

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signalled = True
        super().request_stop(signum, frame)

    def execute_job(self, job: Any, queue: Any) -> None:
        try:
            super().execute_job(job, queue)
        finally:
            self.jobs_run += 1

    def run_maintenance_tasks(self) -> None:
        try:
            super().run_maintenance_tasks()
        except redis.exceptions.ConnectionError as exc:
            # Not cleaned: it is tried again on the next turn, once Redis answers.
            self.log.warning("Redis unreachable, registry cleaning put off: %s", exc)

    def check_for_suspension(self, burst: bool) -> None:
        try:
            super().check_for_suspension(burst)
        except redis.exceptions.ConnectionError as exc:
            self.log.warning("Redis unreachable, suspension not checked: %s", exc)

    def ended_unexpectedly(self, burst: bool, max_jobs: int | None) -> bool:
        """True when ``work()`` returned though nobody asked it to stop, no burst was
        asked, and it had not run its ``max_jobs``: RQ's loop gave up on an error."""
        if burst or self.stop_signalled or self._stop_requested:
            return False
        return not (max_jobs and self.jobs_run >= max_jobs)
