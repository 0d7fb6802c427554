"""A real worker SIGKILLed while the SMTP server holds its letter: every letter still
arrives, and the one caught mid-send arrives again only with the same Message-ID (the
guarantee of services.notifications: at least once, deduplicable by Message-ID)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import select

from outbox.connection import get_queue
from services import notifications
from storage.models import Notification
from storage.models import User
from tests.faults.conftest import ROOT
from tests.faults.conftest import wait_for
from tests.faults.conftest import worker_env

pytestmark = pytest.mark.slow

FAST = {"JOB_HEARTBEAT_SECONDS": "1", "JOB_ABANDON_SECONDS": "4", "SWEEP_SECONDS": "1"}


def _start_worker(database_url, redis_url, mail_server):
    return subprocess.Popen(
        [sys.executable, "-m", "worker"],
        cwd=ROOT,
        env=worker_env(
            database_url,
            redis_url,
            **FAST,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(mail_server.port),
            SMTP_STARTTLS="0",
            SMTP_TIMEOUT="60",
        ),  # fmt: skip
        stdout=open(os.environ.get("VANTHU_WORKER_LOG", os.devnull), "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_group(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _rows(app) -> list[Notification]:
    with app.extensions["vanthu.db"].session() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def test_worker_killed_mid_send_loses_no_letter_and_repeats_none_under_a_new_id(
    mail_app, mail_server, world, database_url, redis_url
):
    with mail_app.app_context(), mail_app.extensions["vanthu.db"].session() as session:
        for key in ("staff", "staff2", "clerk"):
            notifications.notify(
                session,
                to=session.get(User, world[key]),
                kind="decision",
                subject=f"Thư cho {key}",
                body="Nội dung thư.",
            )
    mail_server.hold.set()  # the first letter is taken but not answered

    first = _start_worker(database_url, redis_url, mail_server)
    try:
        assert mail_server.arrived.wait(60), "the worker never reached the mail server"
        wait_for(lambda: any(r.status == "sending" for r in _rows(mail_app)), 30, "a claim")
        _kill_group(first)  # SIGKILL while the server holds its answer
    finally:
        if first.poll() is None:
            _kill_group(first)
    caught = [r for r in _rows(mail_app) if r.status == "sending"]
    assert len(caught) == 1 and len(mail_server.messages) == 1
    mail_server.hold.clear()

    second = _start_worker(database_url, redis_url, mail_server)
    try:
        wait_for(lambda: all(r.status == "sent" for r in _rows(mail_app)), 90, "every letter sent")
        # Let the worker also run the RQ jobs still queued for these letters, and sweep
        # again: each must find its letter already sent.
        queue = get_queue(mail_app)
        wait_for(lambda: queue.count == 0 and not queue.started_job_registry.count, 60, "RQ")
        time.sleep(3 * float(FAST["SWEEP_SECONDS"]))
    finally:
        _kill_group(second)

    rows = _rows(mail_app)
    received = Counter(mail_server.message_ids())
    # None lost: every event's letter arrived, under its own Message-ID.
    assert set(received) == {r.message_id for r in rows}
    # None doubled under another id: the letter the server took just before the kill was
    # sent again (the worker could not know it was taken) with the same Message-ID; every
    # other letter came once.
    assert received[caught[0].message_id] == 2
    assert all(n == 1 for mid, n in received.items() if mid != caught[0].message_id)
    by_id = {r.message_id: r for r in rows}
    assert by_id[caught[0].message_id].attempts == 2
    assert all(r.attempts == 1 for r in rows if r.id != caught[0].id)
