"""The organization's staff directory, imported from the school's own .xlsx."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import fold
from services.spreadsheets import read_staff
from storage.models import Person


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
