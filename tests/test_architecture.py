"""The arrows between the app's packages point one way (import-linter, pyproject.toml).

views | worker → forms → services → outbox → render | ingest | storage → domain; views
enqueue through services; inside render/, context → context_general → context_kinds →
values | manifest. Function-level imports count too: a cycle hidden in a function body is
still a cycle. The top-level modules, which import-linter cannot take as roots, are
checked here: the command line (cli.py) uses services, never views.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_import_between_packages_points_down():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_command_line_uses_services_not_views():
    tree = ast.parse((ROOT / "cli.py").read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert sorted(m for m in imported if m == "views" or m.startswith("views.")) == []
