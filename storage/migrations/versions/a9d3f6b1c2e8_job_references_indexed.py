"""the columns naming a job are indexed: the storage sweep prunes old job rows

Revision ID: a9d3f6b1c2e8
Revises: f1d3b8c6a402
Create Date: 2026-12-08 01:10:00

Issue 15: job rows finished more than JOB_RETENTION_DAYS ago are deleted by the storage
sweep unless a document, an upload or a parse-cache reading still names them. Those
``job_id`` columns have no foreign key (a job row is made apart from them), so the sweep
probes each with NOT EXISTS: indexed, each probe is one index lookup. The jobs' index by
status grows the finish time and id: the sweep walks the old finished rows in that order,
reading no younger row (and its prefix serves the outbox's lookups by status as before).
"""

from alembic import op

revision = "a9d3f6b1c2e8"
down_revision = "f1d3b8c6a402"
branch_labels = None
depends_on = None

_INDEXED = (("documents", "job_id"), ("incoming_documents", "job_id"), ("parsed_files", "job_id"))


def upgrade() -> None:
    for table, column in _INDEXED:
        op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_index("ix_jobs_status_finished", "jobs", ["status", "finished_at", "id"])
    op.drop_index("ix_jobs_status", table_name="jobs")


def downgrade() -> None:
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.drop_index("ix_jobs_status_finished", table_name="jobs")
    for table, column in _INDEXED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
