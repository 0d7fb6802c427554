"""Rules of the horizontal lines under the issuer, the Tiêu ngữ and the trích yếu.

Phụ lục I: under the Tiêu ngữ a solid line as long as the Tiêu ngữ (Mục II.1.b); under the
issuing body's name and under the trích yếu a solid line 1/3 to 1/2 as long as the text
line, centred (Mục II.2.b, II.5.b). The allowed ratio of each line is its
:attr:`~domain.layout.ElementRule.line_ratio`.

How the length is known: a drawing's extent, a border's paragraph box and typed
underscores are measured exactly (typed ones with the Times New Roman widths of
:mod:`domain.check.metrics`); the text line above is measured with the same widths, laid
out greedily in its paragraph's box when it is longer than the box (a trích yếu of two
printed lines is compared with its longest printed line, or with its last one, whichever
fits the rule: both readings are common).

A ratio within 5 % of the range counts as inside (measuring and rounding; 10 % for the
Tiêu ngữ's "as long as the text", which clerks match by eye). A finding is an error and
"chắc chắn" only when every width was measured with Times New Roman metrics and the ratio
is more than 15 % outside the range (30 % when a line's printed width comes from estimated
wrapping, 25 % for the Tiêu ngữ); otherwise it is a warning marked "có thể".
"""

from __future__ import annotations

from typing import Any

from domain.check.findings import Confidence
from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.formatting import where
from domain.check.metrics import is_metric_font
from domain.check.metrics import text_width_pt
from domain.check.metrics import wrap_widths
from domain.check.model import Document
from domain.check.model import Line
from domain.check.model import Span
from domain.check.rule_below import RuleBelow
from domain.check.rule_below import rule_below
from domain.check.styles import DEFAULT_SIZE_PT
from domain.layout import ElementRule

RATIO_TOLERANCE = 0.05  # relative: inside the range for measuring purposes
RATIO_CLEAR = 0.15  # relative: beyond this a length finding is an error
RATIO_CLEAR_WRAPPED = 0.30  # the same when a line's printed width comes from estimated wrapping
# "As long as the text" (the Tiêu ngữ) is matched by eye: twice the tolerance.
EQUAL_TOLERANCE = 0.10
EQUAL_CLEAR = 0.25
_MM_PER_PT = 25.4 / 72


def check_rule_below(
    doc: Document, lines: list[Line], rule: ElementRule, missing_text: str
) -> list[Finding]:
    """Check the line under the last of ``lines``: present, solid, of the right length.

    Args:
        doc: the document.
        lines: the text lines of the element (e.g. the issuer's two lines).
        rule: the underline's rule (``issuer_underline``, ``motto_underline``, …).
        missing_text: the rule's wording when the line is missing, clause included.
    """
    last = lines[-1]
    found = rule_below(doc, last)
    if found is None:
        return [Finding(rule.key, rule.label, "missing", missing_text, Severity.ERROR, where(last))]
    out: list[Finding] = []
    if not found.solid:
        what = (
            f"“{found.typed}” gõ bằng dấu gạch in ra nét đứt"
            if found.kind == "typed"
            else "đường kẻ vẽ nét đứt"
        )
        out.append(
            Finding(
                rule.key,
                rule.label,
                "solid",
                f"Đường kẻ là nét liền ({rule.clause}); {what}, không phải nét liền.",
                Severity.ERROR,
                where(last),
                found.typed or "nét đứt",
            )
        )
    out.extend(_length(found, lines, rule))
    return out


def _length(found: RuleBelow, lines: list[Line], rule: ElementRule) -> list[Finding]:
    if rule.line_ratio is None or found.length_pt is None or not found.line_like:
        return []
    widths, wrapped = _text_widths(lines)
    references = [w for w in (max(widths, default=0.0), widths[-1] if widths else 0.0) if w > 0]
    if not references:
        return []
    low, high = rule.line_ratio
    equal = low == high
    tolerance = EQUAL_TOLERANCE if equal else RATIO_TOLERANCE
    ratios = [found.length_pt / w for w in references]
    if any(_inside(r, low, high, tolerance) for r in ratios):
        return []
    ratio = ratios[0]  # against the longest printed line
    metric = is_metric_font(_fonts(lines)) and (found.measured or is_metric_font(found.fonts))
    margin = EQUAL_CLEAR if equal else RATIO_CLEAR_WRAPPED if wrapped else RATIO_CLEAR
    sure = metric and not any(_inside(r, low, high, margin) for r in ratios)
    if equal:
        expected = "dài bằng dòng chữ"
    else:
        expected = f"dài từ {_fraction(low)} đến {_fraction(high)} dòng chữ"
    return [
        Finding(
            rule.key,
            rule.label,
            "length",
            f"{rule.label} {expected} ({rule.clause}).",
            Severity.ERROR if sure else Severity.WARNING,
            where(lines[-1]),
            f"đường kẻ {_mm(found.length_pt)} mm, dòng chữ {_mm(references[0])} mm "
            f"(tỉ lệ {_decimal(ratio)})",
            Confidence.HIGH if sure else Confidence.LOW,
        )
    ]


def _inside(ratio: float, low: float, high: float, tolerance: float) -> bool:
    return low * (1 - tolerance) <= ratio <= high * (1 + tolerance)


def _text_widths(lines: list[Line]) -> tuple[list[float], bool]:
    """Return the widths of the printed lines of ``lines`` and whether any wrapped."""
    widths: list[float] = []
    wrapped = False
    for line in lines:
        box = line.para.width_twips
        available = None if line.tabbed or box is None else box / 20
        printed = wrap_widths(_words(line.spans), available)
        wrapped = wrapped or len(printed) > 1
        widths.extend(printed)
    return widths, wrapped


def _words(spans: list[Span]) -> list[tuple[str, float, float]]:
    """Split spans into ``(word, width, width of the following space)``."""
    words: list[list[Any]] = []
    text = "".join(s.text for s in spans).strip()
    if not text:
        return []
    current: list[Any] = ["", 0.0, 0.0]
    for span in spans:
        props = span.props
        size = props.size or DEFAULT_SIZE_PT
        for ch in span.text:
            width = text_width_pt(
                ch, size, bold=bool(props.bold), italic=bool(props.italic), caps=bool(props.caps)
            )
            if ch.isspace():
                if current[0]:
                    current[2] += width
            else:
                if current[2]:
                    words.append(current)
                    current = ["", 0.0, 0.0]
                current[0] += ch
                current[1] += width
    if current[0]:
        words.append(current)
    return [(w, width, space) for w, width, space in words]


def _fonts(lines: list[Line]) -> list[str | None]:
    return [
        font
        for line in lines
        for span in line.text_spans
        for font in (span.props.font_ascii, span.props.font_hansi)
    ]


def _mm(points: float) -> str:
    return _decimal(points * _MM_PER_PT, 1)


def _decimal(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _fraction(value: float) -> str:
    for text, number in (("1/3", 1 / 3), ("1/2", 1 / 2), ("2/3", 2 / 3)):
        if abs(value - number) < 1e-6:
            return text
    return _decimal(value)
