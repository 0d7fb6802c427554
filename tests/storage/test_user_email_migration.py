"""The migration to per-organization e-mails keeps every account and its sign-in: mixed-case
addresses become lower case, and the same address may then be added in another organization
but not twice in one (on a SQLite file, where the old constraint had no name to drop it by)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from storage import migrate

BEFORE = "7f3a9c1e5b20"
AFTER = "d41f7a2c9e83"


def _insert_user(connection: sa.Connection, organization_id: int, email: str) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO users (organization_id, email, full_name, position, unit, role, "
            "password_hash, active, created_at, session_epoch, must_change_password, "
            "notify_digest) VALUES (:org, :email, 'Tên', '', '', 'staff', 'x', 1, "
            "'2026-01-01 00:00:00', 0, 0, 0)"
        ),
        {"org": organization_id, "email": email},
    )


def test_upgrade_lowers_emails_and_makes_them_unique_per_organization(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    migrate.upgrade(url, BEFORE)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for name in ("A", "B"):
            connection.execute(
                sa.text(
                    "INSERT INTO organizations (name, parent_name, abbrev, place, head_title, "
                    "head_name, address, default_recipients, settings, created_at) VALUES "
                    "(:n, '', :n, '', '', '', '', '', '{}', '2026-01-01 00:00:00')"
                ),
                {"n": name},
            )
        _insert_user(connection, 1, " Co.Giao@Truong.EDU.vn")
    migrate.upgrade(url, AFTER)
    with engine.begin() as connection:
        emails = connection.scalars(sa.text("SELECT email FROM users")).all()
        assert emails == ["co.giao@truong.edu.vn"]
        _insert_user(connection, 2, "co.giao@truong.edu.vn")
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        _insert_user(connection, 1, "co.giao@truong.edu.vn")
    engine.dispose()
