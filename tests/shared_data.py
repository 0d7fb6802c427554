"""Where the tests find the shared reference data: ``../shared`` beside the repository.

The labelled plans (``corpus/dev``, ``corpus/partial``) and the real .docx documents
(``corpus/docx``) are not part of the repository; they sit in the folder ``shared`` next to
the clone, wherever the clone is (CI clones into another folder and lays ``shared/`` beside
it). No machine path: the folder is found from this file.

The rule when it is missing: under CI (the environment variable ``CI`` set, as CI runs
``.ci/run`` with ``CI=true``) every test that needs it FAILS, naming the path it looked at, so a
run that did not read the corpus can never pass as green; elsewhere (a developer's clone
without ``../shared``) the test is skipped with the same message, shown by ``-ra``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(path: Path) -> None:
    """Fail (under CI) or skip (elsewhere) the current test, or collection, for ``path``."""
    message = (
        f"shared data not found at {path}: the folder ../shared must sit beside the "
        "repository (see README, Tests)"
    )
    if running_in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def shared_path(*parts: str) -> Path:
    """Return ``../shared/<parts>`` (a file or folder), or fail/skip when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(path)
    return path


def corpus_file(folder: str, name: str) -> Path:
    """One file of ``../shared/corpus/<folder>`` (``dev``, ``partial``, ``docx``)."""
    return shared_path("corpus", folder, name)
