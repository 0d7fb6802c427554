"""The tests find ../shared beside the repository, and a missing file fails under CI."""

from pathlib import Path

import pytest

from tests.shared_data import SHARED
from tests.shared_data import shared_path


def test_the_shared_folder_is_found_beside_the_repository_not_at_a_machine_path():
    assert SHARED == Path(__file__).resolve().parents[1].parent / "shared"


def test_the_corpus_the_tests_read_is_there():
    """Under CI this fails when ../shared is absent: no corpus test can then pass as skipped."""
    for folder in ("dev", "partial", "docx"):
        assert any(shared_path("corpus", folder).iterdir())


@pytest.mark.parametrize("ci", ["true", "1"])
def test_a_missing_shared_file_fails_under_ci(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="no-such-file.pdf"):
        shared_path("corpus", "dev", "no-such-file.pdf")


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_a_missing_shared_file_skips_outside_ci(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="beside the"):
        shared_path("corpus", "dev", "no-such-file.pdf")
