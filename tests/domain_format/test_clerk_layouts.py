"""Correct documents laid out the way clerks lay them out, and the checker's silence on them.

The format checker once reported errors on every correct document of other offices that
did not use the two borderless tables of the built-in templates: the end block set with
tab stops ("missing signature", "missing Nơi nhận"), lines drawn as shapes in a row of
their own or typed as "______" after a line break, a Quyết định numbered "07/2026/QĐ-UBND",
the drafter's mark under "- Lưu: VT." read as a recipient, page numbers demanded of a
one-page letter. Each layout below is a correct document built with python-docx; each must
get no finding. The negative tests show that the same readers still see real defects.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from dataclasses import field

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.enum.text import WD_BREAK
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from docx.shared import Mm
from docx.shared import Pt

from domain.check import Confidence
from domain.check import Severity
from domain.check import check_docx
from domain.check.metrics import text_width_pt
from tests.domain_format.conftest import CENTER
from tests.domain_format.conftest import JUSTIFY
from tests.domain_format.conftest import DocSpec
from tests.domain_format.conftest import _no_borders
from tests.domain_format.conftest import _para
from tests.domain_format.conftest import _setup

LEFT = WD_ALIGN_PARAGRAPH.LEFT
EMU_PER_PT = 12700
ISSUER = "TRƯỜNG THCS MỸ PHƯỚC"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SUMMARY = "Ban hành Quy chế thi đua, khen thưởng năm học 2025-2026"
ITEMS = ("- Như Điều 3;", "- Phòng Văn hóa - Xã hội (để b/c);", "- Lưu: VT.")
HEADER_MM = (70.0, 95.0)  # the header columns most offices use
# The signature column's tab stop: centred, 12 cm from the left margin.
SIGNATURE_TAB = Cm(12)

_ANCHORED_LINE = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing>
        <wp:anchor behindDoc="0" distT="0" distB="0" distL="0" distR="0" simplePos="0"
                   locked="0" layoutInCell="1" allowOverlap="1" relativeHeight="2">
          <wp:simplePos x="0" y="0"/>
          <wp:positionH relativeFrom="column"><wp:posOffset>{offset}</wp:posOffset></wp:positionH>
          <wp:positionV relativeFrom="paragraph"><wp:posOffset>50800</wp:posOffset></wp:positionV>
          <wp:extent cx="{cx}" cy="0"/>
          <wp:effectExtent l="0" t="0" r="0" b="0"/>
          <wp:wrapNone/>
          <wp:docPr id="{id}" name="Đường kẻ {id}"/>
          <a:graphic>
            <a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
              <wps:wsp>
                <wps:cNvCnPr/>
                <wps:spPr>
                  <a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm>
                  <a:prstGeom prst="line"><a:avLst/></a:prstGeom>
                  <a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>{dash}</a:ln>
                </wps:spPr>
                <wps:bodyPr/>
              </wps:wsp>
            </a:graphicData>
          </a:graphic>
        </wp:anchor>
      </w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict><v:line from="0,0" to="{pt}pt,0" strokeweight=".75pt"/></w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def _width(text: str, size: float, bold: bool = True) -> float:
    return text_width_pt(text, size, bold=bold)


def _anchored_line(
    para, length_pt: float, box_mm: float, *, dashed: bool = False, ident: int = 1
) -> None:
    """Anchor a DrawingML line shape (with its VML fallback) to ``para``, centred in a
    column ``box_mm`` wide."""
    cx = round(length_pt * EMU_PER_PT)
    offset = max(round((box_mm * 36000 - cx) / 2), 0)
    xml = _ANCHORED_LINE.format(
        cx=cx,
        offset=offset,
        id=ident,
        pt=f"{length_pt:.1f}",
        dash='<a:prstDash val="dash"/>' if dashed else "",
    )
    para._element.append(parse_xml(xml))


def _typed_line(para, chars: str, size: float) -> None:
    """Type a line after a line break in the same paragraph ("…NỘI<br>______")."""
    run = para.add_run()
    run.add_break()
    run = para.add_run(chars)
    run.font.size = Pt(size)


def _underscores(under: str, size: float, ratio: float) -> str:
    """Return underscores that print ``ratio`` times as wide as ``under``."""
    return "_" * round(ratio * _width(under, size) / _width("_", size, bold=False))


@dataclass
class Layout:
    """How a clerk laid out one correct document."""

    header: str = "table"  # "table": 2 columns; "rows": a third row holds only the lines
    lines: str = "shape"  # "shape", "typed" (underscores after a line break), "border"
    end: str = "tabs"  # "tabs": Nơi nhận left, signature at a tab stop; "tabs_above"; "table"
    number: str = "Số: 15/QĐ-THCSMP"
    type_name: str = "QUYẾT ĐỊNH"
    authority: list[str] = field(default_factory=lambda: ["HIỆU TRƯỞNG"])
    signer: str = "Lê Văn An"
    items: list[str] = field(default_factory=lambda: list(ITEMS))
    drafter: str | None = None
    drafter_size: float = 11
    body_paragraphs: int = 3
    page_numbers: bool = False
    issuer_ratio: float = 0.4
    summary_ratio: float = 0.4


def build(layout: Layout) -> bytes:
    """Return the .docx of a Quyết định laid out as ``layout`` says."""
    doc = Document()
    spec = DocSpec(page_numbers="ok" if layout.page_numbers else "none")
    _setup(doc, spec)
    _header(doc, layout)
    _para(doc, "", 14)
    _para(doc, layout.type_name, 14, bold=True, align=CENTER)
    summary = _para(doc, SUMMARY, 14, bold=True, align=CENTER)
    _line_under(doc, summary, SUMMARY, 14, layout.summary_ratio, layout.lines, ident=3)
    _body(doc, layout)
    if layout.end == "table":
        _end_table(doc, layout)
    elif layout.end == "tabs_above":
        _signature_tabs(doc, layout)
        _recipients(doc, layout)
    elif layout.end == "textbox":
        _signature_box(doc, layout)
        _recipients(doc, layout)
    else:
        _end_tabs(doc, layout)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _header(doc, layout: Layout) -> None:
    rows = 3 if layout.header == "rows" else 2
    table = doc.add_table(rows=rows, cols=2)
    _no_borders(table)
    table.autofit = False
    for column, width in zip(table.columns, HEADER_MM, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, HEADER_MM, strict=True):
            cell.width = Mm(width)
    left, right = table.rows[0].cells
    _para(left, "UBND XÃ MỸ PHƯỚC", 12, align=CENTER, new=False)
    issuer = _para(left, ISSUER, 12, bold=True, align=CENTER)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=CENTER, new=False)
    motto = _para(right, MOTTO, 13, bold=True, align=CENTER)
    if layout.header == "rows":
        # Lines anchored alone in the second row, as LibreOffice converts many .doc files.
        below_left, below_right = table.rows[1].cells
        issuer_line = layout.issuer_ratio * _width(ISSUER, 12)
        _anchored_line(below_left.paragraphs[0], issuer_line, _box_mm(left), ident=1)
        _anchored_line(below_right.paragraphs[0], _width(MOTTO, 13), _box_mm(right), ident=2)
    else:
        _line_under(left, issuer, ISSUER, 12, layout.issuer_ratio, layout.lines, ident=1)
        _line_under(right, motto, MOTTO, 13, 1.0, layout.lines, ident=2)
    number_cell, date_cell = table.rows[rows - 1].cells
    _para(number_cell, layout.number, 13, align=CENTER, new=False)
    _para(
        date_cell, "Mỹ Phước, ngày 05 tháng 01 năm 2026", 13, italic=True, align=CENTER, new=False
    )


def _line_under(container, para, text: str, size: float, ratio: float, how: str, ident: int):
    length = ratio * _width(text, size)
    if how == "typed":
        _typed_line(para, _underscores(text, size, ratio), size)
    elif how == "border":
        line = _para(container, "", size, align=CENTER)
        box = _box_mm(container)
        side = Mm(max((box - length * 25.4 / 72) / 2, 0))
        line.paragraph_format.left_indent = line.paragraph_format.right_indent = side
        line._element.get_or_add_pPr().append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
                'w:color="auto"/></w:pBdr>'
            )
        )
    else:
        line = _para(container, "", size, align=CENTER)
        _anchored_line(line, length, _box_mm(container), ident=ident)


def _box_mm(container) -> float:
    """Usable width of a header cell (less Word's 1.9 mm padding a side) or of the page."""
    if hasattr(container, "_tc"):
        return container.width.mm - 3.8
    return 165.0


def _body(doc, layout: Layout) -> None:
    texts = ["Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;"]
    texts += [
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế thi đua, khen thưởng của Trường "
        "THCS Mỹ Phước năm học 2025-2026, áp dụng cho cán bộ, giáo viên và nhân viên."
    ] * layout.body_paragraphs
    texts.append("Điều 3. Các tổ chuyên môn và cá nhân có liên quan chịu trách nhiệm thi hành./.")
    for text in texts:
        para = doc.add_paragraph()
        para.alignment = JUSTIFY
        para.paragraph_format.first_line_indent = Cm(1.27)
        para.paragraph_format.space_before = Pt(6)
        para.paragraph_format.space_after = Pt(0)
        run = para.add_run(text)
        run.font.size = Pt(14)
        run.italic = text.startswith("Căn cứ")


def _tabbed(doc, pieces: list[tuple[str, float, bool, bool]]):
    """Add a paragraph with a centred tab stop for the signature column."""
    para = doc.add_paragraph()
    para.alignment = LEFT
    para.paragraph_format.space_after = Pt(0)
    if pieces and "\t" in pieces[0][0] and not pieces[0][0].startswith("\t"):
        para.paragraph_format.tab_stops.add_tab_stop(Cm(0.5))  # "-<tab>item"
    para.paragraph_format.tab_stops.add_tab_stop(SIGNATURE_TAB, WD_TAB_ALIGNMENT.CENTER)
    for text, size, bold, italic in pieces:
        run = para.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return para


def _end_tabs(doc, layout: Layout) -> None:
    """Nơi nhận at the left margin, the signature at a tab stop on the same lines."""
    _para(doc, "", 14)
    lines: list[list[tuple[str, float, bool, bool]]] = [[("Nơi nhận:", 12, True, True)]]
    lines += [[(item, 11, False, False)] for item in layout.items]
    for index, authority in enumerate(layout.authority):
        lines[index].append(("\t" + authority, 14, True, False))
    if layout.drafter:
        lines.append([(layout.drafter, layout.drafter_size, False, False)])
    while len(lines) < len(layout.authority) + 4:
        lines.append([])
    lines.append([("\t" + layout.signer, 14, True, False)])
    for pieces in lines:
        _tabbed(doc, pieces)


def _signature_tabs(doc, layout: Layout) -> None:
    """The signature block first, each line at the tab stop, as many clerks type it."""
    _para(doc, "", 14)
    for authority in layout.authority:
        _tabbed(doc, [("\t" + authority, 14, True, False)])
    for _ in range(3):
        _tabbed(doc, [])
    _tabbed(doc, [("\t" + layout.signer, 14, True, False)])


def _signature_box(doc, layout: Layout) -> None:
    """The signature block in a text box floating at the right, as some clerks draw it."""
    lines = [(text, True) for text in layout.authority] + [("", False)] * 3
    lines.append((layout.signer, True))
    paragraphs = "".join(
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
        + (f'<w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:t>{text}</w:t></w:r>' if text else "")
        + "</w:p>"
        for text, _bold in lines
    )
    anchor = _para(doc, "", 14)
    anchor._element.append(
        parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
            '<v:shape style="position:absolute;margin-left:240pt;width:200pt;height:110pt" '
            'stroked="f"><v:textbox><w:txbxContent>'
            f"{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    for _ in range(6):
        _para(doc, "", 14)


def _recipients(doc, layout: Layout) -> None:
    _para(doc, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT)
    for item in layout.items:
        _para(doc, item, 11, align=LEFT)
    if layout.drafter:
        _para(doc, layout.drafter, layout.drafter_size, align=LEFT)


def _end_table(doc, layout: Layout) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _para(left, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT, new=False)
    for item in layout.items:
        _para(left, item, 11, align=LEFT)
    if layout.drafter:
        _para(left, layout.drafter, layout.drafter_size, align=LEFT)
    first = True
    for authority in layout.authority:
        _para(right, authority, 14, bold=True, align=CENTER, new=not first)
        first = False
    for _ in range(3):
        _para(right, "", 14, align=CENTER)
    _para(right, layout.signer, 14, bold=True, align=CENTER)


def _describe(findings) -> str:
    return "\n".join(f.as_text() for f in findings)


def _keys(findings) -> set[tuple[str, str]]:
    return {(f.key, f.check) for f in findings}


CORRECT_LAYOUTS = {
    "end block with tab stops": Layout(),
    "KT. signature at tab stops beside Nơi nhận": Layout(
        authority=["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"], signer="Trần Thị Bình"
    ),
    "signature at tab stops above Nơi nhận": Layout(end="tabs_above"),
    "lines drawn as shapes in a row of their own": Layout(header="rows"),
    "lines typed as underscores after a line break": Layout(lines="typed"),
    "lines as bottom borders of empty paragraphs": Layout(lines="border", end="table"),
    "legal document number with a year": Layout(number="Số: 07/2026/QĐ-UBND"),
    "drafter's mark under Nơi nhận (table)": Layout(end="table", drafter="VP.Nam(05)"),
    "drafter's mark under Nơi nhận (tab stops)": Layout(drafter="Sonnk/QĐ06.T9/50b"),
    "three pages with page numbers": Layout(body_paragraphs=40, page_numbers=True),
    "signature in a text box": Layout(end="textbox"),
    "items typed as dash, tab, text": Layout(items=[i.replace("- ", "-\t", 1) for i in ITEMS]),
}


@pytest.mark.parametrize("name", list(CORRECT_LAYOUTS))
def test_correct_clerk_layout_gets_no_finding(name):
    findings = check_docx(build(CORRECT_LAYOUTS[name]))
    assert findings == [], _describe(findings)


def test_page_numbers_are_not_demanded_of_a_one_page_document():
    findings = check_docx(build(Layout(page_numbers=False)))
    assert "page_number" not in {f.key for f in findings}, _describe(findings)


def test_missing_page_numbers_on_three_pages_is_a_sure_error():
    findings = check_docx(build(Layout(body_paragraphs=40)))
    [number] = [f for f in findings if f.key == "page_number"]
    assert (number.check, number.severity, number.confidence) == (
        "missing",
        Severity.ERROR,
        Confidence.HIGH,
    )


def test_missing_page_numbers_near_one_page_is_a_doubtful_warning():
    findings = check_docx(build(Layout(body_paragraphs=9)))
    [number] = [f for f in findings if f.key == "page_number"]
    assert (number.severity, number.confidence) == (Severity.WARNING, Confidence.LOW)
    assert "ước tính" in number.found


def test_a_page_break_makes_the_page_count_known():
    doc = Document(io.BytesIO(build(Layout())))
    doc.paragraphs[-1].runs[0].add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    doc.save(buffer)
    findings = check_docx(buffer.getvalue())
    [number] = [f for f in findings if f.key == "page_number"]
    assert (number.severity, number.confidence) == (Severity.ERROR, Confidence.HIGH)


def test_glued_authority_abbreviation_is_reported():
    findings = check_docx(build(Layout(authority=["KT.HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"])))
    glued = [f for f in findings if (f.key, f.check) == ("signature_authority", "format")]
    assert [f.found for f in glued] == ["KT.HIỆU TRƯỞNG"], _describe(findings)
    assert "KT. HIỆU TRƯỞNG" in glued[0].rule


def test_glued_abbreviation_in_a_signature_table_is_reported():
    layout = Layout(end="table", authority=["TM.HỘI ĐỒNG", "CHỦ TỊCH"])
    findings = check_docx(build(layout))
    assert ("signature_authority", "format") in _keys(findings), _describe(findings)


@pytest.mark.parametrize(
    ("layout", "key"),
    [
        (Layout(issuer_ratio=0.2), "issuer_underline"),
        (Layout(issuer_ratio=0.8), "issuer_underline"),
        (Layout(summary_ratio=0.15), "summary_underline"),
        (Layout(header="rows", issuer_ratio=0.9), "issuer_underline"),
        (Layout(lines="typed", summary_ratio=0.15), "summary_underline"),
        (Layout(lines="border", end="table", summary_ratio=0.9), "summary_underline"),
    ],
)
def test_a_line_of_the_wrong_length_is_a_sure_error(layout, key):
    findings = check_docx(build(layout))
    length = [f for f in findings if (f.key, f.check) == (key, "length")]
    assert [(f.severity, f.confidence) for f in length] == [(Severity.ERROR, Confidence.HIGH)], (
        _describe(findings)
    )
    assert "tỉ lệ" in length[0].found


def test_a_line_just_outside_the_range_is_a_doubtful_warning():
    findings = check_docx(build(Layout(issuer_ratio=0.3)))
    [length] = [f for f in findings if (f.key, f.check) == ("issuer_underline", "length")]
    assert (length.severity, length.confidence) == (Severity.WARNING, Confidence.LOW)


def test_hyphens_typed_under_the_motto_are_not_a_solid_line():
    doc = Document(io.BytesIO(build(Layout(lines="typed"))))
    motto = doc.tables[0].rows[0].cells[1].paragraphs[1]
    motto.runs[-1].text = "-" * 30
    buffer = io.BytesIO()
    doc.save(buffer)
    findings = check_docx(buffer.getvalue())
    solid = [f for f in findings if (f.key, f.check) == ("motto_underline", "solid")]
    assert [f.severity for f in solid] == [Severity.ERROR], _describe(findings)
    assert ("motto_underline", "missing") not in _keys(findings)


def test_a_dashed_shape_is_not_a_solid_line():
    doc = Document(io.BytesIO(build(Layout())))
    cell = doc.tables[0].rows[0].cells[0]
    line = next(p for p in cell.paragraphs if not p.text)
    for run in list(line._element.iter()):
        if run.tag.endswith("}r"):
            run.getparent().remove(run)
    _anchored_line(line, 0.4 * _width(ISSUER, 12), 66.2, dashed=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    findings = check_docx(buffer.getvalue())
    assert ("issuer_underline", "solid") in _keys(findings), _describe(findings)


def test_drafter_mark_in_small_type_is_checked_as_the_drafter_mark():
    findings = check_docx(build(Layout(end="table", drafter="Sonnk/QĐ06.T9/50b", drafter_size=8)))
    assert _keys(findings) == {("drafter_mark", "size")}, _describe(findings)
    assert all(f.confidence is Confidence.LOW for f in findings)


def test_items_of_the_tab_layout_are_still_checked():
    layout = Layout(items=["- Như Điều 3;", "- Phòng Văn hóa - Xã hội (để b/c)", "- Lưu: VT."])
    findings = check_docx(build(layout))
    assert _keys(findings) == {("recipient_item", "format")}, _describe(findings)


def test_signature_of_the_tab_layout_is_still_checked():
    findings = check_docx(build(Layout(authority=["Hiệu trưởng"])))
    assert ("signature_authority", "uppercase") in _keys(findings), _describe(findings)
    assert ("signature_authority", "missing") not in _keys(findings)


def test_signature_in_a_text_box_is_still_checked_and_marked_doubtful():
    findings = check_docx(build(Layout(end="textbox", signer="TS. Lê Văn An")))
    keys = _keys(findings)
    assert ("signer_name", "academic_title") in keys, _describe(findings)
    assert ("signature_authority", "missing") not in keys
    assert all(f.confidence is Confidence.LOW for f in findings if f.key == "signer_name")


def test_year_in_an_administrative_number_still_needs_the_type_code():
    findings = check_docx(build(Layout(number="Số: 07/2026/KH-UBND")))
    assert ("number_line", "format") in _keys(findings), _describe(findings)


def test_an_annex_after_the_end_block_is_not_read_as_the_signature():
    """A Quyết định followed by its Quy định in the same file: the annex's centred titles
    after Nơi nhận are not a signature; the signature typed above Nơi nhận still is."""
    doc = Document(io.BytesIO(build(Layout(end="tabs_above", page_numbers=True))))
    doc.paragraphs[-1].runs[0].add_break(WD_BREAK.PAGE)
    _para(doc, "QUY ĐỊNH", 14, bold=True, align=CENTER)
    _para(doc, "Thi đua, khen thưởng năm học 2025-2026", 14, bold=True, align=CENTER)
    reference = "(Kèm theo Quyết định số 15/QĐ-THCSMP ngày 05 tháng 01 năm 2026)"
    _para(doc, reference, 14, italic=True, align=CENTER)
    _para(doc, "Chương I", 14, bold=True, align=CENTER)
    _para(doc, "QUY ĐỊNH CHUNG", 14, bold=True, align=CENTER)
    body = _para(doc, "Điều 1. Quy định này áp dụng cho cán bộ, giáo viên, nhân viên.", 14)
    body.alignment = JUSTIFY
    buffer = io.BytesIO()
    doc.save(buffer)
    findings = check_docx(buffer.getvalue())
    assert findings == [], _describe(findings)


def _edit_document_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # ISO 29500 Strict writes universal measures: 30 mm is a lawful left margin.
        (lambda xml: re.sub(r'w:left="\d+"', 'w:left="30mm"', xml, count=1), set()),
        (lambda xml: re.sub(r'w:left="\d+"', 'w:left="inf"', xml, count=1), set()),
        (lambda xml: re.sub(r'w:w="\d+"', 'w:w="abc"', xml), set()),
        # A damaged extent is not a line of length zero.
        (lambda xml: xml.replace('cx="', 'cx="1e999'), set()),
    ],
)
def test_strict_or_damaged_measures_are_read_or_ignored(change, expected):
    findings = check_docx(_edit_document_xml(build(Layout(header="rows")), change))
    assert _keys(findings) == expected, _describe(findings)


def test_json_and_text_say_how_sure_each_finding_is():
    findings = check_docx(build(Layout(body_paragraphs=9, issuer_ratio=0.2)))
    data = {f.key: f.as_dict() for f in findings}
    assert data["issuer_underline"]["confidence"] == "high"
    assert data["issuer_underline"]["confidence_label"] == "chắc chắn"
    assert data["page_number"]["confidence"] == "low"
    assert data["page_number"]["confidence_label"] == "có thể"
    assert [f.as_text()[:16] for f in findings if f.key == "page_number"] == ["[LƯU Ý, có thể] "]
