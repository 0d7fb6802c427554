"""Compliance checker: report every deviation of a .docx from NĐ 30/2020, Phụ lục I.

Standard library only. Usage::

    from domain.check import check_docx
    for finding in check_docx(data):
        print(finding.as_text())

or ``python -m domain.check FILE.docx [--json]``.

What is checked: paper and orientation, margins, fonts and colour of every run (effective
through docDefaults, table, paragraph and character styles), the size and style of each
header element (Quốc hiệu, Tiêu ngữ, chủ quản, cơ quan ban hành, Số/ký hiệu — with the year
of a legal document's number, "07/2025/QĐ-UBND" —, địa danh/ngày tháng, tên loại, trích
yếu, V/v), the lines under the issuer, the Tiêu ngữ and the trích yếu (present however
drawn, solid, and of the prescribed length measured with Times New Roman widths, see
:mod:`domain.check.line_rules`), Kính gửi, body size (and, as warnings, alignment, indent,
spacing), Nơi nhận (in a table, with tab stops or in a text box; the drafter's mark under
it is checked as such, not as a recipient), the signature block ("KT. HIỆU TRƯỞNG": the
abbreviation with its full stop and a space) and page numbers (not demanded of a document
of one page; the count is estimated when the file does not say, see
:mod:`domain.check.pages`). A document containing a "GIẤY KHEN" line is checked with the
certificate profile instead (landscape; no Số line, Nơi nhận or page numbers demanded).

Every finding says how sure it is (:class:`Confidence`): "chắc chắn" when read from the
file and compared with an explicit rule, "có thể" when it rests on an estimate or on an
element found by layout guesses.

Not checked: vertical positions (same baseline for Số and date), whether a line is centred
under its text, the seal and signature images.
"""

from __future__ import annotations

from dataclasses import replace

from domain.check.end_rules import check_drafter_mark
from domain.check.end_rules import check_kinh_gui
from domain.check.end_rules import check_recipients
from domain.check.end_rules import check_signatures
from domain.check.errors import DocxError
from domain.check.findings import Confidence
from domain.check.findings import Finding
from domain.check.findings import Severity
from domain.check.formatting import check_line
from domain.check.formatting import check_lines
from domain.check.formatting import missing
from domain.check.header_rules import check_issuer
from domain.check.header_rules import check_number
from domain.check.header_rules import check_place_date
from domain.check.header_rules import check_title_block
from domain.check.header_rules import check_type_and_summary
from domain.check.load import load_document
from domain.check.locate import locate
from domain.check.located import Located
from domain.check.model import Document
from domain.check.package import open_docx
from domain.check.page import check_page
from domain.check.page import check_page_numbers
from domain.check.text_rules import check_body
from domain.check.text_rules import check_colors
from domain.check.text_rules import check_fonts
from domain.layout import CERTIFICATE_ELEMENTS
from domain.layout import CERTIFICATE_ORIENTATION
from domain.layout import ELEMENTS
from domain.layout import Orientation

__all__ = ["Confidence", "DocxError", "Finding", "Severity", "check_docx", "profile_of"]


def check_docx(data: bytes, *, allow_academic_titles: bool = False) -> list[Finding]:
    """Check a .docx against Phụ lục I and return the findings in reading order.

    Args:
        data: the bytes of the .docx file.
        allow_academic_titles: accept học hàm/học vị before the signer's name (allowed for
            education units when the sector head says so).

    Returns:
        Findings; an empty list means no deviation was found.

    Raises:
        DocxError: if the input is not a readable .docx or exceeds the safety limits.
    """
    doc = load_document(open_docx(data))
    found = locate(doc)
    if found.profile == "certificate":
        return _check_certificate(doc, found)
    return _check_document(doc, found, allow_academic_titles)


def profile_of(data: bytes) -> str:
    """Return ``"certificate"`` or ``"document"``: the rule set the file is checked with.

    Raises:
        DocxError: if the input is not a readable .docx.
    """
    return locate(load_document(open_docx(data))).profile


def _check_document(doc: Document, found: Located, allow_academic_titles: bool) -> list[Finding]:
    if found.profile == "report":
        return _check_report(doc, found, allow_academic_titles)
    if found.profile == "annex":
        return _check_annex(doc, found)
    rules = ELEMENTS
    out: list[Finding] = []
    out.extend(check_page(doc, Orientation.PORTRAIT, has_tables=found.has_content_tables))
    out.extend(check_fonts(doc))
    out.extend(check_colors(doc))
    out.extend(check_issuer(doc, found, rules))
    out.extend(check_number(found, rules))
    out.extend(check_title_block(doc, found, rules))
    out.extend(check_place_date(found, rules))
    out.extend(check_type_and_summary(doc, found, rules))
    out.extend(check_kinh_gui(found, rules))
    out.extend(check_body(found))
    out.extend(check_recipients(doc, found, rules))
    out.extend(check_drafter_mark(found, rules))
    out.extend(check_signatures(found, rules, allow_academic_titles=allow_academic_titles))
    out.extend(check_page_numbers(doc))
    return _with_confidence(out, found)


def _check_report(doc: Document, found: Located, allow_academic_titles: bool) -> list[Finding]:
    """Báo cáo thành tích: an emulation-law form (NĐ 152/2025 annex), laid out per NĐ 30.

    It has no Số (individual reports are not registered), no Nơi nhận, and a superior's
    confirmation block whose name the superior fills in; its title runs over several
    upper-case lines ("BÁO CÁO THÀNH TÍCH" / "ĐỀ NGHỊ TẶNG …").
    """
    rules = ELEMENTS
    out: list[Finding] = []
    out.extend(check_page(doc, Orientation.PORTRAIT, has_tables=found.has_content_tables))
    out.extend(check_fonts(doc))
    out.extend(check_colors(doc))
    if found.issuer:
        out.extend(check_issuer(doc, found, rules))
    if found.number is not None:
        out.extend(check_number(found, rules))
    out.extend(check_title_block(doc, found, rules))
    out.extend(check_place_date(found, rules))
    if found.type_line is not None:
        out.extend(check_lines([found.type_line, *found.title_extra], rules["doc_type_name"]))
        out.extend(check_lines(found.summary, rules["summary"]))
    out.extend(check_body(found, end_mark=False))
    out.extend(
        f
        for f in check_signatures(found, rules, allow_academic_titles=allow_academic_titles)
        if not (f.key == "signer_name" and f.check == "missing")
    )
    out.extend(_as_warnings(check_page_numbers(doc)))
    return _with_confidence(out, found)


def _check_annex(doc: Document, found: Located) -> list[Finding]:
    """A list or annex issued with another document (Phụ lục I, Mục III.1).

    Recognised by its "(Kèm theo … số …)" line and the absence of a Số line: it carries the
    parent document's reference instead, needs no Nơi nhận or signature, may be landscape
    for its tables, and is numbered separately.
    """
    rules = ELEMENTS
    landscape = any(
        s.width is not None and s.height is not None and s.width > s.height for s in doc.sections
    )
    out: list[Finding] = []
    out.extend(check_page(doc, Orientation.LANDSCAPE if landscape else Orientation.PORTRAIT))
    out.extend(check_fonts(doc))
    out.extend(check_colors(doc))
    if found.issuer:
        out.extend(check_issuer(doc, found, rules))
    if found.national_title is not None:
        out.extend(check_title_block(doc, found, rules))
    if found.type_line is not None:
        out.extend(check_line(found.type_line, rules["doc_type_name"]))
        out.extend(check_lines(found.summary, rules["summary"]))
    if found.annex_reference is not None:
        out.extend(check_line(found.annex_reference, rules["annex_reference"]))
    out.extend(check_body(found, end_mark=False))
    if found.signatures:
        out.extend(check_signatures(found, rules))
    return _with_confidence(out, found)


def _with_confidence(findings: list[Finding], found: Located) -> list[Finding]:
    """Lower the confidence of findings about elements found by layout guesses only."""
    guessed = found.guessed | {"drafter_mark"}
    return [
        replace(f, confidence=Confidence.LOW) if f.key in guessed and f.check != "missing" else f
        for f in findings
    ]


def _as_warnings(findings: list[Finding]) -> list[Finding]:
    return [replace(f, severity=Severity.WARNING) for f in findings]


def _check_certificate(doc: Document, found: Located) -> list[Finding]:
    rules = CERTIFICATE_ELEMENTS
    out: list[Finding] = []
    out.extend(check_page(doc, CERTIFICATE_ORIENTATION, margins=False))
    # The emulation decree prescribes no font for certificates; NĐ 30's is recommended.
    out.extend(check_fonts(doc, Severity.WARNING))
    out.extend(check_title_block(doc, found, rules))
    title = rules["certificate_title"]
    if found.certificate_title is not None:
        out.extend(check_line(found.certificate_title, title))
    tang = rules["certificate_tang"]
    if found.certificate_tang is None:
        out.append(missing(tang, "dòng “TẶNG” trước tên người được khen.", Severity.WARNING))
    else:
        out.extend(check_line(found.certificate_tang, tang))
    out.extend(check_lines(found.certificate_awarder, rules["certificate_awarder"]))
    out.extend(check_place_date(found, rules, Severity.WARNING))
    out.extend(check_signatures(found, rules, severity=Severity.ERROR))
    return out
