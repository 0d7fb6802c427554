"""document signing: signature and seal images, each signing step of an issued document

Revision ID: b9f3d1e7a2c4
Revises: 5e2b8d4f1a67
Create Date: 2026-12-07 17:10:00

Issue 17, signing outgoing documents: each person's signature image and each
organization's seal image (with its real diameter) are kept per owner, one each; each
signing step of an issued document keeps the PDF it produced (files live in the
database), who signed and with which certificate.
"""

import sqlalchemy as sa
from alembic import op

revision = "b9f3d1e7a2c4"
down_revision = "5e2b8d4f1a67"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=False),
        sa.Column("file_id", sa.String(length=32), nullable=True),
        sa.Column("diameter_mm", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organization_id", "owner", name="uq_signing_images_owner"),
    )
    op.create_table(
        "document_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False, server_default=""),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "step", name="uq_document_signatures_step"),
    )


def downgrade() -> None:
    op.drop_table("document_signatures")
    op.drop_table("signing_images")
