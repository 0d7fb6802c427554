"""Login, password and user-management forms."""

from __future__ import annotations

from wtforms import BooleanField
from wtforms import EmailField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import ValidationError

from forms.base import Form
from forms.base import options
from forms.fields import TEXT_FILTERS
from forms.fields import email
from forms.fields import length
from forms.fields import optional
from forms.fields import required
from storage.models import ROLE_LABELS

MIN_PASSWORD = 8


def password_problem(value: str) -> str | None:
    """Why ``value`` is too weak for a password (Vietnamese), or None: the one rule of the
    forms and of ``flask create-user``."""
    if len(value) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if value.isdigit() or value.isalpha():
        return "Mật khẩu cần có cả chữ và số."
    return None


def _strong(_form: Form, field: PasswordField) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class LoginForm(Form):
    email = EmailField("Thư điện tử", validators=[required(), length(255)], filters=TEXT_FILTERS)
    password = PasswordField("Mật khẩu", validators=[required()])


class ChooseAccountForm(Form):
    """After signing in with an address that has an account in several organizations (the
    password matched more than one): which organization to work in."""

    account = RadioField("Đơn vị làm việc", coerce=int, validators=[required()])


class ChangePasswordForm(Form):
    current_password = PasswordField("Mật khẩu hiện tại", validators=[required()])
    new_password = PasswordField("Mật khẩu mới", validators=[required(), _strong])
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[required()])

    def validate_confirm(self, field: PasswordField) -> None:
        if field.data != self.new_password.data:
            raise ValidationError("Hai lần nhập mật khẩu mới không khớp.")


ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class UserForm(Form):
    full_name = StringField("Họ và tên", validators=[required(), length(120)], filters=TEXT_FILTERS)
    email = EmailField(
        "Thư điện tử (dùng để đăng nhập)",
        validators=[required(), email(), length(255)],
        filters=TEXT_FILTERS,
    )
    position = StringField("Chức vụ", validators=[optional(), length(120)], filters=TEXT_FILTERS)
    unit = StringField("Tổ / bộ phận", validators=[optional(), length(120)], filters=TEXT_FILTERS)
    role = SelectField("Vai trò", choices=options(ROLE_CHOICES))
    active = BooleanField("Đang hoạt động", default=True)
    password = PasswordField(
        "Mật khẩu (để trống nếu không đổi)",
        validators=[optional(), _strong],
        description="Ít nhất 8 ký tự, có cả chữ và số.",
    )


class ForgotPasswordForm(Form):
    email = EmailField(
        "Thư điện tử của tài khoản",
        validators=[required(), email(), length(255)],
        filters=TEXT_FILTERS,
    )


class ResetPasswordForm(Form):
    new_password = PasswordField(
        "Mật khẩu mới",
        validators=[required(), _strong],
        description="Ít nhất 8 ký tự, có cả chữ và số.",
    )
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[required()])

    def validate_confirm(self, field: PasswordField) -> None:
        if field.data != self.new_password.data:
            raise ValidationError("Hai lần nhập mật khẩu mới không khớp.")


class BulkAccountsForm(Form):
    """People of the staff directory to make accounts for (ids from the page's checkboxes)."""

    role = SelectField("Vai trò của các tài khoản mới", choices=options(ROLE_CHOICES))


class NotificationPrefsForm(Form):
    digest = BooleanField("Gộp thông báo thành một thư mỗi ngày")
