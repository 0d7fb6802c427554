"""incoming signatures: verified digital signatures, the register's Ký số and the trusted roots

Revision ID: 7d3e9a1c5b42
Revises: 4c8e1f2a7b93
Create Date: 2026-12-07 13:40:00

Issue 17, verification on arrival: each incoming document keeps the state of its digital
signatures as the worker verified them, and each organization the root certificates its
admin trusts (none shipped).
"""

import sqlalchemy as sa
from alembic import op

revision = "7d3e9a1c5b42"
down_revision = "4c8e1f2a7b93"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incoming_documents") as batch:
        batch.add_column(sa.Column("signature_state", sa.String(length=12), nullable=True))
        batch.add_column(
            sa.Column("signatures", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch.add_column(
            sa.Column("signatures_checked_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("signature_error", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("incoming_entries") as batch:
        batch.add_column(sa.Column("signature_state", sa.String(length=12), nullable=True))
    op.create_table(
        "trusted_roots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organization_id", "sha256"),
    )
    op.create_index("ix_trusted_roots_organization_id", "trusted_roots", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_trusted_roots_organization_id", table_name="trusted_roots")
    op.drop_table("trusted_roots")
    with op.batch_alter_table("incoming_entries") as batch:
        batch.drop_column("signature_state")
    with op.batch_alter_table("incoming_documents") as batch:
        batch.drop_column("signature_error")
        batch.drop_column("signatures_checked_at")
        batch.drop_column("signatures")
        batch.drop_column("signature_state")
