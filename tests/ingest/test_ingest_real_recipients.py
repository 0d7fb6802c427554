"""Nơi nhận ends where its block ends (issue 11): not into appendices, notes or signatures."""

from __future__ import annotations

import io

import docx

from ingest import parse_bytes

HEADER = (
    "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH THÁI NGUYÊN          Độc lập - Tự do - Hạnh phúc\n"
    "Số: 07/2025/QĐ-UBND          Thái Nguyên, ngày 10 tháng 9 năm 2025\n\n"
    "QUYẾT ĐỊNH\nBan hành Quy định quản lý nhà nước về giá\n\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý nhà nước về giá.\n\n"
)


def test_recipients_stop_at_the_file_copy_and_the_attached_rules_are_body() -> None:
    text = HEADER + (
        "Nơi nhận:                                   TM. ỦY BAN NHÂN DÂN\n"
        "- Văn phòng Chính phủ;                      CHỦ TỊCH\n"
        "- Bộ Tài chính;\n"
        "- Lưu: VT, KT, TH.                          Phạm Hoàng Sơn\n"
        "Sonnk/QĐ06.T9/50b\n"
        "QUY ĐỊNH\n"
        "QUẢN LÝ NHÀ NƯỚC VỀ GIÁ TRÊN ĐỊA BÀN TỈNH THÁI NGUYÊN\n"
        "(Ban hành kèm theo Quyết định số 07/2025/QĐ-UBND)\n"
        "Chương I\n"
        "Điều 12. Báo cáo giá thị trường năm gửi Sở Tài chính trước ngày 31/01/2026.\n"
    )
    result = parse_bytes(text.encode())
    assert result["recipients"] == ["Văn phòng Chính phủ", "Bộ Tài chính", "Lưu: VT, KT, TH"]
    assert (result["signer_title"], result["signer_name"]) == (
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
        "Phạm Hoàng Sơn",
    )
    assert [d["date"] for d in result["deadlines"]] == ["2026-01-31"]


def test_attachment_list_after_the_recipients_is_not_a_recipient() -> None:
    text = HEADER + (
        "Nơi nhận:                                   GIÁM ĐỐC\n"
        "- Như trên;\n"
        "- Lưu TTTT (ĐTh)\n"
        "Đính kèm:\n"
        "- Chương trình tập huấn.                    Võ Thiện Cang\n"
    )
    result = parse_bytes(text.encode())
    assert result["recipients"] == ["Như trên", "Lưu TTTT (ĐTh)"]


def test_signature_laid_out_with_tabs_in_a_word_file_is_not_a_recipient() -> None:
    document = docx.Document()
    for line in (
        "ỦY BAN NHÂN DÂN\t\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH THÁI NGUYÊN\t\t\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 07/KH-UBND\t\t\tThái Nguyên, ngày 10 tháng 9 năm 2025",
        "KẾ HOẠCH",
        "Thi đua năm 2025",
        "Các sở thực hiện./.",
        "Nơi nhận:\t\t\t\tKT. CHỦ TỊCH",
        "- Các sở;\t\t\t\tPHÓ CHỦ TỊCH",
        "- Lưu: VT.",
        "\t\t\t\t\tĐặng Xuân Trường",
    ):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_bytes(buffer.getvalue(), "kh.docx")
    assert result["recipients"] == ["Các sở", "Lưu: VT"]
    assert result["signer_title"] == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    assert result["signer_name"] == "Đặng Xuân Trường"
    assert result["issuer"] == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"


def test_second_document_in_the_same_file_is_reported_not_merged() -> None:
    second = (
        "UBND XÃ MỸ THẠNH          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 22/TB-UBND          Độc lập - Tự do - Hạnh phúc\n"
        "Mỹ Thạnh, ngày 02 tháng 10 năm 2025\n\n"
        "THÔNG BÁO\nLịch tiếp công dân\n\n"
        "Các hộ dân nộp hồ sơ trước ngày 20/11/2025.\n\n"
        "Nơi nhận:\n- Các ấp;\n- Lưu: VT.\nCHỦ TỊCH\nTrần Văn Hai\n"
    )
    text = HEADER + (
        "Nơi nhận:                                   TM. ỦY BAN NHÂN DÂN\n"
        "- Văn phòng Chính phủ;                      CHỦ TỊCH\n"
        "- Lưu: VT, KT, TH.                          Phạm Hoàng Sơn\n\n"
    )
    result = parse_bytes((text + second).encode())
    assert result["recipients"] == ["Văn phòng Chính phủ", "Lưu: VT, KT, TH"]
    assert (result["number"], result["signer_name"]) == ("07", "Phạm Hoàng Sơn")
    assert result["deadlines"] == []  # the second document's date is not this one's
    assert result["second_document"]["page"] == 1
    assert "văn bản khác" in result["warnings"][0]


def test_two_signers_side_by_side_give_the_right_hand_issuer_s_signer() -> None:
    text = (
        "ĐOÀN TNCS HỒ CHÍ MINH          ĐOÀN TNCS HỒ CHÍ MINH\n"
        "ĐOÀN TRƯỜNG THPT BƯNG RIỀNG          TP. Hồ Chí Minh, ngày 17 tháng 11 năm 2025\n"
        "Số:    /TT-ĐTN\n\n"
        "TỜ TRÌNH\nV/v Hỗ trợ học sinh đi tham quan\n\n"
        "Nay Đoàn trường làm tờ trình xin Ban Đại diện Cha mẹ học sinh hỗ trợ tiền ăn cho các em.\n"
        "Mong được sự đồng thuận từ phía Ban Đại diện Cha mẹ học sinh trường.\n\n"
        "HỘI CHA MẸ HỌC SINH                              BÍ THƯ ĐOÀN TRƯỜNG\n\n\n"
        "Nguyễn Trường Hà                                 Trần Thị Hương\n"
    )
    result = parse_bytes(text.encode())
    assert (result["signer_title"], result["signer_name"]) == (
        "BÍ THƯ ĐOÀN TRƯỜNG",
        "Trần Thị Hương",
    )
