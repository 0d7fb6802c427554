"""One dossier per round, kept consistent with the records (issue 9, item 4).

A round has one :class:`storage.models.Dossier`: the clerk's input and, through
``Document.dossier_part``, one document per part (:mod:`services.dossier.plan`). Making
the dossier again updates its own drafts in place (same rows, re-rendered), deletes the
drafts of parts that no longer exist, leaves issued parts alone and reports the ones whose
people changed, and gives a withdrawn part a replacement draft that cites it. Issuing a
part re-renders the drafts that cite it (a Danh sách gets its Tờ trình's number).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from flask import Flask
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.emulation.authority import default_superior_address
from domain.emulation.settings import coerce_settings
from domain.text import clean_line
from services import audit
from services.documents import create_document
from services.documents import delete_draft
from services.documents import kind_label
from services.documents import request_render
from services.documents import update_draft
from services.dossier.builders import Context
from services.dossier.builders import DossierInput
from services.dossier.builders import fields_for
from services.dossier.certificates import CERTIFICATES_FUNCTION
from services.dossier.certificates import queue_certificates
from services.dossier.nominees import DossierError
from services.dossier.nominees import RoundFacts
from services.dossier.nominees import read_round
from services.dossier.plan import OWN_DECISION
from services.dossier.plan import Part
from services.dossier.plan import certificate_nominees
from services.dossier.plan import plan_parts
from services.placement import placement_of
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import DocumentSubject
from storage.models import Dossier
from storage.models import Job
from storage.models import Organization
from storage.models import RenderStatus
from storage.models import Round
from storage.models import Submission

_RENDERING = (RenderStatus.QUEUED.value, RenderStatus.RUNNING.value)


@dataclass
class BuildResult:
    dossier: Dossier
    created: list[Document] = field(default_factory=list)
    updated: list[Document] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # labels of drafts removed
    stale: list[Document] = field(default_factory=list)  # issued, but its people changed
    certificates_job: Job | None = None


def round_dossier(session: Session, organization_id: int, round_id: int) -> Dossier | None:
    """The round's dossier (the newest one if an older version made several)."""
    return session.scalars(
        select(Dossier)
        .where(Dossier.organization_id == organization_id, Dossier.round_id == round_id)
        .order_by(Dossier.created_at.desc())
        .limit(1)
    ).first()


def dossier_documents(session: Session, dossier: Dossier) -> list[Document]:
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.organization_id == dossier.organization_id,
                Document.dossier_id == dossier.id,
            )
            .order_by(Document.id)
        )
    )


def live_documents(documents: Iterable[Document]) -> dict[str, Document]:
    """Part key → the part's current document (the newest that is not withdrawn)."""
    live: dict[str, Document] = {}
    for document in documents:
        if document.dossier_part and document.status != DocumentStatus.WITHDRAWN:
            live[document.dossier_part] = document
    return live


def _withdrawn(documents: Iterable[Document]) -> dict[str, Document]:
    """Part key → its newest withdrawn document (what a new draft replaces)."""
    found: dict[str, Document] = {}
    for document in documents:
        if document.dossier_part and document.status == DocumentStatus.WITHDRAWN:
            found[document.dossier_part] = document
    return found


def subject_ids(session: Session, document_id: int) -> set[int]:
    return set(
        session.scalars(
            select(DocumentSubject.submission_id).where(DocumentSubject.document_id == document_id)
        )
    )


def _set_subjects(session: Session, document: Document, ids: Iterable[int]) -> None:
    session.execute(delete(DocumentSubject).where(DocumentSubject.document_id == document.id))
    for submission_id in sorted(set(ids)):
        session.add(DocumentSubject(document_id=document.id, submission_id=submission_id))


def _check_org(org: Organization) -> None:
    if not clean_line(org.head_name):
        raise DossierError(
            "Chưa khai báo họ tên người đứng đầu cơ quan (người ký). Hãy nhập ở Quản trị → "
            "Sửa thông tin cơ quan."
        )
    if not clean_line(org.abbrev):
        raise DossierError("Chưa khai báo chữ viết tắt của cơ quan (dùng trong ký hiệu).")


def _context(
    org: Organization,
    round_: Round,
    data: DossierInput,
    facts: RoundFacts,
    documents: list[Document],
) -> Context:
    return Context(
        org=org,
        round_=round_,
        data=data,
        placement=placement_of(org),
        council_total=facts.council_total,
        documents=live_documents(documents),
        replaces=_withdrawn(documents),
    )


def preview(session: Session, org: Organization, round_: Round, data: DossierInput) -> list[Part]:
    """The parts the dossier would have (for the round page), or DossierError."""
    facts = read_round(session, org, round_, data.issued_on or datetime.date.today())
    return plan_parts(facts, coerce_settings(org.settings))


def build_dossier(
    session: Session,
    app: Flask,
    *,
    org: Organization,
    round_: Round,
    user_id: int,
    data: DossierInput,
) -> BuildResult:
    """Make the round's dossier, or bring it up to date. Nothing is written when a check
    fails; render jobs are enqueued when the caller commits.

    Raises:
        DossierError: a nomination is not ready, the organization lacks header data, or
            the attendance is impossible.
    """
    _check_org(org)
    facts = read_round(session, org, round_, data.issued_on or datetime.date.today())
    if facts.council_total and data.members_present > facts.council_total:
        raise DossierError(
            f"Số thành viên có mặt ({data.members_present}) lớn hơn tổng số thành viên Hội đồng "
            f"ghi ở các hồ sơ ({facts.council_total})."
        )
    parts = plan_parts(facts, coerce_settings(org.settings))
    dossier = round_dossier(session, org.id, round_.id)
    fresh = dossier is None
    if dossier is None:
        dossier = Dossier(organization_id=org.id, round_id=round_.id, created_by_id=user_id)
        session.add(dossier)
        session.flush()
    dossier.inputs = data.to_json()
    documents = dossier_documents(session, dossier)
    ctx = _context(org, round_, data, facts, documents)
    result = BuildResult(dossier)
    live = dict(ctx.documents)
    for part in parts:
        document = live.get(part.key)
        header, body = fields_for(ctx, part)
        if document is None:
            document = create_document(
                session, organization_id=org.id, created_by_id=user_id, kind=part.kind,
                header_fields=header, body_fields=body, round_id=round_.id,
                dossier_id=dossier.id,
            )  # fmt: skip
            document.dossier_part = part.key
            replaced = ctx.replaces.get(part.key)
            document.replaces_id = replaced.id if replaced else None
            _set_subjects(session, document, part.submission_ids)
            request_render(session, app, document, user_id=user_id)
            result.created.append(document)
        elif document.status == DocumentStatus.DRAFT:
            _update(session, app, document, header, body, user_id)
            _set_subjects(session, document, part.submission_ids)
            result.updated.append(document)
        elif subject_ids(session, document.id) != set(part.submission_ids):
            result.stale.append(document)
    wanted = {part.key for part in parts}
    for key, document in live.items():
        if key not in wanted and document.status == DocumentStatus.DRAFT:
            if document.render_status in _RENDERING:
                continue  # the next regeneration removes it
            result.deleted.append(kind_label(document.kind))
            delete_draft(session, document, user_id=user_id)
    result.certificates_job = _certificates(
        session, app, org, round_, dossier, parts, data, user_id
    )
    audit.record(
        session,
        "dossier.create" if fresh else "dossier.regenerate",
        object_type="dossier",
        object_id=dossier.id,
        detail={
            "round": round_.name,
            "parts": len(parts),
            "documents": [kind_label(p.kind) for p in parts],
        },
    )
    return result


def _update(
    session: Session,
    app: Flask,
    document: Document,
    header: dict[str, object],
    body: dict[str, object],
    user_id: int,
) -> bool:
    """Replace a draft's fields; re-render only when they changed."""
    before = (dict(document.header_fields or {}), dict(document.body_fields or {}))
    update_draft(document, header_fields=header, body_fields=body)
    if before == (document.header_fields, document.body_fields) and document.docx_file_id:
        return False
    if document.render_status not in _RENDERING:
        request_render(session, app, document, user_id=user_id)
    return True


def _certificates(
    session: Session,
    app: Flask,
    org: Organization,
    round_: Round,
    dossier: Dossier,
    parts: list[Part],
    data: DossierInput,
    user_id: int,
) -> Job | None:
    nominees = certificate_nominees(parts)
    if not nominees:
        return None
    decision = live_documents(dossier_documents(session, dossier)).get(OWN_DECISION)
    assert decision is not None  # a certificate nominee is in the own decision
    return queue_certificates(
        session, app, org=org, round_=round_, dossier_id=dossier.id, user_id=user_id,
        submission_ids=[n.submission_id for n in nominees], decision_id=decision.id,
        authority=data.authority, org_name=data.org_name,
    )  # fmt: skip


def refresh_after_issue(
    session: Session, app: Flask, document: Document, *, user_id: int
) -> list[Document]:
    """After a dossier part is issued, rebuild the dossier's drafts so they cite its number
    (a Danh sách its Tờ trình, a Quyết định the Biên bản). Returns the drafts queued again.

    Raises:
        DossierError: the records no longer make a dossier (the caller reports it; the
            issue itself stands).
    """
    if not document.dossier_id:
        return []
    dossier = session.get(Dossier, document.dossier_id)
    if dossier is None or dossier.organization_id != document.organization_id:
        return []
    org = session.get_one(Organization, dossier.organization_id)
    round_ = session.get_one(Round, dossier.round_id)
    data = DossierInput.from_json(dossier.inputs)
    facts = read_round(session, org, round_, data.issued_on or datetime.date.today())
    documents = dossier_documents(session, dossier)
    ctx = _context(org, round_, data, facts, documents)
    changed = []
    for part in plan_parts(facts, coerce_settings(org.settings)):
        draft = ctx.documents.get(part.key)
        if draft is None or draft.status != DocumentStatus.DRAFT:
            continue
        header, body = fields_for(ctx, part)
        if _update(session, app, draft, header, body, user_id):
            changed.append(draft)
    return changed


def certificate_job(session: Session, organization_id: int, dossier_id: str) -> Job | None:
    """The latest certificate batch of a dossier (the dossier id is in the job's JSON args,
    which SQLite and PostgreSQL query differently, so the match is made here)."""
    jobs = session.scalars(
        select(Job)
        .where(
            Job.organization_id == organization_id,
            Job.function == f"worker.jobs.{CERTIFICATES_FUNCTION}",
        )
        .order_by(Job.created_at.desc())
    )
    return next((job for job in jobs if job.args.get("dossier_id") == dossier_id), None)


def default_input(
    session: Session, org: Organization, round_: Round, today: datetime.date
) -> dict[str, object]:
    """Initial values of the dossier form: what the clerk confirmed last time for this
    round, else the organization's header data and its superior's Kính gửi line."""
    dossier = round_dossier(session, org.id, round_.id)
    if dossier is not None and dossier.inputs:
        stored = DossierInput.from_json(dossier.inputs)
        values: dict[str, object] = dict(stored.__dict__)
        values["kinh_gui"] = "\n".join(stored.kinh_gui)
        values["recipients"] = "\n".join(stored.recipients)
        return values
    placement = placement_of(org)
    address = placement.superior_address or default_superior_address(
        placement.superior_kind, placement.superior_name, placement.superior_decider
    )
    org_name = placement.org_name
    return {
        "issued_on": today,
        "org_name": org_name,
        "authority": f"{placement.head_title} {org_name}",
        "kinh_gui": address,
        "recipients": org.default_recipients or "",
        "meeting_date": today,
        "start_time": "14 giờ 00",
        "end_time": "16 giờ 30",
        "place": f"Phòng họp {org_name}",
        "chair": clean_line(org.head_name),
        # Everyone present is the usual case; the clerk corrects it when someone was absent.
        "members_present": _council_size(session, org.id, round_.id),
        "chair_position": f"{placement.head_title}, Chủ tịch Hội đồng",
        "secretary_position": "Thư ký Hội đồng",
        "agenda": (
            "Chủ tịch Hội đồng quán triệt tiêu chuẩn danh hiệu thi đua, hình thức khen thưởng "
            "theo Luật Thi đua, khen thưởng và quy chế thi đua, khen thưởng của đơn vị.\n"
            "Hội đồng xem xét hồ sơ đề nghị, thảo luận và bỏ phiếu kín."
        ),
    }


def rebuild_after_change(
    session: Session, app: Flask, *, org: Organization, round_: Round, user_id: int
) -> BuildResult | None:
    """After a council result changed (and the issued documents naming it were withdrawn),
    make the round's dossier again from the input the clerk last confirmed: drafts are
    updated, withdrawn parts get replacement drafts that cite them. None when the round
    has no dossier with a stored input.

    Raises:
        DossierError: the records no longer make a dossier.
    """
    dossier = round_dossier(session, org.id, round_.id)
    if dossier is None or not dossier.inputs:
        return None
    data = DossierInput.from_json(dossier.inputs)
    return build_dossier(session, app, org=org, round_=round_, user_id=user_id, data=data)


def _council_size(session: Session, organization_id: int, round_id: int) -> int | None:
    """The council size the round's votes were recorded against (the largest, if they
    disagree: the dossier then explains the disagreement)."""
    return session.scalar(
        select(func.max(Submission.council_total)).where(
            Submission.organization_id == organization_id, Submission.round_id == round_id
        )
    )
