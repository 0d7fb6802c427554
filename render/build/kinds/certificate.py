"""Giấy khen: A4 landscape certificate (NĐ 98/2023 Điều 104; see domain.layout)."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from domain import layout
from render.build.blocks import motto_par
from render.build.flow import cant_split
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import LEFT
from render.build.kit import Fmt
from render.build.kit import Xml
from render.build.kit import add_par
from render.build.kit import borderless_table
from render.build.kit import element_fmt
from render.build.kit import tag_par
from render.build.kit import text_width_mm

MANIFEST = {
    "kind": "giay_khen",
    "label": "Giấy khen",
    "description": "Giấy khen khổ A4 nằm ngang (Điều 104 Nghị định 98/2023/NĐ-CP; quốc huy "
    "và hoa văn trang trí in sẵn trên phôi).",
    "landscape": True,
    "header": {"number": False, "recipients": False},
    "header_fields": header_fields(summary=False, recipients=False),
    "fields": [
        field(
            "nguoi_khen",
            "Chức danh người khen thưởng",
            required=True,
            help_="Ví dụ “Hiệu trưởng Trường THCS Mỹ Thạnh”.",
        ),
        field(
            "nguoi_nhan",
            "Tặng (cá nhân, tập thể)",
            required=True,
            help_="Ví dụ “Bà Trần Thị Bình” hoặc “Tổ Toán - Tin” (chữ “TẶNG” in sẵn).",
            lead="Tặng",
        ),
        field("don_vi", "Chức vụ, đơn vị", help_="Ví dụ “Giáo viên Trường THCS Mỹ Thạnh”."),
        field("thanh_tich", "Thành tích", "textarea", required=True),
        field(
            "so_quyet_dinh",
            "Số quyết định",
            required=True,
            help_="Ví dụ “45/QĐ-THCSMT” (văn bản in “Quyết định số …”).",
            lead="Quyết định số",
            lead_aliases=["Số"],
        ),
        field("ngay_quyet_dinh", "Ngày quyết định", "date", required=True),
        field("so_vang", "Số sổ vàng", lead="Số sổ vàng"),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "date": "2025-06-05",
            "signer_position": "Hiệu trưởng",
            "signer_name": "Nguyễn Văn An",
        },
        "body": {
            "nguoi_khen": "Hiệu trưởng Trường THCS Mỹ Thạnh",
            "nguoi_nhan": "Bà Trần Thị Bình",
            "don_vi": "Giáo viên Tổ Toán - Tin, Trường THCS Mỹ Thạnh",
            "thanh_tich": "Đã có thành tích xuất sắc trong phong trào thi đua\nnăm học 2024-2025",
            "so_quyet_dinh": "45/QĐ-THCSMT",
            "ngay_quyet_dinh": "2025-06-05",
            "so_vang": "12",
        },
    },
}


def _page_border(document: DocxDocument) -> None:
    """Draw a double border around the page (the decorative frame of the certificate)."""
    sect_pr: Xml = document.sections[0]._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (
            ("val", "thinThickSmallGap"),
            ("sz", "24"),
            ("space", "24"),
            ("color", "C00000"),
        ):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    # CT_SectPr order: ... pgSz, pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols ...
    sect_pr.find(qn("w:pgMar")).addnext(borders)


def build(document: DocxDocument) -> None:
    """Lay out the Giấy khen template."""
    cert = {
        key: element_fmt(key, certificate=True)
        for key in layout.CERTIFICATE_ELEMENTS
        if key != "motto_underline"
    }
    _page_border(document)
    width = text_width_mm(document)
    add_par(document, layout.NATIONAL_TITLE, cert["national_title"], before=6)
    motto_par(document, cert["motto"], width + 3.8, after=12)
    awarder = Fmt(cert["certificate_awarder"].size, bold=True, red=True)
    add_par(document, "{{ awarder_line }}", awarder, after=6)
    add_par(document, "TẶNG", cert["certificate_tang"], after=6)
    title = Fmt(cert["certificate_title"].size, bold=True, red=True)
    add_par(document, layout.CERTIFICATE_MARKER, title, after=12)
    add_par(document, "{{ nguoi_nhan }}", Fmt(20, bold=True), after=6)
    tag_par(document, "{%p if don_vi %}")
    add_par(document, "{{ don_vi }}", Fmt(16), after=6)
    tag_par(document, "{%p endif %}")
    tag_par(document, "{%p for para in thanh_tich|paragraphs %}")
    add_par(document, "{{ para }}", Fmt(16, italic=True), keep_next=True)
    tag_par(document, "{%p endfor %}")
    add_par(document, "", Fmt(14), after=12, keep_next=True)
    # The signature row never splits and keeps the achievement text above it on its page.
    table = borderless_table(document, [110.0, width - 110.0])
    cant_split(table.rows[0])
    left, right = table.rows[0].cells
    reference = Fmt(14, bold=True, italic=True)
    for _ in range(3):
        add_par(left, "", Fmt(14))
    add_par(left, "{{ decision_line }}", reference, align=LEFT)
    tag_par(left, "{%p if golden_book_line %}")
    add_par(left, "{{ golden_book_line }}", reference, align=LEFT)
    tag_par(left, "{%p endif %}")
    add_par(right, "{{ place_date_line }}", Fmt(14, bold=True, italic=True))
    tag_par(right, "{%p for line in sign_authority %}")
    add_par(right, "{{ line }}", cert["signature_authority"])
    tag_par(right, "{%p endfor %}")
    for _ in range(4):
        add_par(right, "", Fmt(14))
    add_par(right, "{{ signer_name }}", cert["signer_name"])
