"""Alembic environment: the URL comes from the caller (storage.migrate), never a file."""

from alembic import context

from storage.db import Database
from storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
assert url is not None, "storage.migrate passes the URL"
database = Database(url)

with database.engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=database.is_sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
database.dispose()
