"""users session epoch

Revision ID: 5a1c0e7d9b42
Revises: 64452ba872ee
Create Date: 2026-12-07 09:00:00

Issue 12, item 7: sessions end on logout and password change (the epoch a session was
made in must still be the user's).
"""

import sqlalchemy as sa
from alembic import op

revision = "5a1c0e7d9b42"
down_revision = "64452ba872ee"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
