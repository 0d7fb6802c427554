"""The compliance checker on real .docx files built with python-docx (see conftest.py)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.shared import RGBColor

from domain.check import Severity
from domain.check import check_docx
from domain.check import profile_of
from tests.domain_format.conftest import DocSpec
from tests.domain_format.conftest import _end
from tests.domain_format.conftest import _setup
from tests.domain_format.conftest import _title
from tests.domain_format.conftest import build_certificate
from tests.domain_format.conftest import build_docx

ROOT = Path(__file__).resolve().parents[2]
# Three pages of body text: page numbers are required from page 2 (Mục I.7).
LONG_BODY = [
    "Trường THCS Mỹ Phước xây dựng kế hoạch tổ chức phong trào thi đua năm học 2025-2026 "
    "với các nội dung cụ thể như sau nhằm nâng cao chất lượng dạy và học của nhà trường."
] * 40 + ["Đề nghị các tổ chuyên môn nghiêm túc thực hiện./."]


def _keys(findings) -> set[tuple[str, str]]:
    return {(f.key, f.check) for f in findings}


def _describe(findings) -> str:
    return "\n".join(f.as_text() for f in findings)


@pytest.mark.parametrize("kind", ["KH", "CV", "BB"])
def test_check_docx_correct_document_has_no_findings(kind):
    findings = check_docx(build_docx(DocSpec(kind=kind)))
    assert findings == [], _describe(findings)


def test_check_docx_correct_certificate_has_no_findings():
    data = build_certificate()
    assert profile_of(data) == "certificate"
    findings = check_docx(data)
    assert findings == [], _describe(findings)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"font": "Arial"}, ("font", "font")),
        ({"body_size": 12}, ("body", "size")),
        ({"body_style_size": 12}, ("body", "size")),
        ({"national_title_bold": False}, ("national_title", "bold")),
        ({"national_title_size": 14}, ("national_title", "size")),
        ({"national_title": "Cộng hòa xã hội chủ nghĩa Việt Nam"}, ("national_title", "wording")),
        ({"motto": "Độc Lập - Tự Do - Hạnh Phúc"}, ("motto", "wording")),
        ({"motto": "Độc lập-Tự do-Hạnh phúc"}, ("motto", "wording")),
        ({"motto_border": False}, ("motto_underline", "missing")),
        ({"issuer_bold": False}, ("issuer", "bold")),
        ({"issuer_line": False}, ("issuer_underline", "missing")),
        ({"number": "Số: 5/KH-THCSMP"}, ("number_line", "format")),
        ({"number": "Số 05/KH-THCSMP"}, ("number_line", "format")),
        ({"number": "Số: 05/KH - THCSMP"}, ("number_line", "format")),
        ({"number": "Số: 05/QĐ-THCSMP"}, ("number_line", "format")),
        ({"place_date": "Mỹ Phước, ngày 5 tháng 1 năm 2026"}, ("place_date", "format")),
        ({"place_date": "Mỹ Phước ngày 05 tháng 01 năm 2026"}, ("place_date", "format")),
        ({"place_date": "Mỹ Phước, ngày 30 tháng 02 năm 2026"}, ("place_date", "format")),
        ({"place_date_italic": False}, ("place_date", "italic")),
        ({"type_bold": False}, ("doc_type_name", "bold")),
        ({"summary_line": "none"}, ("summary_underline", "missing")),
        ({"recipients": False}, ("recipients_label", "missing")),
        ({"recipients_label_italic": False}, ("recipients_label", "italic")),
        ({"recipient_size": 13}, ("recipient_item", "size")),
        (
            {"recipient_items": ["- Các tổ chuyên môn;", "- Văn phòng;"]},
            ("recipient_item", "format"),
        ),
        ({"recipient_items": ["Các tổ chuyên môn;", "- Lưu: VT."]}, ("recipient_item", "format")),
        ({"authority_bold": False}, ("signature_authority", "bold")),
        ({"authority": ["Hiệu trưởng"]}, ("signature_authority", "uppercase")),
        ({"authority": ["KT HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]}, ("signature_authority", "format")),
        ({"signer": "TS. Lê Văn An"}, ("signer_name", "academic_title")),
        ({"signer_size": 12}, ("signer_name", "size")),
        ({"paper_mm": (215.9, 279.4)}, ("page", "paper")),
        ({"landscape": True}, ("page", "orientation")),
        ({"margins_mm": {"top": 20, "bottom": 20, "left": 20, "right": 15}}, ("margin", "margin")),
        ({"margins_mm": {"top": 10, "bottom": 20, "left": 30, "right": 15}}, ("margin", "margin")),
        ({"page_numbers": "none", "body": LONG_BODY}, ("page_number", "missing")),
        ({"page_numbers": "first_page"}, ("page_number", "first_page")),
        ({"page_numbers": "footer"}, ("page_number", "position")),
        ({"color": RGBColor(0x00, 0x00, 0xFF)}, ("color", "color")),
    ],
)
def test_check_docx_reports_each_defect(changes, expected):
    findings = check_docx(build_docx(DocSpec(**changes)))
    assert expected in _keys(findings), _describe(findings)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"recipient_items": ["- Phòng GDĐT;", "- Lưu: VT."]}, ("recipient_item", "as_above")),
        ({"kinh_gui": ["- Phòng A;", "- Phòng B;"]}, ("kinh_gui", "format")),
    ],
)
def test_check_docx_cong_van_rules(changes, expected):
    findings = check_docx(build_docx(DocSpec(kind="CV", **changes)))
    assert expected in _keys(findings), _describe(findings)


def test_check_docx_cong_van_several_addressees_pass():
    spec = DocSpec(kind="CV", kinh_gui=["- Phòng A;", "- Phòng B."])
    findings = check_docx(build_docx(spec))
    assert findings == [], _describe(findings)


def test_check_docx_bien_ban_needs_no_date_line():
    findings = check_docx(build_docx(DocSpec(kind="BB")))
    assert ("place_date", "missing") not in _keys(findings)


def test_check_docx_letter_paper_is_an_error():
    findings = check_docx(build_docx(DocSpec(paper_mm=(215.9, 279.4))))
    paper = [f for f in findings if (f.key, f.check) == ("page", "paper")]
    assert paper[0].severity is Severity.ERROR
    assert "215.9 × 279.4 mm" in paper[0].found


def test_check_docx_month_three_with_zero_is_only_a_warning():
    spec = DocSpec(place_date="Mỹ Phước, ngày 05 tháng 03 năm 2026")
    findings = check_docx(build_docx(spec))
    assert [f.severity for f in findings] == [Severity.WARNING], _describe(findings)


def test_check_docx_en_dash_motto_and_hoa_spelling_are_accepted():
    spec = DocSpec(
        motto="Độc lập – Tự do – Hạnh phúc", national_title="CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    findings = check_docx(build_docx(spec))
    assert findings == [], _describe(findings)


def test_check_docx_text_underline_below_summary_is_accepted():
    findings = check_docx(build_docx(DocSpec(summary_line="text")))
    assert findings == [], _describe(findings)


def test_check_docx_academic_title_allowed_by_option():
    data = build_docx(DocSpec(signer="TS. Lê Văn An"))
    assert check_docx(data, allow_academic_titles=True) == []


def test_check_docx_certificate_in_portrait_is_reported():
    findings = check_docx(build_certificate(landscape=False))
    assert ("page", "orientation") in _keys(findings), _describe(findings)


def test_check_docx_certificate_title_not_bold_is_reported():
    findings = check_docx(build_certificate(title_bold=False))
    assert ("certificate_title", "bold") in _keys(findings), _describe(findings)


def test_check_docx_certificate_profile_does_not_demand_recipients_or_number():
    keys = {f.key for f in check_docx(build_certificate())}
    assert not keys & {"recipients_label", "number_line", "page_number", "margin"}


def test_findings_carry_label_rule_and_location():
    findings = check_docx(build_docx(DocSpec(national_title_bold=False)))
    finding = next(f for f in findings if f.key == "national_title")
    assert finding.label == "Quốc hiệu"
    assert "Phụ lục I, Phần I, Mục II.1.a" in finding.rule
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in finding.location
    assert finding.as_dict()["severity"] == "error"


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "domain.check", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_json_reports_findings_and_exit_status(tmp_path):
    bad = tmp_path / "xấu.docx"
    bad.write_bytes(build_docx(DocSpec(font="Arial")))
    result = _run_cli(str(bad), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] >= 1
    assert {"key": "font", "check": "font"}.items() <= report["findings"][0].items()


def test_cli_good_document_exits_zero(tmp_path):
    good = tmp_path / "tốt.docx"
    good.write_bytes(build_docx(DocSpec()))
    result = _run_cli(str(good))
    assert result.returncode == 0
    assert "0 lỗi, 0 lưu ý" in result.stdout


def test_cli_rejects_non_docx_with_vietnamese_message(tmp_path):
    junk = tmp_path / "a.docx"
    junk.write_text("không phải docx", encoding="utf-8")
    result = _run_cli(str(junk), "--json")
    assert result.returncode == 2
    assert "không phải tài liệu Word" in json.loads(result.stdout)["error"]


@pytest.mark.slow
def test_check_docx_libreoffice_round_trip_keeps_a_correct_document_correct(tmp_path):
    source = tmp_path / "ke_hoach.docx"
    source.write_bytes(build_docx(DocSpec()))
    out = tmp_path / "out"
    out.mkdir()
    # Through ODT and back: LibreOffice rewrites styles, fonts and field markup entirely.
    for target, path in (("odt", source), ("docx:MS Word 2007 XML", out / "ke_hoach.odt")):
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
             "--convert-to", target, "--outdir", str(out), str(path)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    findings = check_docx((out / "ke_hoach.docx").read_bytes())
    assert findings == [], _describe(findings)


def _tab_header_document(date_text: str) -> bytes:
    """Return a document whose header is typed as tab-separated paragraphs, no table."""
    spec = DocSpec()
    spec.number, spec.recipient_items = "Số: 05/KH-THCSMP", ["- Các tổ chuyên môn;", "- Lưu: VT."]
    doc = Document()
    _setup(doc, spec)
    title, motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
    rows = [
        (("UBND XÃ MỸ PHƯỚC", 12, False, False), (title, 12, True, False)),
        (("TRƯỜNG THCS MỸ PHƯỚC", 12, True, False), (motto, 13, True, False)),
        (("___________", 12, False, False), ("________________________", 13, True, False)),
        (("Số: 05/KH-THCSMP", 13, False, False), (date_text, 13, False, True)),
    ]
    for left, right in rows:
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for index, (text, size, bold, italic) in enumerate((left, right)):
            run = para.add_run(("\t" if index else "") + text)
            run.font.size, run.bold, run.italic = Pt(size), bold, italic
    _title(doc, spec)
    para = doc.add_paragraph("Nội dung kế hoạch./.")
    para.runs[0].font.size = Pt(14)
    _end(doc, spec)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_check_docx_reads_a_header_typed_with_tabs():
    findings = check_docx(_tab_header_document("Mỹ Phước, ngày 05 tháng 01 năm 2026"))
    assert findings == [], _describe(findings)


def test_check_docx_tab_header_date_without_zero_is_reported():
    findings = check_docx(_tab_header_document("Mỹ Phước, ngày 5 tháng 01 năm 2026"))
    assert _keys(findings) == {("place_date", "format")}, _describe(findings)


def test_check_docx_landscape_without_content_tables_is_an_error():
    findings = check_docx(build_docx(DocSpec(landscape=True)))
    orientation = [f for f in findings if (f.key, f.check) == ("page", "orientation")]
    assert [f.severity for f in orientation] == [Severity.ERROR]


def test_cli_missing_file_is_reported_in_vietnamese(tmp_path):
    result = _run_cli(str(tmp_path / "khong-co.docx"))
    assert result.returncode == 2
    assert "Không tìm thấy tệp" in result.stderr


def test_check_docx_even_page_header_without_number_is_reported():
    doc = Document(io.BytesIO(build_docx(DocSpec())))
    doc.settings.odd_and_even_pages_header_footer = True
    doc.sections[0].even_page_header.paragraphs[0].add_run("Kế hoạch thi đua")
    buffer = io.BytesIO()
    doc.save(buffer)
    findings = check_docx(buffer.getvalue())
    assert ("page_number", "even_pages") in _keys(findings), _describe(findings)


def test_check_docx_cong_van_vv_without_6pt_gap_is_a_warning():
    doc = Document(io.BytesIO(build_docx(DocSpec(kind="CV"))))
    cell = doc.tables[0].rows[0].cells[0]
    next(p for p in cell.paragraphs if p.text.startswith("V/v")).paragraph_format.space_before = 0
    buffer = io.BytesIO()
    doc.save(buffer)
    findings = check_docx(buffer.getvalue())
    assert [(f.key, f.check, f.severity) for f in findings] == [
        ("cv_summary", "spacing", Severity.WARNING)
    ], _describe(findings)
