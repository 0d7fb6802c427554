"""Forms of the account page's API tokens."""

from __future__ import annotations

from wtforms import StringField

from forms.base import Form
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import required


class NewApiTokenForm(Form):
    """Name a new personal API token (the program or machine that will use it)."""

    name = StringField(
        "Tên gợi nhớ (chương trình hoặc máy sẽ dùng mã)",
        validators=[required(), length(80)],
        filters=TEXT_FILTERS,
    )


class RevokeApiTokenForm(Form):
    """Only the CSRF token: revoking needs no input."""
