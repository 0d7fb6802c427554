"""Kế hoạch (Mẫu 1.4, Phụ lục III NĐ 30): căn cứ, numbered sections, timetable."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import can_cu_block
from render.build.blocks import header_table
from render.build.blocks import heading_par
from render.build.blocks import list_table
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import body_par
from render.build.kit import element_fmt
from render.build.kit import tag_par

MANIFEST = {
    "kind": "ke_hoach",
    "label": "Kế hoạch",
    "description": "Kế hoạch của nhà trường (Mẫu 1.4 Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "KH", "legal_basis_kind": "KH_THI_DUA"},
    "header_fields": header_fields(can_cu=True),
    "fields": [
        field(
            "mo_dau",
            "Đoạn mở đầu",
            "textarea",
            help_="Sau các căn cứ, ví dụ “Trường … xây dựng Kế hoạch … như sau:”.",
        ),
        field(
            "phan",
            "Các phần của kế hoạch",
            "list",
            required=True,
            numbering="roman",
            help_="Mỗi phần được đánh số La Mã (I, II, III...) tự động.",
            columns=[
                column("tieu_de", "Tiêu đề phần", required=True),
                column("noi_dung", "Nội dung", "textarea", required=True),
            ],
        ),
        field(
            "tien_do",
            "Tiến độ thực hiện",
            "list",
            columns=[
                column("thoi_gian", "Thời gian"),
                column("noi_dung", "Nội dung công việc"),
                column("thuc_hien", "Người/Bộ phận thực hiện"),
                column("ghi_chu", "Ghi chú"),
            ],
        ),
        field("ket_luan", "Đoạn kết", "textarea", required=True, help_="Kết thúc bằng dấu “./.”"),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 12,
            "date": "2025-09-15",
            "summary": "Tổ chức phong trào thi đua “Dạy tốt - Học tốt” năm học 2025-2026",
            "can_cu": [
                "Căn cứ Kế hoạch số 329/KH-SGDĐT ngày 07 tháng 8 năm 2025 của Sở "
                "Giáo dục và Đào tạo về công tác thi đua, khen thưởng năm học 2025-2026"
            ],
            "recipients": [
                "Ủy ban nhân dân xã Mỹ Thạnh (để b/c)",
                "Các tổ chuyên môn",
                "Công đoàn, Liên đội",
            ],
            **SAMPLE_SIGNER,
        },
        "body": {
            "mo_dau": "Trên cơ sở tình hình thực tế, Trường THCS Mỹ Thạnh xây dựng "
            "Kế hoạch tổ chức phong trào thi đua năm học 2025-2026 như sau:",
            "phan": [
                {
                    "tieu_de": "Mục đích, yêu cầu",
                    "noi_dung": "1. Mục đích\nĐộng viên cán bộ, giáo viên, nhân viên và học sinh "
                    "thi đua hoàn thành xuất sắc nhiệm vụ năm học.\n2. Yêu cầu\n"
                    "Phong trào thi đua được tổ chức thiết thực, hiệu quả, "
                    "tránh hình thức.",
                },
                {
                    "tieu_de": "Nội dung thi đua",
                    "noi_dung": "1. Thi đua dạy tốt, học tốt; đổi mới phương pháp dạy học.\n"
                    "2. Thi đua xây dựng trường học an toàn, thân thiện.",
                },
                {
                    "tieu_de": "Tổ chức thực hiện",
                    "noi_dung": "1. Ban Giám hiệu chỉ đạo chung.\n2. Các tổ chuyên môn triển khai "
                    "đến từng giáo viên, đăng ký thi đua trước ngày 30/9/2025.",
                },
            ],
            "tien_do": [
                {
                    "thoi_gian": "Tháng 9/2025",
                    "noi_dung": "Phát động thi đua, đăng ký danh hiệu",
                    "thuc_hien": "Ban Giám hiệu, Công đoàn",
                    "ghi_chu": "",
                },
                {
                    "thoi_gian": "Tháng 5/2026",
                    "noi_dung": "Tổng kết, bình xét khen thưởng",
                    "thuc_hien": "Hội đồng Thi đua - Khen thưởng",
                    "ghi_chu": "",
                },
            ],
            "ket_luan": "Trên đây là Kế hoạch tổ chức phong trào thi đua năm học 2025-2026 của "
            "Trường Trung học cơ sở Mỹ Thạnh. Trong quá trình thực hiện, nếu có khó "
            "khăn, vướng mắc, các bộ phận báo cáo về Ban Giám hiệu để giải quyết./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Kế hoạch template."""
    header_table(document)
    title_block(document)
    can_cu_block(document)
    paragraphs_block(document, "mo_dau")
    tag_par(document, "{%p for section in phan %}")
    heading_par(document, "{{ section.heading_line }}")
    paragraphs_block(document, "section.noi_dung")
    tag_par(document, "{%p endfor %}")
    tag_par(document, "{%p if tien_do %}")
    body_par(document, "Tiến độ thực hiện:", element_fmt("section_heading"))
    list_table(
        document,
        "tien_do",
        [
            ("STT", "row.stt", STT_WIDTH_MM, "c"),
            ("Thời gian", "row.thoi_gian", 30, "c"),
            ("Nội dung công việc", "row.noi_dung", 58, "j"),
            ("Người/Bộ phận thực hiện", "row.thuc_hien", 40, "c"),
            ("Ghi chú", "row.ghi_chu", 23, "c"),
        ],
    )
    tag_par(document, "{%p endif %}")
    paragraphs_block(document, "ket_luan", keep_last=True)
    signature_block(document)
