"""Form of the format checker page (clerks)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField

from forms.base import Form


class CheckerForm(Form):
    """Upload one .docx to check against NĐ 30/2020/NĐ-CP, Phụ lục I."""

    file = FileField("Tệp văn bản .docx cần kiểm tra")
    allow_academic_titles = BooleanField(
        "Chấp nhận học hàm, học vị trước họ tên người ký (đơn vị giáo dục được phép)"
    )
