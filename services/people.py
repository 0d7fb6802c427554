"""The organization's staff directory, imported from the school's own .xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import fold
from services.pagination import Page
from services.pagination import contains_words
from services.pagination import distinct_in_order
from services.pagination import paginate
from services.spreadsheets import read_staff
from storage.models import Person
from storage.models import Role
from storage.models import User


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def import_staff(session: Session, organization_id: int, content: bytes) -> ImportResult:
    """Upsert people by name and unit (folded), so re-importing an edited list updates it.

    Birth date, birth year and gender are read where the sheet has them (see
    :func:`services.spreadsheets.read_staff`); values it cannot read are left empty.
    """
    existing = {
        (p.search_key, p.unit_key): p
        for p in session.scalars(select(Person).where(Person.organization_id == organization_id))
    }
    created = updated = 0
    for row in read_staff(content):
        key = (fold(row.full_name), fold(row.unit))
        person = existing.get(key)
        if person is None:
            person = Person(organization_id=organization_id, search_key=key[0], unit_key=key[1])
            session.add(person)
            existing[key] = person
            created += 1
        else:
            updated += 1
        person.full_name, person.position, person.unit = row.full_name, row.position, row.unit
        person.email = row.email
        # Birth data only from a sheet that has the columns: many lists leave them out, and
        # importing such a list must not erase the dates an earlier, fuller list gave.
        if row.has_birth:
            person.birth_date, person.birth_year = row.birth_date, row.birth_year
        if row.has_gender:
            person.gender = row.gender
    return ImportResult(created, updated)


# -- the lists: the staff directory and the accounts, a page at a time ----------------------


def directory_query(organization_id: int, *, unit: str = "", q: str = "") -> Select[Person]:
    """The directory by unit then name (ix_people_list), filtered by one unit and by the
    words of ``q`` in the folded name ("nguyen anh" finds "Nguyễn Thị Ánh")."""
    query = select(Person).where(Person.organization_id == organization_id)
    if unit:
        query = query.where(Person.unit == unit)
    query = query.where(*contains_words(Person.search_key, q))
    return query.order_by(Person.unit, Person.full_name, Person.id)


def directory_page(
    session: Session, organization_id: int, *, number: int, size: int, unit: str = "", q: str = ""
) -> Page[Person]:
    """One page of :func:`directory_query`."""
    query = directory_query(organization_id, unit=unit, q=q)
    return paginate(session, query, Person, number=number, size=size, search=bool(fold(q)))


def directory_units(session: Session, organization_id: int) -> list[str]:
    """The directory's units in order, for the unit filter (over ix_people_list)."""
    return distinct_in_order(session, "people", "unit", organization_id)


# The admin's account filter: "" (all), active, locked, or not yet chosen their password.
ACCOUNT_STATES = {
    "active": "Hoạt động",
    "locked": "Đã khóa",
    "first_password": "Chưa đổi mật khẩu ban đầu",
}


def accounts_query(
    organization_id: int, *, role: str = "", state: str = "", q: str = ""
) -> Select[User]:
    """The organization's accounts by name (ix_users_list), filtered by role, state, and the
    words of ``q`` in the folded name or the e-mail."""
    query = select(User).where(User.organization_id == organization_id)
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    if state == "active":
        query = query.where(User.active.is_(True))
    elif state == "locked":
        query = query.where(User.active.is_(False))
    elif state == "first_password":
        query = query.where(User.must_change_password.is_(True))
    for word in fold(q).split():
        # E-mails are kept in lower case and ASCII in practice: matched as typed, folded.
        query = query.where(or_(*contains_words(User.search_key, word),
                                *contains_words(User.email, word)))  # fmt: skip
    return query.order_by(User.full_name, User.id)


def accounts_page(
    session: Session,
    organization_id: int,
    *,
    number: int,
    size: int,
    role: str = "",
    state: str = "",
    q: str = "",
) -> Page[User]:
    """One page of :func:`accounts_query`."""
    query = accounts_query(organization_id, role=role, state=state, q=q)
    return paginate(session, query, User, number=number, size=size, search=bool(fold(q)))


@dataclass(frozen=True)
class Identity:
    """Who a signed-in person is, for pre-filling the forms they make."""

    full_name: str
    position: str
    unit: str
    person_id: int | None = None  # their line in the staff directory, when found


def person_of(session: Session, user: User) -> Person | None:
    """``user``'s line in the staff directory: the one with the account's e-mail, else the
    only one with the account's name (folded) — in the account's unit when several share it.
    None when the directory has no line, or cannot tell which line it is.
    """
    name_key = fold(user.full_name)
    email = (user.email or "").strip().lower()
    candidates = session.scalars(
        select(Person).where(
            Person.organization_id == user.organization_id,
            or_(
                Person.search_key == name_key,
                func.lower(Person.email) == email if email else false(),
            ),
        )
    ).all()
    by_email = [p for p in candidates if email and (p.email or "").strip().lower() == email]
    if len(by_email) == 1:
        return by_email[0]
    named = [p for p in candidates if p.search_key == name_key]
    if len(named) > 1 and user.unit:
        named = [p for p in named if p.unit_key == fold(user.unit)]
    return named[0] if len(named) == 1 else None


def identity_of(session: Session, user: User) -> Identity:
    """The name, position (chức vụ) and unit (tổ) to pre-fill for ``user``: the staff
    directory's line where it has them, the account's own fields otherwise."""
    person = person_of(session, user)
    if person is None:
        return Identity(user.full_name, user.position or "", user.unit or "")
    return Identity(
        person.full_name or user.full_name,
        person.position or user.position or "",
        person.unit or user.unit or "",
        person.id,
    )


def directory_lines(
    session: Session, organization_id: int, names: list[str]
) -> dict[str, list[Person]]:
    """The directory's lines bearing each of ``names``, by folded name, in one statement."""
    keys = {fold(n) for n in names if fold(n)}
    found: dict[str, list[Person]] = {}
    if keys:
        for person in session.scalars(
            select(Person)
            .where(Person.organization_id == organization_id, Person.search_key.in_(keys))
            .order_by(Person.id)
        ):
            found.setdefault(person.search_key, []).append(person)
    return found


def pick_line(lines: list[Person], unit: str = "") -> Person | None:
    """Which of ``lines`` (the directory's lines of one name) a nominee of ``unit``
    designates: the only one of that unit (folded), or the only line at all when the unit
    is not given or matches none."""
    same_unit = [p for p in lines if unit and p.unit_key == fold(unit)]
    if len(same_unit) == 1:
        return same_unit[0]
    if not same_unit and len(lines) == 1 and (not unit or not lines[0].unit_key):
        return lines[0]
    return None


def with_cstdcs_quota(settings: dict[str, Any], percent: int | None) -> dict[str, Any]:
    """Return org settings with the province's CSTĐCS quota (% of LĐTT) set or removed."""
    updated = dict(settings)
    quotas = dict(updated.get("quotas", {}))
    if percent:
        quotas["CSTDCS"] = {"max_percent": str(percent), "of": "LDTT"}
    else:
        quotas.pop("CSTDCS", None)
    if quotas:
        updated["quotas"] = quotas
    else:
        updated.pop("quotas", None)
    return updated
