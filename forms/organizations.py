"""The form an office's admin fills to create a school and its first admin.

The school's place in the tree is never a field: it goes under the admin's own organization.
"""

from __future__ import annotations

import re

from wtforms import EmailField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import StringField
from wtforms import ValidationError

from domain.emulation import authority
from forms.account import password_problem
from forms.base import Form
from forms.base import options
from forms.fields import TEXT_FILTERS
from forms.fields import email
from forms.fields import length
from forms.fields import optional
from forms.fields import required

_ABBREV = re.compile(r"^[0-9A-ZĐ&]+(?:-[0-9A-ZĐ&]+)*$")


class SchoolForm(Form):
    name = StringField(
        "Tên trường",
        validators=[required(), length(255)],
        filters=TEXT_FILTERS,
        description="Viết như ở đầu văn bản, ví dụ: TRƯỜNG THCS MỸ THẠNH.",
    )
    abbrev = StringField(
        "Tên viết tắt (dùng trong ký hiệu văn bản)",
        validators=[required(), length(40)],
        filters=TEXT_FILTERS,
        description="Ví dụ: THCSMT.",
    )
    org_kind = SelectField("Loại trường", validators=[required()])
    place = StringField(
        "Địa danh", validators=[optional(), length(120)], filters=TEXT_FILTERS,
        description="Ví dụ: Mỹ Thạnh. Để trống thì lấy địa danh của Phòng/Sở.",
    )  # fmt: skip
    head_title = StringField(
        "Chức danh người đứng đầu", validators=[optional(), length(120)], filters=TEXT_FILTERS,
        default="HIỆU TRƯỞNG",
    )  # fmt: skip
    head_name = StringField(
        "Họ tên người đứng đầu", validators=[optional(), length(120)], filters=TEXT_FILTERS
    )
    admin_name = StringField(
        "Họ tên quản trị của trường", validators=[required(), length(120)], filters=TEXT_FILTERS
    )
    admin_email = EmailField(
        "Thư điện tử của quản trị", validators=[required(), email(), length(255)],
        filters=TEXT_FILTERS,
    )  # fmt: skip
    admin_password = PasswordField(
        "Mật khẩu ban đầu của quản trị", validators=[required()],
        description="Ít nhất 8 ký tự, có cả chữ và số; báo riêng cho người quản trị.",
    )  # fmt: skip

    def __init__(self, *args: object, kinds: tuple[str, ...] = (), **kwargs: object) -> None:
        """``kinds``: the organization kinds offered (the view passes the school kinds)."""
        super().__init__(*args, **kwargs)
        labels = authority.org_kinds()
        self.org_kind.choices = options(
            [("", "— chọn loại trường —"), *((k, labels[k]) for k in kinds if k in labels)]
        )

    def validate_abbrev(self, field: StringField) -> None:
        if not _ABBREV.fullmatch((field.data or "").upper()):
            raise ValidationError("Chỉ dùng chữ in hoa, chữ số và dấu gạch nối, ví dụ: THCSMT.")

    def validate_admin_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
