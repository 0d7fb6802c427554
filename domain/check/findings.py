"""Findings of the compliance checker and how they are reported."""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a deviation is."""

    ERROR = "error"  # contradicts an explicit rule of the decree
    WARNING = "warning"  # doubtful, heuristic, or only customary

    @property
    def label(self) -> str:
        """Return the Vietnamese word shown to clerks."""
        return "LỖI" if self is Severity.ERROR else "LƯU Ý"


class Confidence(StrEnum):
    """How sure the checker is that a finding is true.

    ``HIGH`` ("chắc chắn"): read from the file and compared with an explicit rule.
    ``LOW`` ("có thể"): rests on an estimate (a page count from the text's length, a
    width measured with approximate font metrics, a line wrapped by estimation) or on an
    element found by its position only; the clerk should look before changing anything.
    """

    HIGH = "high"
    LOW = "low"

    @property
    def label(self) -> str:
        """Return the Vietnamese words shown to clerks."""
        return "chắc chắn" if self is Confidence.HIGH else "có thể"


@dataclass(frozen=True)
class Finding:
    """One deviation from the format rules.

    Attributes:
        key: element key (see :data:`domain.layout.ELEMENTS`), or ``"page"``, ``"margin"``,
            ``"font"``, ``"color"``.
        label: the element's Vietnamese name.
        check: what was checked, a short stable code (``"size"``, ``"bold"``, ``"italic"``,
            ``"uppercase"``, ``"alignment"``, ``"font"``, ``"wording"``, ``"format"``,
            ``"missing"``, ``"paper"``, ``"orientation"``, ``"margin"``, ``"position"``,
            ``"first_page"``, ``"even_pages"``, ``"as_above"``, ``"academic_title"``,
            ``"color"``, ``"indent"``, ``"spacing"``, ``"line_spacing"``, ``"end_mark"``,
            ``"length"``, ``"solid"``).
        rule: the rule in Vietnamese, citing its clause.
        severity: error or warning.
        location: where in the document, with an excerpt of the text.
        found: what the document has instead (may be empty).
        confidence: how sure the checker is (see :class:`Confidence`).
    """

    key: str
    label: str
    check: str
    rule: str
    severity: Severity
    location: str = ""
    found: str = ""
    confidence: Confidence = Confidence.HIGH

    def as_dict(self) -> dict[str, str]:
        """Return a JSON-ready dictionary (``confidence`` is ``"high"`` or ``"low"``)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        data["confidence"] = self.confidence.value
        data["confidence_label"] = self.confidence.label
        return data

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Finding:
        """The finding :meth:`as_dict` described (as a worker reports it to the web)."""
        return cls(
            key=str(data.get("key", "")),
            label=str(data.get("label", "")),
            check=str(data.get("check", "")),
            rule=str(data.get("rule", "")),
            severity=Severity(data.get("severity", Severity.ERROR.value)),
            location=str(data.get("location", "")),
            found=str(data.get("found", "")),
            confidence=Confidence(data.get("confidence", Confidence.HIGH.value)),
        )

    def as_text(self) -> str:
        """Return one human-readable line in Vietnamese."""
        text = f"[{self.severity.label}, {self.confidence.label}] {self.label}: {self.rule}"
        if self.found:
            text += f" — hiện có: {self.found}"
        if self.location:
            text += f" — vị trí: {self.location}"
        return text


def excerpt(text: str, limit: int = 60) -> str:
    """Shorten ``text`` for a location string."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
