"""Personal API tokens: made, listed and revoked by their user; checked on every API call.

A token is ``vt_`` + 43 URL-safe characters (256 random bits). Only its SHA-256 is stored,
with its first characters to tell tokens apart in the list; the token itself is shown to
the user once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import VanthuError
from storage.models import ApiToken
from storage.models import User

PREFIX = "vt_"
MAX_ACTIVE = 10  # tokens one user may hold at once
# Recording each use would write on every call; once a minute tells the user enough.
_USE_RESOLUTION = timedelta(minutes=1)


class TokenRefused(VanthuError, ValueError):
    """A token cannot be made; the message is Vietnamese."""

    code = "token_refused"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the token (never stored)."""
    name = " ".join(name.split())[:80] or "Mã truy cập API"
    if len(active_tokens(session, user)) >= MAX_ACTIVE:
        raise TokenRefused(
            f"Mỗi tài khoản có tối đa {MAX_ACTIVE} mã truy cập API; hãy thu hồi mã không dùng."
        )
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=digest(token), prefix=token[:10])
    session.add(row)
    session.flush()
    return row, token


def active_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke(session: Session, user: User, token_id: int) -> ApiToken | None:
    """Revoke one of ``user``'s own tokens; None when it is not theirs or already revoked."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return None
    row.revoked_at = datetime.now(UTC)
    return row


def authenticate(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None (its last use is noted, uncommitted)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = datetime.now(UTC)
    last = row.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite gives naive datetimes back
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= _USE_RESOLUTION:
        row.last_used_at = now
    return row.user
