"""The account page (Tài khoản): the user's personal API tokens, made and revoked here, and
their signature image for digital signing (issue 17), which only they can sign with."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forms.api_tokens import NewApiTokenForm
from forms.api_tokens import RevokeApiTokenForm
from services import api_tokens
from services import document_signing
from services.signing import MAX_IMAGE_BYTES
from services.signing import SigningError
from storage.db import get_session
from views.auth import login_required
from views.downloads import send_bytes

bp = Blueprint("account", __name__, url_prefix="/tai-khoan")


def _page(
    form: NewApiTokenForm, new_token: str = "", status: int = 200, image_error: str = ""
) -> ResponseReturnValue:
    session = get_session()
    tokens = api_tokens.active_tokens(session, g.user)
    page = render_template(
        "account/index.html",
        form=form,
        revoke_form=RevokeApiTokenForm(),
        tokens=tokens,
        new_token=new_token,
        max_tokens=api_tokens.MAX_ACTIVE,
        signature=document_signing.signature_image(session, g.user),
        image_error=image_error,
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


@bp.route("/chu-ky", methods=["POST"])
@login_required
def signature_image() -> ResponseReturnValue:
    """Upload (or replace) the user's signature image: a PNG with a transparent background."""
    upload = request.files.get("image")
    data = upload.read(MAX_IMAGE_BYTES + 1) if upload else b""
    session = get_session()
    try:
        if not data:
            raise SigningError("Vui lòng chọn ảnh chữ ký (tệp PNG nền trong suốt).")
        document_signing.save_signature_image(session, g.user, data)
    except SigningError as exc:
        session.rollback()
        return _page(NewApiTokenForm(formdata=None), status=400, image_error=exc.message)
    session.commit()
    flash("Đã lưu ảnh chữ ký; ảnh này chỉ dùng khi chính bạn ký số văn bản.", "success")
    return redirect(url_for("account.index"))


@bp.route("/chu-ky.png")
@login_required
def signature_png() -> ResponseReturnValue:
    """The user's own signature image (nobody else's is ever served)."""
    session = get_session()
    data = document_signing.image_bytes(session, document_signing.signature_image(session, g.user))
    if data is None:
        abort(404)
    return send_bytes(data, "chu-ky.png", "image/png")
