"""The organization's header data and emulation rounds."""

from __future__ import annotations

import re

from wtforms import DateField
from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError

from forms.base import Form
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import number_range
from forms.fields import optional
from forms.fields import required

_ABBREV = re.compile(r"^[0-9A-ZĐ&]+(?:-[0-9A-ZĐ&]+)*$")
DATE_MESSAGE = "Ngày không hợp lệ (dạng ngày/tháng/năm)."


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
    reference_date = DateField(
        "Ngày xét (áp dụng quy định có hiệu lực tại ngày này)",
        validators=[required(DATE_MESSAGE)],
    )
    registration_opens = DateField("Mở đăng ký từ ngày", validators=[required(DATE_MESSAGE)])
    registration_closes = DateField("Hạn đăng ký", validators=[required(DATE_MESSAGE)])
    nomination_opens = DateField(
        "Mở đề nghị, giới thiệu từ ngày", validators=[required(DATE_MESSAGE)]
    )
    nomination_closes = DateField("Hạn đề nghị, giới thiệu", validators=[required(DATE_MESSAGE)])

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
