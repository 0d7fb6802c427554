"""domain/ must import only the standard library and itself (it is shared by every layer)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_domain_is_pure_imports_only_stdlib_and_domain():
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) > 5
    allowed = set(sys.stdlib_module_names) | {"domain", "__future__"}
    offenders = [
        f"{path.relative_to(DOMAIN.parent)}:{line}: {name}"
        for path in modules
        for line, name in _imports(path)
        if name.split(".")[0] not in allowed
    ]
    assert offenders == []


def test_domain_is_pure_detects_a_third_party_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("import docx\nfrom domain import text\nimport zipfile\n", encoding="utf-8")
    names = [name for _, name in _imports(sample)]
    assert [n for n in names if n.split(".")[0] not in sys.stdlib_module_names] == [
        "docx",
        "domain",
    ]
