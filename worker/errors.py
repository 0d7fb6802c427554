"""Errors a job raises on purpose: each carries a Vietnamese message shown to the user.

JobError            -- the job cannot be done as asked (bad input, missing record): permanent
RetryableJobError   -- something it depends on is briefly unavailable: tried again later
"""

from __future__ import annotations

from domain.errors import VanthuError


class JobError(VanthuError):
    """A job failed for a reason the user should read; the worker carries on."""

    code = "job_failed"
    status = 500


class RetryableJobError(JobError):
    """A transient failure: the job is queued again with backoff (up to JOB_MAX_ATTEMPTS)."""

    code = "job_retrying"
    status = 503
