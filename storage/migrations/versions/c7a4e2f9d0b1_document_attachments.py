"""document attachments: văn bản kèm theo of an issued document, signed by the organization

Revision ID: c7a4e2f9d0b1
Revises: c4e8a1f2d9b3
Create Date: 2026-12-07 20:00:00

Issue 17, NĐ 30 Phụ lục I for electronic documents: an attachment in a file of its own is
signed by the Văn thư with the organization's certificate. Each attachment keeps the PDF
as uploaded and, once signed, the signed PDF, who signed, when and with which certificate.
"""

import sqlalchemy as sa
from alembic import op

revision = "c7a4e2f9d0b1"
down_revision = "c4e8a1f2d9b3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("signed_file_id", sa.String(length=32), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["signed_file_id"], ["files.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["signed_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_document_attachments_document_id", "document_attachments", ["document_id"])
    # Every reference to files.id is indexed (the storage sweep's NOT EXISTS probes).
    op.create_index("ix_document_attachments_file_id", "document_attachments", ["file_id"])
    op.create_index(
        "ix_document_attachments_signed_file_id", "document_attachments", ["signed_file_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_document_attachments_signed_file_id", table_name="document_attachments")
    op.drop_index("ix_document_attachments_file_id", table_name="document_attachments")
    op.drop_index("ix_document_attachments_document_id", table_name="document_attachments")
    op.drop_table("document_attachments")
