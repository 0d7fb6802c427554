"""Fixtures for the hostile-input suite: a snapshot of everything stored, to prove that
nothing earlier was lost or changed by a hostile request."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func
from sqlalchemy import select

from storage.models import Base
from storage.models import StoredFile

# Tables a hostile request may legitimately add to (an audit event, a failed login).
APPEND_ONLY_OK = {"audit_events", "login_attempts"}


class Snapshot:
    def __init__(self, app) -> None:
        self.app = app
        self.counts, self.files = self._take()

    def _take(self) -> tuple[dict[str, int], dict[str, str]]:
        with self.app.app_context(), self.app.extensions["vanthu.db"].session() as session:
            counts = {
                table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables
            }
            files = {}
            for stored in session.scalars(select(StoredFile)):
                # The content itself, hashed again: stored bytes unchanged, not just the column.
                assert hashlib.sha256(stored.content).hexdigest() == stored.sha256
                files[stored.id] = stored.sha256
        return counts, files

    def assert_intact(self, *, may_grow: set[str] = frozenset()) -> dict[str, int]:
        """Every earlier row and file is still there and unchanged; return table growth."""
        counts, files = self._take()
        for file_id, digest in self.files.items():
            assert files.get(file_id) == digest, f"file {file_id} lost or changed"
        growth = {name: counts[name] - before for name, before in self.counts.items()}
        for name, delta in growth.items():
            assert delta >= 0, f"rows lost from {name}"
            if delta and name not in may_grow | APPEND_ONLY_OK:
                raise AssertionError(f"unexpected rows added to {name}: {delta}")
        return growth


@pytest.fixture
def snapshot(app, world):
    def take() -> Snapshot:
        return Snapshot(app)

    return take
