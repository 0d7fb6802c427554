"""job turns: when each organization's bulk work last started

Revision ID: 4c8e1f2a7b93
Revises: b2c7e9d4a618
Create Date: 2026-12-07 13:15:00

Issue 15: bulk jobs are claimed in fair turns per organization (worker.runner). Reading the
last start from the jobs table scanned every past job of every waiting organization (≈0.5 s
a claim at 500 organizations × 1000 jobs); one row per organization makes the pick cost
grow with the waiting jobs only.
"""

import sqlalchemy as sa
from alembic import op

revision = "4c8e1f2a7b93"
down_revision = "b2c7e9d4a618"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_turns",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("organization_id"),
    )


def downgrade() -> None:
    op.drop_table("job_turns")
