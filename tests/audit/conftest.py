"""The audit tests reuse the documents tests' draft fixture."""

from tests.documents.conftest import make_draft  # noqa: F401
