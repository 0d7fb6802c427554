"""Recognising a document the register already holds, before a number is taken: the same file
(SHA-256), the same text once normalised (a PDF and the pasted text of it), the same issuer,
number and date, or a text that is nearly the same (word 3-gram shingles, e.g. the OCR of a
scan of it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import fold
from services.incoming.entries import EntryData
from storage.models import IncomingEntry

SHINGLE_WORDS = 3


# Jaccard similarity of word 3-gram shingles from which two texts are "nearly the same".
# The parser's text of one plan as a text PDF, an OCR'd scan and pasted text scores 1.0
# between them and 0.94 against the raw .txt; the 25 different plans of the shared corpus
# score at most 0.10 against each other.
NEAR_DUPLICATE = 0.6


MIN_SHINGLES = 20  # shorter texts (a paper entry's few words) are not compared


NEAR_WINDOW_DAYS = 400  # near-identical texts are looked for among lines of the last 400 days


TEXT_KEY_LIMIT = 200_000


@dataclass
class Duplicate:
    """A line of the register that the new document (or another line) seems to repeat."""

    entry: IncomingEntry
    reasons: list[str] = field(default_factory=list)
    similarity: float = 0.0


_WORD = re.compile(r"[0-9a-z]+")


def text_key(text: str) -> str:
    """The text without diacritics, case, punctuation and layout: the words in order."""
    return " ".join(_WORD.findall(fold(text)))[:TEXT_KEY_LIMIT]


def text_sha256(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def reference_key(issuer: str, reference: str, doc_date: date | None) -> str:
    """issuer|number|date, compared without diacritics, spaces or case ("" if incomplete)."""
    issuer_key = "".join(_WORD.findall(fold(issuer)))
    number_key = "".join(_WORD.findall(fold(reference)))
    if not (issuer_key and number_key and doc_date):
        return ""
    return f"{issuer_key[:120]}|{number_key[:80]}|{doc_date.isoformat()}"


def shingles(key: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = key.split()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def similarity(first: str, second: str) -> float:
    """Jaccard similarity of two text keys' word shingles (0 when either is too short)."""
    a, b = shingles(first), shingles(second)
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return 0.0
    return len(a & b) / len(a | b)


def find_duplicates(
    session: Session, organization_id: int, data: EntryData, *, exclude_id: int | None = None
) -> list[Duplicate]:
    """The organization's live lines that ``data`` seems to repeat, the surest first."""
    key = text_key(data.text)
    digest = text_sha256(key)
    ref = reference_key(data.issuer, data.reference, data.doc_date)
    found: dict[int, Duplicate] = {}

    def note(entry: IncomingEntry, reason: str, score: float) -> None:
        duplicate = found.setdefault(entry.id, Duplicate(entry))
        duplicate.reasons.append(reason)
        duplicate.similarity = max(duplicate.similarity, score)

    exact = [
        clause
        for clause in (
            IncomingEntry.file_sha256 == data.file_sha256 if data.file_sha256 else None,
            IncomingEntry.text_sha256 == digest if digest else None,
            IncomingEntry.ref_key == ref if ref else None,
            IncomingEntry.plan_id == data.plan_id if data.plan_id else None,
        )
        if clause is not None
    ]
    live = _live(organization_id, exclude_id)
    if exact:
        for entry in session.scalars(live.where(or_(*exact))):
            if data.plan_id and entry.plan_id == data.plan_id:
                note(entry, "đã vào sổ từ chính tệp này", 1.0)
            if data.file_sha256 and entry.file_sha256 == data.file_sha256:
                note(entry, "cùng một tệp (SHA-256)", 1.0)
            if digest and entry.text_sha256 == digest:
                note(entry, "cùng nội dung văn bản", 1.0)
            if ref and entry.ref_key == ref:
                note(entry, "cùng tác giả, số ký hiệu và ngày văn bản", 1.0)
    if len(shingles(key)) >= MIN_SHINGLES:
        # Only the texts of lines received within NEAR_WINDOW_DAYS are read (ids and text,
        # not whole rows); the lines that match are loaded afterwards.
        since = data.received_date - timedelta(days=NEAR_WINDOW_DAYS)
        texts = session.execute(
            live.with_only_columns(IncomingEntry.id, IncomingEntry.text_key).where(
                IncomingEntry.text_key != "",
                IncomingEntry.text_sha256 != digest,
                IncomingEntry.received_date >= since,
            )
        )
        for entry_id, other in texts:
            score = similarity(key, other)
            if score >= NEAR_DUPLICATE:
                entry = session.get(IncomingEntry, entry_id)
                assert entry is not None
                note(entry, f"nội dung gần giống ({round(score * 100)} %)", score)
    return sorted(found.values(), key=lambda d: (-d.similarity, -len(d.reasons), d.entry.id))


def _live(organization_id: int, exclude_id: int | None = None) -> Any:
    statement = select(IncomingEntry).where(
        IncomingEntry.organization_id == organization_id, IncomingEntry.removed_at.is_(None)
    )
    if exclude_id is not None:
        statement = statement.where(IncomingEntry.id != exclude_id)
    return statement
