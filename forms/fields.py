"""Field helpers shared by all forms: NFC filters and Vietnamese validator messages."""

from __future__ import annotations

from typing import Any

from wtforms import validators

from domain.text import nfc

REQUIRED = "Vui lòng nhập mục này."
CHOOSE = "Vui lòng chọn một mục."


def normalise(value: Any) -> Any:
    """Filter: NFC and strip text, keep line breaks inside (long texts are paragraphs)."""
    if isinstance(value, str):
        return nfc(value).replace("\r\n", "\n").strip()
    return value


def required(message: str = REQUIRED) -> validators.DataRequired:
    """Required after filters ran: a field of only spaces counts as empty."""
    return validators.DataRequired(message=message)


def length(maximum: int, minimum: int = 0) -> validators.Length:
    if minimum:
        message = f"Độ dài phải từ {minimum} đến {maximum} ký tự."
    else:
        message = f"Tối đa {maximum} ký tự."
    return validators.Length(min=minimum, max=maximum, message=message)


def optional() -> validators.Optional:
    return validators.Optional()


def email() -> validators.Email:
    return validators.Email(message="Địa chỉ thư điện tử không hợp lệ.")


def number_range(minimum: int, maximum: int) -> validators.NumberRange:
    return validators.NumberRange(
        min=minimum, max=maximum, message=f"Giá trị phải từ {minimum} đến {maximum}."
    )


TEXT_FILTERS = (normalise,)
