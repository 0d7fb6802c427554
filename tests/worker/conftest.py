"""Fixtures of the worker tests: rounds with a registration in each organization, and bulk
and interactive jobs created through the real outbox (rows, then messages on real Redis)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from outbox.queues import create_job
from storage.models import Job
from storage.models import User


def register(client, auth, person: str, round_id: int) -> None:
    """``person`` signs in and registers one Giấy khen nomination in round ``round_id``."""
    auth.login(person)
    client.post(
        f"/dot/{round_id}/khen-thuong",
        data={
            "nominee_type": "individual",
            "nominee_name": "Trần Văn Đức",
            "form_code": "GIAY_KHEN",
            "period": "Năm học 2024-2025",
            "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        },
    )


@pytest.fixture
def registered(client, auth, world):
    """One registration in each organization's round, so a round summary (bulk) is done."""
    for person, round_key in (("staff", "round"), ("other_staff", "other_round")):
        register(client, auth, person, world[round_key])
        auth.logout()
    return world


@pytest.fixture
def bulk_jobs(app: Flask, registered) -> Callable[[str, int], list[str]]:
    """``bulk_jobs("school", 100)``: that many round summaries of the organization, created
    in one transaction (as a batch or a broadcast would); their ids, oldest first."""

    def make(organization: str, count: int) -> list[str]:
        round_key = "round" if organization == "school" else "other_round"
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            jobs = [
                create_job(
                    session,
                    app,
                    function="summarise_round",
                    kind="Tổng hợp đợt thi đua",
                    args={"round_id": registered[round_key]},
                    organization_id=registered[organization],
                )
                for _ in range(count)
            ]
            return [job.id for job in jobs]

    return make


@pytest.fixture
def format_check(app: Flask, world) -> Callable[[], str]:
    """Queues a real format check (interactive) of a rendered Công văn; returns the job id."""
    from services.format_check import queue_check
    from tests.checker_page.conftest import rendered

    content = rendered("cong_van")

    def make() -> str:
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            clerk = session.get(User, world["clerk"])
            job = queue_check(
                session, app, clerk, "cong-van.docx", content, allow_academic_titles=False
            )
            return job.id

    return make


def started_order(app: Flask) -> list[Job]:
    """The job rows the runner claimed, in the order it claimed them (``started_at``)."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        started = select(Job).where(Job.started_at.is_not(None))
        jobs = session.scalars(started.order_by(Job.started_at, Job.id)).all()
        session.expunge_all()
        return list(jobs)
