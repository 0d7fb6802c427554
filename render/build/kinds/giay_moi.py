"""Giấy mời (Mẫu 1.7, Phụ lục III NĐ 30): "… trân trọng kính mời:", Tới dự, Chủ trì,
Thời gian, Địa điểm."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import header_table
from render.build.blocks import labelled_par
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.blocks import title_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import Fmt
from render.build.kit import add_run
from render.build.kit import body_par
from render.build.kit import tag_par

MANIFEST = {
    "kind": "giay_moi",
    "label": "Giấy mời",
    "description": "Giấy mời dự họp, hội nghị, lễ (Mẫu 1.7 Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "GM"},
    "header_fields": header_fields(),
    "fields": [
        field(
            "kinh_moi",
            "Người được mời",
            required=True,
            help_="In sau “… trân trọng kính mời:”, ví dụ “Ông (bà) Tổ trưởng các tổ chuyên môn”.",
        ),
        field(
            "toi_du",
            "Tới dự",
            "textarea",
            required=True,
            help_="Tên cuộc họp, hội nghị; in sau chữ “Tới dự”.",
        ),
        field("chu_tri", "Chủ trì", help_="Họ tên, chức vụ người chủ trì."),
        field(
            "thoi_gian",
            "Thời gian",
            required=True,
            help_="Ví dụ “07 giờ 30 phút, thứ Bảy, ngày 30 tháng 5 năm 2026”.",
        ),
        field("dia_diem", "Địa điểm", required=True),
        field(
            "ket_thuc",
            "Đoạn kết",
            "textarea",
            required=True,
            help_="Ví dụ “Rất mong ông (bà) đến dự đúng giờ./.”",
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 9,
            "date": "2026-05-25",
            "summary": "Dự Hội nghị tổng kết năm học 2025-2026",
            "recipients": ["Như trên", "Ban Giám hiệu"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "kinh_moi": "Ông (bà) Trưởng Ban đại diện cha mẹ học sinh nhà trường",
            "toi_du": "Hội nghị tổng kết năm học 2025-2026 và trao thưởng cho học sinh có "
            "thành tích xuất sắc.",
            "chu_tri": "Ông Nguyễn Văn An, Hiệu trưởng",
            "thoi_gian": "07 giờ 30 phút, thứ Bảy, ngày 30 tháng 5 năm 2026",
            "dia_diem": "Hội trường Trường THCS Mỹ Thạnh",
            "ket_thuc": "Rất mong ông (bà) đến dự đúng giờ./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Giấy mời template."""
    header_table(document)
    title_block(document)
    invitation = body_par(document, "{{ issuer_name }} trân trọng kính mời: ", Fmt(14))
    add_run(invitation, "{{ kinh_moi }}", Fmt(14, bold=True))
    paragraphs_block(document, "('Tới dự ' ~ toi_du)")
    tag_par(document, "{%p if chu_tri %}")
    labelled_par(document, "Chủ trì: ", "{{ chu_tri }}")
    tag_par(document, "{%p endif %}")
    labelled_par(document, "Thời gian: ", "{{ thoi_gian }}")
    labelled_par(document, "Địa điểm: ", "{{ dia_diem }}")
    paragraphs_block(document, "ket_thuc", keep_last=True)
    signature_block(document)
