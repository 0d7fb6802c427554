"""PostgreSQL restarted under load: 503 in Vietnamese meanwhile, recovery by itself, and no
half-written rows."""

from __future__ import annotations

import threading
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from storage.migrate import upgrade
from storage.models import Organization
from storage.models import Round
from storage.models import Submission
from storage.models import User
from tests.conftest import PASSWORD
from tests.conftest import make_app
from tests.faults.conftest import wait_for
from views.auth import hash_password

pytestmark = pytest.mark.slow

SUBMISSION = {
    "nominee_type": "individual",
    "form_code": "GIAY_KHEN",
    "period": "Năm học 2024-2025",
    "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
}


@pytest.fixture
def pg_app(private_postgres, redis_url, redis_client):
    upgrade(private_postgres.url)
    app = make_app(private_postgres.url, redis_url)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org = Organization(name="TRƯỜNG THCS MỸ THẠNH", abbrev="THCSMT", place="Mỹ Thạnh")
        session.add(org)
        session.flush()
        session.add(
            User(
                organization_id=org.id,
                email="staff@truong.edu.vn",
                full_name="Nguyễn Thị Ánh",
                role="staff",
                password_hash=hash_password(PASSWORD),
            )
        )
        today = date.today()
        round_ = Round(
            organization_id=org.id, name="Năm học 2025-2026", reference_date=date(2026, 5, 31),
            ruleset_id="ND152_2025", registration_opens=today - timedelta(days=1),
            registration_closes=today + timedelta(days=1),
            nomination_opens=today - timedelta(days=1),
            nomination_closes=today + timedelta(days=1),
        )  # fmt: skip
        session.add(round_)
        session.flush()
        app.config["TEST_ROUND"] = round_.id
    yield app
    app.extensions["vanthu.db"].dispose()


def _client(app):
    client = app.test_client()
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _count(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(func.count()).select_from(Submission))


def test_outage_gives_vietnamese_503_and_recovers_by_itself(pg_app, private_postgres):
    client = _client(pg_app)
    assert client.get("/").status_code == 200
    private_postgres.stop("immediate")
    response = client.get("/")
    assert response.status_code == 503
    assert "Cơ sở dữ liệu đang tạm thời không truy cập được" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]
    api = client.get("/api/jobs/abc")
    assert api.status_code == 503 and "error" in api.json
    private_postgres.start()
    # The pool's pre-ping replaces the dead connections: no restart of the web needed.
    assert client.get("/").status_code == 200


def test_restart_under_load_loses_nothing_and_writes_nothing_half(pg_app, private_postgres):
    round_id = pg_app.config["TEST_ROUND"]
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()
    stop = threading.Event()

    # Everyone signs in before the load starts: a sign-in racing the outage is not the
    # behaviour under test (and a thread that fails it would silently drop out).
    clients = [_client(pg_app) for _ in range(4)]

    def user(index: int) -> None:
        client = clients[index]
        number = 0
        while not stop.is_set():
            number += 1
            name = f"Người thứ {index}-{number}"
            try:
                response = client.post(
                    f"/dot/{round_id}/khen-thuong", data=SUBMISSION | {"nominee_name": name}
                )
                status = response.status_code
            except Exception as exc:  # the test client re-raises nothing; keep it visible
                status = -1
                name = f"{name}: {exc}"
            with lock:
                outcomes.append((name, status))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(outcomes) >= 8, 60, "some submissions before the restart")
    private_postgres.stop("fast")
    wait_for(lambda: any(s == 503 for _, s in outcomes), 60, "503 answers during the outage")
    private_postgres.start()
    seen = len(outcomes)
    wait_for(
        lambda: sum(1 for _, s in outcomes[seen:] if s == 302) >= 8, 120, "recovery after restart"
    )
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    statuses = {status for _, status in outcomes}
    assert statuses <= {302, 503}, [o for o in outcomes if o[1] not in (302, 503)][:5]
    accepted = {name for name, status in outcomes if status == 302}
    with pg_app.app_context(), pg_app.extensions["vanthu.db"].session() as session:
        stored = set(session.scalars(select(Submission.nominee_name)))
    # Every accepted submission is stored; every refused one is absent (no half-writes).
    assert stored == accepted
