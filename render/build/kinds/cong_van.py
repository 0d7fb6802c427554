"""Công văn (Mẫu 1.5, Phụ lục III NĐ 30): "V/v" under Số, "Kính gửi:", no type name."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import header_table
from render.build.blocks import kinh_gui_block
from render.build.blocks import paragraphs_block
from render.build.blocks import signature_block
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import Fmt
from render.build.kit import add_par

MANIFEST = {
    "kind": "cong_van",
    "label": "Công văn",
    "description": "Công văn hành chính (Mẫu 1.5 Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "CV", "kinh_gui": True},
    "header_fields": header_fields(kinh_gui=True),
    "fields": [
        field(
            "noi_dung",
            "Nội dung",
            "textarea",
            required=True,
            help_="Mỗi dòng là một đoạn văn; đoạn cuối kết thúc bằng “./.”.",
        ),
    ],
    "sample": {
        "org": {**SAMPLE_ORG, "unit_abbrev": "VP"},
        "header": {
            "number": 5,
            "date": "2026-01-08",
            "summary": "V/v đăng ký danh hiệu thi đua năm học 2025-2026",
            "kinh_gui": ["Các tổ chuyên môn", "Tổ Văn phòng"],
            "recipients": ["Ban Giám hiệu"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "noi_dung": "Thực hiện Kế hoạch số 12/KH-THCSMT ngày 15/9/2025 của Trường THCS Mỹ "
            "Thạnh về tổ chức phong trào thi đua năm học 2025-2026, nhà trường đề "
            "nghị các tổ tổng hợp bản đăng ký danh hiệu thi đua của cá nhân và "
            "tập thể.\nHồ sơ gửi về Văn phòng nhà trường trước ngày 20/01/2026 "
            "(bản giấy và bản điện tử).\nĐề nghị các tổ trưởng triển khai thực "
            "hiện./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Công văn template."""
    header_table(document, with_vv=True)
    add_par(document, "", Fmt(12))
    kinh_gui_block(document)
    paragraphs_block(document, "noi_dung", keep_last=True)
    signature_block(document)
