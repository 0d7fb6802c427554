"""incoming pages show the shared reading's images; signature checks record their roots

Revision ID: c5e8a1f3d926
Revises: c7a4e2f9d0b1
Create Date: 2026-12-07 19:50:00

Issue 15, a broadcast to 500 schools: a school's upload of bytes already read refers to
the shared reading's page images (``incoming_pages.parsed_page_id``) instead of storing a
copy of each in its own files, so ``file_id`` may be empty. Issue 17's signature check
records the fingerprint of the trusted roots it used (``signature_roots``), so that
another organization with the same roots reuses the reports for the same bytes, found
from the file's SHA-256 through ``ix_incoming_documents_file_id`` (made by c7e2a9d4f318,
which indexed every reference to files.id).
"""

import sqlalchemy as sa
from alembic import op

revision = "c5e8a1f3d926"
down_revision = "c7a4e2f9d0b1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incoming_pages") as batch:
        batch.alter_column("file_id", existing_type=sa.String(length=32), nullable=True)
        batch.add_column(sa.Column("parsed_page_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_incoming_pages_parsed_page_id_parsed_pages",
            "parsed_pages",
            ["parsed_page_id"],
            ["id"],
        )
        batch.create_index("ix_incoming_pages_parsed_page_id", ["parsed_page_id"])
    with op.batch_alter_table("incoming_documents") as batch:
        batch.add_column(
            sa.Column("signature_roots", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("incoming_documents") as batch:
        batch.drop_column("signature_roots")
    # Pages shown from the shared reading have no file of their own to fall back on.
    op.execute("DELETE FROM incoming_pages WHERE file_id IS NULL")
    with op.batch_alter_table("incoming_pages") as batch:
        batch.drop_index("ix_incoming_pages_parsed_page_id")
        batch.drop_constraint("fk_incoming_pages_parsed_page_id_parsed_pages", type_="foreignkey")
        batch.drop_column("parsed_page_id")
        batch.alter_column("file_id", existing_type=sa.String(length=32), nullable=False)
