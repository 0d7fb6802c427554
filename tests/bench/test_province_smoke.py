"""The province benchmark still runs end to end: a real gunicorn on the port asked for,
people of several organizations on every list page, no error (speed is for
``bench.province`` itself to report)."""

import argparse

import pytest

from bench.province import people
from bench.province import run
from tests.support import free_port


@pytest.mark.slow
def test_a_small_province_run_opens_every_list_page_without_errors(redis_url):
    port = free_port()
    options = argparse.Namespace(
        orgs=6, submissions=600, documents=300, users=5, active_orgs=3, seconds=3,
        web_workers=1, port=port, seed=1, think_min=0.05, think_max=0.2, database="sqlite",
        url="", reuse=False, redis=redis_url,
    )  # fmt: skip
    result = run(options)
    assert result["base"] == f"http://127.0.0.1:{port}"
    assert result["errors"] == [] and result["signed_in"] == 5
    assert len(result["pages"]) == 12  # eleven list pages and the static file
    assert result["interactive"]["count"] > 0 and result["static"]["count"] > 0


def test_the_simulated_people_are_of_several_organizations_and_each_kind():
    chosen = people(50, 10, 500)
    emails = [email for _, email in chosen]
    assert len({email.rsplit("-", 1)[1] for email in emails}) == 10
    assert {kind.__name__ for kind, _ in chosen} == {"Clerk", "Staff", "Admin"}
