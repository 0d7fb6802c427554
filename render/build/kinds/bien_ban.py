"""Biên bản họp Hội đồng Thi đua - Khen thưởng (Mẫu 1.9 NĐ 30): no date line, votes."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from render.build.blocks import SIGNATURE_WIDTHS_MM
from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import end_spacer
from render.build.blocks import header_table
from render.build.blocks import list_table
from render.build.blocks import paragraphs_block
from render.build.blocks import recipient_rows
from render.build.blocks import recipients_cell
from render.build.blocks import title_block
from render.build.flow import cant_split
from render.build.flow import keep_with_next
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import add_run
from render.build.kit import body_par
from render.build.kit import borderless_table
from render.build.kit import element_fmt
from render.build.kit import tag_par

MANIFEST = {
    "kind": "bien_ban",
    "label": "Biên bản họp Hội đồng Thi đua - Khen thưởng",
    "description": "Biên bản họp xét thi đua, khen thưởng (Mẫu 1.9 Phụ lục III Nghị định "
    "30/2020/NĐ-CP); tỷ lệ phiếu tính trên tổng số thành viên Hội đồng.",
    "header": {"doc_type": "BB", "date": False, "archive_unit": "Hồ sơ"},
    "header_fields": header_fields(signer=False),
    "fields": [
        field(
            "thoi_gian_bat_dau",
            "Thời gian bắt đầu",
            required=True,
            help_="Ví dụ “14 giờ 00, ngày 28 tháng 5 năm 2025”.",
            lead="Thời gian bắt đầu",
        ),
        field("dia_diem", "Địa điểm", required=True, lead="Địa điểm"),
        field("so_thanh_vien", "Tổng số thành viên Hội đồng", "int", required=True),
        field("so_co_mat", "Số thành viên có mặt", "int", required=True),
        field(
            "vang_mat",
            "Vắng mặt",
            help_="Họ tên, lý do; để trống nếu đủ thành viên.",
            lead="Vắng mặt",
        ),
        field("chu_toa", "Chủ trì (chủ tọa)", required=True),
        field("chu_toa_chuc_vu", "Chức vụ của chủ tọa", required=True),
        field("thu_ky", "Thư ký", required=True),
        field("thu_ky_chuc_vu", "Chức vụ của thư ký", required=True),
        field("noi_dung", "Nội dung (theo diễn biến cuộc họp)", "textarea", required=True),
        field(
            "ung_vien",
            "Kết quả bỏ phiếu",
            "list",
            required=True,
            columns=[
                column("ho_ten", "Họ và tên (tập thể)", required=True),
                column("chuc_vu", "Chức vụ, đơn vị"),
                column("danh_hieu", "Danh hiệu đề nghị", required=True),
                column("dong_y", "Số phiếu đồng ý", "int", required=True),
                column(
                    "ket_qua",
                    "Kết quả",
                    help_="Đạt / Không đạt tỷ lệ phiếu đồng ý theo quy định.",
                ),
            ],
        ),
        field(
            "ket_thuc",
            "Giờ kết thúc cuộc họp",
            required=True,
            help_="Ví dụ “16 giờ 30”; biên bản in “Cuộc họp kết thúc vào lúc 16 giờ 30 cùng ngày.”",
            lead="Cuộc họp kết thúc vào lúc",
            lead_aliases=["Cuộc họp kết thúc vào", "Cuộc họp kết thúc lúc", "Kết thúc lúc"],
        ),
    ],
    "sample": {
        "org": {
            "parent_issuer": "Trường THCS Mỹ Thạnh",
            "issuer": "Hội đồng Thi đua - Khen thưởng",
            "issuer_abbrev": "HĐTĐKT",
            "unit_abbrev": "",
            "place": "Mỹ Thạnh",
        },
        "header": {
            "number": 3,
            "date": "2025-05-28",
            "summary": "Họp xét danh hiệu thi đua năm học 2024-2025",
            "recipients": ["Thành viên Hội đồng"],
        },
        "body": {
            "thoi_gian_bat_dau": "14 giờ 00, ngày 28 tháng 5 năm 2025",
            "dia_diem": "Phòng họp Trường THCS Mỹ Thạnh",
            "so_thanh_vien": 11,
            "so_co_mat": 10,
            "vang_mat": "Bà Võ Thị Em (ốm, có lý do; đã gửi ý kiến bằng văn bản)",
            "chu_toa": "Ông Nguyễn Văn An",
            "chu_toa_chuc_vu": "Hiệu trưởng, Chủ tịch Hội đồng",
            "thu_ky": "Bà Phạm Thị Dung",
            "thu_ky_chuc_vu": "Thư ký Hội đồng",
            "noi_dung": "Chủ tịch Hội đồng quán triệt tiêu chuẩn danh hiệu thi đua theo Luật "
            "Thi đua, khen thưởng và Quy chế thi đua của nhà trường.\nHội đồng "
            "xem xét hồ sơ đề nghị của các tổ, thảo luận và bỏ phiếu kín.",
            "ung_vien": [
                {
                    "ho_ten": "Trần Thị Bình",
                    "chuc_vu": "Giáo viên, Tổ Toán - Tin",
                    "danh_hieu": "Chiến sĩ thi đua cơ sở",
                    "dong_y": 10,
                    "ket_qua": "Đạt",
                },
                {
                    "ho_ten": "Lê Văn Cường",
                    "chuc_vu": "Giáo viên, Tổ Ngữ văn",
                    "danh_hieu": "Chiến sĩ thi đua cơ sở",
                    "dong_y": 9,
                    "ket_qua": "Đạt",
                },
            ],
            "ket_thuc": "16 giờ 30",
        },
    },
}


def _labelled(document: DocxDocument, label: str, value: str) -> None:
    paragraph = body_par(document, label, Fmt(14, bold=True))

    add_run(paragraph, value, Fmt(14))


def build(document: DocxDocument) -> None:
    """Lay out the Biên bản template."""
    header_table(document, with_date=False)
    title_block(document)
    _labelled(document, "Thời gian bắt đầu: ", "{{ thoi_gian_bat_dau }}")
    _labelled(document, "Địa điểm: ", "{{ dia_diem }}")
    _labelled(document, "Thành phần tham dự: ", "có mặt {{ attendance_line }}.")
    tag_par(document, "{%p if vang_mat %}")
    _labelled(document, "Vắng mặt: ", "{{ vang_mat }}.")
    tag_par(document, "{%p endif %}")
    _labelled(document, "Chủ trì (chủ tọa): ", "{{ chu_toa }} - {{ chu_toa_chuc_vu }}.")
    _labelled(document, "Thư ký: ", "{{ thu_ky }} - {{ thu_ky_chuc_vu }}.")
    body_par(document, "Nội dung (theo diễn biến cuộc họp):", element_fmt("section_heading"))
    paragraphs_block(document, "noi_dung")
    body_par(
        document, "Kết quả bỏ phiếu kín (tỷ lệ tính trên tổng số thành viên Hội đồng):", Fmt(14)
    )
    list_table(
        document,
        "ung_vien",
        [
            ("STT", "row.stt", STT_WIDTH_MM, "c"),
            ("Họ và tên", "row.ho_ten", 35, "l"),
            ("Chức vụ, đơn vị", "row.chuc_vu", 30, "l"),
            ("Danh hiệu đề nghị", "row.danh_hieu", 30, "c"),
            ("Số phiếu đồng ý", "row.votes", 18, "c"),
            ("Tỷ lệ", "row.percent", 18, "c"),
            ("Kết quả", "row.ket_qua", 20, "c"),
        ],
    )
    closing = keep_with_next(
        body_par(
            document,
            "Cuộc họp kết thúc vào lúc {{ ket_thuc }} cùng ngày. Biên bản đã được thông qua "
            "trước Hội đồng./.",
            Fmt(14),
        )
    )
    closing.paragraph_format.space_before = 6
    end_spacer(document)
    # One row, which cannot split: the two signatures side by side and, under THƯ KÝ, the
    # Nơi nhận (Mẫu 1.9). With the closing sentence kept with it, the end block stays whole
    # and never stands alone on a page; "- Lưu: VT" never goes to a page of its own.
    table = borderless_table(document, SIGNATURE_WIDTHS_MM)
    cant_split(table.rows[0])
    for cell, title, name in zip(
        table.rows[0].cells, ("THƯ KÝ", "CHỦ TỌA"), ("thu_ky_name", "chu_toa_name"), strict=True
    ):
        add_par(cell, title, element_fmt("signature_authority"))
        for _ in range(4):
            add_par(cell, "", Fmt(14))
        add_par(cell, f"{{{{ {name} }}}}", element_fmt("signer_name"), after=12)
    recipients_cell(table.rows[0].cells[0], "recipients_head")
    recipient_rows(table, "recipients_tail")
