"""Each province's own regulation on thi đua, khen thưởng, for organisations in that province.

Every province issues its own quy định (domain-rules.md §2.1): criteria it details, its
deadlines, its council. Such a text binds only the province's organisations, so it is
never part of a national rule set: a school in Đồng Tháp must not be told that a Bắc Ninh
decision is the basis of its findings. The data (``domain/data/provinces.json``) is keyed
by the province's name folded with :func:`domain.text.fold` ("tỉnh Bắc Ninh" →
``"tinh bac ninh"``); an organisation names its province on the admin form.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any

from domain.dates import format_date_words
from domain.emulation.errors import RuleDataError
from domain.emulation.titles import get_title
from domain.text import clean_line
from domain.text import fold

_PREFIXES = ("tinh ", "thanh pho ")


@dataclass(frozen=True)
class Regulation:
    """A province's regulation on thi đua, khen thưởng.

    Attributes:
        province: as written in documents: "tỉnh Bắc Ninh".
        doc_type: loại văn bản: "Quyết định".
        number: số, ký hiệu: "86/2025/QĐ-UBND".
        issued: ngày ban hành, ``None`` when not confirmed (the citation then omits it).
        issuer: "Ủy ban nhân dân tỉnh Bắc Ninh".
        subject: trích yếu, possibly only a summary (see ``subject_confirmed``).
        subject_confirmed: the trích yếu is verbatim; otherwise citations leave it out
            rather than print words the text may not contain.
        articles: title code → the article with its criteria ("Điều 4 khoản 2").
        notes: deadlines and procedure the clerk should know, in Vietnamese.
        source: where the entry comes from.
    """

    province: str
    doc_type: str
    number: str
    issued: date | None
    issuer: str
    subject: str
    subject_confirmed: bool
    articles: Mapping[str, str]
    notes: tuple[str, ...]
    source: str

    def citation(self) -> str:
        """ "Quyết định số 86/2025/QĐ-UBND ngày 03 tháng 12 năm 2025 của Ủy ban nhân dân
        tỉnh Bắc Ninh" (with the trích yếu only when it is verbatim)."""
        text = f"{self.doc_type} số {self.number}"
        if self.issued is not None:
            text += f" {format_date_words(self.issued)}"
        text += f" của {self.issuer}"
        if self.subject_confirmed and self.subject:
            text += f" {self.subject}"
        return text

    def basis_for(self, title_code: str) -> str | None:
        """The citation with the article holding ``title_code``'s criteria, or ``None``
        when the regulation has no article for that title."""
        article = self.articles.get(title_code)
        return f"{self.citation()}, {article}" if article else None

    def may_apply_on(self, day: date) -> bool:
        """A regulation cannot govern a day before it was issued (its effective date is
        not always known, so the issue date is the bound we can vouch for)."""
        return self.issued is None or self.issued <= day


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("domain").joinpath("data/provinces.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def regulations() -> Mapping[str, Regulation]:
    """Every province's regulation, keyed by the folded province name.

    Raises:
        RuleDataError: the data file is malformed (a developer error).
    """
    result = {}
    for key, entry in _data()["provinces"].items():
        if key != fold(key) or key != province_key(entry["name"]):
            raise RuleDataError(f"Khóa tỉnh “{key}” không khớp tên “{entry['name']}”.")
        raw = entry["regulation"]
        try:
            issued = date.fromisoformat(raw["issued"]) if raw.get("issued") else None
            articles = {get_title(code).code: clean_line(a) for code, a in raw["articles"].items()}
            result[key] = Regulation(
                province=clean_line(entry["name"]),
                doc_type=clean_line(raw["type"]),
                number=clean_line(raw["number"]),
                issued=issued,
                issuer=clean_line(raw["issuer"]),
                subject=clean_line(raw.get("subject", "")),
                subject_confirmed=bool(raw.get("subject_confirmed", False)),
                articles=MappingProxyType(articles),
                notes=tuple(clean_line(note) for note in raw.get("notes", ())),
                source=clean_line(raw.get("source", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RuleDataError(f"Quy định của {key}: thiếu hoặc sai dữ liệu ({exc}).") from None
    return MappingProxyType(result)


def province_key(province: str) -> str:
    """ "tỉnh Bắc Ninh", "Tỉnh  Bắc Ninh", "tinh bac ninh" → ``"tinh bac ninh"``."""
    return fold(province)


def regulation_for(province: str) -> Regulation | None:
    """The regulation of the province an organisation declared, or ``None``.

    A name typed without "tỉnh"/"thành phố" ("Bắc Ninh") still finds its province; an
    empty or unknown name finds nothing, so no province's text is ever cited by default.
    """
    key = province_key(province)
    if not key:
        return None
    found = regulations().get(key)
    if found is None and not key.startswith(_PREFIXES):
        found = next((regulations()[p + key] for p in _PREFIXES if p + key in regulations()), None)
    return found
