"""Security headers and cookie flags on every answer (sign-ins: test_login_throttle)."""


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
