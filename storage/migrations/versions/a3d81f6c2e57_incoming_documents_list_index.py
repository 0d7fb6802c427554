"""incoming documents list index

Revision ID: a3d81f6c2e57
Revises: f4a7c2d9e615
Create Date: 2026-12-07 10:20:00

Issue 15 (lists): the uploads of Văn bản cấp trên are read a page at a time, newest first.
"""

from alembic import op

revision = "a3d81f6c2e57"
down_revision = "f4a7c2d9e615"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_incoming_documents_list", "incoming_documents", ["organization_id", "created_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_incoming_documents_list", table_name="incoming_documents")
