"""Run in separate processes by the register's concurrency test (importable for "spawn")."""

from __future__ import annotations

from datetime import date

from services.incoming.entries import EntryData
from services.incoming.registration import register
from storage.db import Database


def register_all(url: str, organization_id: int, user_id: int, count: int, day: str) -> list[int]:
    """Register ``count`` lines, each in its own transaction through a new engine."""
    database = Database(url)
    numbers = []
    try:
        for index in range(count):
            with database.session() as session:
                entry = register(
                    session,
                    organization_id=organization_id,
                    user_id=user_id,
                    data=EntryData(
                        received_date=date.fromisoformat(day), summary=f"Văn bản {index}"
                    ),
                )
                numbers.append(entry.number)
    finally:
        database.dispose()
    return numbers
