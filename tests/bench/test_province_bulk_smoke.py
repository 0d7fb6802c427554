"""The province benchmark's bulk work runs end to end: every school uploads the same scan
and one school's certificate batch is built by a real ``python -m worker`` while people
(the Sở's admin among them) open their pages; the scan is read once and every job ends
done (speed is for ``bench.province`` itself to report)."""

import argparse

import pytest

from bench.province import SCAN
from bench.province import run
from tests.support import free_port


@pytest.mark.slow
def test_a_small_province_run_with_a_broadcast_and_a_batch_reads_the_scan_once(redis_url):
    if not SCAN.exists():
        pytest.skip(f"no scan at {SCAN}")
    options = argparse.Namespace(
        orgs=4, submissions=40, documents=20, users=4, active_orgs=2, seconds=3,
        web_workers=1, port=free_port(), seed=1, think_min=0.05, think_max=0.2,
        database="sqlite", url="", reuse=False, redis=redis_url, office_users=1,
        broadcast=True, scan=SCAN, scan_pages=1, certificates=3, rq_workers=1,
        drain_seconds=600,
    )  # fmt: skip
    result = run(options)
    assert result["errors"] == [] and result["signed_in"] == 4
    assert "office's schools search ?q=…" in result["pages"]
    bulk = result["bulk"]
    assert bulk["broadcast_uploads"] == 4 and bulk["parse_jobs"] == 4
    assert bulk["read_here"] == 1 and bulk["parsed_files"] == 1  # the broadcast read once
    assert bulk["by_status"] == {"done": bulk["jobs"]}, bulk  # none starved or failed
    assert bulk["certificates_status"] == "done"
