"""Security headers on every answer, login throttling and the audit of sign-ins."""

from sqlalchemy import func
from sqlalchemy import select

from storage.models import AuditEvent
from storage.models import LoginAttempt


def _count(app, model, **where):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def test_every_page_carries_security_headers(client, auth, world):
    auth.login("clerk")
    for path in ("/", "/dang-nhap", "/khong-co-trang-nay", "/api/jobs/khong-co"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert (
            "'unsafe-inline'"
            not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, world):
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_and_hsts_when_configured(database_url, redis_url, redis_client, world):
    from tests.conftest import make_app

    app = make_app(database_url, redis_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    app.extensions["vanthu.db"].dispose()


def test_pages_have_no_inline_scripts(client, auth, world):
    auth.login("admin")
    for path in ("/", "/dang-nhap", "/ho-so", "/xet-duyet/", "/quan-tri/"):
        html = client.get(path).get_data(as_text=True)
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), path
        assert " onclick=" not in html and " onload=" not in html


def test_login_is_throttled_after_repeated_failures(client, app, world):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        response = client.post(
            "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "sai-mat-khau"}
        )
        assert response.status_code == 200
    # Now even the right password is refused until the window passes.
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.get_data(as_text=True)
    assert _count(app, AuditEvent, action="login.throttled") == 1
    # Another account from another address is not affected.
    other = client.post(
        "/dang-nhap",
        data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 302


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


def test_one_address_cannot_spray_many_accounts(client, app, world):
    from services.login_throttle import ADDRESS_FACTOR

    for index in range(app.config["LOGIN_MAX_FAILURES"] * ADDRESS_FACTOR):
        client.post("/dang-nhap", data={"email": f"nguoi{index}@x.vn", "password": "sai"})
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    assert response.status_code == 429
