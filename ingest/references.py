"""Superior documents cited with a number (căn cứ, thực hiện, theo …), domain rules §3.2."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.doc_types import DOC_TYPES
from domain.text import fold
from ingest.dates import find_dates
from ingest.reading import Paragraph

# Type words as written in running text → abbreviation (Phụ lục III plus legal acts).
_TYPE_WORDS = {
    "luật": "Luật", "bộ luật": "Luật", "pháp lệnh": "PL", "nghị định": "NĐ",
    "thông tư liên tịch": "TTLT", "thông tư": "TT", "quyết định": "QĐ", "chỉ thị": "CT",
    "kế hoạch": "KH", "công văn": "CV",
    "văn bản": "CV", "hướng dẫn": "HD", "thông báo": "TB", "nghị quyết": "NQ",
    "chương trình": "CTr", "kết luận": "KL", "tờ trình": "TTr", "quy định": "QyĐ",
    "quy chế": "QC", "đề án": "ĐA", "báo cáo": "BC", "công điện": "CĐ", "phương án": "PA",
}  # fmt: skip
_EXTRA_CODES = {"NĐ", "TT", "TTLT", "NQ", "CT", "QĐ", "KL", "HD", "KH", "TB", "BC", "CV", "QH"}
_TYPE_WORD = "|".join(sorted((re.escape(k) for k in _TYPE_WORDS), key=len, reverse=True))
# Symbol parts: "KH-SGDĐT", "NĐ-CP", "CT/TW", "QH12", "KH- BGDDT" (stray space kept out).
_PART = r"[A-ZĐ][A-Za-zĐđ&0-9]*(?:\.[A-ZĐ][A-Za-zĐđ&0-9]*)?"
# "28/PGD ĐT-VP": a space inside a unit's abbreviation, closed by the dash after it.
_SPACED = rf"(?:\s(?=[A-ZĐ]{{1,4}}[-–]){_PART})?"
_NUMBER = (
    rf"(?P<num>\d{{1,5}}(?:/\d{{4}}){{0,2}}\s*[/-]\s*{_PART}{_SPACED}(?:\s*[-/–_]\s?{_PART})*"
    rf"|\d{{1,5}}/\d{{4}}/{_PART}"
    # "nghị quyết số 29 NQ/TW": the Party's style without its hyphen, after "số".
    rf"|(?<=số\s)\d{{1,5}}\s[A-ZĐ]{{1,5}}/[A-ZĐ]{{1,5}}\b)"
)
_REFERENCE = re.compile(
    rf"(?:(?P<type>{_TYPE_WORD})\s+(?:(?:liên\s+tịch\s+)?số\s*:?\s*)?)?{_NUMBER}",
    re.IGNORECASE,
)
# What every form of _NUMBER holds: a digit, then (after spaces) a slash or a dash, or
# the Party's "29 NQ/TW".
_NUMBER_HINT = re.compile(r"\d\s*[/-]|\d\s[A-ZĐ]{1,5}/", re.IGNORECASE)
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:được\s+ban\s+hành\s+|ban\s+hành\s+|ký\s+)?ngày\s", re.IGNORECASE
)


@dataclass
class Reference:
    """A cited document and the span of text that cites it (number and date)."""

    doc_type: str | None
    number: str
    date: str | None
    start: int
    end: int
    source: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        """Return the contract form ``{"doc_type", "number", "date", "source"}``."""
        return {
            "doc_type": self.doc_type,
            "number": self.number,
            "date": self.date,
            "source": self.source,
        }


def _normalise_number(raw: str) -> str:
    raw = raw.replace("–", "-")
    # Spaces around dashes and slashes go; one inside a unit's name ("PGD ĐT") and the one
    # of the Party style ("29 NQ/TW") stay, as printed.
    text = re.sub(r"\s*([-/])\s*", r"\1", raw.strip())
    return re.sub(r"\s+", " ", text).strip("-/.")


def _code(number: str, type_word: str | None) -> str | None:
    parts = re.split(r"[-/]", number)
    for part in parts[1:]:
        if part.isdigit():
            continue
        if part in DOC_TYPES or part in _EXTRA_CODES:
            if part == "QH":
                break
            return part
        break
    if type_word:
        return _TYPE_WORDS.get(type_word.lower())
    return None


def find_references(paragraph: Paragraph, own_number: str | None = None) -> list[Reference]:
    """Return the numbered documents cited in ``paragraph``.

    Args:
        paragraph: a body paragraph.
        own_number: the document's own ``number/symbol``; never reported as a reference.
    """
    text = paragraph.text
    found: list[Reference] = []
    if not _NUMBER_HINT.search(text):
        return found  # most paragraphs cite nothing; the full pattern is slow to refuse
    for match in _REFERENCE.finditer(text):
        raw = match["num"]
        if not re.search(r"[A-Za-zĐđ]", raw) or not re.search(r"[/-]", raw):
            continue
        number = _normalise_number(raw)
        if not re.match(r"^\d+(?:/\d{4}){0,2}[/-][A-ZĐ]|^\d+ [A-ZĐ]+/[A-ZĐ]", number):
            continue
        letters = re.sub(r"[^A-Za-zĐđ]", "", number)
        if len(letters) < 2:
            continue
        if own_number and fold(number) == fold(own_number):
            continue
        # A document number is never followed directly by a lower-case word glued to it.
        end = match.end()
        date_value = None
        tail = text[end : end + 60]
        if _DATE_AFTER.match(tail):
            hits = find_dates(tail)
            if hits and hits[0].explicit_year and hits[0].start < 25:
                date_value = hits[0].first.isoformat()
                end += hits[0].end
        type_word = match["type"]
        found.append(
            Reference(
                doc_type=_code(number, type_word),
                number=number,
                date=date_value,
                start=match.start(),
                end=end,
                source=paragraph.source_at(match.start("num")),
            )
        )
    return found


def merge_references(references: list[Reference]) -> list[Reference]:
    """Keep each cited number once, preferring the citation that gives a date."""
    kept: dict[str, Reference] = {}
    order: list[str] = []
    for ref in references:
        key = fold(ref.number).replace(" ", "")
        if key not in kept:
            kept[key] = ref
            order.append(key)
        elif kept[key].date is None and ref.date is not None:
            kept[key] = ref
    return [kept[k] for k in order]
