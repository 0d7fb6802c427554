"""Fixtures of the custom-template tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(client, auth, world):
    auth.login("admin")
    return client
