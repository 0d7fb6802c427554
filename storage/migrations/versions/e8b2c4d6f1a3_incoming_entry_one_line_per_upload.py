"""incoming entries: one line per upload

Revision ID: e8b2c4d6f1a3
Revises: a3d81f6c2e57
Create Date: 2026-12-07 12:50:00

Issue 13: two clerks registering the same upload at the same moment each got a line (both
passed the "already registered?" check before either committed). A partial unique index on
plan_id over the lines that hold their upload (live or merged into another; a line removed
as a mistake does not) makes the second insert fail. Uploads registered twice before this
migration keep their first line; the later ones are struck as mistakes (their numbers stay
used) and their handlers move to the first line, so the index can be built.
"""

from datetime import UTC
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "e8b2c4d6f1a3"
down_revision = "a3d81f6c2e57"
branch_labels = None
depends_on = None

LIVE_OR_MERGED = "removed_at IS NULL OR merged_into_id IS NOT NULL"


def upgrade() -> None:
    _strike_second_lines()
    op.create_index(
        "uq_incoming_entries_plan_id",
        "incoming_entries",
        ["plan_id"],
        unique=True,
        sqlite_where=sa.text(LIVE_OR_MERGED),
        postgresql_where=sa.text(LIVE_OR_MERGED),
    )


def downgrade() -> None:
    op.drop_index("uq_incoming_entries_plan_id", table_name="incoming_entries")


def _strike_second_lines() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, plan_id, year, number FROM incoming_entries "
            f"WHERE plan_id IS NOT NULL AND ({LIVE_OR_MERGED}) ORDER BY plan_id, id"
        )
    ).all()
    first: dict[int, tuple[int, int, int]] = {}
    now = datetime.now(UTC)
    for entry_id, plan_id, year, number in rows:
        if plan_id not in first:
            first[plan_id] = (entry_id, year, number)
            continue
        kept, kept_year, kept_number = first[plan_id]
        bind.execute(
            sa.text(
                "INSERT INTO incoming_handlers (entry_id, user_id, assigned_by_id, assigned_at, "
                "received_at) SELECT :kept, user_id, assigned_by_id, assigned_at, received_at "
                "FROM incoming_handlers h WHERE h.entry_id = :entry AND h.user_id NOT IN "
                "(SELECT user_id FROM incoming_handlers WHERE entry_id = :kept)"
            ),
            {"kept": kept, "entry": entry_id},
        )
        bind.execute(
            sa.text("DELETE FROM incoming_handlers WHERE entry_id = :entry"), {"entry": entry_id}
        )
        bind.execute(
            sa.text(
                "UPDATE incoming_entries SET removed_at = COALESCE(removed_at, :now), "
                "merged_into_id = NULL, remove_reason = :reason WHERE id = :entry"
            ),
            {
                "now": now,
                "entry": entry_id,
                "reason": f"Vào sổ hai lần cùng một tệp: trùng với số đến "
                f"{kept_number:02d}/{kept_year}",
            },
        )
