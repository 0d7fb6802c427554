"""Quyết định ban hành (phê duyệt) một văn bản (Mẫu 1.3, Phụ lục III NĐ 30) and the
document it issues: its own header, tên loại, trích yếu, "(Kèm theo Quyết định số …)"."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import header_table
from render.build.blocks import rule_tag_par
from render.build.blocks import styled_lines_block
from render.build.flow import annex_section
from render.build.flow import keep_with_next
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import SAMPLE_SIGNER
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kinds.general import decision_fields
from render.build.kinds.general import own_can_cu
from render.build.kinds.quyet_dinh_chung import SAMPLE_CAN_CU
from render.build.kinds.quyet_dinh_chung import decision_body
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import element_fmt

ATTACHED_TYPES = ["Quy chế", "Quy định", "Kế hoạch", "Hướng dẫn", "Chương trình", "Đề án"]

MANIFEST = {
    "kind": "quyet_dinh_ban_hanh",
    "label": "Quyết định ban hành quy chế, quy định",
    "description": "Quyết định ban hành (phê duyệt) quy chế, quy định, kế hoạch... và văn "
    "bản được ban hành kèm theo (Mẫu 1.3 Phụ lục III Nghị định 30/2020/NĐ-CP).",
    "header": {"doc_type": "QĐ"},
    "header_fields": own_can_cu(header_fields(can_cu=True)),
    "fields": [
        *decision_fields(),
        field(
            "kem_theo_loai",
            "Loại văn bản ban hành kèm theo",
            "choice",
            required=True,
            choices=ATTACHED_TYPES,
        ),
        field(
            "kem_theo_trich_yeu",
            "Trích yếu văn bản kèm theo",
            required=True,
            help_="In dưới tên loại, ví dụ “Thi đua, khen thưởng của Trường THCS Mỹ Thạnh”.",
        ),
        field(
            "kem_theo_noi_dung",
            "Nội dung văn bản kèm theo",
            "textarea",
            required=True,
            help_="Mỗi dòng là một đoạn. Dòng bắt đầu bằng “Chương …” (hoặc “Mục …”) và dòng "
            "tên chương ngay sau được in giữa, chữ đậm; dòng “Điều 1. …” in đậm. Dòng cuối kết "
            "thúc bằng “./.”.",
        ),
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {
            "number": 14,
            "date": "2025-09-05",
            "summary": "Ban hành Quy chế thi đua, khen thưởng của Trường THCS Mỹ Thạnh",
            "can_cu": [
                "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                *SAMPLE_CAN_CU,
            ],
            "recipients": ["Công đoàn trường", "Các tổ chuyên môn, Tổ Văn phòng"],
            **SAMPLE_SIGNER,
        },
        "body": {
            "tham_quyen": "Hiệu trưởng Trường THCS Mỹ Thạnh",
            "de_nghi_cua": "Chủ tịch Công đoàn cơ sở",
            "dieu": [
                {
                    "noi_dung": "Ban hành kèm theo Quyết định này Quy chế thi đua, khen thưởng "
                    "của Trường THCS Mỹ Thạnh."
                },
                {
                    "noi_dung": "Quyết định có hiệu lực kể từ ngày ký và thay thế Quyết định "
                    "số 20/QĐ-THCSMT ngày 10 tháng 9 năm 2024 của Hiệu trưởng Trường THCS Mỹ "
                    "Thạnh."
                },
                {
                    "noi_dung": "Văn phòng, các tổ chuyên môn và cán bộ, giáo viên, nhân viên "
                    "nhà trường chịu trách nhiệm thi hành Quyết định này./."
                },
            ],
            "kem_theo_loai": "Quy chế",
            "kem_theo_trich_yeu": "Thi đua, khen thưởng của Trường THCS Mỹ Thạnh",
            "kem_theo_noi_dung": "Chương I\nQuy định chung\n"
            "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng\n"
            "1. Quy chế này quy định nội dung, hình thức, tiêu chuẩn và quy trình xét thi "
            "đua, khen thưởng của Trường THCS Mỹ Thạnh.\n"
            "2. Quy chế áp dụng đối với cán bộ, giáo viên, nhân viên và các tổ trong nhà "
            "trường.\n"
            "Điều 2. Nguyên tắc thi đua, khen thưởng\n"
            "Tự nguyện, tự giác, công khai; chính xác, công bằng, kịp thời.\n"
            "Chương II\nTổ chức thực hiện\n"
            "Điều 3. Trách nhiệm thi hành\n"
            "Hội đồng Thi đua - Khen thưởng, các tổ chuyên môn và cá nhân trong nhà trường "
            "chịu trách nhiệm thực hiện Quy chế này; trong quá trình thực hiện, nếu có vướng "
            "mắc, báo cáo Hiệu trưởng để sửa đổi, bổ sung cho phù hợp./.",
        },
    },
}


def build(document: DocxDocument) -> None:
    """Lay out the Quyết định template and the document it issues."""
    decision_body(document)
    # The issued document follows on a new page, its pages numbered from 1 again (NĐ 30).
    annex_section(document)
    header_table(document, with_number=False, with_date=False)
    add_par(
        document,
        "{{ attached_type_line }}",
        element_fmt("doc_type_name"),
        before=18,
        keep_next=True,
    )
    add_par(document, "{{ kem_theo_trich_yeu }}", element_fmt("summary"), keep_next=True)
    add_par(document, "{{ annex_line }}", Fmt(14, italic=True), keep_next=True)
    keep_with_next(rule_tag_par(document, "attached_rule")).paragraph_format.space_after = 12
    styled_lines_block(document, "attached_lines")
