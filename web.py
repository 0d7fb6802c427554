"""The web application: ``create_app(test_config=None)`` and its error pages.

Views live in blueprints under ``views/``; this module only wires things together.
"""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta
from typing import Any

import sqlalchemy.exc
from flask import Flask
from flask import Response
from flask import g
from flask import render_template
from flask import request
from flask.json.provider import DefaultJSONProvider
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from flask_wtf.csrf import CSRFProtect

import access_log
import config
import storage
from domain.errors import VanthuError
from views import api
from views import auth
from views import formatting

csrf = CSRFProtect()


class SafeJSONProvider(DefaultJSONProvider):
    """Deeply nested JSON bodies exhaust Python's recursion limit inside ``json.loads``;
    report them as malformed (a 400 with a message) instead of a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON lồng nhau quá sâu.") from exc


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = SafeJSONProvider(app)
    app.config.update(config.load())
    if test_config:
        app.config.update(test_config)
    _derive_settings(app)
    logging.getLogger().setLevel(app.config["LOG_LEVEL"])
    access_log.install_filter(app.logger, logging.getLogger("werkzeug"))

    storage.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    _register_blueprints(app)
    api.init_app(app, csrf)  # bearer tokens, 401 and JSON errors under /api/
    _register_error_pages(app)
    _register_security_headers(app)
    _register_template_helpers(app)
    from cli import register_commands

    register_commands(app)
    return app


def _derive_settings(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_HOURS"])
    # Flask's defaults already hold these keys (SameSite None), so setdefault would not do.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # token lives as long as the session


# One blueprint per concern; the order only matters for the navigation bar.
BLUEPRINTS = (
    "auth", "main", "submissions", "review", "documents", "dossier", "plans", "incoming",
    "calendar", "checker", "doc_templates", "admin", "organizations", "rounds", "jobs", "reports",
    "account", "accounts", "api", "signing",
)  # fmt: skip


def _register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        module = importlib.import_module(f"views.{name}")
        app.register_blueprint(module.bp)


def _register_error_pages(app: Flask) -> None:
    def page(status: int, title: str, message: str, code: str | None = None) -> ResponseReturnValue:
        if request.accept_mimetypes.best == "application/json" or api.is_api_request():
            return api.json_error(status, message, code)
        return render_template("error.html", title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> ResponseReturnValue:
        return page(
            400,
            "Phiên làm việc đã hết hạn",
            "Biểu mẫu thiếu mã bảo vệ (CSRF) hoặc mã đã hết hạn. Hãy tải lại trang và gửi lại; "
            "dữ liệu đã lưu trước đó không bị thay đổi.",
            "csrf_failed",
        )

    @app.errorhandler(403)
    def forbidden(_exc: Exception) -> ResponseReturnValue:
        return page(403, "Không có quyền truy cập", "Bạn không có quyền xem hoặc sửa nội dung này.")

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> ResponseReturnValue:
        return page(404, "Không tìm thấy", "Trang hoặc hồ sơ bạn tìm không tồn tại.")

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> ResponseReturnValue:
        limit = app.config["MAX_UPLOAD_MB"]
        return page(
            413,
            "Tệp quá lớn",
            f"Tệp tải lên vượt quá giới hạn {limit:g} MB. Hãy nén hoặc chia nhỏ tệp rồi gửi lại.",
        )

    @app.errorhandler(VanthuError)
    def refused(exc: VanthuError) -> ResponseReturnValue:
        # The one place an app error that no view answered itself becomes a page, or JSON
        # {code, message} under /api/: its Vietnamese message, its code and its status.
        # Nothing the request wrote is kept.
        session = g.get("db_session")
        if session is not None:
            session.rollback()
        return page(exc.status, "Không thực hiện được", exc.message, exc.code)

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    @app.errorhandler(sqlalchemy.exc.InterfaceError)
    def database_unavailable(exc: Exception) -> ResponseReturnValue:
        # The database is restarting or unreachable: nothing was written (the transaction
        # is rolled back with the request's session); the pool's pre-ping reconnects later.
        app.logger.warning("database unavailable: %s", exc)
        g.user = None  # the page must not touch the database (the header shows the user)
        response = page(
            503,
            "Hệ thống tạm thời gián đoạn",
            "Cơ sở dữ liệu đang tạm thời không truy cập được. Dữ liệu bạn gửi chưa được lưu; "
            "hãy thử lại sau ít phút.",
        )
        response = app.make_response(response)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(500)
    def server_error(_exc: Exception) -> ResponseReturnValue:
        return page(
            500, "Lỗi hệ thống", "Đã có lỗi xảy ra. Dữ liệu đã lưu không bị mất; hãy thử lại."
        )


# No inline scripts anywhere (static/app.js and friends only); inline style attributes are
# allowed for the few computed positions (highlight boxes over page images).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _register_template_helpers(app: Flask) -> None:

    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.globals.update(formatting.GLOBALS)
