"""Login, logout, change password, and the access decorators every other view uses."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import SessionMixin
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash

from forms.account import ChangePasswordForm
from forms.account import ChooseAccountForm
from forms.account import ForgotPasswordForm
from forms.account import LoginForm
from forms.account import ResetPasswordForm
from forms.base import add_error
from services import accounts
from services import audit
from services import login_throttle
from services.accounts import hash_password
from storage.db import get_session
from storage.models import Role
from storage.models import User

bp = Blueprint("auth", __name__)


def set_password(user: User, password: str) -> None:
    """Give ``user`` a new password and end every session made with the old one."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session of ``user`` (the caller commits)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def safe_next(target: str) -> str | None:
    """``target`` if it is a path on this site, else None.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so
    "/<tab>/evil.example" or "/<backslash>evil.example" would leave the site: any control
    character, backslash, or a second leading slash refuses the target.
    """
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


class AbsoluteLifetimeSessions(SecureCookieSessionInterface):
    """A signed-cookie session whose lifetime counts from the login, not the last request."""

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        started = session.get("login_at")
        if started is None or not session.permanent:
            return super().get_expiration_time(app, session)
        return datetime.fromtimestamp(started, UTC) + app.permanent_session_lifetime


def start_session(user: User) -> None:
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["epoch"] = user.session_epoch or 0
    session["login_at"] = int(time.time())


def _session_user() -> User | None:
    """The signed-in user, if the session is still valid: the account is active, nothing
    ended its sessions since, and it is younger than SESSION_HOURS counted from the login."""
    user_id = session.get("user_id")
    if user_id is None:
        return None
    started = session.get("login_at")
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    user = get_session().get(User, user_id)
    if (
        user is None
        or not user.active
        or session.get("epoch") != (user.session_epoch or 0)
        or not isinstance(started, int)
        or not 0 <= time.time() - started < lifetime
    ):
        session.clear()
        return None
    return user


def init_app(app: Flask) -> None:
    app.session_interface = AbsoluteLifetimeSessions()
    if app.config.get("TRUSTED_PROXIES"):
        count = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's middleware hook
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )

    @app.before_request
    def _load_user() -> None:
        g.user = _session_user()

    @app.before_request
    def _force_password_change() -> ResponseReturnValue | None:
        # A password someone else chose (a new account, an admin's reset) is changed
        # before anything else: every page leads to Đổi mật khẩu until it is.
        user = g.get("user")
        if user is None or not user.must_change_password:
            return None
        if request.endpoint in PASSWORD_CHANGE_OPEN:
            return None
        if request.path.startswith("/api/"):
            abort(403)
        return redirect(url_for("auth.change_password"))

    @app.after_request
    def _no_store(response: Response) -> Response:
        # Pages of a signed-in user stay out of caches (shared school computers, proxies).
        if g.get("user") is not None and response.mimetype in ("text/html", "application/json"):
            response.headers["Cache-Control"] = "no-store"
        return response


# What a user who must change the password may still reach.
PASSWORD_CHANGE_OPEN = {"auth.change_password", "auth.logout", "static"}


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
def login() -> ResponseReturnValue:
    form = LoginForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        ip = request.remote_addr or ""
        db = get_session()
        limits = login_throttle.Limits(
            free_failures=current_app.config["LOGIN_MAX_FAILURES"],
            window_minutes=current_app.config["LOGIN_WINDOW_MINUTES"],
            max_delay_seconds=current_app.config["LOGIN_MAX_DELAY_SECONDS"],
        )
        wait = login_throttle.wait_seconds(db, email, ip, limits)
        if wait:
            audit.record(db, "login.throttled", detail={"email": email})
            db.commit()
            flash(
                f"Đăng nhập sai quá nhiều lần. Hãy chờ {wait} giây rồi thử lại "
                "(hoặc nhờ quản trị đặt lại mật khẩu).",
                "error",
            )
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        attempt = accounts.sign_in(db, email, form.password.data or "")
        if not attempt.matched:
            login_throttle.record_failure(db, email, ip)
            # Each organization whose account was tried sees the failure in its own log.
            tried: list[int | None] = [*attempt.organization_ids]
            for organization_id in tried or [None]:
                audit.record(
                    db, "login.failure", detail={"email": email}, organization_id=organization_id
                )
            db.commit()
            flash("Sai địa chỉ thư điện tử hoặc mật khẩu.", "error")
        else:
            login_throttle.clear(db, email, older_than_minutes=limits.window_minutes)
            target = safe_next(request.args.get("next", "")) or url_for("main.index")
            if len(attempt.matched) > 1:
                db.commit()
                _offer_choice(attempt.matched, target)
                return redirect(url_for("auth.choose_account"))
            _sign_in(db, attempt.matched[0])
            return redirect(target)
    return render_template("auth/login.html", form=form)


def _sign_in(db: Session, user: User) -> None:
    audit.record(db, "login.success", organization_id=user.organization_id, user_id=user.id)
    db.commit()
    start_session(user)


# How long the choice of organization, offered after a password matched several accounts,
# stays open: the password was checked once, so the choice must follow it closely.
CHOICE_SECONDS = 300


def _offer_choice(users: list[User], target: str) -> None:
    session.clear()
    session["choose"] = {"ids": [u.id for u in users], "at": int(time.time()), "next": target}


def _offered() -> tuple[list[User], str]:
    """The accounts the last sign-in may choose among, and where it was going; none once
    the offer is older than CHOICE_SECONDS or was not made in this session."""
    offer = session.get("choose")
    if not isinstance(offer, dict) or not 0 <= time.time() - offer.get("at", 0) < CHOICE_SECONDS:
        return [], ""
    db = get_session()
    users = [db.get(User, user_id) for user_id in offer.get("ids", [])]
    return [u for u in users if u is not None and u.active], str(offer.get("next") or "")


@bp.route("/dang-nhap/chon-don-vi", methods=["GET", "POST"])
def choose_account() -> ResponseReturnValue:
    """The address and password are those of accounts in several organizations (a teacher
    at two schools): choose the one to work in. Only accounts the password opened."""
    users, target = _offered()
    if not users:
        session.pop("choose", None)
        flash("Hãy đăng nhập lại.", "info")
        return redirect(url_for("auth.login"))
    form = ChooseAccountForm()
    form.account.choices = [(u.id, u.organization.name) for u in users]
    if form.validate_on_submit():
        user = next(u for u in users if u.id == form.account.data)
        _sign_in(get_session(), user)
        return redirect(safe_next(target) or url_for("main.index"))
    return render_template("auth/choose_account.html", form=form)


@bp.route("/dang-xuat", methods=["POST"])
def logout() -> ResponseReturnValue:
    # Ends this session and every other one of the account: a copied cookie dies too.
    if g.user is not None:
        end_sessions(g.user)
        get_session().commit()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(g.user.password_hash, form.current_password.data or ""):
            add_error(form.current_password, "Mật khẩu hiện tại không đúng.")
        else:
            set_password(g.user, form.new_password.data or "")
            g.user.must_change_password = False
            get_session().commit()
            start_session(g.user)  # this session goes on; every other one has ended
            flash("Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc.", "success")
            return redirect(url_for("main.index"))
    return render_template(
        "auth/change_password.html", form=form, forced=g.user.must_change_password
    )


def password_link(user: User, purpose: str = "reset") -> str:
    """The absolute address of a reset (or invitation) link for ``user``: at PUBLIC_URL,
    or at the request's own address when it is unset."""
    token = accounts.make_token(current_app.config["SECRET_KEY"], user, purpose)
    path = url_for("auth.reset_password", token=token)
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return (base or request.host_url.rstrip("/")) + path


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a reset letter. The answer is the same whether the address has an account
    or not, so the form tells nobody which addresses do."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        db = get_session()
        bucket = str(int(time.time()) // 300)  # one letter per account per 5 minutes
        accounts.request_reset(
            db, form.email.data or "", link_for=password_link, moment_bucket=bucket
        )
        db.commit()
        return render_template(
            "auth/forgot_password.html", form=None, sent=True, minutes=_reset_minutes()
        )
    return render_template(
        "auth/forgot_password.html", form=form, sent=False, minutes=_reset_minutes()
    )


def _reset_minutes() -> int:
    return int(current_app.config["PASSWORD_RESET_MINUTES"])


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password from a letter's link (reset or invitation): once, in time."""
    db = get_session()
    user = accounts.user_for_token(
        db, current_app.config["SECRET_KEY"], token, reset_minutes=_reset_minutes()
    )
    if user is None:
        return render_template("auth/reset_password.html", form=None), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        set_password(user, form.new_password.data or "")  # ends every session, spends the link
        user.must_change_password = False
        login_throttle.clear(
            db, user.email.lower(), older_than_minutes=current_app.config["LOGIN_WINDOW_MINUTES"]
        )
        audit.record(
            db,
            "user.password_link",
            object_type="user",
            object_id=user.id,
            detail={"name": user.full_name, "email": user.email},
            organization_id=user.organization_id,
            user_id=user.id,
        )
        db.commit()
        flash("Đã đặt mật khẩu mới. Hãy đăng nhập.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)
