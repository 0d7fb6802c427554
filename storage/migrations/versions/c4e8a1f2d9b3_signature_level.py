"""document signatures: the PAdES level each signature reached

Revision ID: c4e8a1f2d9b3
Revises: c7e2a9d4f318
Create Date: 2026-12-07 20:00:00

Issue 17, item 3: each signing step records the level read back from the signed file
(B-B, B-T with a TSA's timestamp, B-LT with the chain's revocation data embedded) and
whether revocation data was embedded, so the document's page can say what was reached.
Rows signed before this revision have an empty level (not known; no note shown).
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e8a1f2d9b3"
down_revision = "c7e2a9d4f318"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=8), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("revocation_embedded", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("document_signatures", schema=None) as batch_op:
        batch_op.drop_column("revocation_embedded")
        batch_op.drop_column("level")
