"""Fixtures for the council-result tests: rounds under each rule set, nominations waiting for
the council, and an issued Quyết định that names one of them."""

from __future__ import annotations

import re
from datetime import date
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from domain.text import fold
from storage.models import AuditEvent
from storage.models import Document
from storage.models import DocumentStatus
from storage.models import DocumentSubject
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionKind
from tests.conftest import PASSWORD

# The round's rule set: NĐ 98/2023 (to 30/6/2025) and NĐ 152/2025 (from 1/7/2025).
RULESET_DATES = {"ND98_2023": date(2025, 5, 31), "ND152_2025": date(2026, 5, 31)}
DECISION_LABEL = "Quyết định công nhận danh hiệu, khen thưởng số 05/QĐ-THCSMT ngày 02/06/2025"


@pytest.fixture
def rounds(app: Flask, world: dict) -> dict[str, int]:
    """One round of the school per rule set, keyed by the rule set id."""
    today = date.today()
    ids = {}
    with app.extensions["vanthu.db"].session() as session:
        for ruleset_id, reference in RULESET_DATES.items():
            round_ = Round(
                organization_id=world["school"], name=f"Năm học {reference.year - 1}-"
                f"{reference.year}", school_year=f"{reference.year - 1}-{reference.year}",
                reference_date=reference, ruleset_id=ruleset_id,
                registration_opens=today - timedelta(days=5),
                registration_closes=today + timedelta(days=5),
                nomination_opens=today - timedelta(days=5),
                nomination_closes=today + timedelta(days=5),
            )  # fmt: skip
            session.add(round_)
            session.flush()
            ids[ruleset_id] = round_.id
    return ids


def add_submission(
    app: Flask,
    world: dict,
    round_id: int,
    name: str = "Nguyễn Văn An",
    title_code: str = "CSTDCS",
    **values: object,
) -> int:
    """A registration waiting for the council (or with ``values`` already recorded)."""
    kind = SubmissionKind.REGISTRATION if title_code else SubmissionKind.EXEMPLARY
    with app.extensions["vanthu.db"].session() as session:
        submission = Submission(
            organization_id=world["school"], round_id=round_id, kind=kind.value,
            created_by_id=world["staff"], nominee_name=name, unit="Tổ Toán - Tin",
            title_code=title_code, search_key=fold(name), data={}, facts={}, **values,
        )  # fmt: skip
        session.add(submission)
        session.flush()
        return submission.id


@pytest.fixture
def nominee(app: Flask, world: dict, rounds: dict[str, int]) -> int:
    """A CSTĐCS registration in the NĐ 98/2023 round, not yet decided."""
    return add_submission(app, world, rounds["ND98_2023"])


@pytest.fixture
def issued_decision(app: Flask, world: dict, rounds: dict[str, int]) -> dict[str, int]:
    """A CSTĐCS nominee approved 6/7 and the issued Quyết định 05/QĐ-THCSMT naming them."""
    submission_id = add_submission(
        app, world, rounds["ND98_2023"], status="approved", votes_for=6, council_total=7
    )
    with app.extensions["vanthu.db"].session() as session:
        document = Document(
            organization_id=world["school"], kind="quyet_dinh",
            status=DocumentStatus.ISSUED.value,
            summary="Về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở năm học 2024-2025",
            header_fields={}, body_fields={}, year=2025, number=5, symbol="QĐ-THCSMT",
            issued_date=date(2025, 6, 2), issued_by_id=world["clerk"],
            round_id=rounds["ND98_2023"], created_by_id=world["clerk"],
        )  # fmt: skip
        session.add(document)
        session.flush()
        session.add(DocumentSubject(document_id=document.id, submission_id=submission_id))
        return {"submission": submission_id, "document": document.id}


def load(app: Flask, model: type, ident: object):
    with app.extensions["vanthu.db"].session() as session:
        return session.get(model, ident)


def events(app: Flask) -> list[AuditEvent]:
    """The audit events recorded so far, oldest first."""
    with app.extensions["vanthu.db"].session() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def decision_events(app: Flask) -> list[AuditEvent]:
    """Audit events of the council's results and the documents they replace."""
    return [e for e in events(app) if e.action.startswith(("submission.", "document.replace"))]


# -- Through the web, with CSRF on as in production ---------------------------------------


def csrf_token(page: str) -> str:
    return re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def csrf_clerk(csrf_app: Flask, world: dict) -> FlaskClient:
    """A client of the CSRF-protected app, signed in as the school's clerk."""
    client = csrf_app.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    response = client.post(
        "/dang-nhap",
        data={
            "email": "clerk@truong.edu.vn",
            "password": PASSWORD,
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302
    return client
