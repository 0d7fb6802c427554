"""Thông báo (Mẫu 1.4, Phụ lục III NĐ 30): tên loại, trích yếu, nội dung, Nơi nhận."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import header_table
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import field
from render.build.kinds.common import header_fields

MANIFEST = {
    "kind": "thong_bao",
    "label": "Thông báo",
    "description": "Thông báo của nhà trường: lịch làm việc, kết luận cuộc họp, kết quả "
    "(Mẫu 1.4 Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "TB"},
    "header_fields": header_fields(),
    "fields": [
        field(
            "noi_dung",
            "Nội dung thông báo",
            "textarea",
            required=True,
            help_="Mỗi dòng là một đoạn văn; đoạn cuối kết thúc bằng “./.”.",
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 3,
            "date": "2026-01-20",
            "summary": "Lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2026",
            "recipients": [
                "Cán bộ, giáo viên, nhân viên",
                "Ban đại diện cha mẹ học sinh",
                "Trang thông tin điện tử của trường",
            ],
            **SAMPLE_SIGNER,
        },
        "body": {
            "noi_dung": "Thực hiện Kế hoạch thời gian năm học 2025-2026 của Ủy ban nhân dân "
            "tỉnh, Trường THCS Mỹ Thạnh thông báo lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2026 "
            "như sau:\n"
            "1. Cán bộ, giáo viên, nhân viên và học sinh nghỉ Tết từ ngày 14/02/2026 đến hết "
            "ngày 22/02/2026 (từ 27 tháng Chạp đến hết mùng 6 tháng Giêng năm Bính Ngọ).\n"
            "2. Học sinh đi học trở lại vào thứ Hai, ngày 23/02/2026.\n"
            "3. Trong thời gian nghỉ Tết, Ban Giám hiệu phân công trực và bảo vệ tài sản theo "
            "lịch riêng; giáo viên chủ nhiệm nhắc học sinh giữ an toàn giao thông.\n"
            "Nhà trường thông báo để cán bộ, giáo viên, nhân viên, học sinh và cha mẹ học sinh "
            "biết, thực hiện./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Thông báo template."""
    header_table(document)
    title_block(document)
    paragraphs_block(document, "noi_dung", keep_last=True)
    signature_block(document)
