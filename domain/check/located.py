"""What the locator found, and the text predicates it and the rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from domain.check.model import Line
from domain.check.model import Paragraph
from domain.doc_types import DocType
from domain.text import fold

_RULE_LINE = re.compile(r"^[\s_\-–—=.…]*$")
_DATE_FOLD = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


def is_rule_line(text: str) -> bool:
    """Tell whether a line only draws a rule (``"______"``, ``"-----"``)."""
    return (
        bool(text) and _RULE_LINE.match(text) is not None and sum(ch in "_-–—=" for ch in text) >= 3
    )


def is_placeholder(text: str) -> bool:
    """Tell whether a line holds a template tag, whose wording cannot be judged."""
    return "{{" in text or "{%" in text


def is_upper_text(text: str) -> bool:
    """Tell whether every letter of ``text`` is a capital (and there is at least one)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def is_date_line(text: str) -> bool:
    """Tell whether ``text`` looks like "<place>, ngày … tháng … năm …"."""
    return bool(_DATE_FOLD.search(fold(text)))


def all_bold(line: Line) -> bool:
    """Tell whether every visible span of the line is bold."""
    spans = line.text_spans
    return bool(spans) and all(s.props.bold for s in spans)


@dataclass
class SignatureLines:
    """One signature block: upper-case authority lines, then the signer's name."""

    authority: list[Line]
    name: Line | None
    paragraphs: list[Paragraph]


@dataclass
class Located:
    """Where each component was found (``None``/empty when absent)."""

    profile: str = "document"
    national_title: Line | None = None
    motto: Line | None = None
    parent: list[Line] = field(default_factory=list)
    issuer: list[Line] = field(default_factory=list)
    number: Line | None = None
    cv_summary: list[Line] = field(default_factory=list)
    place_date: Line | None = None
    type_line: Line | None = None
    doc_type: DocType | None = None
    summary: list[Line] = field(default_factory=list)
    kinh_gui: list[Line] = field(default_factory=list)
    recipients_label: Line | None = None
    recipient_items: list[Line] = field(default_factory=list)
    signatures: list[SignatureLines] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    certificate_title: Line | None = None
    certificate_tang: Line | None = None
    certificate_awarder: list[Line] = field(default_factory=list)
    title_extra: list[Line] = field(default_factory=list)
    annex_reference: Line | None = None
    drafter_mark: Line | None = None
    # Element keys found by position or layout guesses only: their findings are "có thể".
    guessed: set[str] = field(default_factory=set)

    @property
    def has_content_tables(self) -> bool:
        """Tell whether the body holds tables (not the header or signature layout tables)."""
        return any(line.para.table is not None for line in self.body)

    @property
    def is_cong_van(self) -> bool:
        """Tell whether the document reads as a công văn (no type line, a V/v line)."""
        return self.doc_type is not None and self.doc_type.code == "CV"
