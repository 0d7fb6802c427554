"""Số and ký hiệu of administrative documents (Nghị định 30/2020, Phụ lục I, II.3; Điều 15).

The number is the document's position in the issuing body's outgoing register for the
calendar year, written with a leading zero below 10. The ký hiệu is
``<type>-<body>`` for documents with a type name and ``<body>-<unit>`` for a công văn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.dates import format_short_date
from domain.doc_types import DOC_TYPES
from domain.doc_types import DocType

# What a draft shows in place of the number: room for the clerk to write it by hand.
DRAFT_NUMBER_BLANK = "      "

_SO_KY_HIEU = re.compile(
    r"^\s*Số\s*:?\s*(?P<number>\d+)?\s*/\s*(?P<symbol>[0-9A-Za-zÀ-ỹĐđ&.\-/]+)\s*$"
)


@dataclass(frozen=True)
class SoKyHieu:
    """A parsed ``Số: 12/KH-THCSMT``: number (``None`` for a draft) and symbol."""

    number: int | None
    symbol: str


def format_number(number: int | None) -> str:
    """Format a register number: ``5`` → ``"05"``, ``123`` → ``"123"``, ``None`` → blank.

    Raises:
        ValueError: if the number is not positive.
    """
    if number is None:
        return DRAFT_NUMBER_BLANK
    if number < 1:
        raise ValueError("Số văn bản phải là số nguyên dương.")
    return f"{number:02d}"


def format_symbol(doc_type: DocType | str, issuer_abbrev: str, unit_abbrev: str = "") -> str:
    """Build the ký hiệu: ``KH-THCSMT``; for a công văn ``THCSMT-VP`` (or ``THCSMT``).

    Args:
        doc_type: a :class:`DocType` or its code.
        issuer_abbrev: the issuing body's abbreviation, set by its head.
        unit_abbrev: drafting unit or field; only used by công văn.
    """
    if isinstance(doc_type, str):
        doc_type = DOC_TYPES[doc_type]
    issuer_abbrev = issuer_abbrev.strip()
    if not issuer_abbrev:
        raise ValueError("Chưa khai báo chữ viết tắt của cơ quan (dùng trong ký hiệu).")
    if doc_type.has_type_in_symbol:
        return f"{doc_type.code}-{issuer_abbrev}"
    unit_abbrev = unit_abbrev.strip()
    return f"{issuer_abbrev}-{unit_abbrev}" if unit_abbrev else issuer_abbrev


def format_so_ky_hieu(number: int | None, symbol: str) -> str:
    """Return the header line ``Số: 05/KH-THCSMT``; a draft gets ``Số:      /KH-THCSMT``."""
    return (
        f"Số: {format_number(number)}/{symbol}" if number else f"Số:{DRAFT_NUMBER_BLANK}/{symbol}"
    )


def parse_so_ky_hieu(value: str) -> SoKyHieu:
    """Parse ``"Số: 12/QĐ-UBND"`` (or a draft ``"Số:    /QĐ-UBND"``).

    Raises:
        ValueError: with a Vietnamese message if the text is not a số/ký hiệu.
    """
    match = _SO_KY_HIEU.match(value)
    if not match:
        raise ValueError(f"Không đúng mẫu số/ký hiệu (ví dụ “Số: 12/KH-THCSMT”): {value!r}")
    number = match.group("number")
    return SoKyHieu(int(number) if number else None, match.group("symbol"))


def number_and_symbol(number: int | None, symbol: str, placeholder: str = "…") -> str:
    """Return "05/KH-THCSMT" as a sentence cites it; a draft's number is ``placeholder``."""
    return f"{format_number(number) if number else placeholder}/{symbol}"


def cite_document(
    type_name: str, number: int | None, symbol: str, issued_on: date | None = None
) -> str:
    """Return how running text cites a document: "Tờ trình số 02/TTr-THCSMT ngày 03/06/2026";
    a draft: "Tờ trình số …/TTr-THCSMT" (its number is written by hand)."""
    text = f"{type_name} số {number_and_symbol(number, symbol)}"
    return f"{text} ngày {format_short_date(issued_on)}" if number and issued_on else text
