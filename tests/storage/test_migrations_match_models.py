"""The Alembic migrations build exactly the schema the models declare (SQLite or server)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from storage.db import normalise_url
from storage.models import Base


def test_migrated_database_matches_the_models(database_url):
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
