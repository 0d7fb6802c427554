"""Quyết định (cá biệt) quy định trực tiếp (Mẫu 1.2, Phụ lục III NĐ 30): thành lập một hội
đồng, ban, tổ; phân công; cử...; with its members' list as an annex when it has one."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import can_cu_block
from render.build.blocks import header_table
from render.build.blocks import lead_paragraphs_block
from render.build.blocks import list_annex
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kinds.general import decision_fields
from render.build.kinds.general import own_can_cu
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import element_fmt
from render.build.kit import tag_par

SAMPLE_CAN_CU = [
    "Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15 tháng 9 năm 2020 của Bộ trưởng Bộ Giáo dục "
    "và Đào tạo ban hành Điều lệ trường trung học cơ sở, trường trung học phổ thông và trường "
    "phổ thông có nhiều cấp học",
]

MANIFEST = {
    "kind": "quyet_dinh_chung",
    "label": "Quyết định (thành lập, phân công, cử...)",
    "description": "Quyết định cá biệt quy định trực tiếp: thành lập hội đồng, ban, tổ; phân "
    "công nhiệm vụ; cử cán bộ (Mẫu 1.2 Phụ lục III Nghị định 30/2020/NĐ-CP), kèm danh "
    "sách khi có.",
    "header": {"doc_type": "QĐ"},
    "header_fields": own_can_cu(header_fields(can_cu=True)),
    "fields": [
        *decision_fields(),
        field(
            "tieu_de_danh_sach",
            "Tiêu đề danh sách kèm theo",
            help_="Ví dụ “Thành viên Hội đồng Thi đua - Khen thưởng năm học 2025-2026”; để "
            "trống khi quyết định không kèm danh sách.",
        ),
        field(
            "thanh_vien",
            "Danh sách kèm theo",
            "list",
            help_="In thành phụ lục sau quyết định, số trang đánh lại từ 1.",
            columns=[
                column("ho_ten", "Họ và tên", required=True),
                column("chuc_vu", "Chức vụ, đơn vị công tác"),
                column("nhiem_vu", "Nhiệm vụ"),
            ],
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 15,
            "date": "2025-09-08",
            "summary": "Về việc thành lập Hội đồng Thi đua - Khen thưởng năm học 2025-2026",
            "can_cu": [
                *SAMPLE_CAN_CU,
                "Căn cứ Quy chế thi đua, khen thưởng của Trường THCS Mỹ Thạnh ban hành kèm "
                "theo Quyết định số 14/QĐ-THCSMT ngày 05 tháng 9 năm 2025 của Hiệu trưởng "
                "Trường THCS Mỹ Thạnh",
            ],
            "recipients": ["Công đoàn trường"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "tham_quyen": "Hiệu trưởng Trường THCS Mỹ Thạnh",
            "de_nghi_cua": "Tổ trưởng Tổ Văn phòng",
            "dieu": [
                {
                    "noi_dung": "Thành lập Hội đồng Thi đua - Khen thưởng Trường THCS Mỹ Thạnh "
                    "năm học 2025-2026 gồm 05 thành viên có tên trong danh sách kèm theo."
                },
                {
                    "noi_dung": "Hội đồng có nhiệm vụ tham mưu cho Hiệu trưởng tổ chức phong "
                    "trào thi đua, xét và đề nghị khen thưởng theo Quy chế thi đua, khen thưởng "
                    "của nhà trường.\nHội đồng làm việc theo chế độ kiêm nhiệm và tự giải thể "
                    "khi hoàn thành nhiệm vụ."
                },
                {
                    "noi_dung": "Quyết định có hiệu lực kể từ ngày ký. Văn phòng, các tổ chuyên "
                    "môn và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định "
                    "này./."
                },
            ],
            "tieu_de_danh_sach": "Thành viên Hội đồng Thi đua - Khen thưởng năm học 2025-2026",
            "thanh_vien": [
                {
                    "ho_ten": "Nguyễn Văn An",
                    "chuc_vu": "Hiệu trưởng",
                    "nhiem_vu": "Chủ tịch Hội đồng",
                },
                {
                    "ho_ten": "Lê Thị Hồng Nhung",
                    "chuc_vu": "Phó Hiệu trưởng",
                    "nhiem_vu": "Phó Chủ tịch Hội đồng",
                },
                {
                    "ho_ten": "Trần Văn Hải",
                    "chuc_vu": "Chủ tịch Công đoàn cơ sở",
                    "nhiem_vu": "Phó Chủ tịch Hội đồng",
                },
                {
                    "ho_ten": "Phạm Thị Dung",
                    "chuc_vu": "Nhân viên, Tổ Văn phòng",
                    "nhiem_vu": "Thư ký Hội đồng",
                },
                {
                    "ho_ten": "Võ Minh Tâm",
                    "chuc_vu": "Tổ trưởng Tổ Toán - Tin",
                    "nhiem_vu": "Ủy viên",
                },
            ],
        },
    },
}


def decision_body(document: DocxDocument) -> None:
    """Lay out a Quyết định up to its end block: header, title, authority, căn cứ ending
    with "Theo đề nghị của … .", "QUYẾT ĐỊNH:", the numbered articles, the signature."""
    header_table(document)
    title_block(document)
    add_par(document, "{{ authority_line }}", element_fmt("signature_authority"), after=12)
    can_cu_block(document)
    add_par(document, "QUYẾT ĐỊNH:", Fmt(14, bold=True), before=6, after=6, keep_next=True)
    lead_paragraphs_block(document, "articles", keep_last=True)
    signature_block(document)


def build(document: DocxDocument) -> None:
    """Lay out the Quyết định template and, when there is one, its annexed list."""
    decision_body(document)
    tag_par(document, "{%p if thanh_vien %}")
    list_annex(
        document,
        "thanh_vien",
        [
            ("STT", "row.stt", STT_WIDTH_MM, "c"),
            ("Họ và tên", "row.ho_ten", 45, "l"),
            ("Chức vụ, đơn vị công tác", "row.chuc_vu", 56, "l"),
            ("Nhiệm vụ", "row.nhiem_vu", 50, "l"),
        ],
        optional=True,
    )
    tag_par(document, "{%p endif %}")
