"""Compare the formatting of located lines with an :class:`~domain.layout.ElementRule`."""

from __future__ import annotations

import re

from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.findings import excerpt
from domain.check.located import is_placeholder
from domain.check.located import is_upper_text
from domain.check.model import Line
from domain.check.model import Paragraph
from domain.check.styles import DEFAULT_SIZE_PT
from domain.layout import Alignment
from domain.layout import ElementRule
from domain.text import fold

_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$"
)
_CAPITAL_WORDS = 3
_ALIGN_NAMES = {
    "left": "căn trái",
    "center": "căn giữa",
    "right": "căn phải",
    "both": "căn đều hai lề",
    "distribute": "căn đều hai lề",
}


def where(line: Line | Paragraph) -> str:
    """Return a location string: position plus a text excerpt."""
    para = line.para if isinstance(line, Line) else line
    return f"{para.where}: “{excerpt(line.text)}”"


def missing(rule: ElementRule, detail: str = "", severity: Severity = Severity.ERROR) -> Finding:
    """Return a finding for an element that was not found."""
    text = f"Thiếu {rule.label[0].lower() + rule.label[1:]} ({rule.clause})."
    if detail:
        text = f"{text[:-1]}; {detail}"
    return Finding(rule.key, rule.label, "missing", text, severity)


def check_lines(
    lines: list[Line],
    rule: ElementRule,
    *,
    severity: Severity = Severity.ERROR,
    alignment: bool = True,
) -> list[Finding]:
    """Check size, bold, italic, case and alignment of every line of one element."""
    found: list[Finding] = []
    for line in lines:
        found.extend(check_line(line, rule, severity=severity, alignment=alignment))
    return found


def check_line(
    line: Line, rule: ElementRule, *, severity: Severity = Severity.ERROR, alignment: bool = True
) -> list[Finding]:
    """Check one line of an element against its rule."""
    spans = line.text_spans
    if not spans:
        return []
    found: list[Finding] = []

    def add(check: str, text: str, value: str) -> None:
        found.append(
            Finding(
                rule.key,
                rule.label,
                check,
                f"{text} ({rule.clause}).",
                severity,
                where(line),
                value,
            )
        )

    sizes = sorted({s.props.size or DEFAULT_SIZE_PT for s in spans})
    if any(not rule.allows_size(size) for size in sizes):
        add("size", f"Cỡ chữ phải là {rule.size_text}", ", ".join(f"{s:g}" for s in sizes))
    # A colon or a bracket in another style is not visible as such: judge the words.
    styled = [s for s in spans if any(ch.isalnum() for ch in s.text)] or spans
    if rule.bold is True and not all(s.props.bold for s in styled):
        add("bold", "Phải in đậm", "chữ không đậm")
    elif rule.bold is False and any(s.props.bold for s in styled):
        add("bold", "Không in đậm (kiểu chữ đứng)", "chữ đậm")
    if rule.italic is True and not all(s.props.italic for s in styled):
        add("italic", "Phải in nghiêng", "chữ đứng")
    elif rule.italic is False and any(s.props.italic for s in styled):
        add("italic", "Kiểu chữ đứng, không in nghiêng", "chữ nghiêng")
    if not is_placeholder(line.text):
        shown_upper = is_upper_text(line.text) or all(s.props.caps for s in spans)
        if rule.uppercase is True and not shown_upper:
            add("uppercase", "Phải trình bày bằng chữ in hoa", "chữ thường")
        elif rule.uppercase is False and shown_upper and typed_in_capitals(line.text):
            add("uppercase", "Trình bày bằng chữ in thường, không in hoa toàn bộ", "chữ in hoa")
    if alignment and rule.alignment is not None and not _placed_by_tab(line, rule.alignment):
        jc = line.para.props.jc or "left"
        if not alignment_ok(jc, rule.alignment):
            add(
                "alignment",
                f"Phải {_ALIGN_NAMES[rule.alignment.value]}",
                _ALIGN_NAMES.get(jc, jc),
            )
    return found


def _placed_by_tab(line: Line, expected: Alignment) -> bool:
    """Tell whether the line's position comes from tab stops, not from the paragraph's
    alignment: a header typed as "left<tab>right", or a piece centred at a centred tab stop
    (an end block laid out with tabs). A piece pushed right by default tab stops or spaces
    is judged by its paragraph's alignment."""
    if line.segments > 1:
        return True
    return line.column > 0 and expected is Alignment.CENTER and bool(line.para.props.center_tab)


def typed_in_capitals(text: str) -> bool:
    """Tell whether upper-case ``text`` is words typed in capitals, not abbreviations.

    "- TTTU-TTHĐND TP;" is three abbreviations (which are written in capitals); "- SỞ GIÁO
    DỤC VÀ ĐÀO TẠO;" is words. A word counts when it reads as one Vietnamese syllable
    (onset, vowels, final consonant); three such words make a line typed in capitals.
    """
    words = re.findall(r"[^\W\d_]+", fold(text))
    return sum(bool(_SYLLABLE.match(w)) for w in words if len(w) > 1) >= _CAPITAL_WORDS


def alignment_ok(jc: str, expected: Alignment) -> bool:
    """Tell whether a paragraph's ``w:jc`` satisfies the expected alignment."""
    if expected is Alignment.CENTER:
        return jc == "center"
    if expected is Alignment.JUSTIFY:
        return jc in ("both", "distribute")
    if expected is Alignment.LEFT:
        return jc in ("left", "both", "distribute")
    return jc == "right"
