"""The scan benchmark still runs: several schools upload one scan, its parse job reads it
once through the real runner and the others copy the reading (speed is for
``bench.ingest_scan`` itself to report)."""

import shutil

import pytest

from bench.ingest_scan import main
from tests.shared_data import shared_path


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
def test_a_small_broadcast_is_read_once(capsys):
    shared_path("corpus", "partial")
    assert main(["--pages", "2", "--orgs", "3"]) == 0
    printed = capsys.readouterr().out
    assert "1 job(s) read it, 1 reading(s) stored, 0 failed" in printed
    # Issue 15's three ratios, measured in the same run: the floor one page at a time
    # (the headline), the floor as this machine runs it, and CPU against CPU.
    for figure in ("floor (a):", "floor (b):", "CPU (user + system, children included)"):
        assert figure in printed


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
def test_a_broadcast_with_page_jobs_is_read_once(capsys):
    shared_path("corpus", "partial")
    assert main(["--pages", "2", "--orgs", "2", "--pages-per-job", "1"]) == 0
    printed = capsys.readouterr().out
    assert "1 job(s) read it, 1 reading(s) stored, 0 failed" in printed
