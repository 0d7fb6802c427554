"""accounts and notifications

Revision ID: f4a7c2d9e615
Revises: 9c2e5b7a4d10
Create Date: 2026-12-07 09:45:00

Issue 14, items 2 and 3: a forced password change at first login, the daily-digest choice,
and the outbox of e-mail notifications.
"""

import sqlalchemy as sa
from alembic import op

revision = "f4a7c2d9e615"
down_revision = "9c2e5b7a4d10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("notify_digest", sa.Boolean(), server_default="0", nullable=False)
        )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("to_addr", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("dedup_key", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["digest_id"], ["notifications.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedup_key"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        for column in ("organization_id", "user_id", "status", "next_try_at", "created_at"):
            batch_op.create_index(batch_op.f(f"ix_notifications_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        for column in ("organization_id", "user_id", "status", "next_try_at", "created_at"):
            batch_op.drop_index(batch_op.f(f"ix_notifications_{column}"))
    op.drop_table("notifications")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("notify_digest")
        batch_op.drop_column("must_change_password")
