"""Accounts: made in bulk from the staff directory, first passwords, reset links.

A reset or invitation link carries a token signed with the app's secret key
(itsdangerous, with a salt of its own) naming the account and a fingerprint of its current
password hash. It is refused once it is older than its lifetime, and
once it has been used: setting the password changes the hash, so the fingerprint no
longer matches (the same happens when the user changes the password any other way). No
token is stored, so a copy of the database gives none away.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from domain.errors import VanthuError
from services import audit
from services import notifications
from storage.models import ROLE_LABELS
from storage.models import Person
from storage.models import Role
from storage.models import User

INVITATION_DAYS = 7
_SALT = "vanthu.password-link"
_ALPHABET = string.ascii_letters + string.digits


class AccountError(VanthuError):
    """A request about accounts that cannot be done; the message is Vietnamese."""

    code = "account_refused"


def first_password() -> str:
    """A password to hand out once (10 letters and digits, at least one of each)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


@functools.cache
def _dummy_hash() -> str:
    # Checked against when the e-mail has no active account, so that a wrong e-mail costs
    # the same scrypt time as a wrong password: timing tells no address apart.
    return hash_password(secrets.token_hex(16))


@dataclass(frozen=True)
class SignIn:
    """What a sign-in with an address and a password found."""

    matched: list[User]  # active accounts of the address with this password (usually 0 or 1)
    organization_ids: list[int]  # organizations with an active account of the address


def sign_in(session: Session, email: str, password: str) -> SignIn:
    """Check ``password`` against every active account of ``email`` (one per organization at
    most). Every account is checked, and a dummy hash when there is none, so an unknown
    address takes as long as a wrong password."""
    users = session.scalars(
        select(User)
        .where(User.email == email.strip().lower(), User.active.is_(True))
        .order_by(User.id)
    ).all()
    if not users:
        check_password_hash(_dummy_hash(), password)
    # A list, not any(): every account is checked, whichever matches first.
    checked = [(user, check_password_hash(user.password_hash, password)) for user in users]
    return SignIn(
        matched=[user for user, ok in checked if ok],
        organization_ids=sorted({user.organization_id for user in users}),
    )


# -- people without accounts -------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person: Person
    problem: str  # why no account can be made from the line ("" = it can)


def candidates(session: Session, organization_id: int) -> list[Candidate]:
    """The organization's staff directory lines that have no account in it yet (by e-mail).

    Only this organization's accounts count: an address with an account elsewhere still
    gets one here, and the list does not reveal that it had one."""
    taken = set(session.scalars(select(User.email).where(User.organization_id == organization_id)))
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
    invite_link: Callable[[User], str],
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
            password_hash=hash_password(password),
            must_change_password=True,
            active=True,
        )
        session.add(user)
        session.flush()
        link = invite_link(user)
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


def request_reset(
    session: Session, email: str, *, link_for: Callable[[User], str], moment_bucket: str
) -> None:
    """Queue a reset letter to each active account of ``email``; silent when there is none.

    An address may have an account in several organizations: each gets its own letter and
    link, naming its organization, so the person resets the one they mean.
    ``moment_bucket`` (e.g. the current 5-minute slot) makes repeated requests within it
    one letter per account, so the form cannot be used to flood someone's mailbox.
    """
    users = session.scalars(
        select(User)
        .where(User.email == email.strip().lower(), User.active.is_(True))
        .order_by(User.id)
    ).all()
    for user in users:
        organization = user.organization.name if user.organization else ""
        notifications.notify(
            session,
            to=user,
            kind="password_reset",
            key=f"reset:{user.id}:{moment_bucket}",
            immediate=True,
            subject="Đặt lại mật khẩu Văn thư số",
            body=(
                f"Kính gửi {user.full_name},\n\n"
                "Có yêu cầu đặt lại mật khẩu cho tài khoản của anh/chị"
                f"{f' tại {organization}' if organization else ''}. Mở liên kết sau để đặt "
                "mật khẩu mới (dùng được một lần, trong thời hạn ghi trên trang Quên mật khẩu):\n"
                f"{link_for(user)}\n\n"
                "Nếu anh/chị không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn dùng được.\n"
            ),
        )
