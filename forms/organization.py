"""The organization's header data and emulation rounds."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from wtforms import BooleanField
from wtforms import DateField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError

from domain.emulation import authority
from domain.text import fold
from domain.text import nfc
from forms.base import Form
from forms.base import options
from forms.dates import DayFirstDateField
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import number_range
from forms.fields import optional
from forms.fields import required

_ABBREV = re.compile(r"^[0-9A-ZĐ&]+(?:-[0-9A-ZĐ&]+)*$")
DATE_MESSAGE = "Ngày không hợp lệ (dạng ngày/tháng/năm)."
_PROVINCE_WORDS = ("tinh ", "thanh pho ")


def org_kind_choices() -> list[tuple[str, str]]:
    return [("", "— chọn loại đơn vị —"), *authority.org_kinds().items()]


def superior_kind_choices() -> list[tuple[str, str]]:
    """Superior kinds; one that no longer exists says until when (most labels already do)."""
    pairs = [("", "— chưa khai báo —")]
    for key, kind in authority.superior_kinds().items():
        label = kind.label
        if kind.effective_to is not None:
            until = f"đến {_short(kind.effective_to)}"
            if until not in label:
                label = f"{label} ({until})"
        pairs.append((key, label))
    return pairs


def _short(day: date) -> str:
    # As the labels write it: "30/6/2025", no leading zeros.
    return f"{day.day}/{day.month}/{day.year}"


def _province_case(value: Any) -> Any:
    """Filter: "Tỉnh Đồng Tháp" → "tỉnh Đồng Tháp", as it stands inside running text
    ("Ủy ban nhân dân tỉnh Đồng Tháp")."""
    if not isinstance(value, str):
        return value
    text = " ".join(nfc(value).split())
    for word in ("Tỉnh ", "Thành phố ", "Thành Phố "):
        if text.startswith(word):
            return word.lower() + text[len(word) :]
    return text


class OrganizationForm(Form):
    name = StringField(
        "Tên cơ quan ban hành",
        validators=[required(), length(255)],
        filters=TEXT_FILTERS,
        description="Như in trên văn bản, ví dụ: TRƯỜNG THCS MỸ THẠNH.",
    )
    parent_name = StringField(
        "Cơ quan chủ quản",
        validators=[optional(), length(255)],
        filters=TEXT_FILTERS,
        description="Ví dụ: UBND XÃ MỸ THẠNH hoặc SỞ GD&ĐT TỈNH ... (để trống nếu không có).",
    )
    abbrev = StringField(
        "Chữ viết tắt trong ký hiệu",
        validators=[required(), length(40)],
        filters=TEXT_FILTERS,
        description="Chữ in hoa, không dấu cách, ví dụ THCSMT (ký hiệu: 12/KH-THCSMT).",
    )
    place = StringField(
        "Địa danh",
        validators=[required(), length(120)],
        filters=TEXT_FILTERS,
        description="Tên đơn vị hành chính nơi cơ quan đóng trụ sở, ví dụ: Mỹ Phước.",
    )
    head_title = StringField(
        "Chức vụ người đứng đầu", validators=[required(), length(120)], filters=TEXT_FILTERS
    )
    head_name = StringField(
        "Họ tên người đứng đầu", validators=[optional(), length(120)], filters=TEXT_FILTERS
    )
    address = StringField("Địa chỉ", validators=[optional(), length(255)], filters=TEXT_FILTERS)
    default_recipients = TextAreaField(
        "Nơi nhận mặc định (mỗi dòng một nơi)",
        validators=[optional(), length(2000)],
        filters=TEXT_FILTERS,
    )
    cstdcs_quota_percent = IntegerField(
        "Tỷ lệ tối đa Chiến sĩ thi đua cơ sở / Lao động tiên tiến (%)",
        validators=[optional(), number_range(1, 100)],
        description="Chỉ điền khi tỉnh hoặc ngành quy định hạn mức; để trống nếu không.",
    )
    # Who may confer what depends on what the organization is and who is above it
    # (domain.emulation.authority); the province decides which provincial rules apply.
    org_kind = SelectField("Loại đơn vị", validators=[optional()])
    province = StringField(
        "Tỉnh, thành phố",
        validators=[optional(), length(120)],
        filters=(*TEXT_FILTERS, _province_case),
        description="Viết như trong văn bản, có chữ “tỉnh” hoặc “thành phố”, ví dụ: "
        "tỉnh Đồng Tháp, thành phố Cần Thơ.",
    )
    superior_kind = SelectField("Cấp trên trực tiếp", validators=[optional()])
    superior_name = StringField(
        "Tên cấp trên trực tiếp",
        validators=[length(255)],
        filters=TEXT_FILTERS,
        description="Viết đầy đủ như trong văn bản, ví dụ: Ủy ban nhân dân xã Mỹ Thạnh.",
    )
    superior_decider = StringField(
        "Người quyết định khen thưởng của cấp trên",
        validators=[optional(), length(255)],
        filters=TEXT_FILTERS,
        description="Ví dụ: Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh. Để trống: hệ thống tự điền "
        "theo cấp trên trực tiếp khi lưu.",
    )
    superior_address = StringField(
        "Kính gửi (tờ trình đề nghị khen thưởng)",
        validators=[optional(), length(255)],
        filters=TEXT_FILTERS,
        description="Dòng “Kính gửi” của tờ trình gửi cấp trên. Để trống: hệ thống tự điền "
        "(Ủy ban nhân dân: gửi Chủ tịch; Sở, Phòng: gửi cơ quan).",
    )
    head_confers_ldtt = BooleanField(
        "Tỉnh phân cấp cho hiệu trưởng công nhận danh hiệu “Lao động tiên tiến”",
        description="Không phải quy định của pháp luật trung ương (Luật Thi đua, khen thưởng "
        "chỉ giao hiệu trưởng tặng Giấy khen): chỉ đánh dấu theo quyết định phân cấp của tỉnh. "
        "Khi đánh dấu, đơn vị tự ra quyết định công nhận thay vì lập tờ trình.",
    )
    head_recognises_initiatives = BooleanField(
        "Hiệu trưởng ra quyết định công nhận sáng kiến cấp cơ sở",
        default=True,
        description="Bỏ đánh dấu nếu sáng kiến của đơn vị do cấp trên công nhận: hồ sơ sẽ "
        "đề nghị cấp trên công nhận.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_kind.choices = options(org_kind_choices())
        self.superior_kind.choices = options(superior_kind_choices())

    def validate_province(self, field: StringField) -> None:
        if field.data and not fold(field.data).startswith(_PROVINCE_WORDS):
            raise ValidationError("Viết kèm chữ “tỉnh” hoặc “thành phố”, ví dụ: tỉnh Đồng Tháp.")

    def validate_superior_name(self, field: StringField) -> None:
        # Not "optional": an empty name must still reach this check.
        if self.superior_kind.data and not field.data:
            raise ValidationError("Vui lòng nhập tên cấp trên trực tiếp.")

    def validate_abbrev(self, field: StringField) -> None:
        if not _ABBREV.match(field.data or ""):
            raise ValidationError(
                "Chữ viết tắt chỉ gồm chữ in hoa và số, nhóm nối bằng dấu gạch ngang, "
                "không có dấu cách."
            )


class RoundForm(Form):
    name = StringField(
        "Tên đợt thi đua",
        validators=[required(), length(160)],
        filters=TEXT_FILTERS,
        description="Ví dụ: Năm học 2025-2026.",
    )
    school_year = StringField(
        "Năm học",
        validators=[optional(), length(20)],
        filters=TEXT_FILTERS,
        description="Ví dụ: 2025-2026.",
    )
    reference_date = DayFirstDateField(
        "Ngày xét (áp dụng quy định có hiệu lực tại ngày này)",
        validators=[required(DATE_MESSAGE)],
    )
    registration_opens = DayFirstDateField(
        "Mở đăng ký từ ngày", validators=[required(DATE_MESSAGE)]
    )
    registration_closes = DayFirstDateField("Hạn đăng ký", validators=[required(DATE_MESSAGE)])
    nomination_opens = DayFirstDateField(
        "Mở đề nghị, giới thiệu từ ngày", validators=[required(DATE_MESSAGE)]
    )
    nomination_closes = DayFirstDateField(
        "Hạn đề nghị, giới thiệu", validators=[required(DATE_MESSAGE)]
    )

    def validate_school_year(self, field: StringField) -> None:
        value = field.data or ""
        match = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", value)
        if value and (not match or int(match.group(2)) != int(match.group(1)) + 1):
            raise ValidationError("Năm học viết dạng 2025-2026 (hai năm liên tiếp).")

    def validate_registration_closes(self, field: DateField) -> None:
        if (
            self.registration_opens.data
            and field.data
            and field.data < self.registration_opens.data
        ):
            raise ValidationError("Hạn đăng ký phải sau ngày mở đăng ký.")

    def validate_nomination_closes(self, field: DateField) -> None:
        if self.nomination_opens.data and field.data and field.data < self.nomination_opens.data:
            raise ValidationError("Hạn đề nghị phải sau ngày mở đề nghị.")
