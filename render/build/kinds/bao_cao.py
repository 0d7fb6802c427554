"""Báo cáo (Mẫu 1.4, Phụ lục III NĐ 30): Kính gửi when sent to a superior, numbered parts."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import header_table
from render.build.blocks import kinh_gui_block
from render.build.blocks import paragraphs_block
from render.build.blocks import sections_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kinds.general import changed
from render.build.kinds.general import sections_field

_HEADER_FIELDS = changed(
    header_fields(kinh_gui=True),
    "kinh_gui",
    required=False,
    help="Khi gửi cấp trên: mỗi dòng một cơ quan nhận báo cáo; để trống với báo cáo nội bộ "
    "(khi đó không in “Kính gửi” và “Như trên”).",
)

MANIFEST = {
    "kind": "bao_cao",
    "label": "Báo cáo",
    "description": "Báo cáo sơ kết, tổng kết, báo cáo theo yêu cầu của cấp trên (Mẫu 1.4 "
    "Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "BC", "kinh_gui": True},
    "header_fields": _HEADER_FIELDS,
    "fields": [
        field(
            "mo_dau",
            "Đoạn mở đầu",
            "textarea",
            help_="Ví dụ “Thực hiện Công văn số … , Trường … báo cáo như sau:”.",
        ),
        sections_field("Các phần của báo cáo"),
        field("ket_luan", "Đoạn kết", "textarea", required=True, help_="Kết thúc bằng dấu “./.”"),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 21,
            "date": "2026-01-16",
            "summary": "Sơ kết học kỳ I năm học 2025-2026",
            "kinh_gui": ["Ủy ban nhân dân xã Mỹ Thạnh"],
            "recipients": ["Sở Giáo dục và Đào tạo (để b/c)"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "mo_dau": "Thực hiện Công văn số 15/UBND-VHXH ngày 05 tháng 01 năm 2026 của Ủy ban "
            "nhân dân xã Mỹ Thạnh về việc báo cáo sơ kết học kỳ I năm học 2025-2026, Trường "
            "THCS Mỹ Thạnh báo cáo như sau:",
            "phan": [
                {
                    "tieu_de": "Kết quả thực hiện nhiệm vụ",
                    "noi_dung": "1. Quy mô trường lớp: 16 lớp với 612 học sinh; duy trì sĩ số "
                    "đạt 99,7 %.\n2. Chất lượng giáo dục: 41,2 % học sinh có kết quả học tập "
                    "Tốt, 38,5 % Khá; không có học sinh bỏ học.\n3. Phong trào thi đua "
                    "“Dạy tốt - Học tốt”: 28 tiết thao giảng, 06 sáng kiến đăng ký.",
                },
                {
                    "tieu_de": "Tồn tại, hạn chế",
                    "noi_dung": "Một số phòng học xuống cấp; tỷ lệ học sinh có kết quả Đạt ở "
                    "môn Toán khối 9 còn thấp.",
                },
                {
                    "tieu_de": "Phương hướng nhiệm vụ học kỳ II",
                    "noi_dung": "1. Tăng cường phụ đạo học sinh lớp 9 ôn thi tuyển sinh lớp 10."
                    "\n2. Tổ chức Hội giảng chào mừng ngày Nhà giáo Việt Nam 20/11.",
                },
            ],
            "ket_luan": "Trên đây là báo cáo sơ kết học kỳ I năm học 2025-2026 của Trường THCS "
            "Mỹ Thạnh./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Báo cáo template."""
    header_table(document)
    title_block(document)
    kinh_gui_block(document, optional=True)
    paragraphs_block(document, "mo_dau")
    sections_block(document, "phan")
    paragraphs_block(document, "ket_luan", keep_last=True)
    signature_block(document)
