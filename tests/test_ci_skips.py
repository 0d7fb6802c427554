"""Under CI a skip fails the run (tests/conftest.py): the guard seen at work in a pytest of
its own, on a test that skips for a missing program and one that skips for the backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import pytest

def test_needs_a_missing_program():
    pytest.skip("no-such-program is not installed")

def test_only_for_sqlite():
    pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
"""


def _run(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    probe = ROOT / "tests" / f"test_zz_probe_{tmp_path.name}.py"
    probe.write_text(PROBE, encoding="utf-8")
    try:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs", str(probe)],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "CI": ci, "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        probe.unlink()


def test_a_skip_for_a_missing_program_fails_under_ci(tmp_path: Path) -> None:
    result = _run(tmp_path, "true")
    assert "1 failed, 1 skipped" in result.stdout, result.stdout[-2000:]
    assert "FAILED" in result.stdout and "test_needs_a_missing_program" in result.stdout


def test_outside_ci_a_missing_program_only_skips(tmp_path: Path) -> None:
    result = _run(tmp_path, "")
    assert "2 skipped" in result.stdout, result.stdout[-2000:]
