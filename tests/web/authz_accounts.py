"""Authorization rows for people management and notifications (merged into
test_authorization.MATRIX).

Quên mật khẩu and its links are open to anyone (the answer never tells whether an account
exists); making accounts in bulk and the outbox are for admins, of their own organization
only (nothing in the path names another); each user chooses their own notifications.
"""

LOGIN = 302
ROLES = ("anonymous", "staff", "staff2", "clerk", "admin", "other_clerk")
ADMIN_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "admin": 200}
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}

ROWS: dict = {
    "auth.forgot_password": ("GET", "/quen-mat-khau", dict.fromkeys(ROLES, 200)),
    "auth.reset_password": ("GET", "/dat-lai-mat-khau/{reset_token}", dict.fromkeys(ROLES, 200)),
    "accounts.bulk": ("GET", "/quan-tri/tao-tai-khoan", ADMIN_ONLY),
    "accounts.outbox": ("GET", "/quan-tri/hop-thu-di", ADMIN_ONLY),
    "accounts.prefs": ("GET", "/tai-khoan/thong-bao", SIGNED_IN),
}

EXTRA_ROWS: dict = {
    # An empty form: the page again with its message, for anyone.
    "auth.forgot_password": [("POST", "/quen-mat-khau", dict.fromkeys(ROLES, 200))],
    "auth.reset_password": [("POST", "/dat-lai-mat-khau/{reset_token}", dict.fromkeys(ROLES, 200))],
    "accounts.bulk": [("POST", "/quan-tri/tao-tai-khoan", ADMIN_ONLY)],
    "accounts.prefs": [
        ("POST", "/tai-khoan/thong-bao", {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN})
    ],
}


def targets(app, world) -> dict:
    """A valid reset link of ``staff2`` (an empty form never spends it)."""
    from services.accounts import make_token
    from storage.models import User

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        user = session.get(User, world["staff2"])
        return {"reset_token": make_token(app.config["SECRET_KEY"], user)}
