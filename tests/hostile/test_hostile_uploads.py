"""Every crafted file through every upload: a clear Vietnamese answer, nothing earlier lost.

Uploads covered here: evidence of a nomination (stored, never parsed), the format checker
(screened in the request, checked in the worker), a custom template (validated). The plan
upload (parsed by the worker in a limited child process) is in ``test_hostile_plans.py``.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.hostile.payloads import PAYLOADS
from tests.hostile.payloads import Payload
from tests.support import drain_queue
from tests.web.test_submission_forms import EXEMPLARY_OK

IDS = [p.name for p in PAYLOADS]
VIETNAMESE = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]"
)


def test_there_are_at_least_forty_hostile_files():
    assert len(PAYLOADS) >= 40
    assert len(set(IDS)) == len(IDS)


def _message(html: str) -> str:
    found = re.findall(r'class="(?:error|flash error|errors)[^"]*"[^>]*>(.*?)<', html, re.S)
    return " ".join(m.strip() for m in found)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_evidence_upload_stores_real_documents_and_refuses_the_rest(
    client, auth, world, app, snapshot, payload: Payload
):
    auth.login("staff")
    before = snapshot()
    data = payload.build()
    response = client.post(
        f"/dot/{world['round']}/dien-hinh",
        data=EXEMPLARY_OK | {"evidence": [(io.BytesIO(data), payload.filename)]},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 302, 413), response.status_code
    if response.status_code == 302:  # accepted: it really is a PDF / DOCX / PNG / JPEG
        growth = before.assert_intact(may_grow={"submissions", "submission_files", "files"})
        assert growth["files"] == 1
        from storage.models import StoredFile

        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            stored = session.query(StoredFile).order_by(StoredFile.created_at.desc()).first()
            name = stored.original_name
            assert "/" not in name and "\x00" not in name and len(name) <= 255
            download = client.get(f"/tep/{stored.id}")
            assert download.status_code == 200
            assert download.headers["Content-Disposition"].startswith("attachment")
            assert download.headers["X-Content-Type-Options"] == "nosniff"
            assert download.data == data
    else:
        html = response.get_data(as_text=True)
        assert VIETNAMESE.search(_message(html) or html)
        before.assert_intact()


DOCX_LIKE = [p for p in PAYLOADS if p.pretends in ("docx", "doc", "image", "txt")] + [
    p for p in PAYLOADS if p.name in ("elf-renamed-pdf", "pdf-zip-polyglot", "empty-pdf")
]


@pytest.mark.parametrize("payload", DOCX_LIKE, ids=[p.name for p in DOCX_LIKE])
def test_format_checker_refuses_or_reports_every_hostile_docx(
    app, client, auth, world, snapshot, payload: Payload
):
    auth.login("clerk")
    before = snapshot()
    response = client.post(
        "/kiem-tra-the-thuc",
        data={"file": (io.BytesIO(payload.build()), payload.filename)},
        content_type="multipart/form-data",
    )
    # Refused by the screening in the request (not a Word file), or queued for the worker's
    # limited child and answered on the job's page.
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 303:
        drain_queue(app)
        response = client.get(response.headers["Location"])
        assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert VIETNAMESE.search(html)
    if response.status_code == 422:
        assert "không" in html.lower()
    before.assert_intact(may_grow={"jobs"})  # the checked upload itself is not kept


@pytest.mark.parametrize("payload", DOCX_LIKE, ids=[p.name for p in DOCX_LIKE])
def test_custom_template_upload_refuses_every_hostile_docx(
    client, auth, world, snapshot, payload: Payload
):
    auth.login("admin")
    before = snapshot()
    response = client.post(
        "/quan-tri/mau-van-ban/cong_van",
        data={"file": (io.BytesIO(payload.build()), payload.filename), "note": "thử"},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 422), response.status_code
    html = response.get_data(as_text=True)
    assert VIETNAMESE.search(_message(html) or html)
    before.assert_intact()  # none of them is a template: nothing stored
