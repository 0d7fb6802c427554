"""Run in separate processes by the register's concurrency test (importable for "spawn")."""

from __future__ import annotations

from datetime import date

from services.register import issue_document
from storage.db import Database
from storage.models import Document


def issue_all(url: str, document_ids: list[int], user_id: int, issued_on: str) -> list[int]:
    """Issue each document in its own transaction through a new engine; return the numbers."""
    database = Database(url)
    numbers = []
    try:
        for document_id in document_ids:
            with database.session() as session:
                document = session.get(Document, document_id)
                numbers.append(
                    issue_document(
                        session, document, user_id=user_id, issued_on=date.fromisoformat(issued_on)
                    )
                )
    finally:
        database.dispose()
    return numbers
