"""Tờ trình đề nghị khen thưởng (Mẫu 01 NĐ 152/2025, layout Mẫu 1.4 NĐ 30)."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import can_cu_block
from render.build.blocks import header_table
from render.build.blocks import kinh_gui_block
from render.build.blocks import list_table
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields

MANIFEST = {
    "kind": "to_trinh",
    "label": "Tờ trình đề nghị khen thưởng",
    "description": "Tờ trình đề nghị xét tặng danh hiệu thi đua, hình thức khen thưởng "
    "(Mẫu số 01 Nghị định 152/2025/NĐ-CP).",
    "header": {"doc_type": "TTr", "kinh_gui": True, "legal_basis_kind": "TTR_KHEN_THUONG"},
    "header_fields": header_fields(kinh_gui=True, can_cu=True),
    "fields": [
        field(
            "theo_de_nghi",
            "Đơn vị, người đề nghị",
            help_="Văn bản in “Xét đề nghị của …”: chỉ ghi phần sau, ví dụ “Hội đồng Thi đua - "
            "Khen thưởng nhà trường tại Biên bản họp ngày …”. Để trống nếu không có.",
            lead="Xét đề nghị của",
            lead_aliases=["Theo đề nghị của"],
        ),
        field(
            "noi_dung",
            "Nội dung tờ trình",
            "textarea",
            required=True,
            help_="Tóm tắt thành tích, kết quả bình xét; mỗi dòng là một đoạn văn.",
        ),
        field(
            "de_nghi",
            "Danh hiệu, hình thức đề nghị",
            "list",
            required=True,
            columns=[
                column("hinh_thuc", "Danh hiệu/hình thức", required=True),
                column("tap_the", "Số tập thể", "int"),
                column("ca_nhan", "Số cá nhân", "int"),
                column("ghi_chu", "Ghi chú"),
            ],
        ),
        field(
            "ket_luan",
            "Đoạn kết",
            "textarea",
            required=True,
            help_="Ví dụ “(Có danh sách và hồ sơ kèm theo) … kính trình … xem xét, quyết định./.”",
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 7,
            "date": "2025-06-02",
            "summary": "Về việc đề nghị công nhận danh hiệu thi đua năm học 2024-2025",
            "kinh_gui": ["Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"],
            "can_cu": ["Quy chế thi đua, khen thưởng của Trường THCS Mỹ Thạnh"],
            "recipients": ["Phòng Văn hóa - Xã hội xã Mỹ Thạnh"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "theo_de_nghi": "Hội đồng Thi đua - Khen thưởng nhà trường tại Biên bản họp ngày "
            "28/5/2025",
            "noi_dung": "Năm học 2024-2025, tập thể cán bộ, giáo viên, nhân viên nhà trường "
            "đã hoàn thành tốt nhiệm vụ; tỷ lệ học sinh lên lớp đạt 99,2 %.\n"
            "Trường THCS Mỹ Thạnh kính trình Chủ tịch Ủy ban nhân dân xã xem xét, "
            "công nhận danh hiệu thi đua như sau:",
            "de_nghi": [
                {"hinh_thuc": "Lao động tiên tiến", "tap_the": "", "ca_nhan": "32", "ghi_chu": ""},
                {
                    "hinh_thuc": "Chiến sĩ thi đua cơ sở",
                    "tap_the": "",
                    "ca_nhan": "4",
                    "ghi_chu": "Có sáng kiến được công nhận",
                },
                {
                    "hinh_thuc": "Tập thể lao động tiên tiến",
                    "tap_the": "3",
                    "ca_nhan": "",
                    "ghi_chu": "",
                },
            ],
            "ket_luan": "(Có danh sách trích ngang và hồ sơ kèm theo)\nKính trình Chủ tịch "
            "Ủy ban nhân dân xã Mỹ Thạnh xem xét, quyết định./.",
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
    list_table(
        document,
        "de_nghi",
        [
            ("STT", "row.stt", STT_WIDTH_MM, "c"),
            ("Danh hiệu, hình thức khen thưởng", "row.hinh_thuc", 68, "l"),
            ("Tập thể", "row.tap_the", 22, "c"),
            ("Cá nhân", "row.ca_nhan", 22, "c"),
            ("Ghi chú", "row.ghi_chu", 39, "l"),
        ],
    )
    paragraphs_block(document, "ket_luan", keep_last=True)
    signature_block(document)
