"""A long scan's OCR is spread over page jobs (issue 15): the upload's reading job lists
the pages, makes the page jobs and is deferred (its worker freed); any worker OCRs a share
of the pages; the reading then OCRs none of them again. A failed page job fails the
upload with its reason. (Real Tesseract, real runner, real database and Redis.)"""

from __future__ import annotations

import shutil
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.models import Job
from tests.ingest.conftest import load_labels
from tests.plans.conftest import load
from tests.plans.conftest import upload_as
from tests.shared_data import corpus_file
from worker.jobs import ocr_split
from worker.runner import now
from worker.runner import run_job

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed"),
]


def _rows(app, function: str) -> list[Job]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.scalars(
            select(Job).where(Job.function == f"worker.jobs.{function}").order_by(Job.created_at)
        ).all()
        session.expunge_all()
        return list(rows)


def _make_due(app, job_id: str) -> None:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(Job, job_id).retry_at = datetime.now(UTC) - timedelta(seconds=1)


def _run_page_jobs(app) -> None:
    """Run tickets as workers do until no page job waits. A ticket may run the reading
    instead (fair turns; due again while pages are OCR'd): it is deferred once more."""
    for _ in range(10):
        waiting = [job.id for job in _rows(app, "ocr_scan_pages") if job.status == "queued"]
        if not waiting:
            return
        for job_id in waiting:
            with app.app_context():
                assert run_job(job_id) in ("done", "failed", "deferred")
    raise AssertionError("page jobs still waiting")


def _finish_reading(app, reader: str) -> None:
    """Run tickets until job ``reader`` has ended. A ticket runs the next fair turn's job,
    which may be another school's upload still waiting for this reading (deferred again)
    rather than ``reader`` itself."""
    for _ in range(10):
        if next(j for j in _rows(app, "parse_incoming") if j.id == reader).status in (
            "done",
            "failed",
        ):
            return
        _make_due(app, reader)
        with app.app_context():
            assert run_job(reader) in ("done", "failed", "deferred", "not-claimed")
    raise AssertionError("the reading did not end")


def test_a_long_scan_is_ocrd_by_page_jobs_while_its_reading_waits(limited_app, schools):
    app = limited_app(OCR_PAGES_PER_JOB=2)
    content = corpus_file("dev", "seed-000.scan.pdf").read_bytes()  # five scanned pages
    incoming_id, reader = upload_as(app, schools[0], content, "ke-hoach-quet.pdf")
    with app.app_context():
        assert run_job(reader) == "deferred"
    pages = _rows(app, "ocr_scan_pages")
    assert [[r["page"] for r in job.args["requests"]] for job in pages] == [[1, 2], [3, 4], [5]]
    assert {job.organization_id for job in pages} == {schools[0][0]}
    waiting = _rows(app, "parse_incoming")[0]
    assert (waiting.status, waiting.attempts) == ("queued", 0)
    assert waiting.message == "Đang nhận dạng chữ (OCR) 0/5 trang"
    assert load(app, incoming_id).status == "parsing"
    # Another school uploads the same scan meanwhile: it waits for this reading (deferred
    # too) rather than take it over from a reader that is only waiting for its pages.
    other_id, other = upload_as(app, schools[1], content, "kh-phong.pdf")
    with app.app_context():
        assert run_job(other) == "deferred"
    assert len(_rows(app, "ocr_scan_pages")) == 3

    _run_page_jobs(app)
    done = _rows(app, "ocr_scan_pages")
    assert [len(job.result["ocr_pages"]) for job in done] == [2, 2, 1]

    _finish_reading(app, reader)
    assert _rows(app, "parse_incoming")[0].status == "done"
    result = _rows(app, "parse_incoming")[0].result
    assert result["read_here"] is True and result["ocr_here"] == 0  # no page OCR'd twice
    incoming = load(app, incoming_id)
    assert incoming.status == "parsed", incoming.error
    labels = load_labels("seed-000")["labels"]
    for key in ("symbol", "issuer", "parent_issuer", "signer_name"):
        assert incoming.extracted[key] == labels[key], key
    assert incoming.page_count == 5
    _finish_reading(app, other)
    copied = next(job for job in _rows(app, "parse_incoming") if job.id == other)
    assert copied.result["read_here"] is False and load(app, other_id).status == "parsed"


def test_a_failed_page_job_fails_the_upload_with_its_reason(limited_app, schools):
    app = limited_app(OCR_PAGES_PER_JOB=2)
    content = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    incoming_id, reader = upload_as(app, schools[0], content, "ke-hoach-quet.pdf")
    with app.app_context():
        assert run_job(reader) == "deferred"
    broken = _rows(app, "ocr_scan_pages")[1]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        # The upload's file is gone by the time this page job runs: a real failure.
        session.get(Job, broken.id).args = {**broken.args, "incoming_id": 10**9}
    _run_page_jobs(app)
    _finish_reading(app, reader)
    assert _rows(app, "parse_incoming")[0].status == "failed"
    incoming = load(app, incoming_id)
    assert incoming.status == "failed"
    assert "Văn bản đến không còn tồn tại" in incoming.error


def test_a_short_scan_is_read_in_one_piece(limited_app, schools):
    app = limited_app(OCR_PAGES_PER_JOB=8)
    content = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    incoming_id, reader = upload_as(app, schools[0], content, "ke-hoach-quet.pdf")
    with app.app_context():
        assert run_job(reader) == "done"
    assert _rows(app, "ocr_scan_pages") == []
    assert _rows(app, "parse_incoming")[0].result["ocr_here"] == 5
    assert load(app, incoming_id).status == "parsed"


def _job(app, job_id: str) -> Job:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get_one(Job, job_id)
        session.expunge(job)
        return job


def _due_at(app, job_id: str) -> datetime:
    """When the job is due (SQLite gives the stored UTC time back without its zone)."""
    due = _job(app, job_id).retry_at
    assert due is not None
    return due if due.tzinfo else due.replace(tzinfo=UTC)


def _parked(app, job_id: str) -> bool:
    return _job(app, job_id).status == "queued" and _due_at(app, job_id) > now() + timedelta(
        minutes=5
    )


def test_the_reading_waits_parked_and_each_page_job_that_ends_wakes_it(limited_app, schools):
    # Polling every 2 s, the reading took its school's fair turns before the school's own
    # page jobs; parked, it runs once per page job that ends, to show the pages done.
    app = limited_app(OCR_PAGES_PER_JOB=2)
    content = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    _incoming_id, reader = upload_as(app, schools[0], content, "ke-hoach-quet.pdf")
    with app.app_context():
        assert run_job(reader) == "deferred"
    assert _parked(app, reader)
    first, *_rest = _rows(app, "ocr_scan_pages")
    assert {job.wakes_job_id for job in _rows(app, "ocr_scan_pages")} == {reader}
    with app.app_context():
        assert run_job(first.id) == "done"
    with app.app_context():
        assert _due_at(app, reader) <= now()  # woken by the page job's end
        assert run_job(reader) == "deferred"
    assert _parked(app, reader)
    assert _job(app, reader).message == "Đang nhận dạng chữ (OCR) 2/5 trang"


def test_a_page_job_that_fails_for_good_wakes_the_reading_too(limited_app, schools):
    app = limited_app(OCR_PAGES_PER_JOB=2)
    content = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    _incoming_id, reader = upload_as(app, schools[0], content, "ke-hoach-quet.pdf")
    with app.app_context():
        assert run_job(reader) == "deferred"
    broken = _rows(app, "ocr_scan_pages")[0]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get_one(Job, broken.id).args = {**broken.args, "incoming_id": 10**9}
    with app.app_context():
        assert run_job(broken.id) == "failed"
        assert _due_at(app, reader) <= now()


def test_a_reading_that_looked_as_its_last_page_job_ended_is_woken_at_once(
    limited_app, schools, monkeypatch
):
    # The last page job ended while the reading looked (its end found the reading running,
    # not parked): the reading, once parked, looks again at once instead of in 10 minutes.
    app = limited_app(OCR_PAGES_PER_JOB=2)
    content = corpus_file("dev", "seed-000.scan.pdf").read_bytes()
    _incoming_id, reader = upload_as(app, schools[0], content, "ke-hoach-quet.pdf")
    with app.app_context():
        assert run_job(reader) == "deferred"
    for page_job in _rows(app, "ocr_scan_pages"):
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            session.get_one(Job, reader).retry_at = now() + timedelta(hours=1)  # not its turn
        with app.app_context():
            assert run_job(page_job.id) == "done"
    looked = ocr_split._jobs
    first_look = [True]

    def seen_before_the_last_ended(job_ids: list[str]) -> list[dict]:
        rows = looked(job_ids)
        if first_look.pop() if first_look else False:
            rows[-1] = {**rows[-1], "status": "running"}
        return rows

    monkeypatch.setattr(ocr_split, "_jobs", seen_before_the_last_ended)
    with app.app_context():
        assert run_job(reader) == "deferred"
        assert _due_at(app, reader) <= now()
