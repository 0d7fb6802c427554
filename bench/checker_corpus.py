"""Precision and recall of the format checker on real .docx files of other offices.

Run from the project root::

    .venv/bin/python -m bench.checker_corpus ../shared/corpus/docx

The folder holds the .docx files and ``verdicts.md``: every finding the checker gave on
them before this bench existed, judged by hand (TP, TP-ped, FP, N/A; see its README). The
checker is run again on each file and its findings are paired with the judged rows
(:mod:`domain.check.score`): a true row still reported is *kept*, a false one still
reported is *left*. Findings no row covers are new (the line lengths, "KT." spacing and the
drafter's mark did not exist then); :data:`NEW_VERDICTS` judges them, by the same method
(the XML, and the page rendered by LibreOffice looked at and measured). A new finding not
judged there is counted as false, so the printed precision can only be pessimistic.

Precision = true findings / all findings (N/A ones left out: file 08 is a bid statement,
not an administrative document). Recall = judged true findings still reported / judged
true findings; errors nobody judged (that the checker never reported) cannot be counted
from the verdicts, so this is not the recall on unseen errors.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from domain.check import check_docx
from domain.check.score import FALSE
from domain.check.score import NOT_APPLICABLE
from domain.check.score import TRUE
from domain.check.score import by_doc
from domain.check.score import judge_new
from domain.check.score import match
from domain.check.score import parse_verdicts
from domain.check.score import precision

# Findings the first judgment could not cover (the checks did not exist), judged the same
# way. ``found`` is the start of the finding's "found" text.
NEW_VERDICTS = """
| doc | # | sev | key/check | found | verdict | note |
|---|---|---|---|---|---|---|
| 01_QD07-2025-UBND-ThaiNguyen | 1 | error | issuer_underline/length | đường kẻ 9,9 mm | TP | '-------' 7 hyphens under 'TỈNH THÁI NGUYÊN': 0.23 of the text on the PDF |
| 01_QD07-2025-UBND-ThaiNguyen | 2 | error | motto_underline/length | đường kẻ 21,1 mm | TP | 15 hyphens, 0.41 of the Tiêu ngữ; the decree wants its length |
| 02_QD15-2010-UBND-HaNoi | 1 | warning | issuer_underline/length | đường kẻ 13,8 mm | TP | '______' is 0.30 of 'THÀNH PHỐ HÀ NỘI' on the PDF: just under 1/3, a warning |
| 02_QD15-2010-UBND-HaNoi | 2 | error | motto_underline/length | đường kẻ 22,9 mm | TP | '__________' is 0.40 of the Tiêu ngữ |
| 02_QD15-2010-UBND-HaNoi | 3 | error | summary_underline/length | đường kẻ 22,2 mm | TP | '_________' under two lines of 123 and 112 mm |
| 03_QD09-2010-UBND-CanTho | 1 | warning | issuer_underline/length | đường kẻ 28,6 mm | TP | shape 28.6 mm under 'THÀNH PHỐ CẦN THƠ' (50 mm): 0.57, just over 1/2, a warning |
| 03_QD09-2010-UBND-CanTho | 2 | warning | summary_underline/length | đường kẻ 29,6 mm | TP | shape 29.6 mm under a trích yếu wrapped to 148 mm |
| 03_QD09-2010-UBND-CanTho | 3 | error | signature_authority/format | TM.ỦY BAN NHÂN DÂN | TP | 'TM.' glued to the title; the decree writes 'TM. ỦY BAN NHÂN DÂN' |
| 03_QD09-2010-UBND-CanTho | 4 | error | signature_authority/format | KT.CHỦ TỊCH | TP | same for 'KT.' |
| 07_TT03-2018-BNG | 1 | warning | issuer_underline/length | đường kẻ 8,2 mm | TP | '-------' 0.29 of 'BỘ NGOẠI GIAO' (Arial: measured with Times widths, a warning) |
| 07_TT03-2018-BNG | 2 | warning | motto_underline/length | đường kẻ 17,6 mm | TP | hyphen line 0.41 of the Tiêu ngữ |
| 08_VNPT-VinhLong-BangTuyenBo | 1 | error | summary/missing |  | N/A | not an administrative document |
| 09_BangTongHop-STTTT-PhuTho | 1 | warning | issuer_underline/length | đường kẻ 23,3 mm | TP | shape 23.3 mm under 'SỞ THÔNG TIN & TRUYỀN THÔNG' (77 mm): 0.30 |
"""  # noqa: E501


@dataclass
class Tally:
    """Counts over one document or the whole corpus."""

    judged_true: int = 0
    judged_false: int = 0
    kept: int = 0
    lost: int = 0
    false_left: int = 0
    new_true: int = 0
    new_false: int = 0
    unjudged: int = 0
    findings: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision_before(self) -> float | None:
        return precision(self.judged_true, self.judged_false)

    @property
    def precision_after(self) -> float | None:
        true = self.kept + self.new_true
        return precision(true, self.false_left + self.new_false + self.unjudged)

    @property
    def recall(self) -> float | None:
        return precision(self.kept, self.lost)


def score_folder(folder: Path, out: TextIO = sys.stdout) -> Tally:
    """Run the checker on every judged file of ``folder``; print and return the tallies."""
    verdicts = by_doc(parse_verdicts((folder / "verdicts.md").read_text(encoding="utf-8")))
    later = by_doc(parse_verdicts(NEW_VERDICTS))
    total = Tally()
    print(f"{'document':<34} {'before':>7} {'after':>7} {'recall':>7}  notes", file=out)
    for doc, rows in sorted(verdicts.items()):
        findings = check_docx((folder / f"{doc}.docx").read_bytes())
        score = match(doc, rows, findings)
        judged, unjudged = judge_new(score.new, later.get(doc, []))
        tally = Tally(
            judged_true=sum(r.verdict in TRUE for r in rows),
            judged_false=sum(r.verdict in FALSE for r in rows),
            kept=len(score.kept),
            lost=len(score.lost),
            false_left=len(score.false_left),
            new_true=sum(r.verdict in TRUE for r, _ in judged),
            new_false=sum(r.verdict in FALSE for r, _ in judged),
            unjudged=len(unjudged),
            findings=len(findings)
            - len(score.not_applicable)
            - sum(r.verdict in NOT_APPLICABLE for r, _ in judged),
        )
        total.add(tally)
        notes = [f"{tally.findings} findings"]
        notes += [f"lost {r.key}/{r.check}" for r in score.lost]
        notes += [f"FP left {r.key}/{r.check}" for r, _ in score.false_left]
        notes += [f"unjudged {f.key}/{f.check}" for f in unjudged]
        print(
            f"{doc:<34} {_pct(tally.precision_before):>7} {_pct(tally.precision_after):>7} "
            f"{_pct(tally.recall):>7}  {'; '.join(notes)}",
            file=out,
        )
    print(
        f"{'all':<34} {_pct(total.precision_before):>7} {_pct(total.precision_after):>7} "
        f"{_pct(total.recall):>7}  {total.findings} findings; before: "
        f"{total.judged_true} true of {total.judged_true + total.judged_false}; after: "
        f"{total.kept + total.new_true} true, {total.false_left + total.new_false} false, "
        f"{total.unjudged} unjudged",
        file=out,
    )
    return total


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checker_corpus", description=__doc__)
    parser.add_argument("folder", type=Path, help="folder with the .docx files and verdicts.md")
    args = parser.parse_args(argv)
    if not (args.folder / "verdicts.md").is_file():
        print(f"No verdicts.md in {args.folder}.", file=sys.stderr)
        return 2
    total = score_folder(args.folder)
    return 0 if total.lost == 0 and total.false_left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
