"""The list benchmark still runs: it seeds several organizations and every measured page
answers 200 with a full page of rows (speed is for ``bench.lists`` itself to report)."""

import argparse

from bench.lists import run


def test_a_small_list_run_fetches_every_page(redis_url):
    options = argparse.Namespace(
        rows=120, orgs=3, repeat=2, database="sqlite", url="", redis=redis_url
    )
    results = run(options)
    pages = [r for r in results if r["list"] != "static file (floor)"]
    assert len(pages) == 13
    assert all(r["kb"] > 1 for r in pages)
