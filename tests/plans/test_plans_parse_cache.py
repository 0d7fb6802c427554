"""The parse cache shared across organizations (issue 15): the same bytes are read once,
by whichever school uploads them first, and every school keeps its own upload."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC
from datetime import timedelta

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from outbox.queues import create_job
from services import parsed_files as cache
from services.plans.fields import confirmed_fields
from services.plans.review import save_review
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import Job
from storage.models import JobStatus
from storage.models import ParsedFile
from storage.models import StoredFile
from tests.plans.conftest import CORPUS
from tests.plans.conftest import PLAN_TEXT
from tests.plans.conftest import load
from tests.plans.conftest import upload_as
from worker.jobs.plans import _WAIT_SECONDS as WAIT_SECONDS
from worker.jobs.plans import reading_version
from worker.runner import run_job

LONG = timedelta(seconds=45)


def run(app, job_id: str) -> None:
    """Run one job message with the real runner, as a worker does."""
    with app.app_context():
        assert run_job(job_id) == "done"


def run_until_done(app: Flask, job_ids: list[str], rounds: int = 20) -> None:
    """Run job messages, as workers fed by the sweeper do, until no job is left waiting."""
    for _ in range(rounds):
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            waiting = session.scalars(
                select(Job.id).where(Job.id.in_(job_ids), Job.status == JobStatus.QUEUED.value)
            ).all()
        if not waiting:
            return
        time.sleep(WAIT_SECONDS)  # until they are due again
        for job_id in waiting:
            with app.app_context():
                run_job(job_id)
    raise AssertionError(f"jobs still waiting after {rounds} rounds")


def result_of(app, job_id: str) -> dict:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return dict(session.get(Job, job_id).result)


def test_the_same_bytes_uploaded_by_another_school_are_not_read_again(app, schools):
    content = (CORPUS / "seed-000.clean.pdf").read_bytes()
    first, first_job = upload_as(app, schools[0], content, "ke-hoach-so.pdf")
    run(app, first_job)
    assert result_of(app, first_job)["read_here"] is True
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = session.get(IncomingDocument, first)
        values = {**confirmed_fields(incoming), "title": "Sửa của trường 1"}
        save_review(session, incoming, values, confirm=False, user_id=schools[0][1])
    assert load(app, first).corrections == {"title": "Sửa của trường 1"}

    second, second_job = upload_as(app, schools[1], content, "van-ban-phong.pdf")
    run(app, second_job)
    assert result_of(app, second_job)["read_here"] is False

    mine, theirs = load(app, first), load(app, second)
    assert theirs.status == "parsed"
    assert theirs.extracted["filename"] == "van-ban-phong.pdf"  # its own name, not the first's
    assert {k: v for k, v in theirs.extracted.items() if k != "filename"} == {
        k: v for k, v in mine.extracted.items() if k != "filename"
    }
    assert theirs.corrections == {}  # the first school's correction stays its own
    assert theirs.page_count == 5
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        pages = session.scalars(select(IncomingPage).where(IncomingPage.incoming_id == second))
        # The second school shows the shared reading's page images: no copies of them.
        assert {page.file_id for page in pages} == {None}
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 2  # the uploads
        assert session.scalar(select(func.count()).select_from(ParsedFile)) == 1
        assert "filename" not in session.scalars(select(ParsedFile)).one().result


def test_concurrent_uploads_of_the_same_bytes_by_several_schools_are_read_once(app, schools):
    content = PLAN_TEXT.encode("utf-8")
    uploads = [upload_as(app, school, content, f"ke-hoach-{n}.txt") for n, school in
               enumerate(schools)]  # fmt: skip
    start = threading.Barrier(len(uploads))

    outcomes: list[str] = []

    def worker(job_id: str) -> None:
        start.wait()
        with app.app_context():
            outcomes.append(run_job(job_id))

    threads = [threading.Thread(target=worker, args=(job_id,)) for _, job_id in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(uploads) and set(outcomes) <= {"done", "deferred"}
    # A job that found the bytes being read was put back for later (its worker freed),
    # as the sweeper would enqueue it when due: run the waiting ones again until none is.
    run_until_done(app, [job_id for _, job_id in uploads])

    # Each message runs one job (with fair turns, not always its own): read every row after.
    results = [result_of(app, job_id) for _, job_id in uploads]
    assert sorted(r["read_here"] for r in results) == [False, False, False, True]
    for n, (incoming_id, _) in enumerate(uploads):
        incoming = load(app, incoming_id)
        assert incoming.status == "parsed", incoming.error
        assert incoming.extracted["number"] == "15"
        assert incoming.extracted["filename"] == f"ke-hoach-{n}.txt"


def test_a_changed_parser_reads_the_bytes_again(app):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        old = cache.claim(database, "a" * 64, "v1", "job-1", abandon_after=LONG)
        assert old.turn is cache.Turn.MINE
        cache.finish(database, old.parsed_id, "job-1", {"number": "15"}, [])
        assert cache.claim(database, "a" * 64, "v1", "job-2", abandon_after=LONG).turn is (
            cache.Turn.DONE
        )
        new = cache.claim(database, "a" * 64, "v2", "job-3", abandon_after=LONG)
        assert new.turn is cache.Turn.MINE
        cache.finish(database, new.parsed_id, "job-3", {"number": "16"}, [])
        with database.session() as session:  # the old parser's reading can never serve again
            kept = session.execute(select(ParsedFile.parser_version, ParsedFile.result)).all()
        assert [tuple(row) for row in kept] == [("v2", {"number": "16"})]


def _running_job(app, *, beat_ago: timedelta = timedelta(0)) -> str:
    """A parse job row that a worker is running now (its last heartbeat ``beat_ago``)."""
    with app.extensions["vanthu.db"].session() as session:
        job = create_job(session, app, function="parse_incoming", kind="Đọc văn bản cấp trên")
        job.status = JobStatus.RUNNING.value
        job.heartbeat_at = cache.now() - beat_ago
        return job.id


def test_a_failed_reading_fails_the_jobs_that_waited_and_a_later_upload_reads_again(app):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        reader = _running_job(app)
        first = cache.claim(database, "b" * 64, "v1", reader, abandon_after=LONG)
        assert first.turn is cache.Turn.MINE
        waiting = cache.claim(database, "b" * 64, "v1", "waiting-job", abandon_after=LONG)
        assert waiting.turn is cache.Turn.WAIT and waiting.reader_job_id == reader

        cache.fail(database, first.parsed_id, reader, "PDF bị hỏng.")
        answer = cache.poll(database, first.parsed_id, "waiting-job", abandon_after=LONG)
        assert (answer.turn, answer.error) == (cache.Turn.FAILED, "PDF bị hỏng.")
        later = cache.claim(database, "b" * 64, "v1", "later-job", abandon_after=LONG)
        assert later.turn is cache.Turn.MINE


def test_a_waiting_job_takes_over_from_a_reader_whose_worker_died(app):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        dead = _running_job(app, beat_ago=timedelta(minutes=5))  # no heartbeat for 5 minutes
        claimed = cache.claim(database, "c" * 64, "v1", dead, abandon_after=LONG)
        assert claimed.turn is cache.Turn.MINE

        alive = _running_job(app)
        first = cache.claim(database, "c" * 64, "v1", alive, abandon_after=LONG)
        assert (first.turn, first.reader_job_id) == (cache.Turn.MINE, dead)  # its OCR reused
        # Only one waiter takes over: the next one waits for the new reader.
        second = cache.poll(database, first.parsed_id, "job-b", abandon_after=LONG)
        assert (second.turn, second.reader_job_id) == (cache.Turn.WAIT, alive)


def test_a_retry_of_the_reading_job_goes_on_reading_instead_of_waiting_for_itself(app):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        reader = _running_job(app)
        assert cache.claim(database, "d" * 64, "v1", reader, abandon_after=LONG).turn is (
            cache.Turn.MINE
        )
        again = cache.claim(database, "d" * 64, "v1", reader, abandon_after=LONG)
        assert again.turn is cache.Turn.MINE


def _set_status(app, job_id: str, status: JobStatus) -> None:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get(Job, job_id)
        job.status, job.heartbeat_at = status.value, cache.now()


def _parked(app, job_id: str) -> bool:
    """Whether job ``job_id`` is queued to look again only minutes from now."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get(Job, job_id)
        due = job.retry_at.replace(tzinfo=UTC) if job.retry_at else None
        return (
            job.status == JobStatus.QUEUED.value
            and due is not None
            and (due > cache.now() + timedelta(minutes=5))
        )


def test_a_job_waiting_for_another_schools_reading_is_parked_until_the_reading_ends(app, schools):
    content = PLAN_TEXT.encode("utf-8")
    first, reader = upload_as(app, schools[0], content, "ke-hoach.txt")
    with app.app_context():  # its job is reading the bytes on a worker
        database = app.extensions["vanthu.db"]
        digest = hashlib.sha256(content).hexdigest()
        turn = cache.claim(database, digest, reading_version(), reader, abandon_after=LONG)
        assert turn.turn is cache.Turn.MINE
        _set_status(app, reader, JobStatus.RUNNING)
    second, waiter = upload_as(app, schools[1], content, "ke-hoach.txt")
    with app.app_context():
        assert run_job(waiter) == "deferred"
    assert _parked(app, waiter)  # not looking again every few seconds
    with app.app_context():
        assert run_job(waiter) == "not-claimed"

    _set_status(app, reader, JobStatus.QUEUED)  # put back, as a scan's reader waits for OCR
    run(app, reader)  # reads the bytes and wakes the waiting job
    assert not _parked(app, waiter)
    run(app, waiter)
    assert load(app, second).status == "parsed" and result_of(app, waiter)["read_here"] is False


def test_a_parked_job_that_missed_the_end_of_the_reading_looks_again_at_once(app, schools):
    with app.app_context():
        database = app.extensions["vanthu.db"]
        reader = _running_job(app)
        turn = cache.claim(database, "9" * 64, "v1", reader, abandon_after=LONG)
        parked = _running_job(app)
        with database.session() as session:  # parked as the runner does
            job = session.get(Job, parked)
            job.status, job.retry_at = JobStatus.QUEUED.value, cache.now() + LONG * 10
        cache.wake_if_ended(database, turn.parsed_id, parked, abandon_after=LONG)
        assert _parked(app, parked)  # the reader is at work: stays parked
        cache.finish(database, turn.parsed_id, reader, {"number": "15"}, [])
        cache.wake_if_ended(database, turn.parsed_id, parked, abandon_after=LONG)
        assert not _parked(app, parked)
