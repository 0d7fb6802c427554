"""The emulation rules and the căn cứ data stay in the pure, standard-library-only layer."""

from __future__ import annotations

import ast
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "domain" / "emulation").glob("*.py")) + [ROOT / "domain/legal_basis.py"]


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_emulation_module_imports_only_stdlib_and_domain(path):
    foreign = _imported_roots(path) - set(sys.stdlib_module_names) - {"domain", "__future__"}
    assert not foreign, f"{path.name} imports {sorted(foreign)}"


@pytest.mark.parametrize("name", ["rulesets.json", "legal_basis.json"])
def test_emulation_data_files_are_nfc(name):
    text = (ROOT / "domain" / "data" / name).read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text)
