"""Pieces shared by the kind definitions: the sample school and the header fields."""

from __future__ import annotations

from typing import Any

SAMPLE_ORG: dict[str, str] = {
    "parent_issuer": "UBND xã Mỹ Thạnh",
    "issuer": "Trường THCS Mỹ Thạnh",
    "issuer_abbrev": "THCSMT",
    "unit_abbrev": "",
    "place": "Mỹ Thạnh",
}

SAMPLE_SIGNER: dict[str, str] = {
    "signer_authority": "",
    "signer_collective": "",
    "signer_position": "Hiệu trưởng",
    "signer_name": "Nguyễn Văn An",
}

AUTHORITY_CHOICES = ["", "TM", "KT", "Q", "TL", "TUQ"]


def field(
    name: str,
    label: str,
    type_: str = "text",
    *,
    required: bool = False,
    help_: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """Return one field of a manifest in its JSON form."""
    return {
        "name": name,
        "label": label,
        "type": type_,
        "required": required,
        "help": help_,
        **extra,
    }


def column(
    name: str,
    label: str,
    type_: str = "text",
    *,
    required: bool = False,
    help_: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """Return one column of a list field in its JSON form."""
    return {
        "name": name,
        "label": label,
        "type": type_,
        "required": required,
        "help": help_,
        **extra,
    }


def header_fields(
    *,
    summary: bool = True,
    kinh_gui: bool = False,
    can_cu: bool = False,
    recipients: bool = True,
    signer: bool = True,
) -> list[dict[str, Any]]:
    """Return the header inputs a kind asks for (the number is given at issue time)."""
    fields = [
        field(
            "date",
            "Ngày ban hành",
            "date",
            help_="Để trống khi in bản dự thảo: ngày, tháng được để trống để ghi tay.",
        )
    ]
    if summary:
        fields.append(
            field(
                "summary",
                "Trích yếu nội dung",
                required=True,
                help_="Một câu ngắn gọn, không có dấu chấm cuối câu.",
            )
        )
    if kinh_gui:
        fields.append(
            field(
                "kinh_gui",
                "Kính gửi",
                "textarea",
                required=True,
                help_="Mỗi dòng một cơ quan, tổ chức hoặc cá nhân nhận văn bản.",
            )
        )
    if can_cu:
        fields.append(
            field(
                "can_cu",
                "Căn cứ bổ sung",
                "textarea",
                help_="Các căn cứ pháp lý theo ngày ban hành được thêm tự động; mỗi dòng ở đây "
                "là một căn cứ riêng của đơn vị (quy chế, kế hoạch của cấp trên...).",
            )
        )
    if recipients:
        fields.append(
            field(
                "recipients",
                "Nơi nhận",
                "textarea",
                help_="Mỗi dòng một nơi nhận; “Lưu: VT” được thêm tự động.",
            )
        )
    if signer:
        fields += [
            field(
                "signer_authority",
                "Quyền hạn ký",
                "choice",
                choices=AUTHORITY_CHOICES,
                help_="TM. (thay mặt tập thể), KT. (ký thay), Q. (quyền), TL., TUQ.; "
                "để trống khi người đứng đầu ký.",
            ),
            field(
                "signer_collective",
                "Tập thể hoặc chức vụ cấp trưởng",
                help_="Sau quyền hạn ký, ví dụ “Hiệu trưởng” (KT.) hoặc "
                "“Hội đồng Thi đua - Khen thưởng” (TM.).",
            ),
            field("signer_position", "Chức vụ người ký", required=True),
            field(
                "signer_name",
                "Họ và tên người ký",
                required=True,
                help_="Không ghi học hàm, học vị trước tên.",
            ),
        ]
    return fields
