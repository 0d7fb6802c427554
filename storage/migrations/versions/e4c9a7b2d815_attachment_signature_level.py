"""document attachments: the level their signature reached

Revision ID: e4c9a7b2d815
Revises: d2b7e4a9c531
Create Date: 2026-12-08 01:00:00

Issue 17: a signed attachment shows the PAdES level read back from its file (B-B, B-T,
B-LT), as the document's own signatures do. Attachments signed before keep "".
"""

import sqlalchemy as sa
from alembic import op

revision = "e4c9a7b2d815"
down_revision = "d2b7e4a9c531"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_attachments") as batch:
        batch.add_column(sa.Column("level", sa.String(8), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("revocation_embedded", sa.Boolean(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("document_attachments") as batch:
        batch.drop_column("revocation_embedded")
        batch.drop_column("level")
