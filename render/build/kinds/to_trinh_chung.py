"""Tờ trình (Mẫu 1.4, Phụ lục III NĐ 30) on any matter: Kính gửi, căn cứ, nội dung trình."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import can_cu_block
from render.build.blocks import header_table
from render.build.blocks import kinh_gui_block
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kinds.general import own_can_cu

MANIFEST = {
    "kind": "to_trinh_chung",
    "label": "Tờ trình",
    "description": "Tờ trình đề nghị cấp trên xem xét, phê duyệt một việc (kinh phí, kế "
    "hoạch, nhân sự...) (Mẫu 1.4 Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "TTr", "kinh_gui": True},
    "header_fields": own_can_cu(header_fields(kinh_gui=True, can_cu=True)),
    "fields": [
        field(
            "noi_dung",
            "Nội dung tờ trình",
            "textarea",
            required=True,
            help_="Sự cần thiết, nội dung đề nghị; mỗi dòng là một đoạn văn.",
        ),
        field(
            "ket_luan",
            "Đoạn kết",
            "textarea",
            required=True,
            help_="Ví dụ “Kính trình … xem xét, phê duyệt./.”",
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 11,
            "date": "2025-10-06",
            "summary": "Về việc đề nghị cấp kinh phí sửa chữa phòng học năm 2025",
            "kinh_gui": ["Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"],
            "can_cu": [
                "Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15 tháng 9 năm 2020 của Bộ trưởng Bộ "
                "Giáo dục và Đào tạo ban hành Điều lệ trường trung học cơ sở, trường trung học "
                "phổ thông và trường phổ thông có nhiều cấp học",
                "Căn cứ Biên bản kiểm tra hiện trạng cơ sở vật chất ngày 25 tháng 9 năm 2025 "
                "của Trường THCS Mỹ Thạnh",
            ],
            "recipients": ["Phòng Văn hóa - Xã hội xã Mỹ Thạnh"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "noi_dung": "Dãy phòng học khu B của nhà trường (06 phòng) được xây dựng năm 2005, "
            "nay mái tôn bị dột, hệ thống điện xuống cấp, không bảo đảm an toàn cho học sinh "
            "trong mùa mưa bão.\n"
            "Trường THCS Mỹ Thạnh đề nghị Ủy ban nhân dân xã cấp kinh phí 350.000.000 đồng "
            "(Ba trăm năm mươi triệu đồng) để thay mái, sửa chữa hệ thống điện của 06 phòng "
            "học nêu trên (có dự toán kèm theo).",
            "ket_luan": "Kính trình Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh xem xét, phê duyệt./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Tờ trình template."""
    header_table(document)
    title_block(document)
    kinh_gui_block(document)
    can_cu_block(document)
    paragraphs_block(document, "noi_dung")
    paragraphs_block(document, "ket_luan", keep_last=True)
    signature_block(document)
