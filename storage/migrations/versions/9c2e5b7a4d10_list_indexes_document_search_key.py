"""list indexes, documents.search_key

Revision ID: 9c2e5b7a4d10
Revises: c5d2e8f1a934
Create Date: 2026-12-07 10:05:00

Issue 15 (lists): every list reads one page in SQL. Indexes that serve each list's filter
and order, ``submissions.created_by_id`` (a teacher's own list), and the documents' folded
search text (trích yếu, số/ký hiệu), filled here for the documents already stored.
"""

import sqlalchemy as sa
from alembic import op

from domain.numbering import format_number
from domain.text import fold

revision = "9c2e5b7a4d10"
down_revision = "c5d2e8f1a934"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column(
        "documents", sa.Column("search_key", sa.Text(), nullable=False, server_default="")
    )
    op.create_index("ix_documents_list", "documents", ["organization_id", "updated_at", "id"])
    op.create_index(
        "ix_submissions_list", "submissions", ["organization_id", "unit", "nominee_name", "id"]
    )
    op.create_index("ix_submissions_own", "submissions", ["created_by_id", "updated_at", "id"])
    connection = op.get_bind()
    documents = sa.table(
        "documents",
        sa.column("id", sa.Integer),
        sa.column("summary", sa.Text),
        sa.column("number", sa.Integer),
        sa.column("symbol", sa.String),
        sa.column("search_key", sa.Text),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(documents.c.id, documents.c.summary, documents.c.number, documents.c.symbol)
            .where(documents.c.id > last)
            .order_by(documents.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        for id_, summary, number, symbol in rows:
            label = f"{format_number(number)}/{symbol}" if number is not None else ""
            connection.execute(
                documents.update()
                .where(documents.c.id == id_)
                .values(search_key=fold(f"{summary or ''} {label}"))
            )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_submissions_own", table_name="submissions")
    op.drop_index("ix_submissions_list", table_name="submissions")
    op.drop_index("ix_documents_list", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("search_key")
