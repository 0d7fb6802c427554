"""deadline rules and occurrences

Revision ID: 7d3b9e2c4f18
Revises: ca668168aef5
Create Date: 2026-12-07 09:30:00

Issue 13, item 2: a recurring deadline keeps its written day of the month and ends at its
plan's period; one occurrence can be marked done without touching the others.
"""

import sqlalchemy as sa
from alembic import op

revision = "7d3b9e2c4f18"
down_revision = "ca668168aef5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("month_day", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("until", sa.Date(), nullable=True))
    op.create_table(
        "deadline_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadlines.id"]),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id", "day"),
    )
    with op.batch_alter_table("deadline_occurrences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_occurrences_deadline_id"), ["deadline_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deadline_occurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_occurrences_deadline_id"))
    op.drop_table("deadline_occurrences")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("until")
        batch_op.drop_column("month_day")
