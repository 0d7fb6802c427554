"""The migration naming every kept file by a foreign key (issue 15, storage) links the
files found before only by derived ids or job results: a render's further page images and
an evidence file's PDF to their source, the newest preview of each template version and
every certificate batch to their job. Older previews are left for the storage sweep."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from render.preview import page_file_id
from services.submissions import preview_id
from storage import migrate
from storage.models import Base

BEFORE = "b9f3d1e7a2c4"
AFTER = "c7e2a9d4f318"


def test_upgrade_links_derived_files_and_the_files_of_jobs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    migrate.upgrade(url, BEFORE)
    tables = Base.metadata.tables
    engine = sa.create_engine(url)  # no foreign-key pragma: rows stand alone
    ids = {name: f"{n:032x}" for n, name in enumerate(
        ["page1", "evidence", "old_png", "old_pdf", "new_png", "new_pdf", "zip"], start=1
    )}  # fmt: skip
    ids["page2"] = page_file_id(ids["page1"], 2)
    ids["evidence_pdf"] = preview_id(ids["evidence"])
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            tables["files"].insert(),
            [
                {"id": file_id, "organization_id": 1, "original_name": name, "mime_type": "x",
                 "size": 1, "sha256": "0" * 64, "content": b"x"}
                for name, file_id in ids.items()
            ],
        )  # fmt: skip
        connection.execute(
            tables["documents"].insert().values(
                id=1, organization_id=1, kind="ke_hoach", created_by_id=1,
                preview_file_id=ids["page1"],
            )
        )  # fmt: skip
        connection.execute(
            tables["document_renders"].insert().values(document_id=1, preview_file_id=ids["page1"])
        )
        connection.execute(
            tables["submission_files"].insert().values(submission_id=1, file_id=ids["evidence"])
        )
        preview = {"organization_id": 1, "kind": "x", "function": "worker.jobs.preview_template",
                   "status": "done", "args": {"kind": "cong_van", "template_id": 3}}  # fmt: skip
        connection.execute(
            tables["jobs"].insert(),
            [
                {**preview, "id": "old", "created_at": now - timedelta(hours=1),
                 "result": {"preview_file_id": ids["old_png"], "pdf_file_id": ids["old_pdf"]}},
                {**preview, "id": "new", "created_at": now,
                 "result": {"preview_file_id": ids["new_png"], "pdf_file_id": ids["new_pdf"]}},
                {**preview, "id": "batch", "function": "worker.jobs.render_certificates",
                 "created_at": now, "result": {"zip_file_id": ids["zip"], "count": 2}},
            ],
        )  # fmt: skip

    migrate.upgrade(url, AFTER)

    with engine.begin() as connection:
        derived = set(connection.execute(sa.text("SELECT file_id, source_id FROM derived_files")))
        made = set(connection.execute(sa.text("SELECT job_id, file_id FROM job_files")))
    engine.dispose()
    assert derived == {(ids["page2"], ids["page1"]), (ids["evidence_pdf"], ids["evidence"])}
    assert made == {("new", ids["new_png"]), ("new", ids["new_pdf"]), ("batch", ids["zip"])}
