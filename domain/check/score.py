"""Score the checker against findings judged by hand: precision and recall on a corpus.

A judgment file is a Markdown table, one row per finding the checker once gave::

    | doc | # | sev | key/check | found | verdict | note |
    | 01_QD07-2025-UBND-ThaiNguyen | 3 | error | number_line/format | Số: 07/2025/QĐ-UBND | FP | … |

``verdict`` is ``TP`` (true), ``TP-ped`` (true, but worded imprecisely), ``FP`` (false) or
``N/A`` (the file is not an administrative document). :func:`match` pairs today's findings
with those rows: a true row is *kept* when a finding of the same key and check is still
reported (the wording may change), a false row is *left* when one still is. A finding may
have become more precise than when it was judged, and still counts as the same one:

* the drafter's mark was read as a Nơi nhận item, so a true ``recipient_item`` finding on it
  is now a ``drafter_mark`` finding (:data:`REFINED_KEYS`);
* a line judged "TP-ped" because it is there but not as the decree wants ('-------' typed
  where a solid line belongs) is now reported as not solid or of the wrong length instead of
  missing (:data:`REFINED_CHECKS`).

Findings that match no row are *new*: they need their own judgment (see
``bench/checker_corpus.py``). Recall here is the share of the judged true findings still
reported; it says nothing about errors nobody judged.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from domain.check.findings import Finding

TRUE = frozenset({"TP", "TP-ped"})
FALSE = frozenset({"FP"})
NOT_APPLICABLE = frozenset({"N/A"})
REFINED_KEYS: dict[str, frozenset[str]] = {"recipient_item": frozenset({"drafter_mark"})}
REFINED_CHECKS: dict[str, frozenset[str]] = {"missing": frozenset({"solid", "length"})}


@dataclass(frozen=True)
class Verdict:
    """One judged finding (a row of the judgment table)."""

    doc: str
    number: int
    severity: str
    key: str
    check: str
    found: str
    verdict: str
    note: str = ""


@dataclass
class DocScore:
    """How today's findings on one document compare with its judgments."""

    doc: str
    kept: list[tuple[Verdict, Finding]] = field(default_factory=list)
    lost: list[Verdict] = field(default_factory=list)
    false_left: list[tuple[Verdict, Finding]] = field(default_factory=list)
    false_gone: list[Verdict] = field(default_factory=list)
    not_applicable: list[Finding] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)


def parse_verdicts(text: str) -> list[Verdict]:
    """Read the rows of a judgment table (header and separator rows are skipped)."""
    rows: list[Verdict] = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6 or not cells[1].isdigit() or "/" not in cells[3]:
            continue
        key, check = cells[3].split("/", 1)
        note = cells[6] if len(cells) > 6 else ""
        doc, number, severity, found, verdict = cells[0], int(cells[1]), cells[2], *cells[4:6]
        rows.append(Verdict(doc, number, severity, key, check, found, verdict, note))
    return rows


def by_doc(verdicts: Iterable[Verdict]) -> dict[str, list[Verdict]]:
    """Group rows by document name."""
    grouped: dict[str, list[Verdict]] = {}
    for row in verdicts:
        grouped.setdefault(row.doc, []).append(row)
    return grouped


def match(doc: str, verdicts: list[Verdict], findings: list[Finding]) -> DocScore:
    """Pair today's ``findings`` on ``doc`` with its judged rows."""
    score = DocScore(doc)
    left = list(findings)

    def take(row: Verdict, test: Callable[[Finding, Verdict], bool]) -> Finding | None:
        for finding in left:
            if test(finding, row):
                left.remove(finding)
                return finding
        return None

    true_rows = [v for v in verdicts if v.verdict in TRUE]
    pending: list[Verdict] = []
    for row in true_rows:  # the same finding, wording and all
        found = take(row, lambda f, r: _same(f, r) and f.found == r.found)
        if found is None:
            pending.append(row)
        else:
            score.kept.append((row, found))
    unmatched: list[Verdict] = []
    for row in pending:  # the same key and check, reworded
        found = take(row, lambda f, r: _same(f, r))
        if found is None:
            unmatched.append(row)
        else:
            score.kept.append((row, found))
    for row in unmatched:  # reported more precisely
        found = take(row, lambda f, r: _refined(f, r))
        if found is None:
            score.lost.append(row)
        else:
            score.kept.append((row, found))
    for row in (v for v in verdicts if v.verdict in FALSE):
        found = take(row, lambda f, r: _same(f, r))
        if found is None:
            score.false_gone.append(row)
        else:
            score.false_left.append((row, found))
    for row in (v for v in verdicts if v.verdict in NOT_APPLICABLE):
        found = take(row, lambda f, r: _same(f, r))
        if found is not None:
            score.not_applicable.append(found)
    score.new = left
    return score


def judge_new(
    findings: list[Finding], verdicts: list[Verdict]
) -> tuple[list[tuple[Verdict, Finding]], list[Finding]]:
    """Pair findings that no original row covers with later judgments of the same document.

    A later row matches a finding of the same key and check whose ``found`` starts with the
    row's ``found`` (empty matches any). Returns the pairs and the findings left unjudged.
    """
    rows = list(verdicts)
    judged: list[tuple[Verdict, Finding]] = []
    unjudged: list[Finding] = []
    for finding in findings:
        fits = (r for r in rows if _same(finding, r) and finding.found.startswith(r.found))
        row = next(fits, None)
        if row is None:
            unjudged.append(finding)
        else:
            rows.remove(row)
            judged.append((row, finding))
    return judged, unjudged


def _same(finding: Finding, row: Verdict) -> bool:
    return (finding.key, finding.check) == (row.key, row.check)


def _refined(finding: Finding, row: Verdict) -> bool:
    keys = {row.key} | REFINED_KEYS.get(row.key, frozenset())
    checks = {row.check}
    if row.verdict == "TP-ped":
        checks |= REFINED_CHECKS.get(row.check, frozenset())
    return finding.key in keys and finding.check in checks


def precision(true: int, false: int) -> float | None:
    """Return ``true / (true + false)``, or ``None`` when there is nothing to divide."""
    total = true + false
    return true / total if total else None
