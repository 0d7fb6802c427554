"""storage that does not leak: job files, derived files, an index on every file reference

Revision ID: c7e2a9d4f318
Revises: b9f3d1e7a2c4
Create Date: 2026-12-07 20:00:00

Issue 15, storage: a file lives while a row points at it, and the storage sweep
(services.storage_sweep) deletes those none points at. Two kinds of file were found only
by ids kept outside a foreign key, so rows now point at them:

* ``job_files``: the files a job made that only its result names (a template's preview,
  a batch of certificates). Backfilled for the newest preview of each template version
  and every certificate batch; older previews are left to the sweep.
* ``derived_files``: a file made from another and found by an id derived from it (a
  render's further page images, an evidence file's PDF), linked to its source. Backfilled
  for the derived ids of every stored preview and evidence file.

Every column referencing ``files.id`` gets an index, so that "is this file referenced?"
(the sweep's NOT EXISTS, and the database's own check when a file is deleted) is an index
probe rather than a scan of the table.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "c7e2a9d4f318"
down_revision = "b9f3d1e7a2c4"
branch_labels = None
depends_on = None

# (table, column) of every foreign key to files.id that had no index.
_REFERENCES = (
    ("submission_files", "file_id"),
    ("documents", "docx_file_id"),
    ("documents", "pdf_file_id"),
    ("documents", "preview_file_id"),
    ("document_renders", "docx_file_id"),
    ("document_renders", "pdf_file_id"),
    ("document_renders", "preview_file_id"),
    ("document_templates", "file_id"),
    ("incoming_documents", "file_id"),
    ("incoming_pages", "file_id"),
    ("incoming_entries", "file_id"),
    ("signing_images", "file_id"),
    ("document_signatures", "file_id"),
)
_MAX_PREVIEW_PAGES = 20  # render.preview.MAX_PREVIEW_PAGES when this was written
_CHUNK = 500


def _page_file_id(first_id: str, page: int) -> str:  # render.preview.page_file_id
    return hashlib.sha256(f"{first_id}/trang-{page}".encode()).hexdigest()[:32]


def _evidence_pdf_id(file_id: str) -> str:  # services.submissions.preview_id
    return hashlib.sha256(f"pdf-preview:{file_id}".encode()).hexdigest()[:32]


def upgrade() -> None:
    op.create_table(
        "derived_files",
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("file_id"),
    )
    op.create_index("ix_derived_files_source_id", "derived_files", ["source_id"])
    op.create_table(
        "job_files",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.PrimaryKeyConstraint("job_id", "file_id"),
    )
    op.create_index("ix_job_files_file_id", "job_files", ["file_id"])
    for table, column in _REFERENCES:
        op.create_index(f"ix_{table}_{column}", table, [column])
    _backfill(op.get_bind())


def _backfill(connection: sa.engine.Connection) -> None:
    derived: dict[str, str] = {}  # derived id -> source id
    previews = connection.execute(
        sa.text(
            "SELECT preview_file_id FROM document_renders WHERE preview_file_id IS NOT NULL "
            "UNION SELECT preview_file_id FROM documents WHERE preview_file_id IS NOT NULL"
        )
    ).scalars()
    for first in previews:
        for page in range(2, _MAX_PREVIEW_PAGES + 1):
            derived[_page_file_id(first, page)] = first
    for evidence in connection.execute(sa.text("SELECT file_id FROM submission_files")).scalars():
        derived[_evidence_pdf_id(evidence)] = evidence
    _insert_existing(connection, "derived_files", "source_id", derived)

    jobs = sa.table(
        "jobs",
        sa.column("id", sa.String),
        sa.column("organization_id", sa.Integer),
        sa.column("function", sa.String),
        sa.column("status", sa.String),
        sa.column("args", sa.JSON),
        sa.column("result", sa.JSON),
        sa.column("created_at", sa.DateTime),
    )
    rows = connection.execute(
        sa.select(jobs.c.id, jobs.c.organization_id, jobs.c.function, jobs.c.args, jobs.c.result)
        .where(
            jobs.c.status == "done",
            jobs.c.function.in_(
                ["worker.jobs.preview_template", "worker.jobs.render_certificates"]
            ),
        )
        .order_by(jobs.c.created_at.desc())
    )
    made: dict[str, str] = {}  # file id -> job id
    newest_seen: set[tuple[object, ...]] = set()
    for job_id, organization_id, function, args, result in rows:
        if function == "worker.jobs.preview_template":
            version = (organization_id, (args or {}).get("kind"), (args or {}).get("template_id"))
            if version in newest_seen:
                continue  # an older preview of the same version: the sweep's
            newest_seen.add(version)
        for key, value in (result or {}).items():
            if key.endswith("_file_id") and isinstance(value, str):
                made[value] = job_id
    _insert_existing(connection, "job_files", "job_id", made)


def _insert_existing(
    connection: sa.engine.Connection, table: str, other: str, links: dict[str, str]
) -> None:
    """Insert ``(file_id, other)`` for those of ``links``' files that are stored."""
    ids = list(links)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stored = connection.execute(
            sa.text("SELECT id FROM files WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        ).scalars()
        values = [{"file_id": file_id, "other": links[file_id]} for file_id in stored]
        if values:
            connection.execute(
                sa.text(f"INSERT INTO {table} (file_id, {other}) VALUES (:file_id, :other)"),
                values,
            )


def downgrade() -> None:
    for table, column in reversed(_REFERENCES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    op.drop_index("ix_job_files_file_id", table_name="job_files")
    op.drop_table("job_files")
    op.drop_index("ix_derived_files_source_id", table_name="derived_files")
    op.drop_table("derived_files")
