"""The edit distance that OCR repairs and the gazetteer rely on: exact up to the limit, and
past it only "past"; callers keep a match only when the distance is within the limit."""

from __future__ import annotations

import random

import pytest

from ingest.syllables import edit_distance


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("hieu truong", "hieu truong", 2, 0),
        ("hieu truong", "hieu trudng", 2, 1),  # one OCR slip
        ("pho hieu truong", "hieu truong", 2, 3),  # past the limit: limit + 1
        ("kon tum", "kontum", None, 1),
        ("", "ha noi", 1, 2),
    ],
)
def test_distance_is_exact_within_the_limit_and_past_it_beyond(a, b, limit, expected):
    assert edit_distance(a, b, limit) == expected


def test_distance_agrees_with_the_textbook_definition_on_vietnamese_letters():
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ "
    rng = random.Random(15)
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 10)))
        b = "".join(rng.choice(letters) for _ in range(rng.randint(0, 10)))
        exact = _levenshtein(a, b)
        assert edit_distance(a, b) == exact
        for limit in (0, 1, 2, 3):
            got = edit_distance(a, b, limit)
            assert got == exact if exact <= limit else got > limit
