"""Type hints are checked (mypy in .ci/run, configured in pyproject.toml); what it is told to
skip says why.

A ``# type: ignore`` silences a checker error on one line. Every one in the app names the
error code it silences and the reason after it (``# type: ignore[code]  # why``), so a reader
can tell a known gap in a library's stubs from an error nobody looked at, and mypy's
``warn_unused_ignores`` drops it once it is no longer needed.
"""

from __future__ import annotations

import io
import re
import tokenize
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
IGNORE = re.compile(r"#\s*type:\s*ignore")
WITH_REASON = re.compile(r"#\s*type:\s*ignore\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s+#\s*\S")


def _app_files() -> list[Path]:
    """The Python files mypy checks (``files`` in pyproject.toml)."""
    found: list[Path] = []
    for entry in CONFIG["files"]:
        path = ROOT / entry
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def bare_ignores(source: str) -> list[int]:
    """The line numbers of ``# type: ignore`` comments without an error code and a reason."""
    lines = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and IGNORE.search(token.string):
            if not WITH_REASON.match(token.string[IGNORE.search(token.string).start() :]):
                lines.append(token.start[0])
    return lines


def test_the_scan_tells_a_bare_ignore_from_an_explained_one():
    source = (
        "a = f()  # type: ignore\n"
        "b = f()  # type: ignore[attr-defined]\n"
        "c = f()  # type: ignore[attr-defined]  # the stubs miss it\n"
        "d = f()  # type: ignore[arg-type, union-attr]  # checked above\n"
        "e = '# type: ignore'\n"
    )
    assert bare_ignores(source) == [1, 2]


def test_every_type_ignore_in_the_app_names_its_code_and_why():
    files = _app_files()
    assert len(files) > 100, "pyproject.toml's [tool.mypy] files no longer find the app"
    bare = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        for line in bare_ignores(path.read_text(encoding="utf-8"))
    ]
    assert bare == [], "write it as `# type: ignore[code]  # why` (or fix the type error)"


def test_the_modules_mypy_still_skips_exist():
    """The ratchet (``ignore_errors`` for modules not yet typed) only shrinks: a module that
    was moved or deleted leaves the list rather than silently skipping its successor."""
    skipped = [
        module
        for override in CONFIG.get("overrides", [])
        if override.get("ignore_errors")
        for module in override["module"]
    ]
    missing = [
        module
        for module in skipped
        if not (ROOT / (module.replace(".", "/") + ".py")).exists()
        and not (ROOT / module.replace(".", "/") / "__init__.py").exists()
    ]
    assert missing == []


def test_the_tests_carry_no_type_ignore():
    """mypy does not check the tests, so an ignore there silences nothing and only tells a
    reader that some error was looked at."""
    found = [
        f"{path.relative_to(ROOT)}:{token.start[0]}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for token in tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline)
        if token.type == tokenize.COMMENT and IGNORE.search(token.string)
    ]
    assert found == []
