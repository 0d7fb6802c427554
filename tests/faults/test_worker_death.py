"""A worker SIGKILLed mid-job: the job is found abandoned, run again, and yields one result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func
from sqlalchemy import select

from render.manifest import load_manifest
from render.preview import MAX_PREVIEW_PAGES
from render.preview import page_file_id
from services.documents import create_document
from services.documents import request_render
from storage.models import Document
from storage.models import Job
from storage.models import StoredFile
from tests.faults.conftest import ROOT
from tests.faults.conftest import wait_for
from tests.faults.conftest import worker_env

pytestmark = pytest.mark.slow

# Small bounds so the test sees recovery quickly; production defaults are in config.py.
FAST_RECOVERY = {"JOB_HEARTBEAT_SECONDS": "1", "JOB_ABANDON_SECONDS": "4", "SWEEP_SECONDS": "1"}


def _start_worker(database_url, redis_url):
    return subprocess.Popen(
        [sys.executable, "-m", "worker"],
        cwd=ROOT,
        env=worker_env(database_url, redis_url, **FAST_RECOVERY),
        stdout=open(os.environ.get("VANTHU_WORKER_LOG", os.devnull), "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: LibreOffice dies with it
    )


def _kill_group(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _job(app, job_id):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.get(Job, job_id)


def test_killed_worker_job_is_retried_and_makes_exactly_one_document(
    app, world, database_url, redis_url
):
    # A long công văn: rendering and converting it takes long enough to be killed midway.
    paragraph = "Các đơn vị triển khai thực hiện nghiêm túc, báo cáo kết quả đúng hạn. " * 12
    manifest = load_manifest("cong_van")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session,
            organization_id=world["school"],
            created_by_id=world["clerk"],
            kind="cong_van",
            header_fields=manifest.sample["header"],
            body_fields={"noi_dung": "\n".join([paragraph] * 400)},
        )
        job_id = request_render(session, app, document, user_id=world["clerk"])
        document_id = document.id
    files_before = _file_ids(app)

    first = _start_worker(database_url, redis_url)
    try:
        wait_for(lambda: _job(app, job_id).status == "running", 120, "the job to start")
        _kill_group(first)  # SIGKILL: no cleanup, no chance to mark anything
    finally:
        if first.poll() is None:
            _kill_group(first)
    killed = _job(app, job_id)
    assert killed.status == "running" and killed.attempts == 1  # left behind, as in real life

    second = _start_worker(database_url, redis_url)
    try:
        wait_for(lambda: _job(app, job_id).status in ("done", "failed"), 120, "the retry")
    finally:
        _kill_group(second)
    job = _job(app, job_id)
    assert (job.status, job.attempts) == ("done", 2), (job.error, job.message)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        document = session.get(Document, document_id)
        assert document.render_status == "done"
        assert document.docx_file_id and document.pdf_file_id and document.preview_file_id
        # One .docx, one .pdf and the preview's pages (page 1 and the ids derived from it):
        # the killed attempt left nothing half-stored.
        pages = {document.preview_file_id} | {
            page_file_id(document.preview_file_id, n) for n in range(2, MAX_PREVIEW_PAGES + 1)
        }
        stored = set(session.scalars(select(StoredFile.id)))
        new = stored - files_before
        assert new - pages == {document.docx_file_id, document.pdf_file_id}, new - pages
        assert document.preview_file_id in new


def _file_ids(app) -> set[str]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return set(session.scalars(select(StoredFile.id)))


def test_job_abandoned_too_often_is_failed_with_a_reason(app, world):
    from datetime import UTC
    from datetime import datetime
    from datetime import timedelta

    from worker.sweeper import sweep

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = Job(
            function="worker.jobs.summarise_round",
            kind="Tổng hợp",
            args={"round_id": world["round"]},
            organization_id=world["school"],
            status="running",
            attempts=app.config["JOB_MAX_ATTEMPTS"],
            heartbeat_at=datetime.now(UTC) - timedelta(hours=1),
        )
        session.add(job)
        session.flush()
        job_id = job.id
    report = sweep(app)
    assert report.failed_abandoned == [job_id]
    job = _job(app, job_id)
    assert job.status == "failed" and "dừng đột ngột" in job.error


def _parser_children() -> list[int]:
    """PIDs of running plan-parser child processes (``python -m worker.jobs.plans``)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().split(b"\0")
        except OSError:
            continue
        if b"worker.jobs.plans" in command:
            found.append(int(entry))
    return found


def test_worker_killed_mid_parse_leaves_no_parser_and_the_upload_is_read_again(
    client, auth, app, world, database_url, redis_url
):
    from storage.models import IncomingDocument
    from tests.shared_data import corpus_file

    scan = corpus_file("dev", "seed-000.scan.pdf")
    auth.login("clerk")
    with scan.open("rb") as handle:
        response = client.post(
            "/api/van-ban-den",
            data={"file": (handle, "kế hoạch scan.pdf")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 202
    incoming_id, job_id = response.json["id"], response.json["job"]
    before = set(_parser_children())

    first = subprocess.Popen(
        [sys.executable, "-m", "worker"],
        cwd=ROOT,
        env=worker_env(database_url, redis_url, **FAST_RECOVERY),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        children = wait_for(
            lambda: set(_parser_children()) - before, 120, "the parser child to start"
        )
        wait_for(lambda: _job(app, job_id).progress > 0, 120, "OCR to be under way")
        first.send_signal(signal.SIGKILL)  # only the worker: its parser must follow it
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    wait_for(lambda: not (children & set(_parser_children())), 30, "the orphaned parser to die")
    assert _job(app, job_id).status == "running"

    second = _start_worker(database_url, redis_url)
    try:
        wait_for(lambda: _job(app, job_id).status in ("done", "failed"), 600, "the retried parse")
    finally:
        _kill_group(second)
    job = _job(app, job_id)
    assert (job.status, job.attempts) == ("done", 2), (job.error, job.message)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        incoming = session.get(IncomingDocument, incoming_id)
        assert incoming.status == "parsed"
        pages = [p.page for p in incoming.pages]
        assert pages == sorted(set(pages))  # the killed attempt left no duplicate pages
