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


# The app's code, as mypy checks it (the tests and benchmarks aside).
APP = ("web.py", "config.py", "cli.py", "access_log.py") + (
    "domain", "forms", "services", "views", "storage", "worker", "outbox", "render", "ingest",
)  # fmt: skip


def redundant_local_imports(source: str) -> list[int]:
    """The lines of imports inside a function of a module the file already imports at its
    top: such an import hides nothing and defers nothing, so it only makes a reader look
    for a cycle that is not there (the ones left in functions defer a heavy library, or
    keep the web process from loading what only the worker needs)."""
    tree = ast.parse(source)
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top.add(node.module)
    lines = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in top:
                lines.append(node.lineno)
            elif isinstance(node, ast.Import) and any(a.name in top for a in node.names):
                lines.append(node.lineno)
    return sorted(set(lines))


def test_the_scan_finds_a_local_import_of_a_module_already_imported_at_the_top():
    source = (
        "import json\n"
        "from os import path\n"
        "def f():\n"
        "    import json\n"
        "    from os import sep\n"
        "    from zipfile import ZipFile\n"
    )
    assert redundant_local_imports(source) == [4, 5]


def test_no_function_imports_what_its_module_already_imports():
    found = []
    for entry in APP:
        path = ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            for line in redundant_local_imports(file.read_text(encoding="utf-8")):
                found.append(f"{file.relative_to(ROOT)}:{line}")
    assert found == []


FIRST_PARTY = {entry.removesuffix(".py") for entry in APP}


def private_imports(source: str) -> list[int]:
    """The lines importing a name that starts with one underscore from another module of
    the app: a helper other modules use is part of its module's interface and is named as
    such. (A library's, like python-docx's ``_Cell``, is the library's business.)"""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FIRST_PARTY
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    )


def test_the_scan_finds_an_import_of_another_modules_private_name():
    source = (
        "from services.a import b\n"
        "from services.a import _c\n"
        "from __future__ import annotations\n"
        "from docx.table import _Cell\n"
    )
    assert private_imports(source) == [2]


def test_no_module_imports_another_modules_private_names():
    found = []
    for entry in APP:
        path = ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            for line in private_imports(file.read_text(encoding="utf-8")):
                found.append(f"{file.relative_to(ROOT)}:{line}")
    assert found == []


def test_no_code_names_a_machine_path_for_the_shared_data():
    """The shared corpus is ``../shared`` from the clone, wherever the clone is: a path
    written out (``/work/shared/…``) works on one machine and fails silently on the next."""
    found = [
        f"{file.relative_to(ROOT)}"
        for folder in (*APP, "bench", "tests")
        for file in ((ROOT / folder).rglob("*.py") if (ROOT / folder).is_dir() else [ROOT / folder])
        if "/work/shared" in file.read_text(encoding="utf-8")
        and file.name != "test_architecture.py"
    ]
    assert found == []
