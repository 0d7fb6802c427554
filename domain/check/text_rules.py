"""Document-wide text rules: font and colour of every run (Mục I.4) and body paragraphs
(Mục II.6.e). Findings are grouped so that one wrong font yields one finding, not 300.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.formatting import where
from domain.check.located import Located
from domain.check.located import is_rule_line
from domain.check.model import Document
from domain.check.model import Line
from domain.check.model import Paragraph
from domain.check.styles import DEFAULT_SIZE_PT
from domain.layout import BODY_FIRST_LINE_INDENT_MM
from domain.layout import BODY_LINE_SPACING_RANGE
from domain.layout import BODY_PARAGRAPH_SPACING_MIN_PT
from domain.layout import CLAUSE_FONT
from domain.layout import FONT_COLORS_ALLOWED
from domain.layout import FONT_NAME
from domain.layout import element
from domain.layout import mm_to_twips
from domain.text import fold

FONT_LABEL = "Phông chữ"
COLOR_LABEL = "Màu chữ"
_PROSE_MIN_CHARS = 100  # shorter paragraphs are headings or list lines, not prose


def all_paragraphs(doc: Document) -> list[Paragraph]:
    """Return body, text-box, header and footer paragraphs, each once."""
    seen: dict[int, Paragraph] = {id(p): p for p in doc.paragraphs}
    for section in doc.sections:
        for ref in section.refs:
            for para in ref.paragraphs:
                seen.setdefault(id(para), para)
    return list(seen.values())


def check_fonts(doc: Document, severity: Severity = Severity.ERROR) -> list[Finding]:
    """Report every font other than Times New Roman (one finding per font name)."""
    groups: dict[str, tuple[int, Paragraph]] = {}
    for para in all_paragraphs(doc):
        for span in para.spans:
            if not span.text.strip():
                continue
            for font in {span.props.font_ascii, span.props.font_hansi}:
                if font != FONT_NAME:
                    name = font or "không khai báo"
                    count, first = groups.get(name, (0, para))
                    groups[name] = (count + 1, first)
    return [
        Finding(
            "font",
            FONT_LABEL,
            "font",
            f"Dùng phông chữ {FONT_NAME}, bộ mã Unicode TCVN 6909:2001 ({CLAUSE_FONT}).",
            severity,
            where(first),
            f"{name} ({count} đoạn chữ)",
        )
        for name, (count, first) in groups.items()
    ]


def check_colors(doc: Document) -> list[Finding]:
    """Report text that is not black (one finding per colour)."""
    groups: dict[str, tuple[int, Paragraph]] = {}
    allowed = {c.lower() for c in FONT_COLORS_ALLOWED}
    for para in all_paragraphs(doc):
        for span in para.spans:
            color = (span.props.color or "auto").lower()
            if span.text.strip() and color not in allowed:
                count, first = groups.get(color, (0, para))
                groups[color] = (count + 1, first)
    return [
        Finding(
            "color",
            COLOR_LABEL,
            "color",
            f"Chữ trình bày màu đen ({CLAUSE_FONT}).",
            Severity.ERROR,
            where(first),
            f"màu #{color.upper()} ({count} đoạn chữ)",
        )
        for color, (count, first) in groups.items()
    ]


def check_body(found: Located, *, end_mark: bool = True) -> list[Finding]:
    """Check body paragraphs outside tables: size (error); alignment, indent, spacing
    (warnings, since headings and lists legitimately differ); the closing "./."."""
    rule = element("body")
    lines = [x for x in found.body if x.para.table is None and not is_rule_line(x.text)]
    out: list[Finding] = []
    sizes: dict[float, tuple[int, Line]] = {}
    for line in lines:
        for span in line.text_spans:
            size = span.props.size or DEFAULT_SIZE_PT
            if not rule.allows_size(size):
                count, first = sizes.get(size, (0, line))
                sizes[size] = (count + 1, first)
    for size, (count, first) in sizes.items():
        out.append(
            Finding(
                rule.key,
                rule.label,
                "size",
                f"Nội dung văn bản cỡ chữ {rule.size_text} ({rule.clause}).",
                Severity.ERROR,
                where(first),
                f"{size:g} pt ({count} đoạn chữ)",
            )
        )
    prose = _prose(lines)
    out.extend(_grouped(prose, _not_justified, "alignment", "canh đều cả hai lề"))
    out.extend(_grouped(prose, _bad_indent, "indent", "lùi đầu dòng 1 cm hoặc 1,27 cm"))
    out.extend(
        _grouped(
            prose,
            _tight_spacing,
            "spacing",
            f"khoảng cách giữa các đoạn tối thiểu {BODY_PARAGRAPH_SPACING_MIN_PT:g} pt",
        )
    )
    out.extend(_grouped(prose, _bad_line_spacing, "line_spacing", "giãn dòng từ 1 đến 1,5 lines"))
    texts = [x.text for x in found.body]
    if end_mark and texts and not any(t.endswith("./.") for t in texts):
        out.append(
            Finding(
                rule.key,
                rule.label,
                "end_mark",
                "Kết thúc nội dung văn bản bằng dấu “./.” (Phụ lục III, các mẫu).",
                Severity.WARNING,
                where(found.body[-1]),
            )
        )
    out.extend(_legal_basis(found.body))
    return out


def _prose(lines: Iterable[Line]) -> list[Paragraph]:
    seen: dict[int, Paragraph] = {}
    for line in lines:
        if len(line.para.text) >= _PROSE_MIN_CHARS and line.para.props.jc != "center":
            seen.setdefault(id(line.para), line.para)
    return list(seen.values())


def _not_justified(para: Paragraph) -> bool:
    return para.props.jc not in ("both", "distribute")


def _bad_indent(para: Paragraph) -> bool:
    first = para.props.first_line_twips or 0
    return all(abs(first - mm_to_twips(mm)) > 30 for mm in BODY_FIRST_LINE_INDENT_MM)


def _tight_spacing(para: Paragraph) -> bool:
    total = (para.props.space_before_twips or 0) + (para.props.space_after_twips or 0)
    return total < BODY_PARAGRAPH_SPACING_MIN_PT * 20


def _bad_line_spacing(para: Paragraph) -> bool:
    line, rule = para.props.line, para.props.line_rule or "auto"
    if line is None:
        return False  # single spacing, the application default
    low, high = BODY_LINE_SPACING_RANGE
    if rule == "auto":
        return not low - 0.01 <= line / 240 <= high + 0.01
    size = max((s.props.size or DEFAULT_SIZE_PT for s in para.spans), default=14.0)
    # Exact/at-least spacing in points: Times New Roman's single line is ~1.15 × size.
    return not size <= line / 20 <= size * 1.15 * high + 0.5


def _grouped(
    paragraphs: list[Paragraph], test: Callable[[Paragraph], bool], check: str, text: str
) -> list[Finding]:
    bad = [p for p in paragraphs if test(p)]
    if not bad:
        return []
    rule = element("body")
    return [
        Finding(
            rule.key,
            rule.label,
            check,
            f"Đoạn văn nội dung {text} ({rule.clause}).",
            Severity.WARNING,
            where(bad[0]),
            f"{len(bad)}/{len(paragraphs)} đoạn",
        )
    ]


def _legal_basis(body: list[Line]) -> list[Finding]:
    rule = element("legal_basis")
    upright = [x for x in body if fold(x.text).startswith("can cu ") and x.para.table is None]
    upright = [x for x in upright if not all(s.props.italic for s in x.text_spans)]
    if not upright:
        return []
    return [
        Finding(
            rule.key,
            rule.label,
            "italic",
            f"Căn cứ ban hành văn bản trình bày kiểu chữ nghiêng ({rule.clause}); nhiều kế "
            "hoạch của trường học để chữ đứng.",
            Severity.WARNING,
            where(upright[0]),
            f"{len(upright)} dòng căn cứ chữ đứng",
        )
    ]
