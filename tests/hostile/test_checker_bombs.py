"""Documents that used to take the format checker down in the web request: tables nested
3000 deep (a RecursionError, a 500) and a 6 MB .docx (minutes of CPU, the web worker's
timeout). The check now runs in the worker's limited child process; each is answered in
Vietnamese, the worker carries on, and a good document checked after them still passes.
"""

from __future__ import annotations

import io
import random
import string

import pytest
from sqlalchemy import func
from sqlalchemy import select

from storage.models import StoredFile
from tests.checker_page.conftest import edit_document_xml
from tests.checker_page.conftest import rendered
from tests.conftest import make_app
from tests.conftest import seed_world
from tests.support import drain_queue

URL = "/kiem-tra-the-thuc"


def _nested_tables(depth: int) -> bytes:
    def change(xml: str) -> str:
        cell = "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
        tables = "<w:tbl><w:tr><w:tc>" * depth + cell + "</w:tc></w:tr></w:tbl>" * depth
        return xml.replace("<w:body>", "<w:body>" + tables, 1)

    return edit_document_xml(rendered(), change)


def _large(megabytes: float) -> bytes:
    """A real document with paragraphs of random letters (hardly compressible) added."""
    chance = random.Random(12)
    letters = string.ascii_letters + "      "
    paragraphs = []
    size = 0
    while size < megabytes * 1.4 * 1024 * 1024:
        text = "".join(chance.choices(letters, k=400))
        paragraphs.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
        size += len(text)
    body = "".join(paragraphs)
    return edit_document_xml(rendered(), lambda xml: xml.replace("<w:body>", "<w:body>" + body, 1))


@pytest.fixture
def limited(database_url, redis_url, redis_client):
    """The app with a short CPU limit for the checker, a clerk signed in."""
    app = make_app(database_url, redis_url, CHECK_TIMEOUT=4)
    seed_world(app)
    client = app.test_client()
    client.post("/dang-nhap", data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"})
    yield app, client
    app.extensions["vanthu.db"].dispose()


def _check(app, client, data: bytes):
    response = client.post(
        URL, data={"file": (io.BytesIO(data), "bom.docx")}, content_type="multipart/form-data"
    )
    assert response.status_code == 303, response.status_code  # queued, not checked here
    drain_queue(app)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_tables_nested_3000_deep_are_answered_in_vietnamese(limited):
    app, client = limited
    page = _check(app, client, _nested_tables(3000))
    assert "Không kiểm tra được tệp “bom.docx”" in page
    assert "lồng nhau quá sâu" in page
    # The worker carried on: a good document checked next has its report.
    assert "Không phát hiện sai lệch nào về thể thức" in _check(app, client, rendered())


def test_a_6_mb_docx_is_stopped_at_the_limit_in_vietnamese(limited):
    app, client = limited
    data = _large(6)
    assert len(data) > 6 * 1024 * 1024
    page = _check(app, client, data)
    assert "Không kiểm tra được tệp “bom.docx”" in page
    assert "vượt quá thời gian cho phép (4 giây)" in page or "bộ nhớ" in page
    assert "Không phát hiện sai lệch nào về thể thức" in _check(app, client, rendered())
    # The upload is kept only until it is checked.
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0
