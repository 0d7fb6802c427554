"""Errors a job raises on purpose: each carries a Vietnamese message shown to the user.

JobError            -- the job cannot be done as asked (bad input, missing record): permanent
RetryableJobError   -- something it depends on is briefly unavailable: tried again later
Deferred            -- not a failure: the job waits for another job's work; it goes back in
                       the queue for a while, freeing its worker, without counting a try
"""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import VanthuError


class JobError(VanthuError):
    """A job failed for a reason the user should read; the worker carries on."""

    code = "job_failed"
    status = 500


class RetryableJobError(JobError):
    """A transient failure: the job is queued again with backoff (up to JOB_MAX_ATTEMPTS)."""

    code = "job_retrying"
    status = 503


class Deferred(Exception):  # noqa: N818 -- control flow, not an error: "the job is deferred"
    """Raised by a job that must wait for work another job is doing (the same file being
    read for another school): the runner queues it again ``seconds`` later without counting
    a try, so the worker serves other jobs meanwhile instead of sleeping in this one."""

    def __init__(
        self, seconds: float, message: str = "", then: Callable[[], None] | None = None
    ) -> None:
        super().__init__(message or "deferred")
        self.seconds = seconds
        self.message = message
        # Called once the job is queued again (committed): a job parked until another's
        # work ends looks once more, so that an end it missed meanwhile is not lost.
        self.then = then
