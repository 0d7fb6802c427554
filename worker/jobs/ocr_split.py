"""A long scan's OCR spread over several jobs (issue 15).

OCR is nearly all the time a scan takes (about 3 s a page). One job OCR'ing a 60-page scan
holds one worker for minutes and uses one machine's cores; spread, its pages are OCR'd by
page jobs (``ocr_scan_pages``, ``OCR_PAGES_PER_JOB`` pages each) that any worker on any
machine takes, each on its own machine's cores, in the same fair turns as other bulk work.

The upload's reading job (:func:`worker.jobs.plans.parse_incoming`) asks :func:`spread`
before it reads: the first time, a child process lists the pages to OCR (the parser's
first pass; a text PDF is recognised by PDFium's quick count and costs nothing more); a
scan with more pages than one job's share gets its page jobs and the reading job is
deferred (its worker freed) until they are done; then their pages are given to the
reading, which OCRs none of them again. Each page job keeps the pages it finished on its
own row as it goes, so a retry redoes only the rest. A page job that failed fails the
reading with its reason, naming the pages; a page that ran out of time is simply OCR'd
again by the reading.

The state (the page jobs' ids) lives on the reading job's own row, written only by that
job, as its OCR'd pages are: no table of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from worker.jobs.plans import OCR_KEY
from worker.jobs.plans import child_limits
from worker.jobs.plans import keep_ocr_page
from worker.jobs.plans import load_ocr_pages
from worker.jobs.plans import run_parser_child
from worker.jobs.plans import stored_ocr_pages
from worker.jobs.plans import unpack_ocr_pages
from worker.sandbox import ChildFailed

__all__ = ["ocr_scan_pages"]

_STATE = "ocr_split"
# A reading waiting for its page jobs is parked: each page job's end makes it due (the
# runner wakes the job a row names in ``wakes_job_id``), and it looks, shows the pages done
# so far and parks again. It used to look every 2 s, and each look took its school's fair
# turn before the school's own page jobs. Past this it looks anyway (a wake it missed).
PARKED_SECONDS = 600.0


def ocr_scan_pages(
    progress: Callable[..., None], *, incoming_id: int, requests: list[dict[str, Any]]
) -> dict[str, Any]:
    """OCR the pages ``requests`` (from the reading job's plan) of upload ``incoming_id``
    in the limited child; the pages' Tesseract output is this job's result."""

    from storage.db import get_db
    from storage.models import IncomingDocument
    from worker.errors import JobError

    job_id = str(getattr(progress, "job_id", "") or f"direct-ocr-{incoming_id}")
    with get_db().session() as session:
        incoming = session.get(IncomingDocument, incoming_id)
        if incoming is None:
            raise JobError("Văn bản đến không còn tồn tại.")
        content, filename = incoming.file.content, incoming.file.original_name
    pages = [int(r["page"]) for r in requests]

    def report(message: dict[str, Any]) -> None:
        if "progress" in message:
            done, total = message["progress"]
            progress(done, total, f"Đã nhận dạng {done}/{total} trang")

    try:
        outcome = run_parser_child(
            content,
            filename,
            **child_limits(),
            on_message=report,
            ocr_cache=load_ocr_pages(job_id),
            on_ocr_page=lambda name, tsv: keep_ocr_page(job_id, name, tsv),
            mode="ocr",
            requests=requests,
        )
    except ChildFailed as exc:
        raise JobError(f"{_pages_label(pages)}: {exc.message}") from exc
    return {OCR_KEY: stored_ocr_pages(job_id), "pages": pages, **outcome.result}


def spread(
    progress: Callable[..., None],
    job_id: str,
    content: bytes,
    filename: str,
    organization_id: int | None,
    incoming_id: int,
) -> dict[str, str]:
    """The pages OCR'd by the page jobs of reading job ``job_id`` (cache name → TSV), or
    nothing when the file is read in one piece.

    Raises:
        Deferred: the page jobs were just made, or are not all done: look again later.
        JobError: a page job failed (its reason, with the pages).
    """
    from flask import current_app

    from worker.errors import Deferred
    from worker.errors import JobError

    per_job = int(current_app.config["OCR_PAGES_PER_JOB"])
    state = _state(job_id)
    if state is None:
        if per_job <= 0 or not _has_row(job_id):  # a direct call, with no row to wait on
            return {}
        plan = _plan(content, filename, at_least=per_job + 1)
        if len(plan) <= per_job:
            _save_state(job_id, {"jobs": []})
            return {}
        jobs = _make_page_jobs(plan, per_job, organization_id, incoming_id, reader=job_id)
        _save_state(job_id, {"jobs": jobs, "pages": len(plan)})
        message = f"Đang nhận dạng chữ (OCR) 0/{len(plan)} trang"
        progress(0, len(plan), message)
        raise Deferred(PARKED_SECONDS, message, then=lambda: _wake_if_ended(jobs, job_id))
    if not state["jobs"]:
        return {}
    rows = _jobs(state["jobs"])
    failed = [row for row in rows if row["status"] == "failed"]
    if failed:
        raise JobError(f"Không nhận dạng được chữ (OCR): {failed[0]['error']}")
    total = int(state["pages"])
    if any(row["status"] != "done" for row in rows):
        finished = sum(
            len(row["args"].get("requests") or []) for row in rows if row["status"] == "done"
        )
        message = f"Đang nhận dạng chữ (OCR) {finished}/{total} trang"
        progress(finished, total, message)
        jobs = list(state["jobs"])
        raise Deferred(PARKED_SECONDS, message, then=lambda: _wake_if_ended(jobs, job_id))
    gathered: dict[str, str] = {}
    for row in rows:
        gathered.update(unpack_ocr_pages(row["result"].get(OCR_KEY) or {}))
    return gathered


def _plan(content: bytes, filename: str, *, at_least: int) -> list[dict[str, Any]]:
    """The pages to OCR, listed by the parser's first pass in the limited child."""

    from worker.errors import JobError

    try:
        outcome = run_parser_child(
            content,
            filename,
            **child_limits(),
            mode="plan",
            at_least=at_least,
        )
    except ChildFailed as exc:
        raise JobError(exc.message) from exc
    return list(outcome.result.get("plan") or [])


def _make_page_jobs(
    plan: list[dict[str, Any]],
    per_job: int,
    organization_id: int | None,
    incoming_id: int,
    *,
    reader: str,
) -> list[str]:
    from outbox.queues import create_job
    from storage.db import get_db
    from storage.db import real_app

    app = real_app()
    with get_db().session() as session:
        jobs = [
            create_job(
                session,
                app,
                function="ocr_scan_pages",
                kind=f"Nhận dạng chữ {_pages_label([int(r['page']) for r in chunk])}",
                args={"incoming_id": incoming_id, "requests": chunk},
                organization_id=organization_id,
                wakes_job_id=reader,
            )
            for chunk in (plan[i : i + per_job] for i in range(0, len(plan), per_job))
        ]
        return [job.id for job in jobs]


def _wake_if_ended(job_ids: list[str], reader: str) -> None:
    """Make the just-parked reading ``reader`` due now if its page jobs all ended while it
    looked (their ends found it running, not parked, and woke nothing)."""
    from storage.db import get_db
    from worker.runner import wake

    if all(row["status"] in ("done", "failed") for row in _jobs(job_ids)):
        with get_db().session() as session:
            wake(session, reader)


def _pages_label(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"trang {pages[0]}"
    return f"trang {pages[0]}–{pages[-1]}"


def _jobs(job_ids: list[str]) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from storage.db import get_db
    from storage.models import Job

    with get_db().session() as session:
        rows = session.scalars(select(Job).where(Job.id.in_(job_ids))).all()
        found = {
            row.id: {
                "status": row.status,
                "error": row.error,
                "args": dict(row.args or {}),
                "result": dict(row.result or {}),
            }
            for row in rows
        }
    # A page job that vanished (deleted by hand) is a failure, not a wait for ever.
    missing = {"status": "failed", "error": "Một tác vụ nhận dạng chữ không còn.", "args": {}}
    return [found.get(job_id, {**missing, "result": {}}) for job_id in job_ids]


def _state(job_id: str) -> dict[str, Any] | None:
    from storage.db import get_db
    from storage.models import Job

    with get_db().session() as session:
        job = session.get(Job, job_id)
        state = (job.result or {}).get(_STATE) if job is not None else None
    return dict(state) if isinstance(state, dict) else None


def _has_row(job_id: str) -> bool:
    from storage.db import get_db
    from storage.models import Job

    with get_db().session() as session:
        return session.get(Job, job_id) is not None


def _save_state(job_id: str, state: dict[str, Any]) -> None:
    from storage.db import get_db
    from storage.models import Job

    with get_db().session() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.result = {**(job.result or {}), _STATE: state}  # a new dict: the column is written
