"""Rules of the header and title: Quốc hiệu, Tiêu ngữ, issuer, Số, date, type, trích yếu."""

from __future__ import annotations

import re
from datetime import date

from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.formatting import check_line
from domain.check.formatting import check_lines
from domain.check.formatting import missing
from domain.check.formatting import where
from domain.check.line_rules import check_rule_below
from domain.check.located import Located
from domain.check.located import is_placeholder
from domain.check.located import is_upper_text
from domain.check.model import Document
from domain.check.model import Line
from domain.doc_types import DOC_TYPES
from domain.layout import CV_SUMMARY_SPACING_PT
from domain.layout import MOTTO
from domain.layout import NATIONAL_TITLE
from domain.layout import ElementRule
from domain.layout import is_motto
from domain.layout import is_national_title

# "Số: 05/KH-THCSMP"; legal documents (văn bản quy phạm pháp luật) put the year between
# the number and the ký hiệu: "Số: 07/2025/QĐ-UBND", "Số: 03/2018/TT-BNG".
_NUMBER_LINE = re.compile(
    r"^(?P<word>\S+?)\s*(?P<colon>:?)\s*(?P<num>\d*)\s*/\s*"
    r"(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?(?P<sym>.*)$"
)
_DATE = re.compile(
    r"^(?P<place>[^,]*?)\s*(?P<comma>,?)\s*(?P<ngay>ngày)\s*(?P<day>\d+)?\s*"
    r"(?P<thang>tháng)\s*(?P<month>\d+)?\s*(?P<nam>năm)\s*(?P<year>\d{4})?\s*\.?$",
    re.IGNORECASE,
)
# Types whose models in Phụ lục III carry no trích yếu under the type name.
_NO_SUMMARY = frozenset({"GGT", "GNP", "PG", "PC", "PB"})


def check_title_block(
    doc: Document, found: Located, rules: dict[str, ElementRule]
) -> list[Finding]:
    """Check Quốc hiệu, Tiêu ngữ and the line under the Tiêu ngữ (both profiles)."""
    out: list[Finding] = []
    title, motto = rules["national_title"], rules["motto"]
    if found.national_title is None:
        out.append(missing(title, f"phải có dòng “{NATIONAL_TITLE}”."))
    else:
        line = found.national_title
        if not is_placeholder(line.text) and not is_national_title(line.text):
            out.append(_wording(title, f"Quốc hiệu ghi đúng “{NATIONAL_TITLE}”", line))
        out.extend(check_line(line, title, alignment=line.para.table is not None))
    if found.motto is None:
        out.append(missing(motto, f"phải có dòng “{MOTTO}” dưới Quốc hiệu."))
        return out
    line = found.motto
    if not is_placeholder(line.text) and not is_motto(line.text):
        out.append(
            _wording(
                motto,
                f"Tiêu ngữ ghi đúng “{MOTTO}” (chữ đầu mỗi cụm viết hoa, giữa các "
                "cụm có gạch nối và cách chữ)",
                line,
            )
        )
    out.extend(check_line(line, motto, alignment=line.para.table is not None))
    underline = rules["motto_underline"]
    out.extend(
        check_rule_below(
            doc,
            [line],
            underline,
            f"Phía dưới Tiêu ngữ có đường kẻ ngang, nét liền, dài bằng dòng chữ "
            f"({underline.clause}).",
        )
    )
    return out


def check_issuer(doc: Document, found: Located, rules: dict[str, ElementRule]) -> list[Finding]:
    """Check the parent body, the issuing body and the line under it."""
    out: list[Finding] = []
    issuer = rules["issuer"]
    out.extend(check_lines(found.parent, rules["parent_issuer"]))
    if not found.issuer:
        out.append(missing(issuer))
        return out
    out.extend(check_lines(found.issuer, issuer))
    underline = rules["issuer_underline"]
    out.extend(
        check_rule_below(
            doc,
            found.issuer,
            underline,
            "Phía dưới tên cơ quan ban hành có đường kẻ ngang, nét liền, dài từ 1/3 "
            f"đến 1/2 dòng chữ ({underline.clause}).",
        )
    )
    return out


def check_number(found: Located, rules: dict[str, ElementRule]) -> list[Finding]:
    """Check the Số, ký hiệu line (Mục II.3.c)."""
    rule = rules["number_line"]
    line = found.number
    if line is None:
        return [missing(rule, "phải có dòng “Số: …/…” dưới tên cơ quan ban hành.")]
    out = check_line(line, rule)
    if is_placeholder(line.text):
        return out

    def add(text: str, severity: Severity = Severity.ERROR) -> None:
        out.append(
            Finding(
                rule.key,
                rule.label,
                "format",
                f"{text} ({rule.clause}).",
                severity,
                where(line),
                line.text,
            )
        )

    match = _NUMBER_LINE.match(line.text)
    if match is None:
        add("Số, ký hiệu viết theo mẫu “Số: 05/KH-ABC”")
        return out
    if match.group("word") != "Số":
        add("Từ “Số” viết chữ in thường (chỉ chữ S hoa), không viết “SỐ”")
    if not match.group("colon"):
        add("Sau từ “Số” có dấu hai chấm (:)")
    number = match.group("num")
    if number and len(number) == 1:
        add("Số nhỏ hơn 10 phải ghi thêm số 0 phía trước (ví dụ 05)")
    if number and int(number) == 0:
        add("Số văn bản bắt đầu từ 01")
    symbol = match.group("sym")
    if not symbol or re.search(r"\s", symbol):
        add("Ký hiệu không có khoảng trắng; giữa các nhóm chữ viết tắt dùng gạch nối (-)")
        return out
    groups = symbol.split("-")
    for position, group in enumerate(groups):
        is_type_code = position == 0 and group in DOC_TYPES
        if not is_type_code and not is_upper_text(group) and any(c.isalpha() for c in group):
            add("Ký hiệu văn bản viết chữ in hoa")
            break
    doc_type, first = found.doc_type, groups[0]
    if doc_type is None:
        return out
    if doc_type.has_type_in_symbol and first != doc_type.code:
        add(
            f"Ký hiệu của {doc_type.label.lower()} bắt đầu bằng “{doc_type.code}-” "
            "theo bảng chữ viết tắt (Phụ lục III)"
        )
    elif not doc_type.has_type_in_symbol and first in DOC_TYPES and first != "CV":
        add(
            "Ký hiệu công văn gồm chữ viết tắt tên cơ quan và đơn vị soạn thảo, không có "
            "chữ viết tắt tên loại",
            Severity.WARNING,
        )
    return out


def check_place_date(
    found: Located, rules: dict[str, ElementRule], severity: Severity = Severity.ERROR
) -> list[Finding]:
    """Check the place-and-date line (Mục II.4), or its absence for a Biên bản."""
    rule = rules["place_date"]
    line = found.place_date
    if line is None:
        if found.doc_type is not None and not found.doc_type.has_date_line:
            return []  # Biên bản (Mẫu 1.9): no date line in the header
        return [missing(rule, "dòng “<Địa danh>, ngày … tháng … năm …”.", severity)]
    out = check_line(line, rule, severity=severity, alignment=line.para.table is not None)
    if not is_placeholder(line.text):
        out.extend(date_problems(line, rule, severity))
    return out


def date_problems(line: Line, rule: ElementRule, severity: Severity) -> list[Finding]:
    """Check the wording of a date line: comma, capitals, leading zeros, a real date."""
    out: list[Finding] = []

    def add(text: str, level: Severity = severity) -> None:
        out.append(
            Finding(
                rule.key,
                rule.label,
                "format",
                f"{text} ({rule.clause}).",
                level,
                where(line),
                line.text,
            )
        )

    match = _DATE.match(line.text)
    if match is None:
        add("Viết theo mẫu “<Địa danh>, ngày 05 tháng 01 năm 2026”")
        return out
    place = match.group("place")
    if not place:
        add("Thiếu địa danh trước ngày tháng")
    elif not place[0].isupper():
        add("Chữ cái đầu của địa danh phải viết hoa")
    if place and not match.group("comma"):
        add("Sau địa danh có dấu phẩy (,)")
    if any(match.group(k)[0].isupper() for k in ("ngay", "thang", "nam")):
        add("“ngày”, “tháng”, “năm” viết chữ in thường", Severity.WARNING)
    day, month, year = match.group("day"), match.group("month"), match.group("year")
    if day and len(day) == 1:
        add("Ngày nhỏ hơn 10 phải ghi thêm số 0 phía trước (ví dụ “ngày 05”)")
    if month and len(month) == 1 and int(month) in (1, 2):
        add("Tháng 1, 2 phải ghi thêm số 0 phía trước (“tháng 01”, “tháng 02”)")
    if month and len(month) > 1 and month.startswith("0") and int(month) > 2:
        add("Chỉ tháng 1, 2 ghi thêm số 0; tháng 3 đến 12 ghi không có số 0", Severity.WARNING)
    if day and month and year and not _real_date(int(year), int(month), int(day)):
        add("Ngày tháng năm không có thật")
    if (day or month) and not year:
        add("Thiếu năm ban hành")
    return out


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def check_type_and_summary(
    doc: Document, found: Located, rules: dict[str, ElementRule]
) -> list[Finding]:
    """Check the type line and trích yếu, or the V/v line of a công văn (Mục II.5)."""
    out: list[Finding] = []
    if found.is_cong_van:
        cv = rules["cv_summary"]
        if not found.cv_summary:
            return [missing(cv, "công văn có dòng “V/v …” dưới số, ký hiệu.")]
        return check_lines(found.cv_summary, cv) + _cv_spacing(found, cv)
    type_rule, summary = rules["doc_type_name"], rules["summary"]
    if found.type_line is None:
        out.append(
            missing(
                type_rule,
                "văn bản có tên loại (KẾ HOẠCH, QUYẾT ĐỊNH, …) canh giữa "
                "dưới phần đầu; công văn có dòng “V/v …”.",
            )
        )
        return out
    out.extend(check_line(found.type_line, type_rule))
    code = found.doc_type.code if found.doc_type else ""
    if not found.summary:
        if code not in _NO_SUMMARY:
            out.append(missing(summary, "trích yếu đặt ngay dưới tên loại văn bản."))
        return out
    out.extend(check_lines(found.summary, summary))
    underline = rules["summary_underline"]
    out.extend(
        check_rule_below(
            doc,
            found.summary,
            underline,
            "Bên dưới trích yếu có đường kẻ ngang, nét liền, dài từ 1/3 đến 1/2 dòng "
            f"chữ ({underline.clause}).",
        )
    )
    return out


def _cv_spacing(found: Located, rule: ElementRule) -> list[Finding]:
    """Warn when "V/v" is not set 6 pt below the Số line (Mục II.5.b)."""
    first = found.cv_summary[0]
    number = found.number
    if number is None or number.para is first.para:
        return []
    gap = (first.para.props.space_before_twips or 0) + (number.para.props.space_after_twips or 0)
    if gap >= CV_SUMMARY_SPACING_PT * 20 - 1:
        return []
    return [
        Finding(
            rule.key,
            rule.label,
            "spacing",
            f"Dòng “V/v …” cách dòng số, ký hiệu {CV_SUMMARY_SPACING_PT:g} pt ({rule.clause}).",
            Severity.WARNING,
            where(first),
            f"{gap / 20:g} pt",
        )
    ]


def _wording(rule: ElementRule, text: str, line: Line) -> Finding:
    return Finding(
        rule.key,
        rule.label,
        "wording",
        f"{text} ({rule.clause}).",
        Severity.ERROR,
        where(line),
        line.text,
    )
