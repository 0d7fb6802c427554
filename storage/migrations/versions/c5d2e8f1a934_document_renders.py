"""document renders

Revision ID: c5d2e8f1a934
Revises: e3f1c8a2b704
Create Date: 2026-12-07 10:00:00

Issue 15: each render of a document is a row with its files, its page count and the
register number it prints, so that superseded files are deleted when a new render
replaces them (RENDER_HISTORY_KEEP kept) and an issued document's files are never.
"""

import sqlalchemy as sa
from alembic import op

revision = "c5d2e8f1a934"
down_revision = "e3f1c8a2b704"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_renders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("docx_file_id", sa.String(length=32), nullable=True),
        sa.Column("pdf_file_id", sa.String(length=32), nullable=True),
        sa.Column("preview_file_id", sa.String(length=32), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["docx_file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["pdf_file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["preview_file_id"], ["files.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document_renders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_renders_document_id"), ["document_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("document_renders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_renders_document_id"))
    op.drop_table("document_renders")
