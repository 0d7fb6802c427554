"""A Sở's signed plan reaching many schools is verified once per set of trusted roots
(issue 15): a school whose roots are the very same as another's that checked the same
bytes lately takes that check's reports instead of starting the verifier again; trust
stays each organization's."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import update

from services.incoming_signatures import add_root
from storage.models import IncomingDocument
from storage.models import Organization
from storage.models import Role
from storage.models import User
from tests.plans.conftest import load
from tests.plans.conftest import upload_as
from worker.jobs.signatures import verify_upload
from worker.runner import run_job


def _school(app, n: int) -> tuple[int, int]:
    """Another school with its clerk (it trusts no root)."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        school = Organization(name=f"Trường THCS số {n}", abbrev=f"THCS{n}", place="Cao Lãnh")
        session.add(school)
        session.flush()
        clerk = User(
            organization_id=school.id,
            email=f"vanthu@thcs{n}.edu.vn",
            full_name=f"Văn thư {n}",
            role=Role.CLERK.value,
            password_hash="-",
        )
        session.add(clerk)
        session.flush()
        return school.id, clerk.id


def _read(app, school: tuple[int, int], content: bytes) -> IncomingDocument:
    incoming_id, job_id = upload_as(app, school, content, "ke-hoach-ky-so.pdf")
    with app.app_context():
        assert run_job(job_id) == "done"
    return load(app, incoming_id)


def _trust(app, school: tuple[int, int], certificate: bytes) -> None:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        add_root(session, school[0], certificate, user_id=school[1])


def test_a_school_with_the_same_roots_takes_the_reports_of_another_schools_check(
    app, world, signed_pdfs, pki
):
    first_school = (world["school"], world["clerk"])
    same_roots = (world["other"], world["other_clerk"])
    no_roots = _school(app, 1)
    _trust(app, first_school, pki.root.pem)
    _trust(app, same_roots, pki.root.der)  # the same certificate, given as DER

    first = _read(app, first_school, signed_pdfs.signed)
    second = _read(app, same_roots, signed_pdfs.signed)
    third = _read(app, no_roots, signed_pdfs.signed)

    assert first.signature_state == "valid" and first.signature_roots
    # Reused: the same reports, of the same check (its time kept, not a check of its own).
    assert second.signature_state == "valid"
    assert second.signatures == first.signatures
    assert second.signatures_checked_at == first.signatures_checked_at
    assert second.signature_roots == first.signature_roots
    # Other roots, another check: this school does not trust the CA.
    assert third.signature_state == "untrusted"
    assert third.signature_roots != first.signature_roots
    assert third.signatures_checked_at > first.signatures_checked_at


def test_an_old_check_is_not_reused_nor_is_any_when_a_check_is_asked_for(app, world, signed_pdfs):
    first = _read(app, (world["school"], world["clerk"]), signed_pdfs.signed)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1, minutes=1)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.execute(
            update(IncomingDocument)
            .where(IncomingDocument.id == first.id)
            .values(signatures_checked_at=an_hour_ago)
        )
    second = _read(app, (world["other"], world["other_clerk"]), signed_pdfs.signed)
    assert second.signature_state == "untrusted"
    assert second.signatures_checked_at.replace(tzinfo=UTC) > an_hour_ago + timedelta(hours=1)

    # "Kiểm tra lại" (or the roots changed) checks again, whatever another school did.
    with app.app_context():
        assert verify_upload(first.id) == "untrusted"
    assert load(app, first.id).signatures_checked_at > second.signatures_checked_at
