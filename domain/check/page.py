"""Page set-up rules: paper, orientation, margins (Mục I.1–3) and page numbers (Mục I.7)."""

from __future__ import annotations

from collections.abc import Callable

from domain.check.findings import Confidence
from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.formatting import where
from domain.check.model import Document
from domain.check.model import Paragraph
from domain.check.model import Section
from domain.check.pages import page_count
from domain.check.styles import DEFAULT_SIZE_PT
from domain.layout import A4
from domain.layout import CLAUSE_CERTIFICATE
from domain.layout import CLAUSE_ORIENTATION
from domain.layout import CLAUSE_PAGE_NUMBER
from domain.layout import MARGINS
from domain.layout import Orientation
from domain.layout import element
from domain.layout import twips_to_mm

# Estimated pages (domain.check.pages): at or above MULTI the document surely has several
# pages; below SINGLE it surely has one; in between the page-number finding is "có thể".
MULTI_PAGE_ESTIMATE = 1.5
SINGLE_PAGE_ESTIMATE = 0.9
PAGE_LABEL = "Khổ giấy"
MARGIN_LABEL = "Lề trang"


def check_page(
    doc: Document,
    orientation: Orientation,
    *,
    margins: bool = True,
    has_tables: bool = False,
) -> list[Finding]:
    """Check paper size, orientation and margins of every section (duplicates merged).

    Args:
        doc: the document.
        orientation: the orientation the profile expects.
        margins: whether margins are prescribed (not for certificates).
        has_tables: whether the content holds tables (which makes landscape lawful).
    """
    found: list[Finding] = []
    for number, section in enumerate(doc.sections, start=1):
        where_text = "thiết lập trang" + (
            f", phần (section) {number}" if len(doc.sections) > 1 else ""
        )
        found.extend(_paper(section, where_text))
        found.extend(_orientation(section, orientation, where_text, has_tables))
        if margins:
            found.extend(_margins(section, where_text))
    if not doc.sections:
        found.append(
            Finding(
                "page",
                PAGE_LABEL,
                "paper",
                f"Không có thiết lập trang; văn bản phải trình bày trên khổ A4 ({A4.clause}).",
                Severity.ERROR,
            )
        )
    unique: dict[tuple[str, str, str], Finding] = {}
    for finding in found:
        unique.setdefault((finding.key, finding.check, finding.found), finding)
    return list(unique.values())


def _paper(section: Section, where_text: str) -> list[Finding]:
    if section.width is None or section.height is None:
        return []
    short, long = sorted((twips_to_mm(section.width), twips_to_mm(section.height)))
    if abs(short - A4.width_mm) <= A4.tolerance_mm and abs(long - A4.height_mm) <= A4.tolerance_mm:
        return []
    return [
        Finding(
            "page",
            PAGE_LABEL,
            "paper",
            f"Khổ giấy phải là A4 (210 × 297 mm) ({A4.clause}).",
            Severity.ERROR,
            where_text,
            f"{short:.1f} × {long:.1f} mm",
        )
    ]


def _orientation(
    section: Section, expected: Orientation, where_text: str, has_tables: bool
) -> list[Finding]:
    if section.width is None or section.height is None:
        return []
    actual = Orientation.LANDSCAPE if section.width > section.height else Orientation.PORTRAIT
    if actual == expected:
        return []
    if expected is Orientation.PORTRAIT:
        if has_tables:
            return []  # lawful: the content holds tables not split into annexes (Mục I.2)
        severity = Severity.ERROR
        rule = (
            "Trình bày theo chiều dài khổ A4 (khổ đứng); chỉ trình bày theo chiều rộng khi "
            f"văn bản có bảng, biểu không làm thành phụ lục riêng ({CLAUSE_ORIENTATION})."
        )
        return [Finding("page", PAGE_LABEL, "orientation", rule, severity, where_text, "khổ ngang")]
    rule = f"Giấy khen trình bày trên khổ A4 nằm ngang, 297 × 210 mm ({CLAUSE_CERTIFICATE})."
    return [
        Finding("page", PAGE_LABEL, "orientation", rule, Severity.ERROR, where_text, "khổ đứng")
    ]


def _margins(section: Section, where_text: str) -> list[Finding]:
    found: list[Finding] = []
    for side, rule in MARGINS.items():
        twips = section.margins.get(side)
        if twips is None:
            continue
        if side == "left":
            twips += section.margins.get("gutter", 0)
        value = twips_to_mm(twips)
        if not rule.allows(value):
            found.append(
                Finding(
                    "margin",
                    MARGIN_LABEL,
                    "margin",
                    f"{rule.label} phải từ {rule.min_mm:g} đến {rule.max_mm:g} mm ({rule.clause}).",
                    Severity.ERROR,
                    where_text,
                    f"{rule.label.lower()} {value:.1f} mm",
                )
            )
    return found


def check_page_numbers(doc: Document) -> list[Finding]:
    """Check the page number: PAGE field centred in the header, hidden on page 1."""
    rule = element("page_number")
    if not doc.sections:
        return []
    section = doc.sections[0]
    header_default = _field_paragraphs(section, "header", "default")
    header_first = _field_paragraphs(section, "header", "first")
    footers = _field_paragraphs(section, "footer", "default") + _field_paragraphs(
        section, "footer", "first"
    )
    found: list[Finding] = []

    def add(
        check: str,
        text: str,
        severity: Severity = Severity.ERROR,
        location: str = "",
        value: str = "",
        confidence: Confidence = Confidence.HIGH,
    ) -> None:
        found.append(
            Finding(
                rule.key,
                rule.label,
                check,
                f"{text} ({CLAUSE_PAGE_NUMBER}).",
                severity,
                location,
                value,
                confidence,
            )
        )

    if footers and not header_default:
        add(
            "position",
            "Số trang đặt canh giữa trong phần lề trên, không đặt ở chân trang",
            location=where(footers[0]),
            value="số trang ở chân trang",
        )
        return found
    if not header_default:
        _missing_number(doc, add)
        return found
    if not section.title_page or header_first:
        add(
            "first_page",
            "Không hiển thị số trang thứ nhất (bật “Trang đầu khác” — titlePg)",
            value="trang 1 có số trang",
        )
    if doc.even_odd_headers and not _field_paragraphs(section, "header", "even"):
        add(
            "even_pages",
            "Mọi trang từ trang thứ hai đều có số trang (đang bật đầu trang riêng "
            "cho trang chẵn mà trang chẵn không có số trang)",
            value="trang chẵn không có số",
        )
    para = header_default[0]
    if (para.props.jc or "left") != "center":
        add(
            "alignment",
            "Số trang đặt canh giữa theo chiều ngang",
            location=where(para),
            value=para.props.jc or "left",
        )
    spans = para.field_spans or para.spans
    sizes = sorted({s.props.size or DEFAULT_SIZE_PT for s in spans})
    if any(not rule.allows_size(size) for size in sizes):
        add(
            "size",
            f"Số trang cỡ chữ {rule.size_text}",
            location=where(para),
            value=", ".join(f"{s:g}" for s in sizes),
        )
    if any(s.props.bold for s in spans) or any(s.props.italic for s in spans):
        add("style", "Số trang kiểu chữ đứng, không đậm, không nghiêng", location=where(para))
    return found


def _missing_number(doc: Document, add: Callable[..., None]) -> None:
    """Report a missing page number, unless the document has a single page.

    Page numbers start on page 2, so a one-page document needs none. The page count is
    known from page breaks in the file, or estimated (:mod:`domain.check.pages`): clearly
    longer than a page is an error, about one page a warning marked "có thể", clearly
    shorter nothing. ``docProps/app.xml`` is not read: python-docx and templates keep a
    stale count there.
    """
    count = page_count(doc)
    text = "Văn bản nhiều trang phải đánh số trang (trường PAGE) ở đầu trang, từ trang thứ hai"
    if count.known:
        add("missing", text, value=f"không có số trang ({count.pages:.0f} trang trở lên)")
        return
    estimate = f"ước tính {count.pages:.1f} trang".replace(".", ",")
    if count.pages >= MULTI_PAGE_ESTIMATE:
        add("missing", text, value=f"không có số trang ({estimate})")
    elif count.pages >= SINGLE_PAGE_ESTIMATE:
        add(
            "missing",
            f"{text}; văn bản có thể dài hơn một trang",
            Severity.WARNING,
            value=f"không có số trang ({estimate})",
            confidence=Confidence.LOW,
        )


def _field_paragraphs(section: Section, kind: str, ref_type: str) -> list[Paragraph]:
    for ref in section.refs:
        if ref.kind == kind and ref.ref_type == ref_type:
            return [p for p in ref.paragraphs if p.page_field]
    return []
