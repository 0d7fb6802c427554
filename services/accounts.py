"""Accounts: made in bulk from the staff directory, first passwords, reset links.

A reset or invitation link carries a token signed with the app's secret key
(itsdangerous, with a salt of its own) naming the account and a fingerprint of its current
password hash. It is refused once it is older than its lifetime, and
once it has been used: setting the password changes the hash, so the fingerprint no
longer matches (the same happens when the user changes the password any other way). No
token is stored, so a copy of the database gives none away.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass

from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from services import audit
from services import notifications
from storage.models import ROLE_LABELS
from storage.models import Person
from storage.models import Role
from storage.models import User

INVITATION_DAYS = 7
_SALT = "vanthu.password-link"
_ALPHABET = string.ascii_letters + string.digits


class AccountError(Exception):
    """A request about accounts that cannot be done; the message is Vietnamese."""


def first_password() -> str:
    """A password to hand out once (10 letters and digits, at least one of each)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


def _hash(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


# -- people without accounts -------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person: Person
    problem: str  # why no account can be made from the line ("" = it can)


def candidates(session: Session, organization_id: int) -> list[Candidate]:
    """The organization's staff directory lines that have no account yet (by e-mail)."""
    taken = {e for e in session.scalars(select(func.lower(User.email)))}
    people = session.scalars(
        select(Person)
        .where(Person.organization_id == organization_id)
        .order_by(Person.unit, Person.full_name)
    ).all()
    found, seen = [], set()
    for person in people:
        email = (person.email or "").strip().lower()
        if email in taken:
            continue
        if not email or "@" not in email:
            problem = "Danh sách cán bộ chưa có địa chỉ thư điện tử."
        elif email in seen:
            problem = "Địa chỉ thư điện tử trùng với một người khác trong danh sách."
        else:
            problem = ""
        seen.add(email)
        found.append(Candidate(person, problem))
    return found


@dataclass(frozen=True)
class Created:
    user: User
    password: str  # the first password, shown once


def create_accounts(
    session: Session,
    *,
    organization_id: int,
    person_ids: list[int],
    role: str,
    invite_link: object,
    by_user_id: int,
) -> list[Created]:
    """Make an account for each chosen directory line of ``organization_id``.

    Each gets a first password (changed at first sign-in) and an invitation letter with a
    link to choose a password instead. ``invite_link(user)`` gives that link. Lines of
    another organization, lines with an account already, or without an e-mail are skipped.
    """
    if role not in {r.value for r in Role}:
        raise AccountError("Vai trò không hợp lệ.")
    usable = {c.person.id: c.person for c in candidates(session, organization_id) if not c.problem}
    made = []
    for person_id in dict.fromkeys(person_ids):
        person = usable.get(person_id)
        if person is None:
            continue
        password = first_password()
        user = User(
            organization_id=organization_id,
            email=person.email.strip().lower(),
            full_name=person.full_name,
            position=person.position or "",
            unit=person.unit or "",
            role=role,
            password_hash=_hash(password),
            must_change_password=True,
            active=True,
        )
        session.add(user)
        session.flush()
        link = invite_link(user)  # type: ignore[operator]
        organization = user.organization.name if user.organization else ""
        notifications.notify(
            session,
            to=user,
            kind="invitation",
            key=f"invitation:{user.id}",
            immediate=True,
            subject="Tài khoản Văn thư số của anh/chị",
            body=(
                f"Kính gửi {user.full_name},\n\n"
                f"{organization} đã tạo cho anh/chị tài khoản Văn thư số "
                f"({ROLE_LABELS.get(Role(role), role)}), đăng nhập bằng địa chỉ {user.email}.\n\n"
                f"Mở liên kết sau để tự đặt mật khẩu (dùng được một lần, trong "
                f"{INVITATION_DAYS} ngày):\n{link}\n\n"
                "Nếu anh/chị đã nhận mật khẩu ban đầu từ quản trị, hãy đăng nhập bằng mật khẩu "
                "đó; hệ thống sẽ yêu cầu đổi mật khẩu ngay lần đầu.\n"
            ),
        )
        audit.record(
            session,
            "user.create",
            object_type="user",
            object_id=user.id,
            detail={"name": user.full_name, "email": user.email, "role": role},
            organization_id=organization_id,
            user_id=by_user_id,
        )
        made.append(Created(user, password))
    return made


# -- reset and invitation links -------------------------------------------------------------


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def make_token(secret_key: str, user: User, purpose: str = "reset") -> str:
    """A link token for ``user`` (``purpose`` "reset" or "invite")."""
    return _serializer(secret_key).dumps({"u": user.id, "f": _fingerprint(user), "k": purpose})


def user_for_token(
    session: Session, secret_key: str, token: str, *, reset_minutes: int
) -> User | None:
    """The account a valid, unused, unexpired token names; None otherwise."""
    serializer = _serializer(secret_key)
    try:
        data = serializer.loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or data.get("k") not in ("reset", "invite"):
        return None
    if data["k"] == "reset":
        try:
            serializer.loads(token, max_age=reset_minutes * 60)
        except (SignatureExpired, BadSignature):
            return None
    user = session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


def request_reset(session: Session, email: str, *, link_for: object, moment_bucket: str) -> None:
    """Queue a reset letter if ``email`` is an active account's; silent otherwise.

    ``moment_bucket`` (e.g. the current 5-minute slot) makes repeated requests within it
    one letter, so the form cannot be used to flood someone's mailbox.
    """
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        return
    link = link_for(user)  # type: ignore[operator]
    notifications.notify(
        session,
        to=user,
        kind="password_reset",
        key=f"reset:{user.id}:{moment_bucket}",
        immediate=True,
        subject="Đặt lại mật khẩu Văn thư số",
        body=(
            f"Kính gửi {user.full_name},\n\n"
            "Có yêu cầu đặt lại mật khẩu cho tài khoản của anh/chị. Mở liên kết sau để đặt "
            "mật khẩu mới (dùng được một lần, trong thời hạn ghi trên trang Quên mật khẩu):\n"
            f"{link}\n\n"
            "Nếu anh/chị không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn dùng được.\n"
        ),
    )
