"""Slow down password guessing: failed sign-ins are counted per account and per address.

Nothing is ever locked: after ``free_failures`` failures within the window, each further
try of that account (or from that address) must wait, 1 s after the last failure, then
2 s, 4 s … up to ``max_delay_seconds``. A guesser gets one try per delay; the owner, or a
school behind one NAT address, waits seconds, never the whole window. A try made while a
wait runs is refused without checking the password and is not counted, so hammering does
not lengthen the wait.

Counts live in the database (not Redis), so throttling holds across web processes and
machines and does not switch off when the queue is down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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

# One address may try several accounts (a school's shared computer or NAT), so it gets
# this many times an account's free failures before its tries are slowed.
ADDRESS_FACTOR = 4


@dataclass(frozen=True)
class Limits:
    free_failures: int
    window_minutes: int
    max_delay_seconds: int


def email_key(email: str) -> str:
    return fold(email.strip().lower())[:255]


def delay_after(failures: int, free: int, max_delay_seconds: int) -> float:
    """Seconds a try must wait after the last failure, given ``failures`` recent ones."""
    if failures < free:
        return 0.0
    return float(min(max_delay_seconds, 2 ** min(failures - free, 30)))


def wait_seconds(
    session: Session, email: str, ip: str, limits: Limits, *, now: datetime | None = None
) -> int:
    """Whole seconds the caller must still wait before this account may be tried from this
    address (0: go ahead)."""
    now = now or datetime.now(UTC)
    since = now - timedelta(minutes=limits.window_minutes)
    key = email_key(email)
    by_account, last_account, by_address, last_address = session.execute(
        select(
            func.count().filter(LoginAttempt.email_key == key),
            func.max(LoginAttempt.created_at).filter(LoginAttempt.email_key == key),
            func.count().filter(LoginAttempt.ip == ip),
            func.max(LoginAttempt.created_at).filter(LoginAttempt.ip == ip),
        ).where(
            LoginAttempt.created_at >= since,
            or_(LoginAttempt.email_key == key, LoginAttempt.ip == ip),
        )
    ).one()
    free = limits.free_failures
    waits = [
        _remaining(last_account, delay_after(by_account, free, limits.max_delay_seconds), now),
        _remaining(
            last_address,
            delay_after(by_address, free * ADDRESS_FACTOR, limits.max_delay_seconds),
            now,
        ),
    ]
    return math.ceil(max(waits))


def _remaining(last: datetime | None, delay: float, now: datetime) -> float:
    if last is None or not delay:
        return 0.0
    if last.tzinfo is None:  # SQLite hands back naive UTC values
        last = last.replace(tzinfo=UTC)
    return max(0.0, (last + timedelta(seconds=delay) - now).total_seconds())


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
