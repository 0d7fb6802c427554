"""Văn bản cấp trên: the uploads, newest first, one page at a time, file names but no content."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy import text

from storage.models import IncomingDocument
from storage.models import StoredFile
from tests.lists.conftest import START

ROW = re.compile(r'href="/van-ban-den/(\d+)"')


@pytest.fixture
def seed_uploads(app, world):
    """``count`` parsed uploads of ``organization``, each with its own stored file; every
    other one without a title read, so the list shows its file's name."""

    def seed(count: int, organization: str = "school", title: str = "Kế hoạch") -> None:
        org_id = world[organization]
        clerk = world["clerk" if organization == "school" else "other_clerk"]
        with app.extensions["vanthu.db"].session() as session:
            files = list(session.scalars(insert(StoredFile).returning(StoredFile.id), [
                {"organization_id": org_id, "original_name": f"{title} {i}.pdf",
                 "mime_type": "application/pdf", "size": 5, "sha256": f"{title}{i}",
                 "content": b"%PDF-"} for i in range(count)
            ]))  # fmt: skip
            session.execute(insert(IncomingDocument), [
                {"organization_id": org_id, "file_id": file_id, "status": "parsed",
                 "extracted": {"title": f"{title} {i}"} if i % 2 else {}, "corrections": {},
                 "created_by_id": clerk, "created_at": START + timedelta(minutes=i)}
                for i, file_id in enumerate(files)
            ])  # fmt: skip

    return seed


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


def test_uploads_page_newest_first_beyond_the_old_hundred(client, auth, seed_uploads):
    seed_uploads(130)
    auth.login("clerk")
    first = client.get("/van-ban-den/")
    assert "Trang 1/3" in first.get_data(as_text=True)
    pages = [_ids(first)] + [_ids(client.get(f"/van-ban-den/?page={n}")) for n in (2, 3)]
    everything = [i for p in pages for i in p]
    assert [len(p) for p in pages] == [50, 50, 30]
    assert len(set(everything)) == 130 and everything == sorted(everything, reverse=True)


def test_uploads_of_another_organization_are_never_shown(client, auth, seed_uploads):
    seed_uploads(2)
    seed_uploads(70, organization="other", title="Của trường khác")
    auth.login("clerk")
    html = client.get("/van-ban-den/").get_data(as_text=True)
    assert len(_ids(client.get("/van-ban-den/"))) == 2
    assert "Của trường khác" not in html and "Trang 1/" not in html


def test_an_uploads_page_runs_the_same_statements_and_never_reads_file_content(
    client, auth, seed_uploads, statements
):
    seed_uploads(3)
    auth.login("clerk")
    client.get("/van-ban-den/")
    few = statements.during(lambda: client.get("/van-ban-den/"))
    seed_uploads(200)
    many = statements.during(lambda: client.get("/van-ban-den/?page=2"))
    assert many == few
    assert not [s for s in statements.statements if "files.content" in s]


def test_the_uploads_page_query_reads_the_list_index_on_sqlite(app, world):
    if not app.extensions["vanthu.db"].is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    sql = (
        "SELECT id FROM incoming_documents WHERE organization_id = 1 "
        "ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 50"
    )
    with app.extensions["vanthu.db"].session() as session:
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_incoming_documents_list" in plan and "TEMP B-TREE" not in plan, plan
