"""Date grammar of Vietnamese plans: find dates, months, ranges and windows in running text.

Vietnamese dates are always day/month/year. Handles ``24/5/2024``, ``24-5-2024``,
``ngày 24 tháng 5 năm 2024``, bare ``20/11``, ``Tháng 9/2019``, ``tháng 11, 12/2019``,
``Quý I/2026``, ranges (``từ ngày 15/9 đến 29/9/2019``, ``từ ngày 08 đến ngày 10 tháng 12
năm 2025``, ``từ tháng 01 năm 2025 đến hết năm học 2024 - 2025``, ``từ nay đến hết năm 2024``)
and the quarter window ``từ ngày 15 đến ngày 20 tháng cuối mỗi quý``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from dataclasses import replace
from datetime import date

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class YearContext:
    """What a document implies about years that its dates leave out.

    Attributes:
        school_year: ``(2019, 2020)`` for a plan of năm học 2019-2020.
        year: the issue year, or the first year of the period, when there is no school year.
        anchor: the issue date, when known (first occurrence of recurring windows).
    """

    school_year: tuple[int, int] | None = None
    year: int | None = None
    anchor: date | None = None

    def year_for(self, month: int) -> int | None:
        """Return the year of ``month`` (Sept–Dec in the first year of a school year)."""
        if self.school_year:
            return self.school_year[0] if month >= 9 else self.school_year[1]
        return self.year


@dataclass(frozen=True)
class DateHit:
    """A date expression found in text.

    Attributes:
        start: offset of the expression in the text.
        end: offset just after it.
        first: the date (a range's start; a month's or year's last day when alone).
        last: the range's end, or None.
        kind: ``day``, ``month``, ``year``, ``quarter`` or ``window`` (quarter window).
        explicit_year: True when the year was written, not inferred.
        recurrence: ``quarterly`` for the quarter window, else None.
        month_day: the day of the month a monthly item is written for (``31``; ``-1`` for
            "cuối tháng"), which ``first`` cannot keep when its month is shorter.
    """

    start: int
    end: int
    first: date
    last: date | None = None
    kind: str = "day"
    explicit_year: bool = True
    recurrence: str | None = None
    month_day: int | None = None


@dataclass
class _Atom:
    start: int
    end: int
    kind: str  # day | bareday | month | year | quarter | now | syend
    day: int | None = None
    month: int | None = None
    year: int | None = None
    months: tuple[int, ...] = ()
    end_month: int | None = None  # quarter: last month


_D = r"(\d{1,2})"
_M = r"(\d{1,2})"
_Y = r"(\d{4})"
_NUM_DMY = re.compile(rf"(?<![\d/.])(?:ngày\s+)?{_D}\s*([/.])\s*{_M}\s*\2\s*{_Y}(?![\d/])")
_DASH_DMY = re.compile(rf"(?<![\d/-])(?:ngày\s+)?{_D}-{_M}-{_Y}(?![\d-])")
_WORD_DMY = re.compile(rf"(?:ngày\s+)?{_D}\s+tháng\s+{_M}(?:\s*(?:năm|,)\s*{_Y})?", re.IGNORECASE)
_NUM_DM = re.compile(rf"(?<![\d/.,])(?:ngày\s+)?{_D}\s*/\s*{_M}(?![\d]|\s*/\s*\d|\s*/\s*[A-Za-z])")
_MONTHS = re.compile(
    rf"tháng\s+{_M}((?:\s*(?:,|và|-)\s*\d{{1,2}})*)\s*(?:/\s*{_Y}|\s*năm\s+{_Y})?(?![\d/])",
    re.IGNORECASE,
)
_QUARTER = re.compile(r"quý\s+(IV|I{1,3}|[1-4])\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE)
_YEAR = re.compile(
    r"(?:vào|hết|trước|hoàn\s+thành(?:\s+trong)?|xong\s+trong|cuối)\s+năm\s+(\d{4})"
    r"(?!\s*[-–]\s*\d)",
    re.IGNORECASE,
)
_SCHOOL_YEAR_END = re.compile(r"hết\s+năm\s+học\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
# "1/3 đến 1/2 chiều dài", "2/3 số thành viên": fractions, not dates.
_FRACTION_AFTER = re.compile(
    r"\s*(?:(?:đến|-)\s*\d{1,2}\s*/\s*\d{1,2}\s*)?"
    r"(?:số|tổng|chiều\s+dài|chiều\s+rộng|độ|diện|thành\s+viên|chỉ\s+tiêu|tiêu\s+chí|tiêu\s+chuẩn|điểm|lớp|"
    r"ngày(?!\s+\d)|buổi|giờ|thời\s+gian|"
    r"học\s+sinh|giáo\s+viên|em|trường|đơn\s+vị|người|%)",
    re.IGNORECASE,
)
_COUNT_BEFORE = re.compile(
    r"(?:đạt|tỷ\s+lệ|tỉ\s+lệ|gồm|lớp|khối|phòng|điểm|kết\s+quả)\s*:?\s*$", re.IGNORECASE
)
_BARE_DAY = re.compile(
    r"(?:(?:từ\s+)?ngày\s+(\d{1,2})(?=\s*(?:đến|tới|-|–))"
    r"|(?<![\d/.])(\d{1,2})(?=\s*(?:-|–|đến)\s*(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}))",
    re.IGNORECASE,
)
_NOW = re.compile(r"từ\s+nay", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_DAY_LIST = re.compile(
    r"(?<![\d/.])((?:\d{1,2}\s*,\s*)+)(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])"
)

_CONNECT = re.compile(
    r"^\s*,?\s*(?:đến|tới|-|–|—)\s*(?:hết\s+|cuối\s+)?(?:ngày\s+)?$", re.IGNORECASE
)
_QUARTER_WINDOW = re.compile(
    r"(?:từ\s+)?ngày\s+(\d{1,2})\s*(?:đến|tới|-|–)\s*(?:ngày\s+)?(\d{1,2})\s+(?:của\s+)?"
    r"tháng\s+(cuối|đầu)\s+(?:của\s+)?(?:mỗi|hằng|hàng|các)\s+quý",
    re.IGNORECASE,
)
# "ngày 25 hằng tháng" and "hằng tháng, trước ngày 25".
_MONTHLY = re.compile(
    r"ngày\s+(\d{1,2})\s+(?:h[ằà]ng|mỗi|các)\s+tháng(?!\s+(?:cuối|đầu))"
    r"|(?:h[ằà]ng|mỗi)\s+tháng\s*,?\s*(?:trước|vào|chậm\s+nhất)?\s*(?:là\s+)?ngày\s+"
    r"(\d{1,2})(?![\d/]|\s*tháng|\s*-)",
    re.IGNORECASE,
)
# "cuối mỗi tháng", "ngày cuối cùng hằng tháng": the last day of every month.
_MONTH_END = re.compile(
    r"(?:ngày\s+)?cuối(?:\s+cùng)?\s+(?:của\s+)?(?:h[ằà]ng|mỗi|các)\s+tháng", re.IGNORECASE
)
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "chủ nhật": 6}
_WEEKLY = re.compile(
    r"(?:thứ\s+(hai|ba|tư|năm|sáu|bảy)|(chủ\s+nhật))\s+(?:h[ằà]ng|mỗi|các)\s+tuần",
    re.IGNORECASE,
)
# A bare month ("tháng 9") only counts where it schedules something.
_MONTH_TRIGGER = re.compile(
    r"(?:^|[-+•:;(]\s*|\b(?:trong|vào|trước|cuối|đầu|giữa|hết|đến|từ|tới)\s+)$", re.IGNORECASE
)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(atom: _Atom) -> None:
        if free(atom.start, atom.end):
            atoms.append(atom)
            taken.append((atom.start, atom.end))

    if not _DIGIT.search(text):
        # Every atom but "từ nay" has a digit: most lines of a plan have none.
        for m in _NOW.finditer(text):
            add(_Atom(m.start(), m.end(), "now"))
        return atoms
    for m in _DAY_LIST.finditer(text):
        days = [int(x) for x in re.findall(r"\d{1,2}", m[1])] + [int(m[2])]
        if all(b - a == 1 for a, b in zip(days, days[1:], strict=False)):
            # "Ngày 26, 27/12": consecutive days of one activity, a range.
            add(_Atom(m.start(), m.end(), "daylist", days[0], int(m[3]),
                      int(m[4]) if m[4] else None, end_month=days[-1]))  # fmt: skip
    for m in _NUM_DMY.finditer(text):
        add(_Atom(m.start(), m.end(), "day", int(m[1]), int(m[3]), int(m[4])))
    for m in _DASH_DMY.finditer(text):
        add(_Atom(m.start(), m.end(), "day", int(m[1]), int(m[2]), int(m[3])))
    for m in _WORD_DMY.finditer(text):
        add(_Atom(m.start(), m.end(), "day", int(m[1]), int(m[2]), int(m[3]) if m[3] else None))
    for m in _SCHOOL_YEAR_END.finditer(text):
        add(_Atom(m.start(), m.end(), "syend", year=int(m[2])))
    for m in _QUARTER.finditer(text):
        q = _ROMAN.get(m[1].upper()) or int(m[1])
        add(_Atom(m.start(), m.end(), "quarter", month=q * 3 - 2, end_month=q * 3, year=int(m[2])))
    for m in _MONTHS.finditer(text):
        months = [int(m[1])] + [int(x) for x in re.findall(r"\d{1,2}", m[2] or "")]
        year = m[3] or m[4]
        if not all(1 <= x <= 12 for x in months):
            continue
        if not year and not _MONTH_TRIGGER.search(text[max(0, m.start() - 12) : m.start()]):
            if not re.match(r"\s*:", text[m.end() : m.end() + 3]):
                continue
        add(_Atom(m.start(), m.end(), "month", month=months[0], year=int(year) if year else None,
                  months=tuple(months)))  # fmt: skip
    for m in _YEAR.finditer(text):
        start = m.start(1) - len("năm ")
        add(_Atom(start, m.end(), "year", year=int(m[1])))
    for m in _NUM_DM.finditer(text):
        if _FRACTION_AFTER.match(text, m.end()) or _COUNT_BEFORE.search(text[: m.start()]):
            continue
        add(_Atom(m.start(), m.end(), "day", int(m[1]), int(m[2]), None))
    for m in _BARE_DAY.finditer(text):
        add(_Atom(m.start(), m.end(), "bareday", int(m[1] or m[2])))
    for m in _NOW.finditer(text):
        add(_Atom(m.start(), m.end(), "now"))
    atoms.sort(key=lambda a: a.start)
    return atoms


def _single(atom: _Atom, ctx: YearContext) -> DateHit | None:
    explicit = atom.year is not None
    if atom.kind == "day":
        year = atom.year or ctx.year_for(atom.month or 0)
        if year is None or atom.month is None or atom.day is None:
            return None
        value = _valid(year, atom.month, atom.day)
        return DateHit(atom.start, atom.end, value, None, "day", explicit) if value else None
    if atom.kind == "daylist":
        year = atom.year or ctx.year_for(atom.month or 0)
        if year is None or atom.month is None or atom.day is None or atom.end_month is None:
            return None
        first, last = _valid(year, atom.month, atom.day), _valid(year, atom.month, atom.end_month)
        if not first or not last:
            return None
        return DateHit(atom.start, atom.end, first, last, "range", explicit)
    if atom.kind == "month":
        months: tuple[int, ...] = atom.months or (atom.month,)  # type: ignore[assignment]  # has one
        year = atom.year or ctx.year_for(months[0])
        if year is None:
            return None
        if len(months) > 1:
            end_year = atom.year or ctx.year_for(months[-1]) or year
            start = date(year if months[0] <= months[-1] or atom.year is None else year - 1,
                         months[0], 1)  # fmt: skip
            return DateHit(atom.start, atom.end, start, _month_end(end_year, months[-1]),
                           "month", explicit)  # fmt: skip
        return DateHit(atom.start, atom.end, _month_end(year, months[0]), None, "month", explicit)
    if atom.kind == "quarter" and atom.year and atom.end_month:
        return DateHit(atom.start, atom.end, _month_end(atom.year, atom.end_month), None, "quarter")
    if atom.kind == "year" and atom.year:
        return DateHit(atom.start, atom.end, date(atom.year, 12, 31), None, "year")
    return None


def _range_start(first: _Atom, last: DateHit) -> date | None:
    end = last.last or last.first
    if first.kind == "bareday":
        return _valid(end.year, end.month, first.day or 0)
    if first.kind == "day":
        month = first.month or end.month
        year = first.year or (end.year if month <= end.month else end.year - 1)
        return _valid(year, month, first.day or 0)
    if first.kind == "month":
        month = first.month or 1
        year = first.year or (end.year if month <= end.month else end.year - 1)
        return date(year, month, 1)
    return None


def find_dates(text: str, ctx: YearContext | None = None) -> list[DateHit]:
    """Return the date expressions of ``text`` in order, ranges merged into one hit.

    Args:
        text: one paragraph or clause.
        ctx: years implied by the document, for dates written without a year.
    """
    ctx = ctx or YearContext()
    hits: list[DateHit] = []
    for m in _QUARTER_WINDOW.finditer(text):
        hit = _quarter_window(m, ctx)
        if hit:
            hits.append(hit)
    for m in [*_MONTHLY.finditer(text), *_MONTH_END.finditer(text)]:
        hit = _monthly(m, ctx)
        if hit:
            hits.append(hit)
    for m in _WEEKLY.finditer(text):
        hit = _weekly(m, ctx)
        if hit:
            hits.append(hit)
    masked = text
    for hit in hits:
        masked = masked[: hit.start] + " " * (hit.end - hit.start) + masked[hit.end :]
    atoms = _atoms(masked)
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        nxt = atoms[index + 1] if index + 1 < len(atoms) else None
        between = masked[atom.end : nxt.start] if nxt else ""
        if nxt and (
            _CONNECT.match(between)
            or (_NEXT_DAY.match(between) and _consecutive(atom, nxt, ctx))
            or (_CELLS.match(between) and _table_range(atom, nxt))
        ):
            merged = _merge(atom, nxt, ctx)
            if merged:
                hits.append(merged)
                index += 2
                continue
        if atom.kind not in ("bareday", "now", "syend"):
            single = _single(atom, ctx)
            if single:
                hits.append(single)
        index += 1
    hits.sort(key=lambda h: h.start)
    return hits


# "chiều 28/12 và cả ngày 29/12": two days in a row of one activity are one range.
_NEXT_DAY = re.compile(
    r"^\s*(?:,|và)\s*(?:(?:cả|buổi|sáng|chiều|tối|trưa)\s+)*(?:ngày\s+)?$", re.IGNORECASE
)
# "10/11/2025 | 16/11/2025": a schedule table's from and to columns, side by side.
_CELLS = re.compile(r"^\s+$")


def _consecutive(first: _Atom, second: _Atom, ctx: YearContext) -> bool:
    if first.kind not in ("day", "bareday") or second.kind != "day":
        return False
    end = _single(second, ctx)
    start = _range_start(first, end) if end else None
    return bool(start and end and (end.first - start).days == 1)


def _table_range(first: _Atom, second: _Atom) -> bool:
    if first.kind != "day" or second.kind != "day" or not (first.year and second.year):
        return False
    start = _valid(first.year, first.month or 0, first.day or 0)
    end = _valid(second.year, second.month or 0, second.day or 0)
    return bool(start and end and 0 < (end - start).days <= 62)


def _merge(first: _Atom, second: _Atom, ctx: YearContext) -> DateHit | None:
    last: DateHit | None
    if second.kind == "syend" and second.year:
        last = DateHit(second.start, second.end, date(second.year, 8, 31), None, "day")
    elif second.kind in ("bareday", "now", "syend"):
        return None
    else:
        if first.kind == "day" and second.kind == "day" and second.year is None:
            # "15/9 - 20/9": both without year; the year comes from the context.
            pass
        last = _single(second, ctx)
        if last is None:
            return None
    end = last.last or last.first
    if first.kind == "now":
        return replace(last, start=first.start, first=end, last=None)
    start = _range_start(first, last)
    if start is None or start > end:
        return None
    explicit = first.year is not None or second.year is not None
    return DateHit(first.start, second.end, start, end, "range", explicit)


def _quarter_window(match: re.Match[str], ctx: YearContext) -> DateHit | None:
    day_from, day_to = int(match[1]), int(match[2])
    months = (3, 6, 9, 12) if match[3].lower() == "cuối" else (1, 4, 7, 10)
    anchor = ctx.anchor
    if anchor is None:
        if ctx.school_year:
            anchor = date(ctx.school_year[0], 9, 1)
        elif ctx.year:
            anchor = date(ctx.year, 1, 1)
        else:
            return None
    year = anchor.year
    month = next((m for m in months if m >= anchor.month), None)
    if month is None:
        month, year = months[0], year + 1
    first = _valid(year, month, day_from)
    last = _valid(year, month, day_to)
    if not first or not last:
        return None
    return DateHit(match.start(), match.end(), first, last, "window", False, "quarterly")


def _start_anchor(ctx: YearContext) -> date | None:
    if ctx.anchor:
        return ctx.anchor
    if ctx.school_year:
        return date(ctx.school_year[0], 9, 1)
    if ctx.year:
        return date(ctx.year, 1, 1)
    return None


def _monthly(match: re.Match[str], ctx: YearContext) -> DateHit | None:
    """``ngày 25 hằng tháng``: the first 25th on or after the document's start."""
    anchor = _start_anchor(ctx)
    written = match.re is not _MONTH_END
    day = int(match[1] or match[2]) if written else 31
    if anchor is None or not 1 <= day <= 31:
        return None
    year, month = anchor.year, anchor.month
    for _ in range(13):
        value = _valid(year, month, min(day, calendar.monthrange(year, month)[1]))
        if value and value >= anchor:
            return DateHit(
                match.start(), match.end(), value, None, "day", False, "monthly",
                day if written else -1,
            )  # fmt: skip
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekly(match: re.Match[str], ctx: YearContext) -> DateHit | None:
    """``thứ Hai hằng tuần``: the first such weekday on or after the document's start."""
    anchor = _start_anchor(ctx)
    if anchor is None:
        return None
    name = (match[1] or "chủ nhật").lower()
    weekday = _WEEKDAYS[re.sub(r"\s+", " ", name)]
    value = anchor.fromordinal(anchor.toordinal() + (weekday - anchor.weekday()) % 7)
    return DateHit(match.start(), match.end(), value, None, "day", False, "weekly")
