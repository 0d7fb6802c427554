"""A search over a long list: its matches are counted up to a cap (the page then says
"hơn …"), and not at all when the first page holds them all."""

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


def test_a_search_whose_matches_fit_the_first_page_is_not_counted(
    client, auth, seed_submissions, statements
):
    seed_submissions(120)
    auth.login("clerk")
    client.get("/xet-duyet/?q=0007")
    statements.during(lambda: client.get("/xet-duyet/?q=nguyen+0007"))
    page = client.get("/xet-duyet/?q=nguyen+0007").get_data(as_text=True)
    assert "1–1 trên 1 hồ sơ" in page
    assert not [s for s in statements.statements if "count(" in s.lower()]
    statements.during(lambda: client.get("/xet-duyet/?q=nguyen"))
    assert [s for s in statements.statements if "count(" in s.lower()]
