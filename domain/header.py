"""The header of a document and every line it prints (NĐ 30/2020, Phụ lục I, II.2–5).

A :class:`Header` holds what the clerk typed; its properties return the exact printed
lines so that templates never assemble header text themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.dates import format_place_date
from domain.doc_types import DocType
from domain.numbering import format_so_ky_hieu
from domain.text import clean_line
from domain.text import upper_vi

CV_SUMMARY_PREFIX = "V/v"
_CV_PREFIX = re.compile(r"^\s*(?:V/v|v/v|V/V|Về việc|về việc)\s*:?\s*")

# Types whose models in Phụ lục III carry no trích yếu under the type name.
_TYPES_WITHOUT_SUMMARY = frozenset({"GGT", "GNP", "PG", "PC", "PB"})


@dataclass(frozen=True)
class Header:
    """The header block of one document, as entered.

    Attributes:
        parent_issuer: tên cơ quan chủ quản trực tiếp (may be empty).
        issuer: tên cơ quan, tổ chức ban hành văn bản.
        doc_type: the document type; ``CV`` for a công văn.
        number: number in the outgoing register; ``None`` for a draft.
        symbol: ký hiệu, e.g. ``"KH-THCSMT"`` (see :func:`domain.numbering.format_symbol`).
        place: địa danh, e.g. ``"Mỹ Phước"``.
        issued_on: date of issue; ``None`` for a draft.
        summary: trích yếu, without the ``"V/v"`` of a công văn.
        year_hint: year printed on a draft's blank date line.
    """

    parent_issuer: str
    issuer: str
    doc_type: DocType
    number: int | None
    symbol: str
    place: str
    issued_on: date | None
    summary: str
    year_hint: int | None = None

    @property
    def is_cong_van(self) -> bool:
        """Tell whether the document is a công văn (no type line; "V/v" summary)."""
        return not self.doc_type.has_type_in_symbol

    @property
    def parent_line(self) -> str:
        """Return the parent body upper-case (Mục II.2.b), or ``""`` if there is none."""
        return upper_vi(clean_line(self.parent_issuer))

    @property
    def issuer_line(self) -> str:
        """Return the issuing body upper-case (Mục II.2.b)."""
        return upper_vi(clean_line(self.issuer))

    @property
    def number_line(self) -> str:
        """Return ``"Số: 05/KH-THCSMT"`` (Mục II.3.c); a draft leaves the number blank."""
        return format_so_ky_hieu(self.number, clean_line(self.symbol))

    @property
    def place_date_line(self) -> str:
        """Return ``"Mỹ Phước, ngày 05 tháng 01 năm 2026"`` (Mục II.4); ``""`` for Biên bản.

        Raises:
            ValueError: if the document needs a date line and the place is empty.
        """
        if not self.doc_type.has_date_line:
            return ""
        return format_place_date(clean_line(self.place), self.issued_on, self.year_hint)

    @property
    def type_line(self) -> str:
        """Return the type name upper-case (Mục II.5.b); ``""`` for a công văn."""
        return "" if self.is_cong_van else upper_vi(self.doc_type.name)

    @property
    def summary_text(self) -> str:
        """Return the trích yếu without any "V/v" the clerk may have typed."""
        text = clean_line(self.summary)
        return _CV_PREFIX.sub("", text, count=1) if self.is_cong_van else text

    @property
    def summary_line(self) -> str:
        """Return the trích yếu as printed: ``"V/v …"`` for a công văn, plain otherwise."""
        text = self.summary_text
        if not text:
            return ""
        if self.is_cong_van:
            return f"{CV_SUMMARY_PREFIX} {text}"
        return text

    def problems(self) -> list[str]:
        """Return what is missing or malformed, as Vietnamese sentences (empty when valid)."""
        found: list[str] = []
        if not clean_line(self.issuer):
            found.append("Chưa có tên cơ quan, tổ chức ban hành văn bản.")
        if self.doc_type.has_date_line and not clean_line(self.place):
            found.append("Chưa có địa danh (nơi cơ quan đóng trụ sở).")
        found.extend(_symbol_problems(self.doc_type, clean_line(self.symbol)))
        if self.number is not None and self.number < 1:
            found.append("Số văn bản phải là số nguyên dương.")
        if not self.summary_text and self.doc_type.code not in _TYPES_WITHOUT_SUMMARY:
            found.append(_missing_summary_message(self.is_cong_van))
        if self.summary_text.endswith("."):
            found.append("Trích yếu không kết thúc bằng dấu chấm.")
        return found


def _symbol_problems(doc_type: DocType, symbol: str) -> list[str]:
    if not symbol:
        return ["Chưa có ký hiệu văn bản."]
    found: list[str] = []
    if " " in symbol:
        found.append("Ký hiệu văn bản không được có khoảng trắng (Phụ lục I, Mục II.3.c).")
    if doc_type.has_type_in_symbol and not symbol.startswith(f"{doc_type.code}-"):
        found.append(
            f"Ký hiệu của {doc_type.label.lower()} phải bắt đầu bằng “{doc_type.code}-” "
            "(Phụ lục III, Mục I)."
        )
    return found


def _missing_summary_message(is_cong_van: bool) -> str:
    if is_cong_van:
        return "Chưa có trích yếu nội dung công văn (dòng “V/v …”)."
    return "Chưa có trích yếu nội dung văn bản."
