"""parsed files: a parse cache shared across organizations

Revision ID: 7f3a9c1e5b20
Revises: e8b2c4d6f1a3
Create Date: 2026-12-07 13:00:00

Issue 15: one scan sent by a Sở to 500 schools was OCR'd 500 times (duplicates were
recognised within one organization only). What the parser reads from a file's bytes is kept
once, keyed by their SHA-256 and the parser's version; the unique key lets one job claim the
reading while concurrent uploads of the same bytes wait for it.
"""

import sqlalchemy as sa
from alembic import op

revision = "7f3a9c1e5b20"
down_revision = "e8b2c4d6f1a3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parsed_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("parser_version", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "parser_version"),
    )
    op.create_table(
        "parsed_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parsed_file_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("points_width", sa.Double(), nullable=False),
        sa.Column("points_height", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["parsed_file_id"], ["parsed_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("parsed_file_id", "page"),
    )


def downgrade() -> None:
    op.drop_table("parsed_pages")
    op.drop_table("parsed_files")
