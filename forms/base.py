"""Base classes that make WTForms speak Vietnamese.

WTForms ships no Vietnamese catalogue, so its own messages ("Not a valid choice.") would
reach users in English; this Meta translates every message WTForms and Flask-WTF emit.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs are for 3.2

MESSAGES = {
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ (dạng ngày/tháng/năm).",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Not a valid integer value.": "Vui lòng nhập một số nguyên.",
    "Not a valid decimal value.": "Vui lòng nhập một số.",
    "Not a valid float value.": "Vui lòng nhập một số.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "This field is required.": "Vui lòng nhập mục này.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "This field cannot be edited.": "Mục này không được sửa.",
    "This field is disabled and cannot have a value.": "Mục này bị khóa.",
    "The CSRF token is missing.": "Thiếu mã bảo vệ biểu mẫu; hãy tải lại trang.",
    "The CSRF token is invalid.": "Mã bảo vệ biểu mẫu không hợp lệ; hãy tải lại trang.",
    "The CSRF token has expired.": "Mã bảo vệ biểu mẫu đã hết hạn; hãy tải lại trang.",
    "The CSRF tokens do not match.": "Mã bảo vệ biểu mẫu không khớp; hãy tải lại trang.",
}


class VietnameseTranslations:
    """The gettext interface WTForms asks its Meta for."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_TRANSLATIONS = VietnameseTranslations()


class _VietnameseMeta:
    def get_translations(self, form):
        return _TRANSLATIONS


class Form(FlaskForm):
    """Every web form: CSRF-protected, Vietnamese messages."""

    class Meta(_VietnameseMeta):
        pass


class SubForm(PlainForm):
    """A nested row (FormField): no CSRF of its own, Vietnamese messages."""

    class Meta(_VietnameseMeta):
        pass


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select/radio choices from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def add_error(field: Field, message: str) -> None:
    """Show ``message`` under ``field``, for a check a view makes after the form validated
    (a clash in the database, a refusal by a service)."""
    field.errors = [*field.errors, message]
