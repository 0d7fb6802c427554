"""A search over a long list: its matches are counted up to a cap (the page then says
"hơn …"), in the same statement that finds the page."""

from __future__ import annotations

import re

import services.pagination


def test_a_search_with_more_matches_than_the_cap_says_more_and_still_pages(
    client, auth, seed_submissions, monkeypatch
):
    monkeypatch.setattr(services.pagination, "SEARCH_COUNT_CAP", 100)
    seed_submissions(130)  # Nguyễn Văn 0000 … 0129
    auth.login("clerk")
    first = client.get("/xet-duyet/?q=nguyen").get_data(as_text=True)
    assert "Hơn 100 hồ sơ" in first and "1–50 trên hơn 100 hồ sơ khớp" in first
    second = client.get("/xet-duyet/?q=nguyen&page=2").get_data(as_text=True)
    names = re.findall(r"Nguyễn Văn (\d{4})", second)
    assert names[0] == "0050" and "0099" in names and "0100" not in names
    # Without a search the list is counted exactly.
    assert "1–50 trên 130 hồ sơ" in client.get("/xet-duyet/").get_data(as_text=True)


def test_a_search_is_counted_in_the_walk_that_finds_its_page(
    client, auth, seed_submissions, statements
):
    seed_submissions(120)
    auth.login("clerk")
    client.get("/xet-duyet/?q=0007")
    for query, summary in (("nguyen+0007", "1–1 trên 1 hồ sơ"), ("nguyen", "1–50 trên 120")):
        statements.during(lambda q=query: client.get(f"/xet-duyet/?q={q}"))
        searched = [s for s in statements.statements if "LIKE" in s]
        assert len(searched) == 1 and "count(" not in searched[0].lower()
        assert summary in client.get(f"/xet-duyet/?q={query}").get_data(as_text=True)
