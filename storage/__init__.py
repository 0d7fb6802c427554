"""Persistence: SQLAlchemy engine and sessions, models, the file store, migrations.

Files (uploads and generated documents) live in the database, so any number of web and
worker machines can share one PostgreSQL and no disk.
"""

from storage.db import Database
from storage.db import get_db
from storage.db import init_app

__all__ = ["Database", "get_db", "init_app"]
