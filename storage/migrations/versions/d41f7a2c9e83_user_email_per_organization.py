"""user e-mail unique per organization

Revision ID: d41f7a2c9e83
Revises: 7f3a9c1e5b20
Create Date: 2026-12-07 13:00:00

Issue 12 (Low: e-mails enumerable across organizations): a sign-in e-mail was unique over
the whole service, so an admin adding an account learned that the address had one in another
organization. It is now unique within an organization; the same address may have an account
in each of several (a teacher at two schools). E-mails are stored in lower case.
"""

import sqlalchemy as sa
from alembic import op

revision = "d41f7a2c9e83"
down_revision = "7f3a9c1e5b20"
branch_labels = None
depends_on = None

# SQLite keeps the old constraint unnamed inside the table's definition; batch mode finds it
# by this naming convention so that it can be left out when the table is rebuilt.
_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_unique_name() -> str:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return "uq_users_email"
    for constraint in sa.inspect(bind).get_unique_constraints("users"):
        if constraint["column_names"] == ["email"]:
            return str(constraint["name"])
    raise RuntimeError("users.email has no unique constraint to drop")


def upgrade() -> None:
    op.execute("UPDATE users SET email = lower(trim(email))")
    with op.batch_alter_table("users", naming_convention=_CONVENTION) as batch_op:
        batch_op.drop_constraint(_old_unique_name(), type_="unique")
        batch_op.create_unique_constraint(
            "uq_users_organization_email", ["organization_id", "email"]
        )
        batch_op.create_index("ix_users_email", ["email"])


def downgrade() -> None:
    with op.batch_alter_table("users", naming_convention=_CONVENTION) as batch_op:
        batch_op.drop_index("ix_users_email")
        batch_op.drop_constraint("uq_users_organization_email", type_="unique")
        batch_op.create_unique_constraint("uq_users_email", ["email"])
