"""The Giấy khen batch of a dossier: only the organization's own Giấy khen, named as in its
Quyết định, with the decision's number and date once it is issued."""

from __future__ import annotations

import datetime
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from domain.emulation.titles import get_title
from domain.numbering import format_symbol
from domain.numbering import number_and_symbol
from domain.text import clean_line
from domain.text import nfc
from outbox.queues import create_job
from services.dossier.names import DRAFT_PLACEHOLDER
from services.dossier.names import head_title
from services.dossier.names import period_text
from services.dossier.nominees import DossierError
from services.dossier.nominees import Nominee
from services.dossier.plan import CERTIFICATE_TITLES
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from storage.models import Round
from storage.models import Submission

CERTIFICATES_FUNCTION = "render_certificates"
CERTIFICATES_KIND = "In giấy khen"


def nominee_of(submission: Submission) -> Nominee:
    """A certificate's nominee, read again by the worker.

    Raises:
        DossierError: the submission's title is not a Giấy khen the organization confers
            (a superior's Bằng khen is printed by that superior, never here).
    """
    title = get_title(submission.title_code)
    if title.code not in CERTIFICATE_TITLES:
        raise DossierError(
            f"“{clean_line(submission.nominee_name)}” được đề nghị {title.quoted_name}, không "
            "phải Giấy khen của đơn vị: đơn vị không in giấy khen cho hình thức này."
        )
    return Nominee(
        submission_id=submission.id,
        kind=submission.kind,
        status=submission.status,
        name=clean_line(submission.nominee_name),
        position=clean_line(submission.position),
        unit=clean_line(submission.unit),
        collective=submission.nominee_type == "collective",
        title=title,
        votes_for=submission.votes_for,
        council_total=submission.council_total,
    )


def certificate_fields(
    org: Organization,
    round_: Round,
    nominee: Nominee,
    *,
    authority: str,
    org_name: str,
    decision_number: str,
    decision_date: datetime.date | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One Giấy khen: the award named as in the decision, its number and date."""
    period = period_text(round_)
    achievement = f"Đã có thành tích xuất sắc trong phong trào thi đua\n{period}"
    header = {
        "date": decision_date.isoformat() if decision_date else None,
        "signer_authority": "",
        "signer_collective": "",
        "signer_position": head_title(org),
        "signer_name": clean_line(org.head_name),
    }
    body = {
        "nguoi_khen": authority,
        "nguoi_nhan": nominee.name,
        "don_vi": ", ".join(p for p in (nominee.position, nominee.unit or org_name) if p),
        "thanh_tich": achievement,
        "so_quyet_dinh": decision_number,
        "ngay_quyet_dinh": decision_date.isoformat() if decision_date else None,
        "so_vang": "",
    }
    return header, body


def decision_reference(org: Organization, decision: Document | None) -> tuple[str, Any]:
    """The decision's "số/ký hiệu" and date for the certificates: the register's once it is
    issued, a blank number to fill by hand while it is a draft."""
    if decision is not None and decision.number is not None:
        return number_and_symbol(decision.number, decision.symbol), decision.issued_date
    symbol = format_symbol("QĐ", org.abbrev)
    date = (decision.header_fields.get("date") if decision else None) or None
    return number_and_symbol(None, symbol, DRAFT_PLACEHOLDER), date


def certificate_file_name(nominee_name: str, used: set[str]) -> str:
    """ "Giấy khen - Trần Thị Bình.docx", unique within one batch."""
    cleaned = "".join(" " if c in '\\/:*?"<>|\r\n\t' else c for c in nfc(nominee_name))
    stem = " ".join(f"Giấy khen - {cleaned}".split())[:120]
    name, number = f"{stem}.docx", 2
    while name in used:
        name, number = f"{stem} ({number}).docx", number + 1
    used.add(name)
    return name


def queue_certificates(
    session: Session,
    app: Flask,
    *,
    org: Organization,
    round_: Round,
    dossier_id: str,
    user_id: int,
    submission_ids: list[int],
    decision_id: int,
    authority: str,
    org_name: str,
) -> Job:
    """Queue one job that prints a Giấy khen for each submission."""
    return create_job(
        session,
        app,
        function=CERTIFICATES_FUNCTION,
        kind=CERTIFICATES_KIND,
        args={
            "round_id": round_.id,
            "dossier_id": dossier_id,
            "submission_ids": submission_ids,
            "decision_id": decision_id,
            "authority": authority,
            "org_name": org_name,
        },
        organization_id=org.id,
        created_by_id=user_id,
    )


def reprint_certificates(session: Session, app: Flask, previous: Job, *, user_id: int) -> Job:
    """Queue the certificate batch ``previous`` again, with the same arguments (e.g. once
    the decision has its number), as a new job of the same organization."""
    return create_job(
        session,
        app,
        function=CERTIFICATES_FUNCTION,
        kind=CERTIFICATES_KIND,
        args=dict(previous.args),
        organization_id=previous.organization_id,
        created_by_id=user_id,
    )
