"""The organization's staff directory, imported from the school's own .xlsx."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import fold
from services.spreadsheets import read_staff
from storage.models import Person
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
                func.lower(Person.email) == email if email else False,
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


def directory_match(
    session: Session, organization_id: int, name: str, unit: str = ""
) -> Person | None:
    """The directory line a typed nominee designates: same name and unit (folded), or the
    only line with that name when the unit is not given or matches none."""
    people = session.scalars(
        select(Person).where(
            Person.organization_id == organization_id, Person.search_key == fold(name)
        )
    ).all()
    same_unit = [p for p in people if unit and p.unit_key == fold(unit)]
    if len(same_unit) == 1:
        return same_unit[0]
    if not same_unit and len(people) == 1 and (not unit or not people[0].unit_key):
        return people[0]
    return None


def with_cstdcs_quota(settings: dict, percent: int | None) -> dict:  # type: ignore[type-arg]
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
