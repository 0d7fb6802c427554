"""Quyết định công nhận danh hiệu / khen thưởng (Mẫu 1.2 NĐ 30) with its annexed list."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import can_cu_block
from render.build.blocks import header_table
from render.build.blocks import list_table
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.flow import annex_section
from render.build.flow import keep_with_next
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import BODY_STYLE
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import add_run
from render.build.kit import body_par
from render.build.kit import element_fmt
from render.build.kit import tag_par

MANIFEST = {
    "kind": "quyet_dinh",
    "label": "Quyết định công nhận danh hiệu, khen thưởng",
    "description": "Quyết định công nhận danh hiệu thi đua hoặc tặng hình thức khen thưởng "
    "(Mẫu 1.2 Phụ lục III Nghị định 30/2020/NĐ-CP), kèm danh sách.",
    "header": {"doc_type": "QĐ", "legal_basis_kind": "QD_KHEN_THUONG"},
    "header_fields": header_fields(can_cu=True),
    "fields": [
        field(
            "tham_quyen",
            "Thẩm quyền ban hành",
            required=True,
            help_="Chức vụ người đứng đầu, ví dụ “Hiệu trưởng Trường THCS Mỹ Thạnh”.",
        ),
        field(
            "theo_de_nghi",
            "Đơn vị, người đề nghị",
            required=True,
            help_="Văn bản in “Theo đề nghị của …”: chỉ ghi phần sau, ví dụ “Hội đồng Thi đua "
            "- Khen thưởng nhà trường”.",
            lead="Theo đề nghị của",
            lead_aliases=["Xét đề nghị của"],
        ),
        *(
            field(
                f"dieu_{n}",
                f"Điều {n}",
                "textarea",
                required=True,
                help_=f"Văn bản tự in “Điều {n}.” ở đầu điều.",
                lead=f"Điều {n}",
            )
            for n in (1, 2, 3)
        ),
        field(
            "tieu_de_danh_sach",
            "Tiêu đề danh sách kèm theo",
            required=True,
            help_="In dưới chữ “DANH SÁCH”, ví dụ “Cá nhân đạt danh hiệu …”.",
            lead="Danh sách",
        ),
        field(
            "danh_sach",
            "Danh sách kèm theo",
            "list",
            required=True,
            columns=[
                column("ho_ten", "Họ và tên", required=True),
                column("chuc_vu", "Chức vụ, đơn vị công tác"),
                column("hinh_thuc", "Danh hiệu/hình thức", required=True),
                column("ghi_chu", "Ghi chú"),
            ],
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 45,
            "date": "2025-06-05",
            "summary": "Về việc công nhận danh hiệu “Lao động tiên tiến” năm học 2024-2025",
            "can_cu": ["Quy chế thi đua, khen thưởng của Trường THCS Mỹ Thạnh"],
            "recipients": ["Công đoàn trường", "Kế toán"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "tham_quyen": "Hiệu trưởng Trường THCS Mỹ Thạnh",
            "theo_de_nghi": "Hội đồng Thi đua - Khen thưởng nhà trường",
            "dieu_1": "Công nhận danh hiệu “Lao động tiên tiến” năm học 2024-2025 cho 03 cá "
            "nhân có tên trong danh sách kèm theo.",
            "dieu_2": "Mỗi cá nhân được tặng danh hiệu được hưởng tiền thưởng theo quy định "
            "hiện hành.\nNguồn kinh phí: quỹ thi đua, khen thưởng của nhà trường.",
            "dieu_3": "Quyết định có hiệu lực kể từ ngày ký. Văn phòng, Kế toán và các cá nhân "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            "tieu_de_danh_sach": "Cá nhân đạt danh hiệu “Lao động tiên tiến” năm học 2024-2025",
            "danh_sach": [
                {
                    "ho_ten": "Trần Thị Bình",
                    "chuc_vu": "Giáo viên, Tổ Toán - Tin",
                    "hinh_thuc": "Lao động tiên tiến",
                    "ghi_chu": "",
                },
                {
                    "ho_ten": "Lê Văn Cường",
                    "chuc_vu": "Giáo viên, Tổ Ngữ văn",
                    "hinh_thuc": "Lao động tiên tiến",
                    "ghi_chu": "",
                },
                {
                    "ho_ten": "Phạm Thị Dung",
                    "chuc_vu": "Nhân viên, Tổ Văn phòng",
                    "hinh_thuc": "Lao động tiên tiến",
                    "ghi_chu": "",
                },
            ],
        },
    },
}


def _article(document: DocxDocument, number: int, *, keep_last: bool = False) -> None:
    """Add "Điều N." in bold followed by the first paragraph, then the other paragraphs.

    With ``keep_last`` (the last article) its last paragraph keeps with the end block.
    """
    var = f"dieu_{number}"

    def paragraph():
        made = document.add_paragraph(style=BODY_STYLE)
        add_run(made, f"{{% if loop.first %}}Điều {number}. {{% endif %}}", Fmt(14, bold=True))
        add_run(made, "{{ para }}", Fmt(14))
        return made

    tag_par(document, f"{{%p for para in {var}|paragraphs %}}")
    if keep_last:
        tag_par(document, "{%p if loop.last %}")
        keep_with_next(paragraph())
        tag_par(document, "{%p else %}")
    paragraph()
    if keep_last:
        tag_par(document, "{%p endif %}")
    tag_par(document, "{%p endfor %}")


def build(document: DocxDocument) -> None:
    """Lay out the Quyết định template and its annexed list."""
    header_table(document)
    title_block(document)
    add_par(document, "{{ authority_line }}", element_fmt("signature_authority"), after=12)
    can_cu_block(document)
    add_par(document, "QUYẾT ĐỊNH:", Fmt(14, bold=True), before=6, after=6)
    for number in (1, 2, 3):
        _article(document, number, keep_last=number == 3)
    signature_block(document)
    # The list is an annex: its own section, pages numbered from 1 again (NĐ 30).
    annex_section(document)
    add_par(document, "DANH SÁCH", element_fmt("doc_type_name"))
    add_par(document, "{{ tieu_de_danh_sach }}", element_fmt("summary"))
    add_par(document, "{{ annex_line }}", Fmt(14, italic=True), after=12)
    list_table(
        document,
        "danh_sach",
        [
            ("STT", "row.stt", STT_WIDTH_MM, "c"),
            ("Họ và tên", "row.ho_ten", 45, "l"),
            ("Chức vụ, đơn vị công tác", "row.chuc_vu", 48, "l"),
            ("Danh hiệu/hình thức", "row.hinh_thuc", 35, "c"),
            ("Ghi chú", "row.ghi_chu", 23, "l"),
        ],
    )
    body_par(document, "", Fmt(14))
