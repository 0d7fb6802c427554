"""Uploading plans: web page and JSON API, type sniffing, duplicates, parsing in the worker."""

from __future__ import annotations

import io

from sqlalchemy import func
from sqlalchemy import select

from outbox.connection import get_queues
from storage.models import IncomingPage
from storage.models import Job
from storage.models import ParsedPage
from storage.models import StoredFile
from tests.plans.conftest import PLAN_TEXT
from tests.plans.conftest import all_incoming
from tests.plans.conftest import corpus_pdf
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import load
from tests.plans.conftest import paste
from tests.plans.conftest import upload
from tests.support import drain_queue as work


def test_pasted_text_is_stored_as_a_txt_file_and_parsed_by_the_worker(app, clerk):
    incoming_id = incoming_id_of(paste(clerk))
    page = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    assert "data-poll-job" in page and "Đang đọc văn bản" in page
    work(app)
    incoming = load(app, incoming_id)
    assert incoming.status == "parsed"
    assert incoming.extracted["number"] == "15"
    assert incoming.extracted["symbol"] == "KH-PGDĐT"
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        stored = session.get(StoredFile, incoming.file_id)
        assert stored.mime_type == "text/plain"
        assert stored.original_name.startswith("Văn bản dán") and stored.original_name.endswith(
            ".txt"
        )
        assert stored.content.decode("utf-8").startswith("SỞ GD&ĐT BÌNH DƯƠNG")
    page = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    # No geometry for text: the review page lists the extracted lines, anchored for sources.
    assert 'id="l-1-3"' in page and "Số: 15/KH-PGDĐT" in page
    assert 'value="KH-PGDĐT"' in page


def test_pdf_upload_records_page_sizes_with_line_boxes_and_reports_per_page_progress(app, clerk):
    content = corpus_pdf("seed-000.clean.pdf")
    incoming_id = incoming_id_of(upload(clerk, content, "kế hoạch.pdf"))
    work(app)
    incoming = load(app, incoming_id)
    assert incoming.status == "parsed", incoming.error
    assert incoming.page_count == 5
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        pages = list(
            session.scalars(
                select(IncomingPage)
                .where(IncomingPage.incoming_id == incoming_id)
                .order_by(IncomingPage.page)
            )
        )
        assert [p.page for p in pages] == [1, 2, 3, 4, 5]
        first = pages[0]
        assert first.width == 800 and first.height > 1000
        # The job draws no image: the first view does (tests/plans/test_plans_page_images.py).
        assert (
            session.scalar(select(ParsedPage.png).where(ParsedPage.id == first.parsed_page_id))
            is None
        )
        box = next(b for b in first.boxes if b["line"] == 1)
        assert 0 <= box["x0"] < box["x1"] <= first.width
        assert 0 <= box["top"] < box["bottom"] <= first.height
        job = session.get(Job, incoming.job_id)
        assert job.status == "done" and job.progress == 100
    image = clerk.get(f"/van-ban-den/{incoming_id}/trang-1.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    page = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    # The symbol's source (page 1, line 3) links to a box drawn over page 1's image.
    assert 'href="#l-1-3"' in page and 'id="l-1-3"' in page and "trang-1.png" in page


def test_same_file_uploaded_twice_is_recognised_and_not_parsed_again(app, clerk):
    content = PLAN_TEXT.encode("utf-8")
    first = incoming_id_of(upload(clerk, content, "kh.txt"))
    work(app)
    again = upload(clerk, content, "ban-sao.txt")
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert "Văn bản này đã được tải lên ngày" in html
    assert f'href="/van-ban-den/{first}"' in html
    assert len(all_incoming(app)) == 1
    assert [queue.count for queue in get_queues(app)] == [0, 0]


def test_duplicates_are_per_organization(app, client, auth, world):
    content = PLAN_TEXT.encode("utf-8")
    auth.login("clerk")
    incoming_id_of(upload(client, content, "kh.txt"))
    auth.logout()
    auth.login("other_clerk")
    incoming_id_of(upload(client, content, "kh.txt"))
    assert len(all_incoming(app)) == 2


def test_api_upload_answers_202_with_the_job_and_its_status_url(app, clerk):
    response = clerk.post(
        "/api/van-ban-den",
        data={"file": (io.BytesIO(PLAN_TEXT.encode()), "kh.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 202
    body = response.get_json()
    assert body["job"] and body["status_url"].endswith(f"/api/jobs/{body['job']}")
    assert body["id"] and body["status"] == "queued" and body["duplicate"] is False
    work(app)
    status = clerk.get(body["status_url"]).get_json()
    assert status["ready"] and status["successful"]
    detail = clerk.get(f"/api/van-ban-den/{body['id']}").get_json()
    assert detail["status"] == "parsed" and detail["fields"]["symbol"] == "KH-PGDĐT"
    # Pasted text is stored as the same UTF-8 bytes, so pasting it again is a duplicate too.
    again = clerk.post("/api/van-ban-den", json={"text": PLAN_TEXT})
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    duplicate = clerk.post(
        "/api/van-ban-den",
        data={"file": (io.BytesIO(PLAN_TEXT.encode()), "again.txt")},
        content_type="multipart/form-data",
    )
    assert duplicate.status_code == 200
    assert duplicate.get_json()["duplicate"] is True
    assert "đã được tải lên" in duplicate.get_json()["message"]


def test_api_refuses_bad_input_with_a_vietnamese_json_error(app, clerk):
    response = clerk.post(
        "/api/van-ban-den",
        data={"file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "ke-hoach.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input"
    assert "Loại tệp không được hỗ trợ" in error["message"]
    assert clerk.post("/api/van-ban-den", json={}).status_code == 400


def test_staff_cannot_upload(app, client, auth, world):
    auth.login("staff")
    assert paste(client).status_code == 403
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_upload_with_nothing_chosen_says_so(app, clerk):
    response = clerk.post("/van-ban-den/tai-len", data={})
    assert response.status_code == 400
    assert "Hãy chọn một tệp hoặc dán nội dung văn bản." in response.get_data(as_text=True)
