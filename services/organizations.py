"""Organizations as a tree: a Phòng or Sở and the schools it creates under it.

Each organization keeps its own data, rounds and registers; the tree only lets an office's
admins create schools (with their first admin) and read their rounds and issued dossier
documents. Every record a view reaches through the tree is checked to lie *below* the
signed-in user's organization: never a sibling, never another office's school.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import VanthuError
from domain.names import running_name
from domain.text import clean_line
from domain.text import fold
from services import placement
from services.pagination import DEFAULT_PAGE_SIZE
from services.pagination import Page
from services.pagination import contains_words
from services.pagination import paginate
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import Organization
from storage.models import Role
from storage.models import Round
from storage.models import User

# Organization kinds that manage schools and may create them in the service.
OFFICE_KINDS = ("phong_gddt", "phong_vhxh", "so_gddt")
# The kinds of organization an office creates.
SCHOOL_KINDS = (
    "truong_mn", "truong_th", "truong_thcs", "truong_thpt", "truong_nhieu_cap",
    "trung_tam_gdtx",
)  # fmt: skip
# An office's kind as the school's "cấp trên trực tiếp" (domain.emulation.authority).
_SUPERIOR_KIND = {"phong_gddt": "phong_gddt", "so_gddt": "so_gddt"}
MAX_DEPTH = 8  # the tree is shallow (Sở → Phòng → trường); a deeper walk is a cycle


class OrganizationError(VanthuError, ValueError):
    """The organization cannot be created as asked; the message is Vietnamese."""

    code = "organization_refused"


def is_office(org: Organization) -> bool:
    """Whether ``org`` may create schools under it."""
    return (org.org_kind or "") in OFFICE_KINDS


def descendant_ids(session: Session, org_id: int) -> set[int]:
    """The ids of every organization below ``org_id`` (not ``org_id`` itself)."""
    found: set[int] = set()
    level = {org_id}
    for _ in range(MAX_DEPTH):
        children = (
            set(session.scalars(select(Organization.id).where(Organization.parent_id.in_(level))))
            - found
            - {org_id}
        )
        if not children:
            break
        found |= children
        level = children
    return found


def below(session: Session, ancestor_id: int, org_id: int) -> bool:
    """Whether ``org_id`` lies strictly below ``ancestor_id`` in the tree."""
    current = session.get(Organization, org_id)
    for _ in range(MAX_DEPTH):
        if current is None or current.parent_id is None:
            return False
        if current.parent_id == ancestor_id:
            return True
        current = session.get(Organization, current.parent_id)
    return False


def can_read(session: Session, user: User, org_id: int) -> bool:
    """A clerk reads their own organization's rounds; an admin also those below it."""
    if org_id == user.organization_id:
        return user.is_clerk
    return user.is_admin and below(session, user.organization_id, org_id)


@dataclass(frozen=True)
class ChildRow:
    """One organization below the office, for its list."""

    org: Organization
    rounds: int
    issued: int  # documents of its dossiers issued (Tờ trình and the like sent upward)
    parent_name: str  # the organization directly above it


def children_query(org_id: int, q: str = "") -> Select[Any]:
    """Every organization below ``org_id``, by name, as one statement: the tree walked in
    SQL (a recursive CTE down ``ix_organizations_children``; ``UNION`` stops at a cycle)
    rather than level by level in Python, so the list is paged in SQL like the others.
    ``q``: words typed with or without diacritics, matched on the stored ``search_key``."""
    tree = select(Organization.id).where(Organization.parent_id == org_id).cte(recursive=True)
    tree = tree.union(
        select(Organization.id).where(
            Organization.parent_id == tree.c.id, Organization.id != org_id
        )
    )
    query = select(Organization).where(Organization.id.in_(select(tree.c.id)))
    query = query.where(*contains_words(Organization.search_key, q))
    return query.order_by(Organization.name, Organization.id)


def children_page(
    session: Session, org_id: int, *, number: int, size: int = DEFAULT_PAGE_SIZE, q: str = ""
) -> Page[ChildRow]:
    """One page of :func:`children_query`, each row with its counts: the counts and the
    parents' names are read for the page's organizations only."""
    page = paginate(
        session, children_query(org_id, q), Organization, number=number, size=size,
        search=bool(fold(q)),
    )  # fmt: skip
    rows = _child_rows(session, org_id, list(page.items))
    return Page(items=rows, number=page.number, size=page.size, total=page.total, more=page.more)


def children_rows(session: Session, org_id: int) -> list[ChildRow]:
    """Every organization below ``org_id``, by name, with counts of its rounds and issued
    dossier documents (a school's or Phòng's page; the office's own list is paged)."""
    orgs = list(session.scalars(children_query(org_id)))
    return _child_rows(session, org_id, orgs)


def _child_rows(session: Session, org_id: int, orgs: list[Organization]) -> list[ChildRow]:
    ids = [o.id for o in orgs]
    if not ids:
        return []
    rounds = dict(
        session.execute(
            select(Round.organization_id, func.count())
            .where(Round.organization_id.in_(ids))
            .group_by(Round.organization_id)
        ).all()
    )
    issued = dict(
        session.execute(
            select(Document.organization_id, func.count())
            .where(
                Document.organization_id.in_(ids),
                Document.dossier_id.is_not(None),
                Document.status == DocumentStatus.ISSUED,
            )
            .group_by(Document.organization_id)
        ).all()
    )
    parent_ids = {o.parent_id for o in orgs if o.parent_id and o.parent_id != org_id}
    names: dict[int, str] = {}
    if parent_ids:
        names = dict(
            session.execute(
                select(Organization.id, Organization.name).where(Organization.id.in_(parent_ids))
            ).all()
        )
    return [
        ChildRow(o, rounds.get(o.id, 0), issued.get(o.id, 0), names.get(o.parent_id or 0, ""))
        for o in orgs
    ]


def issued_dossier_documents(session: Session, round_: Round) -> list[Document]:
    """The issued documents of a round's dossiers (what the school sent upward), by number."""
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.organization_id == round_.organization_id,
                Document.round_id == round_.id,
                Document.dossier_id.is_not(None),
                Document.status == DocumentStatus.ISSUED,
            )
            .order_by(Document.issued_date, Document.number)
        )
    )


def received_document(
    session: Session, ancestor_id: int, org_id: int, document_id: int
) -> Document | None:
    """An issued dossier document of ``org_id`` (what a school sent upward) when that
    organization lies below ``ancestor_id``; None for anything else."""
    if not below(session, ancestor_id, org_id):
        return None
    document = session.get(Document, document_id)
    if (
        document is None
        or document.organization_id != org_id
        or document.dossier_id is None
        or document.status != DocumentStatus.ISSUED
    ):
        return None
    return document


@dataclass(frozen=True)
class NewSchool:
    """What the office's admin typed for a new school and its first admin."""

    name: str
    abbrev: str
    place: str
    org_kind: str
    head_title: str
    head_name: str
    admin_name: str
    admin_email: str


def create_school(
    session: Session, parent: Organization, data: NewSchool
) -> tuple[Organization, User]:
    """Create a school under ``parent`` and its first admin (without a password: the caller
    sets it). Its header and placement come from the parent: the parent's name is its cơ quan
    chủ quản and its direct superior; the province is the parent's.

    Raises:
        OrganizationError: the parent is not an office, the kind is not a school's, or the
            names are missing.
    """
    if not is_office(parent):
        raise OrganizationError("Chỉ Phòng hoặc Sở Giáo dục và Đào tạo mới tạo được trường.")
    if data.org_kind not in SCHOOL_KINDS:
        raise OrganizationError("Loại đơn vị phải là một trường hoặc trung tâm.")
    # The admin's address may have accounts in other organizations (e-mails are unique per
    # organization); the new school has none yet, so there is nothing to check it against.
    email = data.admin_email.strip().lower()
    superior_kind = _SUPERIOR_KIND.get(parent.org_kind or "", "")
    superior = running_name(parent.name)
    if not clean_line(data.name) or not clean_line(data.abbrev):
        raise OrganizationError("Cần tên trường và tên viết tắt.")
    school = Organization(
        name=clean_line(data.name).upper(),
        parent_name=clean_line(parent.name).upper(),
        abbrev=clean_line(data.abbrev).upper(),
        place=clean_line(data.place) or parent.place,
        head_title=clean_line(data.head_title).upper() or "HIỆU TRƯỞNG",
        head_name=clean_line(data.head_name),
        address="",
        default_recipients="",
        superior_kind="",
        superior_name="",
        superior_decider="",
        superior_address="",
        settings={},
        parent_id=parent.id,
    )
    placement.apply_placement(
        school,
        org_kind=data.org_kind,
        province=parent.province or "",
        superior_kind=superior_kind,
        superior_name=superior if superior_kind else "",
        superior_decider="",
        superior_address="",
    )
    session.add(school)
    session.flush()
    admin = User(
        organization_id=school.id,
        email=email,
        full_name=clean_line(data.admin_name),
        role=Role.ADMIN.value,
        password_hash="!",  # no password until the caller sets one
    )
    session.add(admin)
    session.flush()
    return school, admin
