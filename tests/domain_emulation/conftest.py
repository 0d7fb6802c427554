"""Fixtures for the emulation rules: the two real rule sets and fresh copies of the data."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from typing import Any

import pytest

from domain.emulation import RuleSet
from domain.emulation import ruleset_for


def _data(name: str) -> dict[str, Any]:
    return json.loads(resources.files("domain").joinpath(f"data/{name}").read_text("utf-8"))


@pytest.fixture
def nd98() -> RuleSet:
    """The rule set in force on the last day of NĐ 98/2023."""
    return ruleset_for(date(2025, 6, 30))


@pytest.fixture
def nd152() -> RuleSet:
    """The rule set in force from 01/7/2025."""
    return ruleset_for(date(2025, 7, 1))


@pytest.fixture
def rulesets_data() -> dict[str, Any]:
    """A private copy of rulesets.json that a test may corrupt."""
    return copy.deepcopy(_data("rulesets.json"))


@pytest.fixture
def legal_data() -> dict[str, Any]:
    """A private copy of legal_basis.json that a test may corrupt."""
    return copy.deepcopy(_data("legal_basis.json"))
