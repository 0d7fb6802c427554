"""E-mail notifications: one outbox row per letter, sent by the worker through SMTP.

**Never lost.** :func:`notify` adds the row in the session of the event it reports (a
council's result, an invitation), so the letter exists exactly when the event does. The
row is then delivered by the worker: an RQ job enqueued after the commit for promptness
(:mod:`worker.notify`), and the sweeper's pass every ``SWEEP_SECONDS`` (:func:`sweep`) for
whatever Redis lost or the mail server refused for a while. A mail server that is down or
answers 4xx leaves the row pending, tried again after ``NOTIFY_RETRY_SECONDS``, doubled at
each try up to an hour, for as long as it takes.

**Never sent twice by two workers.** A sender first *claims* the row with one conditional
``UPDATE … SET status='sending', attempts=attempts+1 WHERE status='pending' AND due``
and commits; only the worker whose UPDATE changed the row talks to the mail server, and it
records the outcome only if the row is still in that claim (same ``attempts``).

**The guarantee: at least once, with one Message-ID per notification.** A worker killed
after the server took the letter but before the row says "sent" leaves it "sending"; after
``JOB_ABANDON_SECONDS`` the sweep puts it back to pending and it is sent again. No commit
can be atomic with an SMTP conversation, so the choice is between losing that letter
(at most once) and sending it again; we send it again, with the *same* ``Message-ID``
header, so mail servers and clients that deduplicate by Message-ID show it once.
``tests/notifications/test_worker_killed_mid_send.py`` proves it on a real SMTP server and
a SIGKILLed worker: every event arrives, and no two letters differ in Message-ID for one
event. A duplicate needs a crash inside that window (or a server slower than
JOB_ABANDON_SECONDS on one letter); a killed worker before the server's answer never makes
one reach the server twice in any other way.

Without ``SMTP_HOST`` nothing is sent: letters are kept in the outbox (status "kept"),
listed on Quản trị → Hộp thư đi.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

import redis
from flask import Flask
from flask import current_app
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from services.pagination import Page
from services.pagination import paginate
from storage.db import get_db
from storage.db import real_app
from storage.db import rowcount
from storage.models import Deadline
from storage.models import Notification
from storage.models import NotificationStatus
from storage.models import User

log = logging.getLogger(__name__)

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_BACKOFF = timedelta(hours=1)
BATCH = 50  # letters one sweep pass sends at most
DELIVER = "worker.notify.deliver"

KIND_LABELS = {
    "decision": "Kết quả xét duyệt",
    "deadline": "Nhắc hạn",
    "incoming_deadline": "Nhắc hạn xử lý văn bản đến",
    "password_reset": "Đặt lại mật khẩu",
    "invitation": "Mời sử dụng tài khoản",
    "digest": "Thư tổng hợp hằng ngày",
}


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_today(moment: datetime | None = None) -> date:
    return _aware(moment or now()).astimezone(LOCAL).date()


def _message_id(kind: str, config: Any) -> str:
    domain = parseaddr(str(config.get("SMTP_FROM") or ""))[1].rpartition("@")[2]
    return f"<{kind}.{uuid.uuid4().hex}@{domain or 'vanthu.invalid'}>"


def notify(
    session: Session,
    *,
    to: User | str,
    kind: str,
    subject: str,
    body: str,
    key: str | None = None,
    organization_id: int | None = None,
    immediate: bool = False,
) -> Notification | None:
    """Add a letter in ``session`` (the event's transaction); None if ``key`` was used.

    Args:
        to: the user (their address, organization and digest choice) or a bare address.
        key: names the event, so that the same event never makes two letters (deadline
            reminders made by every worker's sweep); default: a fresh one.
        immediate: never held for the user's daily digest (password letters).
    """
    user = to if isinstance(to, User) else None
    address = user.email if user is not None else str(to)
    if not address:
        return None
    key = key or f"{kind}:{uuid.uuid4().hex}"
    if session.scalar(select(Notification.id).where(Notification.dedup_key == key)) is not None:
        return None
    config = current_app.config if has_app_context() else {}
    held = user is not None and user.notify_digest and not immediate
    row = Notification(
        organization_id=organization_id or (user.organization_id if user else None),
        user_id=user.id if user is not None else None,
        to_addr=address,
        kind=kind,
        dedup_key=key,
        subject=subject[:255],
        body=body,
        message_id=_message_id(kind, config),
        status=(NotificationStatus.HELD if held else NotificationStatus.PENDING).value,
        attempts=0,
        error="",
    )
    session.add(row)
    session.flush()
    if not held and has_app_context():
        _enqueue_after_commit(session, real_app(), row.id)
    return row


def _enqueue_after_commit(session: Session, app: Flask, notification_id: int) -> None:

    @event.listens_for(session, "after_commit", once=True)
    def _enqueue(_session: Session) -> None:
        enqueue(app, notification_id)


def enqueue(app: Flask, notification_id: int) -> bool:
    """Ask a worker to send the letter now; False (the sweep will) when Redis is away."""
    from outbox.connection import get_queue

    try:
        get_queue(app).enqueue(
            DELIVER, notification_id, job_timeout=app.config["JOB_TIMEOUT"], result_ttl=600
        )
    except redis.RedisError as exc:
        log.warning("notification %s not enqueued, Redis unreachable: %s", notification_id, exc)
        return False
    return True


def decision_letter(session: Session, submission: Any, status_label: str) -> Notification | None:
    """Tell the person who sent ``submission`` the council's result (approved, or not
    proposed: returned), in the session that records the result."""
    sender = submission.created_by or session.get(User, submission.created_by_id)
    if sender is None or not sender.active:
        return None
    what = submission.nominee_name
    note = (
        f"\nGhi chú của người xét duyệt: {submission.decision_note}\n"
        if (submission.decision_note)
        else ""
    )
    return notify(
        session,
        to=sender,
        kind="decision",
        subject=f"Kết quả xét duyệt hồ sơ của {_short(what, 80)}: {status_label}",
        body=(
            f"Kính gửi {sender.full_name},\n\n"
            f"Hồ sơ thi đua của {what} (số {submission.id}) có kết quả: {status_label}.\n"
            f"{note}\nXem chi tiết trong Văn thư số, mục Hồ sơ của tôi.\n"
        ),
    )


# -- delivery ------------------------------------------------------------------------------


class _Transient(Exception):
    """The mail server is away or said "try later"."""


class _Refused(Exception):
    """The mail server refused this letter for good."""


def deliver(app: Flask, notification_id: int, *, moment: datetime | None = None) -> str:
    """Claim and send one letter: "sent", "kept", "retry", "failed" or "not-claimed"."""
    moment = moment or now()
    with app.app_context():
        database = get_db()
        with database.session() as session:
            claimed = rowcount(
                session.execute(
                    update(Notification)
                    .where(
                        Notification.id == notification_id,
                        Notification.status == NotificationStatus.PENDING.value,
                        or_(Notification.next_try_at.is_(None), Notification.next_try_at <= moment),
                    )
                    .values(
                        status=NotificationStatus.SENDING.value,
                        claimed_at=moment,
                        attempts=Notification.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
            )
            if not claimed:
                return "not-claimed"
            row = session.get(Notification, notification_id)
            assert row is not None
            letter = _letter(app.config, row)
            attempt = row.attempts
        values: dict[str, Any]
        if not app.config.get("SMTP_HOST"):
            outcome, values = "kept", {"status": NotificationStatus.KEPT.value}
        else:
            try:
                _send(app.config, letter)
            except _Refused as exc:
                outcome = "failed"
                values = {"status": NotificationStatus.FAILED.value, "error": str(exc)[:2000]}
            except _Transient as exc:
                delay = min(
                    timedelta(seconds=app.config["NOTIFY_RETRY_SECONDS"] * 2 ** (attempt - 1)),
                    MAX_BACKOFF,
                )
                outcome = "retry"
                values = {
                    "status": NotificationStatus.PENDING.value,
                    "next_try_at": now() + delay,
                    "error": str(exc)[:2000],
                }
                log.warning("notification %s: will retry in %s: %s", notification_id, delay, exc)
            else:
                outcome = "sent"
                values = {"status": NotificationStatus.SENT.value, "sent_at": now(), "error": ""}
        with database.session() as session:
            session.execute(
                update(Notification)
                .where(
                    Notification.id == notification_id,
                    Notification.status == NotificationStatus.SENDING.value,
                    Notification.attempts == attempt,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        return outcome


def _letter(config: Any, row: Notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.get("SMTP_FROM") or "vanthu@localhost"
    message["To"] = row.to_addr
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(_aware(row.created_at))
    message.set_content(row.body)
    return message


def _send(config: Any, letter: EmailMessage) -> None:
    try:
        with smtplib.SMTP(
            config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=config["SMTP_TIMEOUT"]
        ) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(letter)
    except smtplib.SMTPRecipientsRefused as exc:
        raise _Refused(f"Máy chủ thư từ chối người nhận: {exc.recipients}") from exc
    except smtplib.SMTPDataError as exc:
        if exc.smtp_code >= 500:
            raise _Refused(f"Máy chủ thư từ chối thư: {exc.smtp_code} {exc.smtp_error!r}") from exc
        raise _Transient(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _Transient(f"Không gửi được qua máy chủ thư: {exc}") from exc


# -- the sweep -------------------------------------------------------------------------------


@dataclass
class NotifyReport:
    recovered: list[int] = field(default_factory=list)
    reminders: int = 0
    digests: int = 0
    outcomes: dict[int, str] = field(default_factory=dict)


def sweep(app: Flask, *, moment: datetime | None = None) -> NotifyReport:
    """One pass: letters abandoned mid-send back to pending, deadline reminders and daily
    digests made, then due letters sent (stopping at the first sign the server is down)."""
    moment = moment or now()
    report = NotifyReport()
    with app.app_context():
        database = get_db()
        with database.session() as session:
            report.recovered = _recover_abandoned(session, app, moment)
        with database.session() as session:
            report.reminders = make_deadline_reminders(session, app, local_today(moment))
        with database.session() as session:
            report.digests = make_digests(session, local_today(moment))
        with database.session() as session:
            due = session.scalars(
                select(Notification.id)
                .where(
                    Notification.status == NotificationStatus.PENDING.value,
                    or_(Notification.next_try_at.is_(None), Notification.next_try_at <= moment),
                )
                .order_by(Notification.id)
                .limit(BATCH)
            ).all()
    for notification_id in due:
        outcome = deliver(app, notification_id, moment=moment)
        report.outcomes[notification_id] = outcome
        if outcome == "retry":
            break  # the server is away: the rest waits for the next pass
    return report


def _recover_abandoned(session: Session, app: Flask, moment: datetime) -> list[int]:
    limit = moment - timedelta(seconds=app.config["JOB_ABANDON_SECONDS"])
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.status == NotificationStatus.SENDING.value,
            Notification.claimed_at < limit,
        )
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status = NotificationStatus.PENDING.value
        row.next_try_at = None
        row.error = "Tiến trình gửi bị dừng giữa chừng; thư được gửi lại (cùng Message-ID)."
    return [row.id for row in rows]


def _add_unique(session: Session, **values: Any) -> bool:
    """:func:`notify` in a savepoint: two sweeps racing on one reminder make one row."""
    try:
        with session.begin_nested():
            return notify(session, **values) is not None
    except IntegrityError:
        return False


def make_deadline_reminders(session: Session, app: Flask, today: date) -> int:
    """A reminder to each assigned person of every deadline within NOTIFY_DEADLINE_DAYS:
    calendar deadlines (their assignee; each occurrence of a recurring one) and handling
    deadlines of the incoming register (its handlers). One per person and occurrence."""
    from services import calendar
    from services.incoming.deadlines import handling_deadlines

    last = today + timedelta(days=app.config["NOTIFY_DEADLINE_DAYS"])
    made = 0
    deadlines = session.scalars(
        select(Deadline)
        .where(Deadline.assignee_id.is_not(None), Deadline.done.is_(False))
        .options(selectinload(Deadline.occurrences_done))
    ).all()
    for deadline in deadlines:
        assignee = deadline.assignee
        if assignee is None or not assignee.active:
            continue
        for entry in calendar.deadline_entries(deadline, today, last, today):
            if entry.done or entry.day < today:
                continue
            key = f"deadline:{deadline.id}:{entry.day.isoformat()}:{assignee.id}"
            made += _remind(session, assignee, "deadline", key, entry.title, entry.day)
    org_ids = session.scalars(select(User.organization_id).distinct()).all()
    for org_id in org_ids:
        for item in handling_deadlines(session, org_id, include_done=False):
            if not today <= item.due <= last:
                continue
            for user_id in item.handler_ids:
                user = session.get(User, user_id)
                if user is None or not user.active:
                    continue
                key = f"incoming:{item.entry_id}:{item.due.isoformat()}:{user_id}"
                made += _remind(session, user, "incoming_deadline", key, item.title, item.due)
    return made


def _remind(session: Session, user: User, kind: str, key: str, title: str, due: date) -> bool:
    """One reminder of ``title`` due on ``due`` to ``user``, once per ``key``."""
    what = "Nhắc hạn xử lý" if kind == "incoming_deadline" else "Nhắc hạn"
    return _add_unique(
        session,
        to=user,
        kind=kind,
        key=key,
        subject=f"{what} {due:%d/%m/%Y}: {_short(title)}",
        body=(
            f"Kính gửi {user.full_name},\n\n"
            f"Việc được giao cho anh/chị đến hạn ngày {due:%d/%m/%Y}:\n\n{title}\n\n"
            "Xem lịch hạn trong Văn thư số (mục Lịch hạn).\n"
        ),
    )


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_digests(session: Session, today: date) -> int:
    """Gather each user's held letters from before today into one letter (once a day)."""
    start = datetime.combine(today, time(0), LOCAL).astimezone(UTC)
    held = session.scalars(
        select(Notification)
        .where(
            Notification.status == NotificationStatus.HELD.value,
            Notification.created_at < start,
            Notification.user_id.is_not(None),
        )
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[int, list[Notification]] = {}
    for row in held:
        by_user.setdefault(row.user_id or 0, []).append(row)
    made = 0
    for user_id, rows in by_user.items():
        user = session.get(User, user_id)
        if user is None:
            continue
        parts = [f"{i}. {row.subject}\n\n{row.body.strip()}" for i, row in enumerate(rows, 1)]
        try:
            with session.begin_nested():
                digest = notify(
                    session,
                    to=user,
                    kind="digest",
                    key=f"digest:{user_id}:{today.isoformat()}",
                    subject=f"Văn thư số: {len(rows)} thông báo (tổng hợp ngày {today:%d/%m/%Y})",
                    body=f"Kính gửi {user.full_name},\n\n" + "\n\n---\n\n".join(parts) + "\n",
                    immediate=True,
                )
                if digest is None:
                    continue
                for row in rows:
                    row.status = NotificationStatus.DIGESTED.value
                    row.digest_id = digest.id
                made += 1
        except IntegrityError:
            continue
    return made


def outbox_page(
    session: Session, organization_id: int, *, number: int, size: int, status: str = ""
) -> Page[Notification]:
    """One page of the organization's letters, newest first, of one status when given
    (Quản trị → Hộp thư đi): every letter reachable, not only the newest 200."""
    query = select(Notification).where(Notification.organization_id == organization_id)
    if status in {s.value for s in NotificationStatus}:
        query = query.where(Notification.status == status)
    query = query.order_by(Notification.id.desc())
    return paginate(session, query, Notification, number=number, size=size)


def counts(session: Session, organization_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Notification.status, func.count())
        .where(Notification.organization_id == organization_id)
        .group_by(Notification.status)
    ).all()
    return {status: count for status, count in rows}
