"""Login throttling slows guessing down (per account and per address) but never locks anyone
out; the forwarded address counts only behind trusted proxies; no timing tells accounts apart."""

from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select

from services.login_throttle import ADDRESS_FACTOR
from services.login_throttle import delay_after
from storage.models import AuditEvent
from storage.models import LoginAttempt

RIGHT = "MatKhau123"


def _post(client, email, password, address="127.0.0.1", **headers):
    return client.post(
        "/dang-nhap",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def _attempts(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return list(session.scalars(select(LoginAttempt)).all())


def _age_attempts(app, seconds: float) -> None:
    """Let ``seconds`` pass for the throttle: every recorded failure becomes that much older."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.created_at = attempt.created_at - timedelta(seconds=seconds)


def _count(app, model, **where):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def test_failures_slow_an_account_down_then_let_its_owner_in(client, app, world):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert _post(client, "staff@truong.edu.vn", "sai-mat-khau").status_code == 200
    waiting = _post(client, "staff@truong.edu.vn", RIGHT)
    assert waiting.status_code == 429
    assert waiting.headers["Retry-After"] == "1"
    assert "Hãy chờ 1 giây" in waiting.get_data(as_text=True)
    assert _count(app, AuditEvent, action="login.throttled") == 1
    _age_attempts(app, 2)
    assert _post(client, "staff@truong.edu.vn", RIGHT).status_code == 302


def test_each_further_failure_doubles_the_wait_up_to_the_cap(client, app, world):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        _post(client, "clerk@truong.edu.vn", "sai")
    waits = []
    for _ in range(4):
        refused = _post(client, "clerk@truong.edu.vn", "sai")
        waits.append(int(refused.headers["Retry-After"]))
        _age_attempts(app, waits[-1] + 0.5)
        assert _post(client, "clerk@truong.edu.vn", "sai").status_code == 200  # counted
    assert waits == [1, 2, 4, 8]
    cap = app.config["LOGIN_MAX_DELAY_SECONDS"]
    assert [delay_after(n, 5, cap) for n in (0, 4, 5, 6, 10, 20, 10**6)] == [
        0, 0, 1, 2, 32, cap, cap,
    ]  # fmt: skip


def test_a_try_during_the_wait_is_refused_unchecked_and_not_counted(client, app, world):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        _post(client, "staff@truong.edu.vn", "sai")
    for _ in range(5):
        assert _post(client, "staff@truong.edu.vn", "sai").status_code == 429
    assert len(_attempts(app)) == limit


def test_one_nat_address_is_slowed_but_never_locks_out_its_other_users(client, app, world):
    school_nat = "198.51.100.20"
    for index in range(app.config["LOGIN_MAX_FAILURES"] * ADDRESS_FACTOR):
        _post(client, f"giao-vien-{index}@truong.edu.vn", "sai", address=school_nat)
    refused = _post(client, "clerk@truong.edu.vn", RIGHT, address=school_nat)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    _age_attempts(app, 2)
    assert _post(client, "clerk@truong.edu.vn", RIGHT, address=school_nat).status_code == 302


def test_another_account_from_another_address_is_not_slowed(client, app, world):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] * 3):
        _post(client, "admin@truong.edu.vn", "sai", address="203.0.113.9")
    assert _post(client, "clerk@truong.edu.vn", RIGHT, address="10.0.0.9").status_code == 302


def test_forwarded_address_is_believed_only_behind_trusted_proxies(
    database_url, redis_url, redis_client, client, app, world
):
    from tests.conftest import make_app

    _post(client, "staff@truong.edu.vn", "sai", **{"X-Forwarded-For": "203.0.113.7"})
    assert [a.ip for a in _attempts(app)] == ["127.0.0.1"]  # TRUSTED_PROXIES 0: ignored

    proxied = make_app(database_url, redis_url, TRUSTED_PROXIES=1)
    try:
        _post(
            proxied.test_client(),
            "staff@truong.edu.vn",
            "sai",
            **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},  # the proxy appended the last
        )
    finally:
        proxied.extensions["vanthu.db"].dispose()
    assert sorted(a.ip for a in _attempts(app)) == ["127.0.0.1", "203.0.113.7"]


def test_an_unknown_email_costs_the_same_password_hash_as_a_known_one(client, world, monkeypatch):
    import services.accounts

    checks = []
    real = services.accounts.check_password_hash

    def counting(stored, password):
        checks.append(stored.split("$")[0])
        return real(stored, password)

    monkeypatch.setattr(services.accounts, "check_password_hash", counting)
    _post(client, "staff@truong.edu.vn", "sai")
    _post(client, "khong-co-ai@truong.edu.vn", "sai")
    assert len(checks) == 2 and checks[0] == checks[1]  # the same method (scrypt) both times


def test_successful_login_clears_failures_and_is_audited(client, app, world):
    client.post("/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "sai"})
    assert _count(app, LoginAttempt) == 1
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    assert response.status_code == 302
    assert _count(app, LoginAttempt) == 0
    assert _count(app, AuditEvent, action="login.failure") == 1
    assert _count(app, AuditEvent, action="login.success", user_id=world["staff"]) == 1
