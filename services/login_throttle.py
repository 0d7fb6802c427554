"""Slow down password guessing: failed sign-ins are counted per account and per address.

Counts live in the database (not Redis), so throttling holds across web processes and
machines and does not switch off when the queue is down.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import fold
from storage.models import LoginAttempt

# One address may try several accounts (a school's shared computer), but not endlessly.
ADDRESS_FACTOR = 4


def email_key(email: str) -> str:
    return fold(email.strip().lower())[:255]


def is_throttled(
    session: Session, email: str, ip: str, *, max_failures: int, window_minutes: int
) -> bool:
    """True when the account or the address has too many recent failures."""
    since = datetime.now(UTC) - timedelta(minutes=window_minutes)
    key = email_key(email)
    by_account, by_address = session.execute(
        select(
            func.count().filter(LoginAttempt.email_key == key),
            func.count().filter(LoginAttempt.ip == ip),
        ).where(
            LoginAttempt.created_at >= since,
            or_(LoginAttempt.email_key == key, LoginAttempt.ip == ip),
        )
    ).one()
    return by_account >= max_failures or by_address >= max_failures * ADDRESS_FACTOR


def record_failure(session: Session, email: str, ip: str) -> None:
    session.add(LoginAttempt(email_key=email_key(email), ip=ip[:64]))


def clear(session: Session, email: str, *, older_than_minutes: int) -> None:
    """Forget the account's failures after a successful sign-in, and prune old rows."""
    limit = datetime.now(UTC) - timedelta(minutes=older_than_minutes)
    session.execute(
        delete(LoginAttempt).where(
            or_(LoginAttempt.email_key == email_key(email), LoginAttempt.created_at < limit)
        )
    )
