"""Forms of the custom templates pages (admin)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import StringField

from forms.base import Form
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import optional


class TemplateUploadForm(Form):
    """Upload a customised .docx as a new version of one kind."""

    file = FileField(
        "Tệp mẫu .docx",
        description="Sửa từ mẫu gốc (tải về ở trên); giữ nguyên các thẻ {{ ... }} và {% ... %}.",
    )
    note = StringField(
        "Ghi chú phiên bản",
        validators=[optional(), length(500)],
        filters=TEXT_FILTERS,
        description="Ví dụ: thêm logo trường, đổi cỡ chữ phần nơi nhận.",
    )
    activate = BooleanField(
        "Dùng phiên bản này cho văn bản mới khi bản soạn thử với dữ liệu mẫu thành công"
    )


class ActionForm(Form):
    """A bare POST (activate, revert, preview): only the CSRF token."""
