"""Danh sách đề nghị khen thưởng (trích ngang), A4 landscape for its wide table."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.table import Table

from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import authority_cell
from render.build.blocks import closing_row
from render.build.blocks import header_table
from render.build.blocks import list_table
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import cell_par
from render.build.kit import repeat_header_row
from render.build.kit import tag_par
from render.build.measure import WIDE_HEADER_WIDTHS_MM

MANIFEST = {
    "kind": "danh_sach",
    "label": "Danh sách đề nghị khen thưởng (trích ngang)",
    "description": "Danh sách trích ngang cá nhân, tập thể đề nghị khen thưởng, kèm theo "
    "tờ trình; trình bày khổ A4 nằm ngang vì bảng nhiều cột.",
    "landscape": True,
    "header": {"type_name": "Danh sách", "number": False, "recipients": False},
    "header_fields": header_fields(recipients=False),
    "fields": [
        field(
            "kem_theo",
            "Kèm theo văn bản",
            help_="Văn bản in “(Kèm theo …)”: chỉ ghi văn bản, ví dụ “Tờ trình số "
            "07/TTr-THCSMT ngày 02/6/2025 của Trường THCS Mỹ Thạnh”.",
            lead="Kèm theo",
        ),
        field(
            "nguoi_de_nghi",
            "Danh sách",
            "list",
            required=True,
            columns=[
                column("ho_ten", "Họ và tên", required=True),
                column("nam_sinh", "Năm sinh", "int"),
                column("gioi_tinh", "Giới tính", "choice", choices=["Nam", "Nữ"]),
                column("chuc_vu", "Chức vụ, đơn vị công tác"),
                column("danh_hieu", "Danh hiệu/hình thức đề nghị", required=True),
                column("thanh_tich", "Tóm tắt thành tích", "textarea"),
                column("ghi_chu", "Ghi chú"),
            ],
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "date": "2025-06-02",
            "summary": "Cá nhân đề nghị công nhận danh hiệu “Chiến sĩ thi đua cơ sở” năm học "
            "2024-2025",
            **SAMPLE_SIGNER,
        },
        "body": {
            "kem_theo": "Tờ trình số 07/TTr-THCSMT ngày 02/6/2025 của Trường THCS Mỹ Thạnh",
            "nguoi_de_nghi": [
                {
                    "ho_ten": "Trần Thị Bình",
                    "nam_sinh": 1985,
                    "gioi_tinh": "Nữ",
                    "chuc_vu": "Giáo viên, Tổ Toán - Tin",
                    "danh_hieu": "Chiến sĩ thi đua cơ sở",
                    "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ năm học 2024-2025;\nsáng kiến "
                    "được công nhận tại Quyết định số 30/QĐ-THCSMT ngày 20/5/2025.",
                    "ghi_chu": "",
                },
                {
                    "ho_ten": "Lê Văn Cường",
                    "nam_sinh": 1979,
                    "gioi_tinh": "Nam",
                    "chuc_vu": "Giáo viên, Tổ Ngữ văn",
                    "danh_hieu": "Chiến sĩ thi đua cơ sở",
                    "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ; có học sinh giỏi cấp tỉnh.",
                    "ghi_chu": "",
                },
            ],
        },
    },
}

HEADER_WIDTHS_MM = WIDE_HEADER_WIDTHS_MM
COLUMNS = [
    ("STT", "row.stt", STT_WIDTH_MM, "c"),
    ("Họ và tên", "row.ho_ten", 40, "l"),
    ("Nam", "row.nam", 16, "c"),
    ("Nữ", "row.nu", 16, "c"),
    ("Chức vụ, đơn vị công tác", "row.chuc_vu", 42, "l"),
    ("Danh hiệu/hình thức đề nghị", "row.danh_hieu", 35, "c"),
    ("Tóm tắt thành tích", "row.thanh_tich", 64, "j"),
    ("Ghi chú", "row.ghi_chu", 25, "l"),
]


def _two_header_rows(table: Table) -> None:
    """Header with "Năm sinh" spanning the Nam and Nữ columns."""
    first = table.rows[0]
    second = table.add_row()
    bold = Fmt(13, bold=True)
    for index, (title, _, _, _) in enumerate(COLUMNS):
        top, bottom = first.cells[index], second.cells[index]
        for cell in (top, bottom):
            cell._tc.remove(cell.paragraphs[0]._p)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if title in ("Nam", "Nữ"):
            cell_par(bottom, title, bold)
            cell_par(top, "Năm sinh" if title == "Nam" else "", bold)
        else:
            cell_par(top, title, bold)
            cell_par(bottom, "", bold)
    merged = first.cells[2].merge(first.cells[3])
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for index, (title, _, _, _) in enumerate(COLUMNS):
        if title not in ("Nam", "Nữ"):
            cell = table.cell(0, index).merge(table.cell(1, index))
            for extra in cell.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
    repeat_header_row(first)
    repeat_header_row(second)


def build(document: DocxDocument) -> None:
    """Lay out the Danh sách template (landscape)."""
    header_table(document, with_number=False, widths=HEADER_WIDTHS_MM)
    title_block(document, before=12)
    tag_par(document, "{%p if kem_theo %}")
    add_par(document, "(Kèm theo {{ kem_theo }})", Fmt(14, italic=True), after=12, keep_next=True)
    tag_par(document, "{%p endif %}")
    # The signature is the list's closing row, over its last two columns: it never starts a
    # page without the list's last row (see render.build.blocks.list_table).
    list_table(document, "nguoi_de_nghi", COLUMNS, header_rows=_two_header_rows, closing=_signature)


def _signature(table: Table) -> None:
    left, right = closing_row(table, len(COLUMNS) - 2)
    add_par(left, "", Fmt(14))
    add_par(right, "", Fmt(14))  # the blank line between the list and the signature
    authority_cell(right)
