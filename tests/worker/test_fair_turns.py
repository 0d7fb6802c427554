"""Interactive work first, and fair turns per organization among bulk jobs: real Redis, the
real RQ worker and runner, the real jobs table (the truth the runner claims from)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC
from datetime import datetime

import pytest
from rq import SimpleWorker
from rq.serializers import JSONSerializer
from sqlalchemy import select

from outbox.connection import get_queues
from outbox.connection import get_redis
from outbox.queues import enqueue
from storage.models import Job
from tests.faults.conftest import ROOT
from tests.faults.conftest import worker_env
from tests.support import drain_queue
from tests.worker.conftest import started_order
from worker.runner import run_job
from worker.sweeper import GRACE
from worker.sweeper import sweep


def _all_jobs(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        jobs = session.scalars(select(Job)).all()
        session.expunge_all()
        return jobs


def _assert_each_ran_once(app, expected: int) -> None:
    jobs = _all_jobs(app)
    assert len(jobs) == expected
    assert Counter((job.status, job.attempts) for job in jobs) == {("done", 1): expected}


def test_interactive_job_runs_before_bulk_jobs_queued_before_it(app, bulk_jobs, format_check):
    backlog = bulk_jobs("school", 5)
    check = format_check()
    drain_queue(app)
    order = [job.id for job in started_order(app)]
    assert order[0] == check
    assert order[1:] == backlog
    _assert_each_ran_once(app, 6)


def test_other_organizations_one_bulk_job_runs_before_the_backlog_of_100(app, bulk_jobs):
    backlog = bulk_jobs("school", 100)
    [single] = bulk_jobs("other", 1)
    drain_queue(app)
    order = [job.id for job in started_order(app)]
    # The school's oldest job started first (neither had been served); the other school's
    # job had the next turn, not the 101st.
    assert order[:2] == [backlog[0], single]
    assert order[2:] == backlog[1:]  # no job of the school starved or skipped, in order
    _assert_each_ran_once(app, 101)


def test_organizations_with_backlogs_take_turns(app, bulk_jobs):
    school = bulk_jobs("school", 4)
    other = bulk_jobs("other", 4)
    drain_queue(app)
    order = [job.id for job in started_order(app)]
    assert order == [job for pair in zip(school, other, strict=True) for job in pair]
    _assert_each_ran_once(app, 8)


def test_job_whose_ticket_another_job_used_runs_on_a_later_ticket(app, bulk_jobs):
    first, second = bulk_jobs("school", 2)
    with app.app_context():
        assert run_job(second) == "done"  # the ticket of the second serves the oldest
    assert {job.id: job.status for job in _all_jobs(app)} == {first: "done", second: "queued"}
    with app.app_context():
        assert run_job(first) == "done"  # and the first's ticket, the second
        assert run_job(second) == "not-claimed"  # nothing left: no job runs twice
    _assert_each_ran_once(app, 2)


def test_sweeper_tops_up_tickets_and_a_job_whose_ticket_was_used_still_runs(
    app, world, registered, redis_client
):
    # Two bulk rows created while Redis was away, so neither has a message yet.
    moment = datetime.now(UTC)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = [
            Job(
                function="worker.jobs.summarise_round",
                kind="Tổng hợp",
                args={"round_id": world["round"]},
                organization_id=world["school"],
                created_at=moment - GRACE * (3 - index),
            )
            for index in range(2)
        ]
        session.add_all(rows)
        session.flush()
        first, second = (row.id for row in rows)
    assert enqueue(app, second)
    assert sweep(app).enqueued == [first]  # two rows, one ticket: one more
    assert sweep(app).enqueued == []  # as many tickets as waiting rows: none
    with app.app_context():  # one message is worked: the second's ticket serves the oldest
        worker = SimpleWorker(get_queues(app), connection=get_redis(app), serializer=JSONSerializer)
        worker.work(burst=True, max_jobs=1)
    assert {job.id: job.status for job in _all_jobs(app)} == {first: "done", second: "queued"}
    assert sweep(app).enqueued == []  # the first's ticket still waits: it serves the second
    redis_client.flushdb()  # Redis loses its data: the ticket left, the first's, is gone
    assert sweep(app).enqueued == [second]
    drain_queue(app)
    _assert_each_ran_once(app, 2)


@pytest.mark.slow
def test_dedicated_workers_serve_their_class_and_racing_bulk_workers_run_each_job_once(
    app, bulk_jobs, format_check, database_url, redis_url
):
    bulk = bulk_jobs("school", 30) + bulk_jobs("other", 10)
    check = format_check()
    env = worker_env(database_url, redis_url)
    racing = [
        subprocess.Popen(
            [sys.executable, "-m", "worker", "--burst", "--only", "bulk"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in racing:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    status = {job.id: (job.status, job.attempts) for job in _all_jobs(app)}
    assert status.pop(check) == ("queued", 0)  # not a bulk worker's work
    assert set(status.values()) == {("done", 1)} and set(status) == set(bulk)
    subprocess.run(
        [sys.executable, "-m", "worker", "--burst", "--only", "interactive"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    _assert_each_ran_once(app, 41)
