"""Báo cáo thành tích, individual and collective (after the forms of NĐ 152/2025)."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.table import Table

from render.build.blocks import closing_row
from render.build.blocks import header_table
from render.build.blocks import heading_par
from render.build.blocks import list_table
from render.build.blocks import paragraphs_block
from render.build.blocks import rule_tag_par
from render.build.flow import keep_with_next
from render.build.kinds.common import SAMPLE_ORG
from render.build.kinds.common import column
from render.build.kinds.common import field
from render.build.kinds.common import header_fields
from render.build.kit import Fmt
from render.build.kit import add_par
from render.build.kit import add_run
from render.build.kit import body_par
from render.build.kit import element_fmt
from render.build.kit import tag_par

_TITLE_FIELDS = [
    field(
        "danh_hieu",
        "Danh hiệu, hình thức đề nghị",
        required=True,
        help_="Ví dụ “Chiến sĩ thi đua cơ sở” (văn bản in “ĐỀ NGHỊ TẶNG …”).",
        lead="Đề nghị tặng",
    ),
    field("ky", "Thời gian đạt thành tích", required=True, help_="Ví dụ “Năm học 2024-2025”."),
]
_HISTORY_FIELDS = [
    field(
        "danh_hieu_da_dat",
        "Danh hiệu thi đua đã đạt",
        "list",
        columns=[
            column("nam", "Năm", required=True),
            column("danh_hieu", "Danh hiệu thi đua", required=True),
            column("quyet_dinh", "Số, ngày của quyết định; cơ quan ban hành"),
        ],
    ),
    field(
        "khen_thuong_da_dat",
        "Hình thức khen thưởng đã đạt",
        "list",
        columns=[
            column("nam", "Năm", required=True),
            column("hinh_thuc", "Hình thức khen thưởng", required=True),
            column("quyet_dinh", "Số, ngày của quyết định; cơ quan ban hành"),
        ],
    ),
]
_SIGNER = [
    field("signer_name", "Thủ trưởng đơn vị (họ và tên)", required=True),
]
_HISTORY_SAMPLE = {
    "danh_hieu_da_dat": [
        {
            "nam": "2022-2023",
            "danh_hieu": "Lao động tiên tiến",
            "quyet_dinh": "Quyết định số 40/QĐ-THCSMT ngày 02/6/2023 của Hiệu trưởng",
        },
        {
            "nam": "2023-2024",
            "danh_hieu": "Chiến sĩ thi đua cơ sở",
            "quyet_dinh": "Quyết định số 112/QĐ-UBND ngày 20/6/2024 của UBND huyện",
        },
    ],
    "khen_thuong_da_dat": [
        {
            "nam": "2023-2024",
            "hinh_thuc": "Giấy khen của Chủ tịch UBND huyện",
            "quyet_dinh": "Quyết định số 115/QĐ-UBND ngày 20/6/2024 của UBND huyện",
        },
    ],
}

INDIVIDUAL_MANIFEST = {
    "kind": "bao_cao_ca_nhan",
    "label": "Báo cáo thành tích cá nhân",
    "description": "Báo cáo thành tích đề nghị khen thưởng của cá nhân (theo mẫu báo cáo "
    "thành tích cá nhân của Nghị định 152/2025/NĐ-CP).",
    "header": {"type_name": "Báo cáo thành tích", "number": False, "recipients": False},
    "header_fields": header_fields(summary=False, recipients=False, signer=False) + _SIGNER,
    "fields": [
        *_TITLE_FIELDS,
        field("ho_ten", "Họ tên", required=True, help_="Ghi đầy đủ bằng chữ in thường."),
        field("ngay_sinh", "Sinh ngày, tháng, năm", "date", required=True),
        field("gioi_tinh", "Giới tính", "choice", required=True, choices=["Nam", "Nữ"]),
        field("que_quan", "Quê quán"),
        field("tru_quan", "Trú quán"),
        field("don_vi", "Đơn vị công tác", required=True),
        field("chuc_vu", "Chức vụ (Đảng, chính quyền, đoàn thể)"),
        field("trinh_do", "Trình độ chuyên môn, nghiệp vụ"),
        field("hoc_ham", "Học hàm, học vị, danh hiệu, giải thưởng"),
        field("nhiem_vu", "Quyền hạn, nhiệm vụ được giao hoặc đảm nhận", "textarea", required=True),
        field("thanh_tich", "Thành tích đạt được của cá nhân", "textarea", required=True),
        *_HISTORY_FIELDS,
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {"date": "2025-05-25", "signer_name": "Nguyễn Văn An"},
        "body": {
            "danh_hieu": "Chiến sĩ thi đua cơ sở",
            "ky": "Năm học 2024-2025",
            "ho_ten": "Trần Thị Bình",
            "ngay_sinh": "1985-03-12",
            "gioi_tinh": "Nữ",
            "que_quan": "Xã Mỹ Thạnh, tỉnh Đồng Tháp",
            "tru_quan": "Xã Mỹ Thạnh, tỉnh Đồng Tháp",
            "don_vi": "Trường THCS Mỹ Thạnh",
            "chuc_vu": "Tổ trưởng Tổ Toán - Tin",
            "trinh_do": "Cử nhân Sư phạm Toán",
            "hoc_ham": "",
            "nhiem_vu": "Giảng dạy môn Toán các lớp 8A1, 8A2; tổ trưởng chuyên môn.",
            "thanh_tich": "Hoàn thành xuất sắc nhiệm vụ năm học; 100 % học sinh lớp phụ "
            "trách đạt yêu cầu môn Toán.\nSáng kiến “Dạy học hình học bằng phần "
            "mềm GeoGebra” được công nhận tại Quyết định số 30/QĐ-THCSMT ngày "
            "20/5/2025.",
            **_HISTORY_SAMPLE,
        },
    },
}

COLLECTIVE_MANIFEST = {
    "kind": "bao_cao_tap_the",
    "label": "Báo cáo thành tích tập thể",
    "description": "Báo cáo thành tích đề nghị khen thưởng của tập thể (theo mẫu báo cáo "
    "thành tích tập thể của Nghị định 152/2025/NĐ-CP).",
    "header": {"type_name": "Báo cáo thành tích", "number": False, "recipients": False},
    "header_fields": header_fields(summary=False, recipients=False, signer=False) + _SIGNER,
    "fields": [
        *_TITLE_FIELDS,
        field("ten_tap_the", "Tên tập thể", required=True),
        field(
            "dac_diem",
            "Đặc điểm, tình hình",
            "textarea",
            required=True,
            help_="Địa chỉ, điện thoại; quá trình thành lập; đội ngũ, cơ sở vật chất.",
        ),
        field("to_chuc", "Tổ chức Đảng, đoàn thể", "textarea"),
        field("ket_qua", "Kết quả thực hiện nhiệm vụ", "textarea", required=True),
        field(
            "bien_phap",
            "Biện pháp, nguyên nhân đạt thành tích; phong trào thi đua",
            "textarea",
            required=True,
        ),
        field("chinh_sach", "Thực hiện chủ trương, chính sách; hoạt động đoàn thể", "textarea"),
        *_HISTORY_FIELDS,
    ],
    "sample": {
        "org": SAMPLE_ORG,
        "header": {"date": "2025-05-25", "signer_name": "Nguyễn Văn An"},
        "body": {
            "danh_hieu": "Tập thể lao động xuất sắc",
            "ky": "Năm học 2024-2025",
            "ten_tap_the": "Tổ Toán - Tin, Trường THCS Mỹ Thạnh",
            "dac_diem": "Tổ có 9 giáo viên, trong đó 8 đồng chí đạt chuẩn trình độ đào tạo.\n"
            "Phòng máy tính có 40 máy phục vụ dạy học Tin học.",
            "to_chuc": "Chi bộ nhà trường có 18 đảng viên; tổ có 5 đảng viên.",
            "ket_qua": "Tỷ lệ học sinh đạt yêu cầu môn Toán 98,5 %; 12 học sinh giỏi cấp xã.",
            "bien_phap": "Đổi mới sinh hoạt chuyên môn theo nghiên cứu bài học.",
            "chinh_sach": "",
            **_HISTORY_SAMPLE,
        },
    },
}


def _title(document: DocxDocument) -> None:
    add_par(document, "{{ type_name }}", element_fmt("doc_type_name"), before=18, keep_next=True)
    add_par(document, "{{ award_line }}", element_fmt("summary"), keep_next=True)
    add_par(document, "{{ ky }}", element_fmt("summary"), keep_next=True)
    keep_with_next(rule_tag_par(document, "summary_rule")).paragraph_format.space_after = 12


def _labelled(document: DocxDocument, label: str, value: str) -> None:
    paragraph = body_par(document, f"- {label}: ", Fmt(14))
    add_run(paragraph, value, Fmt(14))


def _numbered(document: DocxDocument, label: str, var: str, *, optional: bool = False) -> None:
    if optional:
        tag_par(document, f"{{%p if {var} %}}")
    body_par(document, label, Fmt(14, bold=True))
    paragraphs_block(document, var)
    if optional:
        tag_par(document, "{%p endif %}")


def _history(
    document: DocxDocument, signatures: tuple[tuple[str, str, str], tuple[str, str, str]]
) -> None:
    """Add part III (the titles and awards already received) and the two signatures.

    The signatures are the closing row of the last list (see
    :func:`render.build.blocks.list_table`): they never start a page without it.
    """
    heading_par(document, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    keep_with_next(body_par(document, "1. Danh hiệu thi đua:", Fmt(14, bold=True)))
    list_table(
        document,
        "danh_hieu_da_dat",
        [
            ("Năm", "row.nam", 30, "c"),
            ("Danh hiệu thi đua", "row.danh_hieu", 50, "c"),
            (
                "Số, ngày, tháng, năm của quyết định công nhận danh hiệu thi đua; cơ quan ban hành "
                "quyết định",
                "row.quyet_dinh",
                85,
                "l",
            ),
        ],
    )
    awards = keep_with_next(body_par(document, "2. Hình thức khen thưởng:", Fmt(14, bold=True)))
    awards.paragraph_format.space_before = 6
    list_table(
        document,
        "khen_thuong_da_dat",
        [
            ("Năm", "row.nam", 30, "c"),
            ("Hình thức khen thưởng", "row.hinh_thuc", 50, "c"),
            (
                "Số, ngày, tháng, năm của quyết định khen thưởng; cơ quan ban hành quyết định",
                "row.quyet_dinh",
                85,
                "l",
            ),
        ],
        closing=lambda table: _signatures(table, *signatures),
    )


def _signatures(table: Table, left: tuple[str, str, str], right: tuple[str, str, str]) -> None:
    """Fill the list's closing row with the two signatures side by side (80 | 85 mm, as
    :data:`render.build.blocks.SIGNATURE_WIDTHS_MM`)."""
    cells = closing_row(table, 2)
    for cell, (title, note, name) in zip(cells, (left, right), strict=True):
        add_par(cell, title, element_fmt("signature_authority"), before=14)
        add_par(cell, note, Fmt(14, italic=True))
        for _ in range(4):
            add_par(cell, "", Fmt(14))
        add_par(cell, name, element_fmt("signer_name"))


def build_individual(document: DocxDocument) -> None:
    """Lay out the individual Báo cáo thành tích."""
    header_table(document, with_number=False, with_issuer=False)
    _title(document)
    heading_par(document, "I. SƠ LƯỢC LÝ LỊCH")
    _labelled(document, "Họ tên", "{{ ho_ten }}")
    _labelled(
        document, "Sinh ngày, tháng, năm", "{{ ngay_sinh_short }}; Giới tính: {{ gioi_tinh }}"
    )
    for label, var in (
        ("Quê quán", "que_quan"),
        ("Trú quán", "tru_quan"),
        ("Đơn vị công tác", "don_vi"),
        ("Chức vụ (Đảng, chính quyền, đoàn thể)", "chuc_vu"),
        ("Trình độ chuyên môn, nghiệp vụ", "trinh_do"),
        ("Học hàm, học vị, danh hiệu, giải thưởng", "hoc_ham"),
    ):
        _labelled(document, label, f"{{{{ {var} }}}}")
    heading_par(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
    _numbered(document, "1. Quyền hạn, nhiệm vụ được giao hoặc đảm nhận:", "nhiem_vu")
    _numbered(document, "2. Thành tích đạt được của cá nhân:", "thanh_tich")
    _history(
        document,
        (
            ("THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ", "(Ký, đóng dấu)", "{{ signer_name }}"),
            ("NGƯỜI BÁO CÁO THÀNH TÍCH", "(Ký, ghi rõ họ và tên)", "{{ ho_ten }}"),
        ),
    )


def build_collective(document: DocxDocument) -> None:
    """Lay out the collective Báo cáo thành tích."""
    header_table(document, with_number=False)
    _title(document)
    _labelled(document, "Tên tập thể", "{{ ten_tap_the }}")
    heading_par(document, "I. ĐẶC ĐIỂM, TÌNH HÌNH")
    _numbered(document, "1. Đặc điểm, tình hình:", "dac_diem")
    _numbered(document, "2. Tổ chức Đảng, đoàn thể:", "to_chuc", optional=True)
    heading_par(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
    _numbered(document, "1. Kết quả thực hiện chức năng, nhiệm vụ được giao:", "ket_qua")
    _numbered(
        document,
        "2. Các biện pháp, nguyên nhân đạt được thành tích; các phong trào "
        "thi đua đã được áp dụng:",
        "bien_phap",
    )
    _numbered(
        document,
        "3. Việc thực hiện chủ trương, chính sách của Đảng, pháp luật của "
        "Nhà nước; hoạt động của tổ chức Đảng, đoàn thể:",
        "chinh_sach",
        optional=True,
    )
    _history(
        document,
        (
            ("XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG", "(Ký, đóng dấu)", ""),
            ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu)", "{{ signer_name }}"),
        ),
    )
