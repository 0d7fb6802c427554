"""Small hardening: the SQLite file is private, signed-in pages stay out of caches, the
CLI takes no weak password, and the production configuration has CSRF on."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.migrate import upgrade
from tests.conftest import PASSWORD


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_sqlite_file_is_created_readable_by_its_owner_only(tmp_path):
    migrated = tmp_path / "a" / "vanthu.sqlite3"
    upgrade(f"sqlite:///{migrated}")
    assert _mode(migrated) == 0o600
    opened = tmp_path / "b" / "vanthu.sqlite3"
    database = Database(f"sqlite:///{opened}")
    with database.session() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    database.dispose()
    assert _mode(opened) == 0o600
    for companion in opened.parent.glob("vanthu.sqlite3-*"):  # -wal, -shm
        assert _mode(companion) & 0o077 == 0, companion


def test_an_existing_world_readable_sqlite_file_is_made_private(tmp_path):
    path = tmp_path / "vanthu.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    Database(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600


def test_pages_of_a_signed_in_user_are_not_stored_in_caches(client, auth, world):
    assert "no-store" not in client.get("/dang-nhap").headers.get("Cache-Control", "")
    auth.login("clerk")
    for path in ("/", "/xet-duyet/", "/ho-so"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize(
    ("password", "message"),
    [("abc123", "ít nhất 8 ký tự"), ("chichuthoi", "cả chữ và số"), ("12345678", "cả chữ và số")],
)
def test_the_cli_refuses_a_weak_password_like_the_ui(app, world, password, message):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user", "--email", "moi@truong.edu.vn", "--name", "Người Mới",
            "--password", password,
        ]
    )  # fmt: skip
    assert result.exit_code != 0
    assert message in result.output
    client = app.test_client()
    response = client.post("/dang-nhap", data={"email": "moi@truong.edu.vn", "password": password})
    assert response.status_code == 200  # no such account was made


def test_the_cli_accepts_a_strong_password_and_generates_strong_ones(app, world):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=["create-user", "--email", "a@truong.edu.vn", "--name", "A", "--password", PASSWORD]
    )
    assert made.exit_code == 0, made.output
    from cli import generated_password
    from forms.account import password_problem

    assert all(password_problem(generated_password()) is None for _ in range(200))


def test_production_configuration_refuses_a_post_without_csrf_token(
    database_url, redis_url, redis_client, world
):
    from web import create_app

    # Only what a production install sets: no TESTING, no WTF_CSRF_ENABLED override.
    app = create_app({"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "x"})
    try:
        response = app.test_client().post(
            "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": PASSWORD}
        )
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
    finally:
        app.extensions["vanthu.db"].dispose()
