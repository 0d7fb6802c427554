"""The "Căn cứ" lines a document cites, chosen by document kind and date.

Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.6: each căn cứ stands on its own line and ends
with ";"; a Luật is cited by its name only; other instruments by type, number, date, issuer
and trích yếu. The renderer adds the closing line ("Theo đề nghị của … ." / "Xét đề nghị
của … ,") — this module only returns the căn cứ lines.

The instruments and the lists per document kind are DATA (``domain/data/legal_basis.json``)
with effective dates, because the law moved on 01/7/2025 (NĐ 152/2025 replaced NĐ 98/2023):
a document dated 30/6/2025 cites NĐ 98/2023, one dated 01/7/2025 cites NĐ 152/2025.
Entries whose wording or dates are not confirmed against the original text carry
``confirmed = False`` and a note, so the UI can warn the clerk.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from importlib import resources
from typing import Any

from domain.dates import format_short_date
from domain.text import clean_line
from domain.text import nfc

CITATION_PREFIX = "Căn cứ "
LINE_END = ";"


class LegalBasisError(ValueError):
    """A căn cứ cannot be produced; ``message`` is Vietnamese and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownDocumentKindError(LegalBasisError):
    """The document kind has no căn cứ list."""


class UnknownInstrumentError(LegalBasisError):
    """No instrument has this code."""


class InstrumentNotInForceError(LegalBasisError):
    """The instrument exists but is not in force on the requested date."""


class NoLegalBasisError(LegalBasisError):
    """No instrument of the kind's list is in force on the requested date."""


class LegalBasisDataError(LegalBasisError):
    """The data file is malformed (a developer error, reported in Vietnamese anyway)."""


@dataclass(frozen=True)
class Instrument:
    """One legal instrument that documents cite.

    Attributes:
        code: stable ASCII key (``"ND_152_2025"``).
        type: loại văn bản (``"Nghị định"``).
        number: số/ký hiệu (``"152/2025/NĐ-CP"``).
        issued: ngày ban hành, ``None`` when not confirmed (the line then omits it).
        issuer: cơ quan/người ban hành.
        short_name: the name for lists and the UI (``"Nghị định số 152/2025/NĐ-CP"``).
        text: the citation body without "Căn cứ " and without the final ";".
        effective_from / effective_to: inclusive dates in force; ``effective_to`` ``None``
            means open-ended.
        confirmed: False when part of the entry is not checked against the original.
        source: where the wording and dates come from.
        note: what is unconfirmed, or a caveat for parsers.
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

    @property
    def line(self) -> str:
        """Return the full căn cứ line: ``"Căn cứ <text>;"``."""
        return f"{CITATION_PREFIX}{self.text}{LINE_END}"

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
    return [item.line for item in instruments_for(kind, on)] + [_extra_line(x) for x in extra]


def instruments_for(kind: str, on: date) -> list[Instrument]:
    """Return the instruments cited by ``kind`` on ``on`` (to show ``confirmed``/``note``).

    Raises:
        UnknownDocumentKindError: if ``kind`` is not in the data.
        NoLegalBasisError: if none of the kind's instruments is in force on ``on``.
    """
    if isinstance(on, datetime):  # a datetime would not compare with the date bounds
        on = on.date()
    catalogue = load_catalogue()
    try:
        document_kind = catalogue.kinds[kind]
    except KeyError:
        known = ", ".join(sorted(catalogue.kinds))
        raise UnknownDocumentKindError(
            f"Chưa có danh mục căn cứ cho loại văn bản “{kind}”. Các loại hiện có: {known}."
        ) from None
    candidates = [catalogue.instruments[code] for code in document_kind.instruments]
    chosen = [item for item in candidates if item.in_force(on)]
    if not chosen:
        earliest = min(item.effective_from for item in candidates)
        raise NoLegalBasisError(
            f"Chưa có dữ liệu căn cứ pháp lý cho “{document_kind.label}” vào ngày "
            f"{format_short_date(on)}; dữ liệu hiện có áp dụng từ {format_short_date(earliest)}."
        )
    return chosen


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
    )
    if not item.source:
        raise LegalBasisDataError(f"Văn bản {item.code} thiếu ghi chú nguồn (source).")
    if item.text.startswith(CITATION_PREFIX.strip()) or item.text[-1:] in ";.,":
        raise LegalBasisDataError(
            f"Văn bản {item.code}: 'text' không được có chữ “Căn cứ” hay dấu câu ở cuối."
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
        code=code, label=nfc(entry["label"]), instruments=names, source=nfc(entry["source"])
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
