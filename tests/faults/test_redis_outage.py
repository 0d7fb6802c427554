"""Redis stopped: work requested meanwhile is kept in the database and done when it returns."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from outbox.connection import get_queue
from render.manifest import load_manifest
from services.documents import create_document
from services.documents import request_render
from storage.models import Document
from storage.models import Job
from storage.models import Submission
from tests.conftest import make_app
from tests.support import drain_queue
from worker.sweeper import GRACE
from worker.sweeper import sweep

pytestmark = pytest.mark.slow


@pytest.fixture
def outage_app(database_url, private_redis, world):
    app = make_app(database_url, private_redis.url)
    yield app
    app.extensions["vanthu.db"].dispose()


def _login(client, key):
    response = client.post(
        "/dang-nhap", data={"email": f"{key}@truong.edu.vn", "password": "MatKhau123"}
    )
    assert response.status_code == 302


def _age_jobs(app):
    """Make the rows look older than the sweeper's grace period (no sleeping in tests)."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for job in session.scalars(select(Job)):
            job.created_at = job.created_at - GRACE * 2


def _request_document(app, world) -> tuple[int, str]:
    manifest = load_manifest("cong_van")
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session,
            organization_id=world["school"],
            created_by_id=world["clerk"],
            kind="cong_van",
            header_fields=manifest.sample["header"],
            body_fields=manifest.sample["body"],
        )
        job_id = request_render(session, app, document, user_id=world["clerk"])
        return document.id, job_id


def test_work_requested_while_redis_is_down_is_done_when_it_returns(
    outage_app, private_redis, world
):
    app = outage_app
    private_redis.stop(lose_data=True)

    # Staff can still submit (no queue needed) and a clerk can still ask for a document.
    client = app.test_client()
    _login(client, "staff")
    response = client.post(
        f"/dot/{world['round']}/khen-thuong",
        data={
            "nominee_type": "individual",
            "nominee_name": "Trần Văn Đức",
            "form_code": "GIAY_KHEN",
            "period": "Năm học 2024-2025",
            "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        },
    )
    assert response.status_code == 302
    document_id, job_id = _request_document(app, world)

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        job = session.get(Job, job_id)
        assert job.status == "queued"  # accepted and shown as waiting, not lost
    client.post("/dang-xuat")
    _login(client, "clerk")
    page = client.get(f"/tac-vu/{job_id}").get_data(as_text=True)
    assert "Đang chờ xử lý" in page

    # While Redis is still down the sweeper cannot enqueue, and says nothing is lost.
    _age_jobs(app)
    assert sweep(app).enqueued == []

    private_redis.start()  # back, and empty: it kept nothing on disk
    assert get_queue(app).count == 0
    report = sweep(app)
    assert report.enqueued == [job_id]
    assert sweep(app).enqueued == []  # live in Redis now: not enqueued twice

    drain_queue(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Job, job_id).status == "done"
        document = session.get(Document, document_id)
        assert document.render_status == "done" and document.docx_file_id


def test_job_enqueued_twice_runs_once(outage_app, world):
    app = outage_app
    document_id, job_id = _request_document(app, world)  # enqueued after commit
    from outbox.queues import enqueue

    assert enqueue(app, job_id)  # a second entry, as a sweeper racing the web would add
    drain_queue(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.get(Job, job_id)
        assert (job.status, job.attempts) == ("done", 1)
        files = session.get(Document, document_id)
        assert files.docx_file_id is not None
