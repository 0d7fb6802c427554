"""organization tree, round closing

Revision ID: e3f1c8a2b704
Revises: b7e4a91c2d35
Create Date: 2026-12-07 09:30:00

Issue 14, items 4 and 5: an organization may sit under another (a school under its Phòng or
Sở: ``organizations.parent_id``), and a round may be closed (``rounds.closed_at``).
"""

import sqlalchemy as sa
from alembic import op

revision = "e3f1c8a2b704"
down_revision = "b7e4a91c2d35"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_organizations_parent_id"), ["parent_id"])
        batch.create_foreign_key(
            "fk_organizations_parent_id_organizations", "organizations", ["parent_id"], ["id"]
        )
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("closed_at")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_constraint("fk_organizations_parent_id_organizations", type_="foreignkey")
        batch.drop_index(batch.f("ix_organizations_parent_id"))
        batch.drop_column("parent_id")
