"""The "Căn cứ" lines a document cites, chosen by document kind and date.

Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.6: each căn cứ stands on its own line and ends
with ";"; a Luật is cited by its name only; other instruments by type, number, date, issuer
and trích yếu. The renderer adds the closing line ("Theo đề nghị của … ." / "Xét đề nghị
của … ,") — this module only returns the căn cứ lines.

Every line is printed with its instrument's full date, never without one. An instrument
whose date is not confirmed (``issued`` is ``None``) is printed only with a date the clerk
entered after checking the original (:meth:`Instrument.citation`); it is never suggested.
What a document cites is chosen per document: :func:`suggested_instruments` proposes the
kind's list in force on the date (a Kế hoạch only when its trích yếu is about thi đua,
khen thưởng), the clerk ticks and unticks, and :func:`citation_lines` prints the choice.

The instruments and the lists per document kind are DATA (``domain/data/legal_basis.json``)
with effective dates, because the law moved on 01/7/2025 (NĐ 152/2025 replaced NĐ 98/2023):
a document dated 30/6/2025 cites NĐ 98/2023, one dated 01/7/2025 cites NĐ 152/2025.
Entries whose wording or dates are not confirmed against the original text carry
``confirmed = False`` and a note, so the UI can warn the clerk.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from importlib import resources
from typing import Any

from domain.dates import format_date_words
from domain.dates import format_short_date
from domain.errors import VanthuError
from domain.text import clean_line
from domain.text import fold
from domain.text import nfc

CITATION_PREFIX = "Căn cứ "
LINE_END = ";"


class LegalBasisError(VanthuError, ValueError):
    """A căn cứ cannot be produced; ``message`` is Vietnamese and safe to show."""

    code = "legal_basis_refused"


class UnknownDocumentKindError(LegalBasisError):
    """The document kind has no căn cứ list."""


class UnknownInstrumentError(LegalBasisError):
    """No instrument has this code."""


class InstrumentNotInForceError(LegalBasisError):
    """The instrument exists but is not in force on the requested date."""


class NoLegalBasisError(LegalBasisError):
    """No instrument of the kind's list is in force on the requested date."""


class UndatedInstrumentError(LegalBasisError):
    """The instrument's date is not confirmed and the clerk gave none: it is not printed."""


class LegalBasisDataError(LegalBasisError):
    """The data file is malformed (a developer error, reported in Vietnamese anyway)."""


@dataclass(frozen=True)
class Instrument:
    """One legal instrument that documents cite.

    Attributes:
        code: stable ASCII key (``"ND_152_2025"``).
        type: loại văn bản (``"Nghị định"``).
        number: số/ký hiệu (``"152/2025/NĐ-CP"``).
        issued: ngày ban hành, ``None`` when not confirmed (the line then needs a date the
            clerk checked, see :meth:`citation`).
        issuer: cơ quan/người ban hành.
        short_name: the name for lists and the UI (``"Nghị định số 152/2025/NĐ-CP"``).
        text: the citation body without "Căn cứ " and without the final ";".
        effective_from / effective_to: inclusive dates in force; ``effective_to`` ``None``
            means open-ended.
        confirmed: False when part of the entry is not checked against the original.
        source: where the wording and dates come from.
        note: what is unconfirmed, or a caveat for parsers.
        issued_reported: a date unofficial sources give when ``issued`` is ``None``; a hint
            for the clerk only, never printed by itself.
    """

    code: str
    type: str
    number: str
    issued: date | None
    issuer: str
    short_name: str
    text: str
    effective_from: date
    effective_to: date | None
    confirmed: bool
    source: str
    note: str = ""
    issued_reported: date | None = None

    @property
    def dated(self) -> bool:
        """Tell whether the data knows the date the line prints (a Luật carries its own)."""
        return self.issued is not None

    @property
    def line(self) -> str:
        """Return the full căn cứ line: ``"Căn cứ <text>;"``.

        Raises:
            UndatedInstrumentError: if the instrument's date is not confirmed.
        """
        return self.citation()

    def citation(self, issued: date | None = None) -> str:
        """Return the căn cứ line, with ``issued`` (a date the clerk checked) when the data
        has no confirmed date; a confirmed date is never replaced.

        Raises:
            UndatedInstrumentError: if neither the data nor ``issued`` gives the date.
        """
        if self.issued is not None:
            return f"{CITATION_PREFIX}{self.text}{LINE_END}"
        if issued is None:
            raise UndatedInstrumentError(
                f"Chưa có ngày ban hành của {self.short_name}: nhập ngày ban hành đã đối chiếu "
                "với văn bản gốc, hoặc bỏ chọn căn cứ này (không in căn cứ thiếu ngày)."
            )
        number = f"số {self.number}"
        text = self.text.replace(number, f"{number} {format_date_words(issued)}", 1)
        return f"{CITATION_PREFIX}{text}{LINE_END}"

    def in_force(self, on: date) -> bool:
        """Return True when the instrument is in force on ``on`` (both ends inclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document and the instruments it may cite, in print order."""

    code: str
    label: str
    instruments: tuple[str, ...]
    source: str
    subject_keywords: tuple[str, ...] = ()  # suggested only for documents about these


@dataclass(frozen=True)
class Catalogue:
    """All instruments and document kinds of one data file."""

    instruments: Mapping[str, Instrument]
    kinds: Mapping[str, DocumentKind]


def legal_basis_for(kind: str, on: date, extra: Sequence[str] = ()) -> list[str]:
    """Return the căn cứ lines a document of ``kind`` dated ``on`` cites, each ending ";".

    Args:
        kind: document kind code, e.g. ``"QD_KHEN_THUONG"`` (see :func:`document_kinds`).
        on: the document's date (ngày ban hành); decides which instruments are in force.
        extra: further căn cứ written by the user (provincial regulation, the school's quy
            chế, the council minutes); NFC-normalised, given the "Căn cứ " prefix if
            missing, and ended with ";".

    Returns:
        The lines in print order; the renderer adds the closing "Theo đề nghị …" line.

    Raises:
        UnknownDocumentKindError: if ``kind`` is not in the data.
        NoLegalBasisError: if the data has no instrument in force on ``on`` for ``kind``
            (e.g. a date before the Luật Thi đua, khen thưởng 2022 took effect).
    """
    lines = [item.line for item in instruments_for(kind, on) if item.dated]
    return lines + [_extra_line(x) for x in extra]


def suggested_instruments(
    kind: str, on: date, subject: str = "", within: Collection[str] | None = None
) -> list[Instrument]:
    """Return what a document of ``kind`` dated ``on`` is offered ticked on its form.

    Args:
        kind: document kind code (see :func:`document_kinds`).
        on: the document's date.
        subject: its trích yếu; a kind with ``subject_keywords`` (the Kế hoạch) is
            suggested its list only when the trích yếu names one of them (a Kế hoạch for a
            Hội giảng cites no emulation law).
        within: the codes of the rule set in force (``RuleSet.instruments``), if known.

    Instruments without a confirmed date are never suggested (they print only with a date
    the clerk enters). Returns ``[]`` when nothing applies.

    Raises:
        UnknownDocumentKindError: if ``kind`` is not in the data.
    """
    document_kind = _document_kind(kind)
    if document_kind.subject_keywords and not any(
        fold(word) in fold(subject) for word in document_kind.subject_keywords
    ):
        return []
    try:
        items = instruments_for(kind, on)
    except NoLegalBasisError:
        return []
    return [i for i in items if i.dated and (within is None or i.code in within)]


def citation_lines(
    codes: Sequence[str],
    on: date,
    dates: Mapping[str, date | None] | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """Return the căn cứ lines of the instruments a clerk chose, then the clerk's own lines.

    Args:
        codes: instrument codes, in print order.
        on: the document's date: every chosen instrument must be in force on it.
        dates: dates the clerk entered for instruments whose date is not confirmed.
        extra: further lines typed by the clerk (see :func:`legal_basis_for`).

    Raises:
        UnknownInstrumentError, InstrumentNotInForceError, UndatedInstrumentError: with a
            Vietnamese message naming the instrument.
    """
    if isinstance(on, datetime):
        on = on.date()
    lines = []
    for code in codes:
        item = get_instrument(code)
        if not item.in_force(on):
            raise InstrumentNotInForceError(
                f"{item.short_name} không có hiệu lực vào ngày {format_short_date(on)} "
                f"(hiệu lực {_describe_range(item)}): bỏ chọn căn cứ này."
            )
        lines.append(item.citation((dates or {}).get(code)))
    return lines + [_extra_line(x) for x in extra]


def describe_validity(item: Instrument) -> str:
    """Return "hiệu lực từ 01/7/2025" (or "từ … đến …") for the form's labels."""
    return f"hiệu lực {_describe_range(item)}"


def instruments_for(kind: str, on: date) -> list[Instrument]:
    """Return the instruments cited by ``kind`` on ``on`` (to show ``confirmed``/``note``).

    Raises:
        UnknownDocumentKindError: if ``kind`` is not in the data.
        NoLegalBasisError: if none of the kind's instruments is in force on ``on``.
    """
    if isinstance(on, datetime):  # a datetime would not compare with the date bounds
        on = on.date()
    catalogue = load_catalogue()
    document_kind = _document_kind(kind)
    candidates = [catalogue.instruments[code] for code in document_kind.instruments]
    chosen = [item for item in candidates if item.in_force(on)]
    if not chosen:
        earliest = min(item.effective_from for item in candidates)
        raise NoLegalBasisError(
            f"Chưa có dữ liệu căn cứ pháp lý cho “{document_kind.label}” vào ngày "
            f"{format_short_date(on)}; dữ liệu hiện có áp dụng từ {format_short_date(earliest)}."
        )
    return chosen


def _document_kind(kind: str) -> DocumentKind:
    catalogue = load_catalogue()
    try:
        return catalogue.kinds[kind]
    except KeyError:
        known = ", ".join(sorted(catalogue.kinds))
        raise UnknownDocumentKindError(
            f"Chưa có danh mục căn cứ cho loại văn bản “{kind}”. Các loại hiện có: {known}."
        ) from None


def citation_for(code: str, on: date) -> str:
    """Return the căn cứ line of one instrument, checking that it is in force on ``on``.

    Raises:
        UnknownInstrumentError: if ``code`` is not in the data.
        InstrumentNotInForceError: if the instrument is not in force on ``on``.
    """
    item = get_instrument(code)
    if isinstance(on, datetime):
        on = on.date()
    if not item.in_force(on):
        raise InstrumentNotInForceError(
            f"{item.short_name} không có hiệu lực vào ngày {format_short_date(on)} "
            f"(hiệu lực {_describe_range(item)})."
        )
    return item.line


def get_instrument(code: str) -> Instrument:
    """Return the instrument with ``code``.

    Raises:
        UnknownInstrumentError: if ``code`` is not in the data.
    """
    try:
        return load_catalogue().instruments[code]
    except KeyError:
        raise UnknownInstrumentError(f"Không có văn bản căn cứ mã “{code}”.") from None


def all_instruments() -> list[Instrument]:
    """Return every instrument in the data, in file order."""
    return list(load_catalogue().instruments.values())


def document_kinds() -> dict[str, str]:
    """Return ``{kind code: Vietnamese label}`` for every document kind with a căn cứ list."""
    return {code: kind.label for code, kind in load_catalogue().kinds.items()}


@functools.cache
def load_catalogue() -> Catalogue:
    """Load and validate ``domain/data/legal_basis.json`` once per process.

    Raises:
        LegalBasisDataError: if the file is malformed.
    """
    raw = resources.files("domain").joinpath("data/legal_basis.json").read_text("utf-8")
    return parse_catalogue(json.loads(raw))


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Build a :class:`Catalogue` from decoded JSON, validating every entry.

    Raises:
        LegalBasisDataError: on a missing field, bad date, duplicate code, a citation that
            already carries "Căn cứ" or the final ";", or a kind naming an unknown code.
    """
    try:
        items = [_parse_instrument(entry) for entry in data["instruments"]]
        instruments: dict[str, Instrument] = {}
        for item in items:
            if item.code in instruments:
                raise LegalBasisDataError(f"Mã văn bản căn cứ bị trùng: {item.code}.")
            instruments[item.code] = item
        kinds = {
            nfc(code): _parse_kind(nfc(code), entry, instruments)
            for code, entry in data["kinds"].items()
        }
    except LegalBasisDataError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise LegalBasisDataError(f"Dữ liệu căn cứ pháp lý không hợp lệ: {exc!r}.") from exc
    return Catalogue(instruments=instruments, kinds=kinds)


def _parse_instrument(entry: Mapping[str, Any]) -> Instrument:
    item = Instrument(
        code=nfc(entry["code"]),
        type=nfc(entry["type"]),
        number=nfc(entry["number"]),
        issued=_parse_date(entry["issued"]),
        issuer=nfc(entry["issuer"]),
        short_name=nfc(entry["short_name"]),
        text=clean_line(entry["text"]),
        effective_from=_require_date(entry["effective_from"]),
        effective_to=_parse_date(entry["effective_to"]),
        confirmed=bool(entry["confirmed"]),
        source=clean_line(entry["source"]),
        note=clean_line(entry.get("note", "")),
        issued_reported=_parse_date(entry.get("issued_reported")),
    )
    if not item.source:
        raise LegalBasisDataError(f"Văn bản {item.code} thiếu ghi chú nguồn (source).")
    if item.text.startswith(CITATION_PREFIX.strip()) or item.text[-1:] in ";.,":
        raise LegalBasisDataError(
            f"Văn bản {item.code}: 'text' không được có chữ “Căn cứ” hay dấu câu ở cuối."
        )
    if item.issued is None and f"số {item.number}" not in item.text:
        raise LegalBasisDataError(
            f"Văn bản {item.code}: chưa có ngày ban hành thì 'text' phải có “số {item.number}” "
            "để chèn ngày người soạn nhập."
        )
    if item.effective_to is not None and item.effective_to < item.effective_from:
        raise LegalBasisDataError(f"Văn bản {item.code}: ngày hết hiệu lực trước ngày hiệu lực.")
    return item


def _parse_kind(
    code: str, entry: Mapping[str, Any], instruments: Mapping[str, Instrument]
) -> DocumentKind:
    names = tuple(nfc(x) for x in entry["instruments"])
    unknown = [name for name in names if name not in instruments]
    if unknown:
        raise LegalBasisDataError(
            f"Loại văn bản {code} tham chiếu mã căn cứ không tồn tại: {', '.join(unknown)}."
        )
    return DocumentKind(
        code=code,
        label=nfc(entry["label"]),
        instruments=names,
        source=nfc(entry["source"]),
        subject_keywords=tuple(nfc(x) for x in entry.get("subject_keywords", ())),
    )


def _parse_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _require_date(value: str) -> date:
    return date.fromisoformat(value)


def _describe_range(item: Instrument) -> str:
    start = format_short_date(item.effective_from)
    if item.effective_to is None:
        return f"từ {start}"
    return f"từ {start} đến {format_short_date(item.effective_to)}"


def _extra_line(value: str) -> str:
    # Users paste lines with or without the prefix and with any closing punctuation;
    # §1.7 wants every căn cứ line to end with ";" (the renderer owns the closing line).
    text = clean_line(value).rstrip(";,. ")
    if not text:
        raise LegalBasisError("Dòng căn cứ bổ sung đang để trống.")
    if not text.startswith(CITATION_PREFIX.strip()):
        text = CITATION_PREFIX + text
    return text + LINE_END
