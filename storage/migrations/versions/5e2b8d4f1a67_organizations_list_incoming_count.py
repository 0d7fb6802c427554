"""an office's list of its schools paged and searched; the incoming register's page by index

Revision ID: 5e2b8d4f1a67
Revises: 7d3e9a1c5b42
Create Date: 2026-12-07 17:00:00

Issue 15 (lists): a Sở's list of its 500–5000 schools is read a page at a time over
``ix_organizations_children`` (parent, name, id: the tree's walk and the order from the
index alone), and searched without diacritics on ``organizations.search_key``, the folded
name (domain.text.fold), filled here for the organizations already stored. The incoming
register's page ids (``ORDER BY number`` with an offset) and its count are read from
``ix_incoming_entries_list`` (organization, year, number, id): on PostgreSQL the unique
index lacks the id, so a deep page visited the table for every line it skipped.
"""

import sqlalchemy as sa
from alembic import op

from domain.text import fold

revision = "5e2b8d4f1a67"
down_revision = "7d3e9a1c5b42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "organizations",
        sa.Column("search_key", sa.String(255), nullable=False, server_default=""),
    )
    organizations = sa.table(
        "organizations", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("search_key", sa.String),
    )  # fmt: skip
    connection = op.get_bind()
    for id_, name in connection.execute(sa.select(organizations.c.id, organizations.c.name)):
        connection.execute(
            organizations.update()
            .where(organizations.c.id == id_)
            .values(search_key=fold(name)[:255])
        )
    op.create_index("ix_organizations_children", "organizations", ["parent_id", "name", "id"])
    op.create_index(
        "ix_incoming_entries_list", "incoming_entries", ["organization_id", "year", "number", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_incoming_entries_list", table_name="incoming_entries")
    op.drop_index("ix_organizations_children", table_name="organizations")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("search_key")
