"""The format checker on real .docx files of other offices, against findings judged by hand.

``../shared/corpus/docx/`` (beside the clone) holds seven real documents of provinces,
ministries and offices and ``verdicts.md``: every finding the checker once gave on them,
judged TP (true), TP-ped (true but imprecisely worded), FP (false) or N/A (not an
administrative document). For each file: every true finding is still reported (same key
and check; the wording may change, and a finding made more precise counts, see
:mod:`domain.check.score`), and every false one is gone.
"""

from __future__ import annotations

import pytest

from domain.check import check_docx
from domain.check.score import FALSE
from domain.check.score import TRUE
from domain.check.score import DocScore
from domain.check.score import Verdict
from domain.check.score import by_doc
from domain.check.score import judge_new
from domain.check.score import match
from domain.check.score import parse_verdicts
from tests.shared_data import SHARED
from tests.shared_data import shared_path

CORPUS = SHARED / "corpus" / "docx"
VERDICTS = CORPUS / "verdicts.md"


def _verdicts() -> dict[str, list[Verdict]]:
    if not VERDICTS.is_file():
        return {}
    return by_doc(parse_verdicts(VERDICTS.read_text(encoding="utf-8")))


DOCS = sorted(_verdicts()) or ["(corpus absent)"]


def _score(doc: str) -> DocScore:
    shared_path("corpus", "docx", "verdicts.md")
    findings = check_docx((CORPUS / f"{doc}.docx").read_bytes())
    return match(doc, _verdicts()[doc], findings)


def _rows(rows: list[Verdict]) -> str:
    return "\n".join(
        f"#{r.number} {r.key}/{r.check} {r.found!r} ({r.verdict}: {r.note})" for r in rows
    )


def test_verdicts_are_read():
    shared_path("corpus", "docx", "verdicts.md")
    rows = [r for group in _verdicts().values() for r in group]
    assert len(_verdicts()) == 7
    assert sum(r.verdict in TRUE for r in rows) > 100
    assert sum(r.verdict in FALSE for r in rows) > 10


@pytest.mark.parametrize("doc", DOCS)
def test_every_true_finding_is_still_reported(doc):
    score = _score(doc)
    assert score.lost == [], "true findings no longer reported:\n" + _rows(score.lost)


@pytest.mark.parametrize("doc", DOCS)
def test_every_false_finding_is_gone(doc):
    score = _score(doc)
    left = [row for row, _finding in score.false_left]
    assert left == [], "false findings still reported:\n" + _rows(left)


@pytest.mark.parametrize("doc", DOCS)
def test_every_new_finding_is_judged_true(doc):
    """Findings the first judgment could not cover (line lengths, "KT." spacing, the
    drafter's mark) are judged in ``bench/checker_corpus.py``; none of them is false, and
    none is left unjudged, so the precision the README reports stays reproducible."""
    from bench.checker_corpus import NEW_VERDICTS

    score = _score(doc)
    judged, unjudged = judge_new(score.new, by_doc(parse_verdicts(NEW_VERDICTS)).get(doc, []))
    assert [f.as_text() for f in unjudged] == []
    assert [row for row, _f in judged if row.verdict in FALSE] == []
