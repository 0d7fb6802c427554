"""The load benchmark still runs end to end: real gunicorn, real workers, no errors.

Only that it works is checked here (speed is for ``bench.load`` itself to report): a short
run with three users must exit 0, record no error, exercise every kind of request and let
the worker render every document it queued.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_short_load_run_ends_without_errors(tmp_path):
    report = tmp_path / "load.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.load", "--users", "3", "--seconds", "5"]
        + ["--quiet-seconds", "2", "--document-every", "1", "--json", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(report.read_text())
    assert result["errors"] == 0 and result["job_errors"] == []
    assert result["sign_in"]["count"] == 6  # login form + POST for each of the three users
    names = " ".join(result["requests"])
    for page in ("start page", "POST (nomination)", "my submissions", "review list"):
        assert page in names
    assert "document POST /van-ban/moi/cong_van" in names
    after = result["jobs_after_drain"]
    assert after.get("done", 0) >= 1 and set(after) == {"done"}
    assert "| request | count | req/s |" in completed.stdout
    assert result["quiet"]["static /static/style.css"]["count"] > 0
