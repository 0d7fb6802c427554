"""Login, logout, change password, and the access decorators every other view uses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from forms.account import ChangePasswordForm
from forms.account import LoginForm
from services import audit
from services import login_throttle
from storage.db import get_session
from storage.models import Role
from storage.models import User

bp = Blueprint("auth", __name__)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_user() -> None:
        user_id = session.get("user_id")
        g.user = None
        if user_id is not None:
            user = get_session().get(User, user_id)
            if user is not None and user.active:
                g.user = user


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow only users with one of ``roles`` (admins pass every clerk check)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user.role not in roles and g.user.role != Role.ADMIN:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


clerk_required = role_required(Role.CLERK)
admin_required = role_required(Role.ADMIN)


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        ip = request.remote_addr or ""
        db = get_session()
        limits = {
            "max_failures": current_app.config["LOGIN_MAX_FAILURES"],
            "window_minutes": current_app.config["LOGIN_WINDOW_MINUTES"],
        }
        if login_throttle.is_throttled(db, email, ip, **limits):
            audit.record(db, "login.throttled", detail={"email": email})
            db.commit()
            flash(
                "Đăng nhập sai quá nhiều lần. Hãy thử lại sau "
                f"{limits['window_minutes']} phút hoặc nhờ quản trị đặt lại mật khẩu.",
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        user = db.scalar(select(User).where(func.lower(User.email) == email))
        if (
            user is None
            or not user.active
            or not check_password_hash(user.password_hash, form.password.data)
        ):
            login_throttle.record_failure(db, email, ip)
            audit.record(
                db,
                "login.failure",
                detail={"email": email},
                organization_id=user.organization_id if user else None,
            )
            db.commit()
            flash("Sai địa chỉ thư điện tử hoặc mật khẩu.", "error")
        else:
            login_throttle.clear(db, email, older_than_minutes=limits["window_minutes"])
            audit.record(db, "login.success", organization_id=user.organization_id, user_id=user.id)
            db.commit()
            session.clear()
            session.permanent = True
            session["user_id"] = user.id
            target = request.args.get("next", "")
            # Only local paths: never redirect to another site after login.
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("main.index")
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/dang-xuat", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(g.user.password_hash, form.current_password.data):
            form.current_password.errors.append("Mật khẩu hiện tại không đúng.")
        else:
            g.user.password_hash = hash_password(form.new_password.data)
            get_session().commit()
            flash("Đã đổi mật khẩu.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)
