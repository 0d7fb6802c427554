"""Rules of the end part: Kính gửi, Nơi nhận and the signature block (Mục II.7, II.9)."""

from __future__ import annotations

from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.formatting import check_line
from domain.check.formatting import check_lines
from domain.check.formatting import missing
from domain.check.formatting import where
from domain.check.located import Located
from domain.check.located import is_placeholder
from domain.check.model import Document
from domain.check.model import Line
from domain.layout import ElementRule
from domain.recipients import AS_ABOVE_TYPES
from domain.recipients import noi_nhan_item_problems
from domain.signature import academic_title_prefix
from domain.signature import authority_line
from domain.signature import glued_prefix
from domain.signature import prefix_without_stop
from domain.text import fold


def check_recipients(doc: Document, found: Located, rules: dict[str, ElementRule]) -> list[Finding]:
    """Check the "Nơi nhận:" label and its items."""
    label_rule, item_rule = rules["recipients_label"], rules["recipient_item"]
    label = found.recipients_label
    if label is None:
        # Giấy giới thiệu models often end without a distribution list.
        gentle = found.doc_type is not None and found.doc_type.code == "GGT"
        return [
            missing(
                label_rule,
                "cuối văn bản có phần “Nơi nhận:” và “- Lưu: VT, ….”",
                Severity.WARNING if gentle else Severity.ERROR,
            )
        ]
    out = check_line(label, label_rule)
    if label.text.rstrip() != "Nơi nhận:" and not is_placeholder(label.text):
        out.append(
            Finding(
                label_rule.key,
                label_rule.label,
                "wording",
                f"Viết “Nơi nhận:” (có dấu hai chấm) trên một dòng riêng ({label_rule.clause}).",
                Severity.ERROR,
                where(label),
                label.text,
            )
        )
    items = found.recipient_items
    if not items:
        return [
            *out,
            missing(item_rule, "dưới “Nơi nhận:” liệt kê nơi nhận, dòng cuối “- Lưu: VT, ….”"),
        ]
    out.extend(check_lines(items, item_rule))
    texts = [_with_bullet(doc, line) for line in items]
    if not any(is_placeholder(t) for t in texts):
        for index, problem in noi_nhan_item_problems(texts):
            line = items[index] if index >= 0 else items[0]
            out.append(
                Finding(
                    item_rule.key,
                    item_rule.label,
                    "format",
                    f"{problem[:-1]} ({item_rule.clause}).",
                    Severity.ERROR,
                    where(line),
                    line.text,
                )
            )
    out.extend(_as_above(found, texts, item_rule))
    return out


def _with_bullet(doc: Document, line: Line) -> str:
    """Return the item text as displayed, including an automatic "-" bullet."""
    props = line.para.props
    if props.num_id:
        bullet = doc.numbering_bullets.get((props.num_id, props.num_level or 0), "")
        if bullet.strip() in ("-", "–", "−"):
            return f"- {line.text}"
    return line.text


def _as_above(found: Located, texts: list[str], rule: ElementRule) -> list[Finding]:
    code = found.doc_type.code if found.doc_type else ""
    if not found.kinh_gui or code not in AS_ABOVE_TYPES or any(is_placeholder(t) for t in texts):
        return []
    first = fold(texts[0]).lstrip("-– ").strip()
    if first.startswith("nhu tren"):
        return []
    return [
        Finding(
            rule.key,
            rule.label,
            "as_above",
            "Văn bản có “Kính gửi” thì nơi nhận đầu tiên là “- Như trên;” "
            "(Phụ lục I, Phần I, Mục II.9.b).",
            Severity.ERROR,
            where(found.recipient_items[0]),
            texts[0],
        )
    ]


def check_drafter_mark(found: Located, rules: dict[str, ElementRule]) -> list[Finding]:
    """Check the drafter's mark under Nơi nhận (ô 12): size 11, upright, not bold."""
    if found.drafter_mark is None or "drafter_mark" not in rules:
        return []
    return check_line(found.drafter_mark, rules["drafter_mark"])


def check_kinh_gui(found: Located, rules: dict[str, ElementRule]) -> list[Finding]:
    """Check the Kính gửi block: size and style, and the punctuation of several addressees."""
    rule = rules["kinh_gui"]
    lines = found.kinh_gui
    if not lines:
        if found.is_cong_van:
            return [missing(rule, "công văn ghi “Kính gửi:” và tên nơi nhận.")]
        return []
    out = check_lines(lines, rule)
    items = lines[1:]
    if len(items) == 1:
        out.append(
            _kinh_gui_format(
                "Gửi một nơi thì ghi tên nơi nhận trên cùng dòng với “Kính gửi:”", rule, items[0]
            )
        )
    for index, line in enumerate(items):
        text = line.text
        if is_placeholder(text):
            continue
        last = index == len(items) - 1
        if not last and not text.endswith(";"):
            out.append(_kinh_gui_format("Cuối mỗi dòng có dấu chấm phẩy (;)", rule, line))
        if last and not text.endswith("."):
            out.append(_kinh_gui_format("Cuối dòng cuối cùng có dấu chấm (.)", rule, line))
    return out


def _kinh_gui_format(text: str, rule: ElementRule, line: Line) -> Finding:
    return Finding(
        rule.key,
        rule.label,
        "format",
        f"{text} ({rule.clause}).",
        Severity.ERROR,
        where(line),
        line.text,
    )


def check_signatures(
    found: Located,
    rules: dict[str, ElementRule],
    *,
    allow_academic_titles: bool = False,
    severity: Severity = Severity.ERROR,
) -> list[Finding]:
    """Check each signature block: upper-case bold authority lines, bold name."""
    authority_rule, name_rule = rules["signature_authority"], rules["signer_name"]
    if not found.signatures:
        return [
            missing(
                authority_rule, "cuối văn bản có quyền hạn, chức vụ và họ tên người ký.", severity
            )
        ]
    out: list[Finding] = []
    for block in found.signatures:
        if not block.authority:
            out.append(missing(authority_rule, severity=severity))
        out.extend(check_lines(block.authority, authority_rule, severity=severity))
        for line in block.authority:
            code = glued_prefix(line.text)
            if code:
                out.append(
                    Finding(
                        authority_rule.key,
                        authority_rule.label,
                        "format",
                        f"Sau chữ viết tắt quyền hạn “{code}.” có một dấu cách, ví dụ "
                        f"“{authority_line(line.text)}” ({authority_rule.clause}).",
                        severity,
                        where(line),
                        line.text,
                    )
                )
            code = prefix_without_stop(line.text)
            if code:
                out.append(
                    Finding(
                        authority_rule.key,
                        authority_rule.label,
                        "format",
                        f"Chữ viết tắt quyền hạn có dấu chấm: “{code}.” ({authority_rule.clause}).",
                        severity,
                        where(line),
                        line.text,
                    )
                )
        if block.name is None:
            out.append(
                missing(
                    name_rule, "dưới chức vụ ghi họ tên người ký (chữ in thường, đậm).", severity
                )
            )
            continue
        out.extend(check_line(block.name, name_rule, severity=severity))
        title = academic_title_prefix(block.name.text)
        if title and not allow_academic_titles:
            out.append(
                Finding(
                    name_rule.key,
                    name_rule.label,
                    "academic_title",
                    f"Trước họ tên người ký không ghi học hàm, học vị, danh hiệu; đơn vị "
                    f"giáo dục chỉ ghi khi được người đứng đầu ngành cho phép "
                    f"({name_rule.clause}).",
                    Severity.WARNING,
                    where(block.name),
                    title,
                )
            )
    return out
