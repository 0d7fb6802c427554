"""jobs: the parked job a job wakes when it ends

Revision ID: f1d3b8c6a402
Revises: e4c9a7b2d815
Create Date: 2026-12-08 01:10:00

Issue 15: a long scan's reading waits for its OCR page jobs parked, not polling every 2 s
(each poll took its school's fair turn before the school's own page jobs); each page job
names it in ``wakes_job_id`` and the runner makes it due when the page job ends.
"""

import sqlalchemy as sa
from alembic import op

revision = "f1d3b8c6a402"
down_revision = "e4c9a7b2d815"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("wakes_job_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("wakes_job_id")
