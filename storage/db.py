"""Engine and session handling for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from typing import cast

from flask import Flask
from flask import current_app
from flask import g
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import make_url
from sqlalchemy.engine import CursorResult
from sqlalchemy.engine import Engine
from sqlalchemy.engine import Result
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

EXTENSION_KEY = "vanthu.db"


def normalise_url(url: str) -> str:
    """Map ``postgresql://`` and ``postgres://`` onto the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_sqlite_url(instance_path: str | Path) -> str:
    """The embedded default: a SQLite file in the instance folder."""
    return f"sqlite:///{Path(instance_path) / 'vanthu.sqlite3'}"


def make_private_sqlite_file(url: str) -> None:
    """Create the SQLite file of ``url`` readable by its owner only (0600) before SQLite
    does (it would follow the umask, often 0644); an existing file of ours is made so too.
    SQLite gives its -wal and -shm files the database file's permissions."""
    database = make_url(url).database if url.startswith("sqlite") else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the worker write while web requests read; busy_timeout makes writers
        # queue for the lock instead of failing at once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        if self.url.startswith("sqlite"):
            make_private_sqlite_file(self.url)
            self.engine = create_engine(
                self.url, connect_args={"timeout": 30, "check_same_thread": False}
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error (for jobs and CLI)."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask) -> Database:
    """Create the app's database from config and register the request teardown."""
    url = app.config.get("DATABASE_URL") or default_sqlite_url(app.instance_path)
    database = Database(url)
    app.extensions[EXTENSION_KEY] = database

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    return database


def get_db() -> Database:
    """The current app's :class:`Database`."""
    return current_app.extensions[EXTENSION_KEY]


def real_app() -> Flask:
    """The app behind ``flask.current_app``, for what outlives the app context (a thread, a
    job's heartbeat, a callback after commit). Flask's stubs type the proxy as the app."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's method
    return app


def get_session() -> Session:
    """The session of the current request (or app context), created on first use."""
    if "db_session" not in g:
        g.db_session = get_db().sessions()
    return g.db_session


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """The number of rows an UPDATE or DELETE run by ``Session.execute`` matched.

    Such a statement's result is a ``CursorResult`` (which has ``rowcount``), but
    SQLAlchemy's signature for ``Session.execute`` says only ``Result``."""
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount
