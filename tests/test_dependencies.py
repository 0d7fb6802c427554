"""The pins: every direct requirement is used, and the lock files pin everything they need.

``requirements.in`` / ``requirements-dev.in`` list what the project asks for by name;
``requirements.txt`` / ``requirements-dev.txt`` are the locks ``make lock`` compiles from them
and ``make install`` installs with ``--no-deps``. A direct requirement is either imported by
some module of the repository or says on its line how it is used (``# not imported: …``,
e.g. a program run from the shell or a driver loaded by name), so a dead pin fails here.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"requirements.in": "requirements.txt", "requirements-dev.in": "requirements-dev.txt"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(\S+)")
NOT_IMPORTED = "# not imported:"


def _direct(source: str) -> dict[str, str]:
    """The pins of one ``.in`` file: canonical name → the whole line (with its comment)."""
    pins = {}
    for line in (ROOT / source).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match[1])] = line
    return pins


def _locked(lock: str) -> dict[str, str]:
    """The pins of one lock file: canonical name → version."""
    pins = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match[1])] = match[3]
    return pins


def _imported_modules() -> set[str]:
    """Top-level names of every module imported by a Python file of the repository."""
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if {".venv", "node_modules"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def _imported_distributions() -> set[str]:
    by_module = importlib.metadata.packages_distributions()
    imported = _imported_modules()
    return {canonicalize_name(d) for m in imported for d in by_module.get(m, ())}


@pytest.mark.parametrize("source", SOURCES)
def test_every_direct_requirement_is_imported_or_says_how_it_is_used(source):
    imported = _imported_distributions()
    dead = [
        line
        for name, line in _direct(source).items()
        if name not in imported and NOT_IMPORTED not in line
    ]
    assert dead == [], f"pinned in {source} but never imported (remove, or add '{NOT_IMPORTED}')"


@pytest.mark.parametrize("source", SOURCES)
def test_the_lock_pins_each_direct_requirement_at_its_version(source):
    locked = _locked(SOURCES[source])
    wrong = {
        name: (PIN.match(line)[3], locked.get(name))
        for name, line in _direct(source).items()
        if locked.get(name) != PIN.match(line)[3]
    }
    assert wrong == {}, f"{SOURCES[source]} is stale: run `make lock`"


@pytest.mark.parametrize("lock", SOURCES.values())
def test_the_lock_pins_every_package_its_packages_need(lock):
    """Walk the installed distributions' requirements (markers evaluated for this Python,
    extras followed where a requirement asks for them) from each pin: all must be pinned."""
    locked = _locked(lock)
    asked = {
        n: Requirement(line.split("#")[0]).extras for s in SOURCES for n, line in _direct(s).items()
    }
    missing: dict[str, str] = {}
    todo = [(name, frozenset(asked.get(name, ()))) for name in locked]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen or name not in locked:
            continue
        seen.add((name, extras))
        for text in importlib.metadata.requires(name) or ():
            requirement = Requirement(text)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": e}) for e in extras | {""}):
                continue
            needed = canonicalize_name(requirement.name)
            if needed not in locked:
                missing[needed] = name
            todo.append((needed, frozenset(requirement.extras)))
    assert missing == {}, f"needed but not pinned in {lock} (run `make lock`)"
