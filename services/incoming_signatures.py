"""The signatures of incoming documents (issue 17): the trust store and the results.

The trust store is per organization (:class:`storage.models.TrustedRoot`): its admin adds
the root certificates of the CAs it trusts (Ban Cơ yếu Chính phủ's, a licensed public CA's);
none are shipped. Verification itself runs in the worker (:mod:`worker.jobs.signatures`,
in a limited child process) and is stored here on the incoming document; a change of the
roots re-verifies the organization's signed documents (a bulk job), so that what the pages
show always follows the roots in force.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from outbox.queues import create_job
from services import audit
from services.signatures import FAILED
from services.signatures import UNSIGNED
from services.signatures import CertificateError
from services.signatures import SignatureReport
from services.signatures import describe
from services.signatures import load_certificate
from services.signatures import overall_state
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from storage.models import StoredFile
from storage.models import TrustedRoot

if TYPE_CHECKING:
    from flask import Flask

MAX_ROOTS = 50  # a trust store is a handful of national and provincial CAs
MAX_CERTIFICATE_BYTES = 64 * 1024
JOB_FUNCTION = "verify_signatures"
JOB_KIND = "Kiểm tra chữ ký số văn bản đến"


# -- the trust store ----------------------------------------------------------------------


def roots(session: Session, organization_id: int) -> list[TrustedRoot]:
    return list(
        session.scalars(
            select(TrustedRoot)
            .where(TrustedRoot.organization_id == organization_id)
            .order_by(TrustedRoot.created_at, TrustedRoot.id)
        )
    )


def root_ders(session: Session, organization_id: int) -> list[bytes]:
    return [root.der for root in roots(session, organization_id)]


def roots_fingerprint(ders: Sequence[bytes], *, fetch_revocation: bool) -> str:
    """What a check's reports depend on besides the bytes: the set of trusted roots (in
    any order) and whether revocation was fetched. Equal fingerprints, equal reports."""
    digest = hashlib.sha256(b"revocation=1;" if fetch_revocation else b"revocation=0;")
    for root in sorted(hashlib.sha256(der).hexdigest() for der in ders):
        digest.update(root.encode("ascii"))
    return digest.hexdigest()


def add_root(session: Session, organization_id: int, data: bytes, *, user_id: int) -> TrustedRoot:
    """Trust a root certificate (PEM or DER); audited.

    Raises:
        CertificateError: not one CA certificate, already trusted, or too many roots.
    """
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise CertificateError("Tệp quá lớn để là một chứng thư số (tối đa 64 KB).")
    info = load_certificate(data)
    existing = roots(session, organization_id)
    if any(root.sha256 == info.sha256 for root in existing):
        raise CertificateError(f"Chứng thư “{info.subject}” đã có trong danh sách tin cậy.")
    if len(existing) >= MAX_ROOTS:
        raise CertificateError(f"Chỉ được tin cậy tối đa {MAX_ROOTS} chứng thư gốc.")
    root = TrustedRoot(
        organization_id=organization_id,
        der=info.der,
        sha256=info.sha256,
        subject=info.subject,
        not_before=info.not_before,
        not_after=info.not_after,
        added_by_id=user_id,
    )
    session.add(root)
    session.flush()
    _audit(session, "trust_root.add", root, user_id)
    return root


def remove_root(session: Session, organization_id: int, root_id: int, *, user_id: int) -> bool:
    """Stop trusting a root; False when it is not the organization's. Audited."""
    root = session.get(TrustedRoot, root_id)
    if root is None or root.organization_id != organization_id:
        return False
    _audit(session, "trust_root.remove", root, user_id)
    session.delete(root)
    return True


def _audit(session: Session, action: str, root: TrustedRoot, user_id: int) -> None:
    audit.record(
        session,
        action,
        object_type="trusted_root",
        object_id=root.id,
        detail={"subject": root.subject, "sha256": root.sha256},
        organization_id=root.organization_id,
        user_id=user_id,
    )


# -- verification jobs and their results --------------------------------------------------


def request_verification(
    session: Session,
    app: Flask,
    organization_id: int,
    *,
    user_id: int | None,
    incoming_id: int | None = None,
) -> str:
    """Queue the verification of one incoming document, or (``incoming_id`` None) of every
    PDF upload of the organization after its roots changed; returns the job id."""
    job = create_job(
        session,
        app,
        function=JOB_FUNCTION,
        kind=JOB_KIND,
        args={"organization_id": organization_id, "incoming_id": incoming_id},
        organization_id=organization_id,
        created_by_id=user_id,
    )
    return job.id


def documents_to_verify(
    session: Session, organization_id: int, incoming_id: int | None
) -> list[int]:
    """Ids of the uploads a verification job covers: one, or every upload of the
    organization that was found signed (or whose check failed) before."""
    query = select(IncomingDocument.id).where(IncomingDocument.organization_id == organization_id)
    if incoming_id is not None:
        query = query.where(IncomingDocument.id == incoming_id)
    else:
        query = query.where(
            IncomingDocument.signature_state.is_not(None),
            IncomingDocument.signature_state != UNSIGNED,
        )
    return list(session.scalars(query.order_by(IncomingDocument.id)))


# How long a check's reports serve other uploads of the same bytes checked with the same
# roots: validity is judged at the time of the check (expiry, revocation when fetched), so
# only a check of the same hour is reused; a Sở's broadcast reaches its schools within it.
REUSE_WITHIN = timedelta(hours=1)


@dataclass(frozen=True)
class Check:
    """A verification's outcome as another upload stored it, to reuse."""

    reports: list[SignatureReport]
    checked_at: datetime


def reusable_reports(
    session: Session, incoming: IncomingDocument, fingerprint: str
) -> Check | None:
    """The reports of another upload of the same bytes, in any organization, checked in
    the last :data:`REUSE_WITHIN` with the very same roots (``fingerprint``); None when
    there is none (a check that could not run is never reused: it may have been the
    machine's fault). When a Sở's signed plan reaches 500 schools, the 499 that trust the
    same roots are given the first school's reports instead of each starting the verifier
    (about a second each). Trust stays each organization's: a school with other roots
    has another fingerprint and its own check. The reports keep the time of the check
    that made them, so reuse never stretches the hour."""
    found = session.execute(
        select(IncomingDocument.signatures, IncomingDocument.signatures_checked_at)
        .join(StoredFile, StoredFile.id == IncomingDocument.file_id)
        .where(
            StoredFile.sha256 == incoming.file.sha256,
            IncomingDocument.id != incoming.id,
            IncomingDocument.signature_roots == fingerprint,
            IncomingDocument.signature_state.is_not(None),
            IncomingDocument.signature_state != FAILED,
            IncomingDocument.signatures_checked_at >= datetime.now(UTC) - REUSE_WITHIN,
        )
        .order_by(IncomingDocument.signatures_checked_at.desc())
        .limit(1)
    ).first()
    if found is None or found.signatures_checked_at is None:
        return None
    return Check(
        [SignatureReport.from_dict(report) for report in found.signatures],
        found.signatures_checked_at,
    )


def record_result(
    session: Session,
    incoming: IncomingDocument,
    reports: Sequence[SignatureReport] | None,
    error: str = "",
    *,
    roots: str = "",
    checked_at: datetime | None = None,
) -> None:
    """Store a verification (``reports``, checked with the roots of fingerprint ``roots``
    at ``checked_at``, default now) or why it could not run (``error``), on the upload and
    on its register line (the register's "Ký số")."""
    incoming.signatures_checked_at = checked_at or datetime.now(UTC)
    if reports is None:
        incoming.signature_state = FAILED
        incoming.signatures = []
        incoming.signature_error = error
        incoming.signature_roots = ""
    else:
        incoming.signature_state = overall_state(reports)
        incoming.signatures = [report.to_dict() for report in reports]
        incoming.signature_error = ""
        incoming.signature_roots = roots
    session.execute(
        update(IncomingEntry)
        .where(IncomingEntry.plan_id == incoming.id)
        .values(signature_state=incoming.signature_state)
    )


# -- what the pages show ------------------------------------------------------------------


def lines(incoming: IncomingDocument) -> list[tuple[str, str, list[str]]]:
    """One (state, sentence, notes) per signature, for the document's page."""
    found = []
    for data in incoming.signatures or []:
        report = SignatureReport.from_dict(data)
        found.append((report.state, describe(report), list(report.notes)))
    return found
