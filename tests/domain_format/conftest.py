"""Build real .docx files with python-docx for the format checker tests.

``DocSpec`` describes a document that follows Phụ lục I exactly; each test changes one
field to introduce one defect and asserts the finding it produces.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.shared import Mm
from docx.shared import Pt
from docx.shared import RGBColor

from domain.check.metrics import text_width_pt

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
VML_LINE = (
    '<w:r %s xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:line from="0,0" to="%.1fpt,0" strokeweight=".5pt"/></w:pict></w:r>'
)
# NĐ 30: the lines under the issuer and the trích yếu are 1/3 to 1/2 of the text.
LINE_RATIO = 0.4


@dataclass
class DocSpec:
    """A document; the defaults are a correct Kế hoạch of a school."""

    kind: str = "KH"  # "KH", "CV", "BB"
    font: str = "Times New Roman"
    paper_mm: tuple[float, float] = (210, 297)
    landscape: bool = False
    margins_mm: dict[str, float] = field(
        default_factory=lambda: {"top": 20, "bottom": 20, "left": 30, "right": 15}
    )
    parent: str = "UBND XÃ MỸ PHƯỚC"
    issuer: str = "TRƯỜNG THCS MỸ PHƯỚC"
    issuer_bold: bool = True
    issuer_line: bool = True
    number: str | None = None  # by kind: "Số: 05/KH-THCSMP", "Số: 05/THCSMP-VP", …
    national_title: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    national_title_bold: bool = True
    national_title_size: float = 12
    motto: str = "Độc lập - Tự do - Hạnh phúc"
    motto_border: bool = True
    place_date: str = "Mỹ Phước, ngày 05 tháng 01 năm 2026"
    place_date_italic: bool = True
    type_name: str = "KẾ HOẠCH"
    type_bold: bool = True
    summary: str = "Tổ chức phong trào thi đua năm học 2025-2026"
    summary_line: str = "drawing"  # "drawing", "text", "none"
    cv_summary: str = "V/v tổ chức hội thi giáo viên dạy giỏi cấp trường"
    kinh_gui: list[str] = field(default_factory=lambda: ["Ủy ban nhân dân xã Mỹ Phước"])
    body: list[str] = field(
        default_factory=lambda: [
            "Căn cứ Kế hoạch số 329/KH-SGDĐT ngày 07 tháng 4 năm 2026 của Sở Giáo dục và "
            "Đào tạo về việc tổ chức các phong trào thi đua trong năm học 2025-2026;",
            "Trường THCS Mỹ Phước xây dựng kế hoạch tổ chức phong trào thi đua năm học "
            "2025-2026 với các nội dung cụ thể như sau nhằm nâng cao chất lượng dạy và học.",
            "Trên đây là Kế hoạch tổ chức phong trào thi đua của nhà trường, đề nghị các tổ "
            "chuyên môn và cá nhân nghiêm túc thực hiện./.",
        ]
    )
    body_size: float = 14
    body_style_size: float | None = None  # size only through a paragraph style (basedOn)
    recipients: bool = True
    recipients_label_italic: bool = True
    recipient_items: list[str] | None = None  # by kind; công văn starts with "- Như trên;"
    recipient_size: float = 11
    authority: list[str] = field(default_factory=lambda: ["HIỆU TRƯỞNG"])
    authority_bold: bool = True
    signer: str = "Lê Văn An"
    signer_size: float = 14
    page_numbers: str = "ok"  # "ok", "none", "first_page", "footer"
    color: RGBColor | None = None


def _fonts(run, name: str) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    rpr.get_or_add_rFonts().set(qn("w:cs"), name)


def _para(
    container,
    text: str,
    size: float,
    *,
    bold=False,
    italic=False,
    align=None,
    spec: DocSpec | None = None,
    new: bool = True,
):
    para = container.add_paragraph() if new else container.paragraphs[0]
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_after = Pt(0)
    if text:
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
        if spec is not None and spec.color is not None:
            run.font.color.rgb = spec.color
    return para


def _border_bottom(para, text: str, size: float, box_mm: float) -> None:
    """Draw a bottom border as long as ``text`` (bold, ``size``) in a box ``box_mm`` wide."""
    ppr = para._element.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
            'w:color="auto"/></w:pBdr>'
        )
    )
    text_mm = text_width_pt(text, size, bold=True) * 25.4 / 72
    side = Mm(max((box_mm - text_mm) / 2 - 0.5, 0))
    para.paragraph_format.left_indent = side
    para.paragraph_format.right_indent = side


def _drawn_line(container, under: str, size: float) -> None:
    """Add a VML line 0.4 times as long as ``under`` printed bold at ``size``."""
    length = LINE_RATIO * text_width_pt(under, size, bold=True)
    para = container.add_paragraph()
    para.alignment = CENTER
    para.paragraph_format.space_after = Pt(0)
    para._element.append(parse_xml(VML_LINE % (nsdecls("w"), length)))


def _no_borders(table) -> None:
    borders = "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))


def _page_field(para, size: float) -> None:
    para.alignment = CENTER
    for inner in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>2</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        run = para.add_run()
        run.font.size = Pt(size)
        run._element.append(parse_xml(f"<w:wrap {nsdecls('w')}>{inner}</w:wrap>")[0])


def _setup(doc, spec: DocSpec) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = spec.font
    normal.font.size = Pt(14)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), spec.font)
    rfonts.set(qn("w:cs"), spec.font)
    section = doc.sections[0]
    width, height = (Mm(v) for v in spec.paper_mm)
    if spec.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.top_margin = Mm(spec.margins_mm["top"])
    section.bottom_margin = Mm(spec.margins_mm["bottom"])
    section.left_margin = Mm(spec.margins_mm["left"])
    section.right_margin = Mm(spec.margins_mm["right"])
    if spec.page_numbers in ("ok", "first_page"):
        section.different_first_page_header_footer = spec.page_numbers == "ok"
        _page_field(section.header.paragraphs[0], 14)
    elif spec.page_numbers == "footer":
        section.different_first_page_header_footer = True
        _page_field(section.footer.paragraphs[0], 14)


def _cell_mm(spec: DocSpec) -> float:
    """Return the usable width of a cell of a two-column table across the text width."""
    width = spec.paper_mm[1] if spec.landscape else spec.paper_mm[0]
    text = width - spec.margins_mm["left"] - spec.margins_mm["right"]
    return text / 2 - 2 * 1.9  # Word's default cell padding, 108 twips a side


def _header(doc, spec: DocSpec) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _para(left, spec.parent, 12, align=CENTER, new=False, spec=spec)
    _para(left, spec.issuer, 12, bold=spec.issuer_bold, align=CENTER, spec=spec)
    if spec.issuer_line:
        _drawn_line(left, spec.issuer, 12)
    _para(left, spec.number, 13, align=CENTER, spec=spec)
    if spec.kind == "CV":
        cv = _para(left, spec.cv_summary, 12, align=CENTER, spec=spec)
        cv.paragraph_format.space_before = Pt(6)
    _para(
        right,
        spec.national_title,
        spec.national_title_size,
        bold=spec.national_title_bold,
        align=CENTER,
        new=False,
        spec=spec,
    )
    motto = _para(right, spec.motto, 13, bold=True, align=CENTER, spec=spec)
    if spec.motto_border:
        _border_bottom(motto, spec.motto, 13, _cell_mm(spec))
    if spec.kind != "BB":
        _para(right, "", 13, align=CENTER)
        _para(right, spec.place_date, 13, italic=spec.place_date_italic, align=CENTER, spec=spec)


def _title(doc, spec: DocSpec) -> None:
    if spec.kind == "CV":
        _para(doc, "", 14)
        label = "Kính gửi: " + spec.kinh_gui[0] if len(spec.kinh_gui) == 1 else "Kính gửi:"
        _para(doc, label, 14, align=CENTER, spec=spec)
        if len(spec.kinh_gui) > 1:
            for item in spec.kinh_gui:
                _para(doc, item, 14, align=CENTER, spec=spec)
        return
    type_name = "BIÊN BẢN" if spec.kind == "BB" else spec.type_name
    _para(doc, "", 14)
    _para(doc, type_name, 14, bold=spec.type_bold, align=CENTER, spec=spec)
    summary = spec.summary if spec.kind != "BB" else "Họp Hội đồng Thi đua - Khen thưởng"
    _para(doc, summary, 14, bold=True, align=CENTER, spec=spec)
    if spec.summary_line == "drawing":
        _drawn_line(doc, summary, 14)
    elif spec.summary_line == "text":
        _para(doc, "________________", 14, align=CENTER)


def _body(doc, spec: DocSpec) -> None:
    style = None
    if spec.body_style_size is not None:
        style = doc.styles.add_style("BodyVanBan", 1)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(spec.body_style_size)
    for text in spec.body:
        para = doc.add_paragraph(style=style)
        para.alignment = JUSTIFY
        fmt = para.paragraph_format
        fmt.first_line_indent = Cm(1.27)
        fmt.space_before = Pt(6)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        run = para.add_run(text)
        if spec.body_style_size is None:
            run.font.size = Pt(spec.body_size)
        if text.startswith("Căn cứ"):
            run.italic = True
        if spec.color is not None:
            run.font.color.rgb = spec.color


def _end(doc, spec: DocSpec) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    if spec.kind == "BB":
        _signature(left, ["THƯ KÝ"], "Trần Thị Bình", spec)
        _signature(right, ["CHỦ TỌA"], spec.signer, spec)
        if spec.recipients:
            _recipients(doc, spec, new=True)
        return
    if spec.recipients:
        _recipients(left, spec, new=False)
    _signature(right, spec.authority, spec.signer, spec)


def _recipients(container, spec: DocSpec, new: bool) -> None:
    _para(
        container,
        "Nơi nhận:",
        12,
        bold=True,
        italic=spec.recipients_label_italic,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        new=new,
        spec=spec,
    )
    for item in spec.recipient_items:
        _para(container, item, spec.recipient_size, align=WD_ALIGN_PARAGRAPH.LEFT, spec=spec)


def _signature(
    cell, authority: list[str], signer: str, spec: DocSpec, first_new: bool = False
) -> None:
    first = not first_new
    for line in authority:
        _para(cell, line, 14, bold=spec.authority_bold, align=CENTER, new=not first, spec=spec)
        first = False
    for _ in range(3):
        _para(cell, "", 14, align=CENTER)
    _para(cell, signer, spec.signer_size, bold=True, align=CENTER, spec=spec)


_NUMBERS = {"KH": "Số: 05/KH-THCSMP", "CV": "Số: 05/THCSMP-VP", "BB": "Số: 05/BB-THCSMP"}
_ITEMS = ["- Phòng Văn hóa - Xã hội (để b/c);", "- Các tổ chuyên môn;", "- Lưu: VT."]


def build_docx(spec: DocSpec) -> bytes:
    """Return the bytes of a .docx built from ``spec``."""
    if spec.number is None:
        spec.number = _NUMBERS[spec.kind]
    if spec.recipient_items is None:
        spec.recipient_items = (["- Như trên;"] if spec.kind == "CV" else []) + _ITEMS
    doc = Document()
    _setup(doc, spec)
    # python-docx starts with one empty paragraph-less body; the header table comes first.
    _header(doc, spec)
    _title(doc, spec)
    _body(doc, spec)
    _end(doc, spec)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_certificate(landscape: bool = True, title_bold: bool = True) -> bytes:
    """Return a Giấy khen laid out on A4 landscape."""
    doc = Document()
    spec = DocSpec(
        landscape=landscape,
        page_numbers="none",
        margins_mm={"top": 15, "bottom": 15, "left": 20, "right": 20},
    )
    _setup(doc, spec)
    _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 14, bold=True, align=CENTER)
    motto = _para(doc, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, align=CENTER)
    _border_bottom(motto, "Độc lập - Tự do - Hạnh phúc", 14, 297 - 20 - 20)
    _para(doc, "HIỆU TRƯỞNG TRƯỜNG THCS MỸ PHƯỚC", 16, bold=True, align=CENTER)
    _para(doc, "TẶNG", 16, bold=True, align=CENTER)
    _para(doc, "GIẤY KHEN", 28, bold=title_bold, align=CENTER)
    _para(doc, "Cô giáo Nguyễn Thị Hoa", 16, bold=True, align=CENTER)
    _para(doc, "Giáo viên Tổ Khoa học tự nhiên", 14, align=CENTER)
    _para(
        doc,
        "Đã có thành tích xuất sắc trong phong trào thi đua năm học 2025-2026",
        14,
        italic=True,
        align=CENTER,
    )
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _para(left, "Số quyết định: 15/QĐ-THCSMP", 13, bold=True, italic=True, new=False)
    _para(left, "Số sổ vàng: 27", 13, bold=True, italic=True)
    _para(
        right,
        "Mỹ Phước, ngày 20 tháng 5 năm 2026",
        14,
        italic=True,
        bold=True,
        align=CENTER,
        new=False,
    )
    _signature(right, ["HIỆU TRƯỞNG"], "Lê Văn An", spec, first_new=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    """Return a function building a .docx from keyword overrides of :class:`DocSpec`."""

    def make(**changes: object) -> bytes:
        return build_docx(DocSpec(**changes))

    return make
