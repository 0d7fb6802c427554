"""Dated obligations and scheduled activities in the body (domain rules §3.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from ingest.dates import DateHit
from ingest.dates import YearContext
from ingest.dates import find_dates
from ingest.reading import Paragraph
from ingest.references import find_references

_RECURRENCE = (
    ("yearly", re.compile(r"\b(?:h[ằà]ng|mỗi)\s+năm\b(?!\s+học)", re.IGNORECASE)),
    ("quarterly", re.compile(r"\b(?:h[ằà]ng|mỗi)\s+quý\b", re.IGNORECASE)),
    ("monthly", re.compile(r"\b(?:h[ằà]ng|mỗi)\s+tháng\b", re.IGNORECASE)),
    ("weekly", re.compile(r"\b(?:h[ằà]ng|mỗi)\s+tuần\b", re.IGNORECASE)),
)
_CITATION = re.compile(
    r"^\s*[-+•]?\s*(?:Căn\s+cứ|Thực\s+hiện|Theo|Tiếp\s+tục\s+thực\s+hiện)\b", re.IGNORECASE
)
_CITED = re.compile(
    r"(?:Căn\s+cứ|căn\s+cứ)[^;]*?(?=;|\.\s|\.$|$)"
    r"|(?:Luật|Bộ\s+luật|Hiến\s+pháp|Pháp\s+lệnh)\s[^;,.]{0,100}?\s(?:ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}/\d{1,2}/\d{4}|năm\s+\d{4})"
)
_EFFECTIVE = re.compile(r"\bhiệu\s+lực\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:đã|vừa\s+qua|trước\s+đó|năm\s+qua)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;!?]|\.(?=\s|$)")
_LEAD = re.compile(r"^[\s\-+•:;,.)]*(?:(?:từ|trước|đến|vào|trong|chậm\s+nhất|hạn\s+chót|hạn\s+cuối)"
                   r"\s+(?:ngày\s+)?)?", re.IGNORECASE)  # fmt: skip


# The field below is called date: inside the class body that name is the field's.
Day = date


@dataclass
class Deadline:
    """One dated item of the plan."""

    date: Day
    end: Day | None
    recurrence: str | None
    what: str
    source: dict[str, int]
    month_day: int | None = None  # a monthly item's written day (31; -1: "cuối tháng")

    def as_dict(self) -> dict[str, object]:
        """Return the contract form (``month_day`` only on monthly items: an added key)."""
        result: dict[str, object] = {
            "date": self.date.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "recurrence": self.recurrence,
            "what": self.what,
            "source": self.source,
        }
        if self.month_day is not None and self.recurrence == "monthly":
            result["month_day"] = self.month_day
        return result


def find_deadlines(
    paragraphs: list[Paragraph], ctx: YearContext, floor: date | None
) -> list[Deadline]:
    """Return the deadlines of the body.

    Args:
        paragraphs: body paragraphs in order.
        ctx: the document's year context (school year, issue year, issue date).
        floor: the earliest plausible date of an obligation (the issue date, or the start
            of the period); dates with a written year before it are history or citations.
    """
    result: list[Deadline] = []
    month_tasks: date | None = None  # the month a "NHIỆM VỤ … THÁNG 02 NĂM 2025" part is for
    for paragraph in paragraphs:
        text = paragraph.text
        heading = _heading(text)
        if heading:
            month_tasks = _month_of_tasks(text, floor)
        if len(text) <= 80 and not any(c.islower() for c in text):
            continue  # "THÁNG 7 NĂM 2024", "LỊCH CHI TIẾT THÁNG 11/2025": a heading, not a task
        if month_tasks is not None and not heading:
            items = list(_TASK_ITEM.finditer(text))
            if not items:
                month_tasks = None  # "Trên đây là …": the list of tasks has ended
            elif not any(_is_deadline(h, floor) for h in find_dates(text, ctx)):
                # Tasks of a month with no day of their own are due by its end, one each.
                for item in items:
                    end = _clause(text, item.end(), item.end())[1]
                    result.append(
                        Deadline(
                            date=month_tasks,
                            end=None,
                            recurrence=None,
                            what=_tidy(text[item.end() : end]),
                            source=paragraph.source_at(item.start()),
                        )
                    )
                continue
        references = find_references(paragraph)
        masked = text
        if references and _CITATION.match(text):
            # "Thực hiện Nghị định số …; theo đó, kể từ ngày 01/7/2022 …": the citation's own
            # clause is history, what the document goes on to say may be due.
            first = re.search(r";|\.\s|,\s*theo\s+đó", text)
            if first is None:
                continue
            masked = " " * first.end() + text[first.end() :]
        for ref in references:
            masked = masked[: ref.start] + " " * (ref.end - ref.start) + masked[ref.end :]
        for cited in _CITED.finditer(masked):
            # "Căn cứ Luật … ngày 16 tháng 6 năm 2025;", "Luật … năm 2022": dates of laws.
            masked = (
                masked[: cited.start()]
                + " " * (cited.end() - cited.start())
                + masked[cited.end() :]
            )
        hits = [h for h in find_dates(masked, ctx) if _is_deadline(h, floor)]
        # The same date twice in one paragraph is one item; in two paragraphs, two (a
        # schedule lists a day under each of its activities).
        seen: set[tuple[date, date | None]] = set()
        for hit in hits:
            clause_start, clause_end = _clause(masked, hit.start, hit.end)
            clause = text[clause_start:clause_end]
            if _EFFECTIVE.search(clause):
                continue  # "có hiệu lực kể từ ngày …": when a rule applies, not a task
            if _PAST.search(text[clause_start : hit.start]):
                continue  # "Ngày 03/01/2025, … đã chủ trì họp": an event already held
            siblings = [h for h in hits if clause_start <= h.start < clause_end]
            recurrence = hit.recurrence or (None if hit.explicit_year else _recurrence(clause))
            key = (hit.first, hit.last)
            if key in seen or any(
                (d.date, d.end) == key and d.source == paragraph.source_at(hit.start)
                for d in result
            ):
                continue
            seen.add(key)
            result.append(
                Deadline(
                    date=hit.first,
                    end=hit.last,
                    recurrence=recurrence,
                    what=_what(text, hit, siblings, clause_start, clause_end),
                    source=paragraph.source_at(hit.start),
                    month_day=hit.month_day,
                )
            )
    return result


# A part of a report or plan that lists the tasks of one coming month: "II. NHIỆM VỤ TRỌNG
# TÂM THÁNG 02 NĂM 2025", "Phương hướng, nhiệm vụ tháng 3/2025".
_MONTH_TASKS = re.compile(
    r"\b(?:nhiệm\s+vụ|phương\s+hướng|kế\s+hoạch\s+công\s+tác)\b[^.;:]{0,40}?\btháng\s+"
    r"(\d{1,2})\s*(?:/|năm)\s*(\d{4})\b",
    re.IGNORECASE,
)
_HEADING_MARK = re.compile(r"^\s*(?:[IVX]{1,5}\s*[.)/]?|[A-ZĐ]\s*[.)]|PHẦN\s)\s", re.IGNORECASE)
# An item of a task list: "1. Ban hành …", "- Theo dõi …", "b) …" (OCR: "D4. Triển khai …"),
# at the start of a paragraph or after a sentence within one (wrapped items joined).
_TASK_ITEM = re.compile(
    r"(?:^|(?<=[.;:]\s))\W{0,2}(?:[A-Za-z]?\d{1,2}\s*[.)]|[-+•–]|[a-zđ]\))\s*(?=[A-ZĐÀ-Ỹ])"
)


def _heading(text: str) -> bool:
    """A short heading: upper case ("II NHIỆM VỤ …") or a Roman-numbered part."""
    marked = _HEADING_MARK.match(text)
    words = text[marked.end() :] if marked else text
    if len(text) > 100 or re.search(r"[.;]\s*\S", words.rstrip(".: ")):
        return False
    letters = [c for c in text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return upper or bool(_HEADING_MARK.match(text))


def _month_of_tasks(text: str, floor: date | None) -> date | None:
    """The last day of the coming month whose tasks the heading ``text`` announces."""
    match = _MONTH_TASKS.search(text)
    if not match or not 1 <= int(match[1]) <= 12:
        return None
    year, month = int(match[2]), int(match[1])
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    if floor is None or last < floor:
        return None  # a month already past: what was done, not what is due
    return last


def _is_deadline(hit: DateHit, floor: date | None) -> bool:
    if hit.last and hit.last.year - hit.first.year > 1:
        return False  # "(03/02/1930 - 03/02/2025)": an anniversary quoted as history
    if hit.explicit_year and floor is not None:
        if (hit.last or hit.first) < floor:
            return False
    return True


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in _CLAUSE_END.finditer(text, 0, start):
        left = match.end()
    after = _CLAUSE_END.search(text, end)
    right = after.start() if after else len(text)
    return left, right


def _recurrence(clause: str) -> str | None:
    for name, pattern in _RECURRENCE:
        if pattern.search(clause):
            return name
    return None


_TRAILING = re.compile(
    r"(?:\s+(?:chậm\s+nhất(?:\s+là)?|trước|từ|vào|đến|trong|hạn\s+chót|hạn\s+cuối|"
    r"thời\s+hạn|là|ngày|kể\s+từ))+\s*$",
    re.IGNORECASE,
)


def _what(
    text: str, hit: DateHit, siblings: list[DateHit], clause_start: int, clause_end: int
) -> str:
    """Return a short phrase of what is due, for display only."""
    if len(siblings) > 1:
        # "Ngày Nhà giáo 20/11, ngày thành lập QĐND 22/12": each date has its own label,
        # unless the dates are a bare list ("10/3, 10/5, 10/9") sharing one phrase.
        position = siblings.index(hit)
        label_start = siblings[position - 1].end if position else clause_start
        label = text[label_start : hit.start].strip(" ,;:-–và")
        if len(label.split()) >= 2 and position:
            return _tidy(label)
        first, last = siblings[0], siblings[-1]
        if len(text[clause_start : first.start].split()) >= 2 or position == 0:
            hit = DateHit(first.start, last.end, hit.first)
    after = text[hit.end : clause_end]
    before = text[clause_start : hit.start]
    colon = re.match(r"^\s*[:)]\s*", after)
    if colon and len(after[colon.end() :].split()) >= 2:
        # Timeline item "Tháng 9/2019: Tổ chức …": the activity follows the colon.
        phrase = after[colon.end() :]
    else:
        before = _TRAILING.sub("", before.rstrip(" ,:(")).strip()
        after = re.sub(r"^[\s,)]*(?:h[ằà]ng|mỗi)\s+(?:năm|quý|tháng|tuần)\b", "", after)
        phrase = f"{before} {after.strip()}" if len(after.split()) > 1 else before
    return _tidy(phrase)


def _tidy(phrase: str) -> str:
    phrase = _LEAD.sub("", re.sub(r"\s+", " ", phrase)).strip(" -–:;,.")
    if len(phrase) > 160:
        phrase = phrase[:157].rsplit(" ", 1)[0] + "…"
    return phrase
