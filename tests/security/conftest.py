"""Fixtures shared with the documents tests (drafts made through the real service)."""

from tests.documents.conftest import make_draft

__all__ = ["make_draft"]
