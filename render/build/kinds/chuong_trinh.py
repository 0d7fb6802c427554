"""Chương trình (Mẫu 1.4, Phụ lục III NĐ 30): a meeting's or a period's timetable."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import header_table
from render.build.blocks import list_table
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import Fmt
from render.build.kit import add_par

MANIFEST = {
    "kind": "chuong_trinh",
    "label": "Chương trình",
    "description": "Chương trình hội nghị, chương trình công tác (Mẫu 1.4 Phụ lục III "
    "Nghị định 30/2020/NĐ-CP), với bảng thời gian, nội dung, người thực hiện.",
    "header": {"doc_type": "CTr"},
    "header_fields": header_fields(),
    "fields": [
        field(
            "mo_dau",
            "Đoạn mở đầu",
            "textarea",
            help_="Thời gian, địa điểm, thành phần; mỗi dòng là một đoạn văn.",
        ),
        field(
            "lich",
            "Nội dung chương trình",
            "list",
            required=True,
            columns=[
                column("thoi_gian", "Thời gian", required=True),
                column("noi_dung", "Nội dung", required=True),
                column("thuc_hien", "Người thực hiện"),
            ],
        ),
        field("ket_luan", "Đoạn kết", "textarea", required=True, help_="Kết thúc bằng dấu “./.”"),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 2,
            "date": "2025-09-22",
            "summary": "Hội nghị viên chức, người lao động năm học 2025-2026",
            "recipients": ["Công đoàn trường", "Các tổ chuyên môn, Tổ Văn phòng"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "mo_dau": "Thời gian: 07 giờ 30 phút, thứ Bảy, ngày 27 tháng 9 năm 2025.\n"
            "Địa điểm: Hội trường Trường THCS Mỹ Thạnh.\n"
            "Thành phần: toàn thể viên chức, người lao động của nhà trường.",
            "lich": [
                {
                    "thoi_gian": "07 giờ 30 - 07 giờ 45",
                    "noi_dung": "Chào cờ, tuyên bố lý do, giới thiệu đại biểu",
                    "thuc_hien": "Ban Tổ chức",
                },
                {
                    "thoi_gian": "07 giờ 45 - 08 giờ 30",
                    "noi_dung": "Báo cáo tổng kết năm học 2024-2025 và phương hướng nhiệm vụ "
                    "năm học 2025-2026",
                    "thuc_hien": "Hiệu trưởng",
                },
                {
                    "thoi_gian": "08 giờ 30 - 09 giờ 30",
                    "noi_dung": "Thảo luận, biểu quyết các chỉ tiêu thi đua",
                    "thuc_hien": "Chủ tọa, Hội nghị",
                },
                {
                    "thoi_gian": "09 giờ 30 - 10 giờ 00",
                    "noi_dung": "Thông qua Nghị quyết Hội nghị, bế mạc",
                    "thuc_hien": "Thư ký, Chủ tọa",
                },
            ],
            "ket_luan": "Chương trình có thể được điều chỉnh theo thực tế; Ban Tổ chức sẽ "
            "thông báo trước khi Hội nghị khai mạc./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Chương trình template."""
    header_table(document)
    title_block(document)
    paragraphs_block(document, "mo_dau")
    list_table(
        document,
        "lich",
        [
            ("STT", "row.stt", STT_WIDTH_MM, "c"),
            ("Thời gian", "row.thoi_gian", 46, "c"),
            ("Nội dung", "row.noi_dung", 63, "l"),
            ("Người thực hiện", "row.thuc_hien", 42, "c"),
        ],
    )
    add_par(document, "", Fmt(6))
    paragraphs_block(document, "ket_luan", keep_last=True)
    signature_block(document)
