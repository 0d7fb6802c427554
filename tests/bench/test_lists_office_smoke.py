"""The list benchmark's Sở: its list of schools is measured on its first and last page and
on a search without diacritics, each answering 200 with schools in it."""

import argparse

from bench.lists import run


def test_a_small_run_with_a_so_fetches_its_list_of_schools(redis_url):
    options = argparse.Namespace(
        rows=60, orgs=2, repeat=2, database="sqlite", url="", redis=redis_url, schools=120
    )
    results = run(options)
    office = [r for r in results if r["list"].startswith("Đơn vị trực thuộc")]
    assert [r["list"] for r in office] == [
        "Đơn vị trực thuộc (120), trang 1", "Đơn vị trực thuộc, trang 3",
        "Đơn vị trực thuộc, tìm không dấu",
    ]  # fmt: skip
    assert all(r["kb"] > 1 for r in office)
