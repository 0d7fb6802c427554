"""The JSON API under ``/api/``: how programs authenticate, and the errors they get.

* ``Authorization: Bearer <token>`` with a personal API token (made on the account page,
  :mod:`services.api_tokens`) authenticates a call as the token's user; such calls need no
  CSRF token (a browser never sends the header by itself). Calls with the browser's session
  still work and, being cookie-authenticated, still need the CSRF token (``X-CSRFToken``,
  from ``GET /api/csrf-token``) on POST.
* Without a session or a token, every API route but the public ones answers 401 JSON
  (never a redirect to the HTML login page).
* Every error under ``/api/`` is ``{"error": {"code": "<stable code>", "message": "…"}}``
  (the message in Vietnamese).

:func:`init_app` wires this in after the blueprints are registered.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import g
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException

from services import api_tokens
from storage.db import get_session
from storage.models import ROLE_LABELS
from storage.models import Role
from views.auth import login_required
from views.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api")

PREFIX = "/api/"
PUBLIC_ENDPOINTS = {"api.openapi"}

# Stable error codes by HTTP status; a view may pass a more precise one.
CODES = {
    400: "invalid_input",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
_GENERIC = {
    405: "Phương thức HTTP này không dùng được cho địa chỉ này.",
    415: "Kiểu nội dung gửi lên không được hỗ trợ.",
}


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def json_error(status: int, message: str, code: str | None = None) -> Response:
    """``{"error": {"code": …, "message": …}}`` with ``status``."""
    response = jsonify({"error": {"code": code or CODES.get(status, "error"), "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="vanthu"'
    return response


def init_app(app: Flask, csrf: CSRFProtect) -> None:
    """Bearer tokens, CSRF for session calls, 401 and JSON errors for every /api/ route."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX):
            # Flask-WTF's own check is replaced by _authenticate's for these views.
            csrf.exempt(app.view_functions[rule.endpoint])

    @app.before_request
    def _authenticate() -> Response | None:  # runs after views.auth loaded g.user
        if not is_api_request() or request.endpoint is None:
            return None
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if header:
            if scheme.lower() != "bearer" or not token.strip():
                return json_error(
                    401, "Tiêu đề Authorization phải có dạng “Bearer <mã>”.", "invalid_token"
                )
            session = get_session()
            user = api_tokens.authenticate(session, token.strip())
            if user is None:
                return json_error(
                    401, "Mã truy cập API không hợp lệ hoặc đã bị thu hồi.", "invalid_token"
                )
            session.commit()
            if user.must_change_password:
                # A password someone else chose (an admin's reset) closes the API as it
                # closes the pages: whoever reset it may have done so because the account,
                # and so its tokens, were in other hands.
                return json_error(
                    403,
                    "Tài khoản phải đổi mật khẩu trước: đăng nhập trên trang web, đổi mật "
                    "khẩu, rồi dùng lại mã truy cập API.",
                    "password_change_required",
                )
            g.user = user
            g.api_token = True
            return None
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if g.get("user") is None:
            return json_error(
                401,
                "Chưa đăng nhập: gửi mã truy cập API trong tiêu đề "
                "“Authorization: Bearer <mã>”, hoặc đăng nhập trước.",
            )
        if app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # a cookie-authenticated call: CSRFError → 400 csrf_failed
        return None

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        # Statuses without a page of their own (400, 405, 415…): JSON under /api/.
        if not is_api_request():
            return exc
        status = exc.code or 500
        message = _GENERIC.get(status) or "Yêu cầu không hợp lệ."
        if status == 400 and exc.description and _is_vietnamese(exc.description):
            message = exc.description
        return json_error(status, message)


def _is_vietnamese(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3 description of this API (public: it holds no data)."""
    return jsonify(openapi_document(request.host_url.rstrip("/")))


@bp.route("/toi")
@login_required
def me() -> ResponseReturnValue:
    """Who the call is authenticated as."""
    user = g.user
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": ROLE_LABELS.get(Role(user.role), user.role),
        "organization_id": user.organization_id,
        "organization": user.organization.name,
        "authenticated_by": "token" if g.get("api_token") else "session",
    }


@bp.route("/csrf-token")
@login_required
def csrf_token() -> ResponseReturnValue:
    """The CSRF token a session-authenticated program sends as ``X-CSRFToken``."""
    return {"csrf_token": generate_csrf(), "header": "X-CSRFToken"}


__all__ = ["bp", "init_app", "is_api_request", "json_error"]
