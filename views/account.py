"""The account page (Tài khoản): the user's personal API tokens, made and revoked here."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue

from forms.api_tokens import NewApiTokenForm
from forms.api_tokens import RevokeApiTokenForm
from services import api_tokens
from storage.db import get_session
from views.auth import login_required

bp = Blueprint("account", __name__, url_prefix="/tai-khoan")


def _page(form: NewApiTokenForm, new_token: str = "", status: int = 200) -> ResponseReturnValue:
    tokens = api_tokens.active_tokens(get_session(), g.user)
    page = render_template(
        "account/index.html",
        form=form,
        revoke_form=RevokeApiTokenForm(),
        tokens=tokens,
        new_token=new_token,
        max_tokens=api_tokens.MAX_ACTIVE,
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    return _page(NewApiTokenForm(formdata=None))


@bp.route("/ma-api", methods=["POST"])
@login_required
def create_token() -> ResponseReturnValue:
    """Make a token and show it on this answer only (it is stored hashed)."""
    form = NewApiTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    session = get_session()
    try:
        _row, token = api_tokens.create(session, g.user, form.name.data or "")
    except api_tokens.TokenRefused as exc:
        form.name.errors = [str(exc)]
        return _page(form, status=400)
    session.commit()
    return _page(NewApiTokenForm(formdata=None), new_token=token, status=201)


@bp.route("/ma-api/<int:token_id>/thu-hoi", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    if not RevokeApiTokenForm().validate_on_submit():
        return _page(NewApiTokenForm(formdata=None), status=400)
    session = get_session()
    row = api_tokens.revoke(session, g.user, token_id)
    if row is None:
        # Another user's token, or one already revoked: nothing to say about it.
        return _page(NewApiTokenForm(formdata=None), status=404)
    session.commit()
    flash(
        f"Đã thu hồi mã “{row.name}”; chương trình dùng mã này không truy cập được nữa.", "success"
    )
    return redirect(url_for("account.index"))
