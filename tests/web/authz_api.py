"""Authorization rows for the JSON API and the account page (merged into
test_authorization.MATRIX).

Without a session or a token every /api/ route answers 401 JSON, never a redirect to the
HTML login page; the OpenAPI description is public. A check of the format checker belongs
to the clerk's school; an API token can be revoked only by its own user (404 for anyone
else, so a token's existence is not revealed).
"""

from __future__ import annotations

from storage.models import ApiToken
from storage.models import Job

LOGIN = 302
API_LOGIN = 401
EVERYONE = {
    "anonymous": LOGIN,
    "staff": 200,
    "staff2": 200,
    "clerk": 200,
    "admin": 200,
    "other_clerk": 200,
}


def _clerks_api(status: int, *, other: int = 404) -> dict[str, int]:
    return {
        "anonymous": API_LOGIN,
        "staff": 403,
        "staff2": 403,
        "clerk": status,
        "admin": status,
        "other_clerk": other,
    }


ROWS: dict = {
    "api.openapi": ("GET", "/api/openapi.json", {**EVERYONE, "anonymous": 200}),
    "api.me": ("GET", "/api/toi", {**EVERYONE, "anonymous": API_LOGIN}),
    "api.csrf_token": ("GET", "/api/csrf-token", {**EVERYONE, "anonymous": API_LOGIN}),
    "account.index": ("GET", "/tai-khoan/", EVERYONE),
    # No name: the form comes back with its message.
    "account.create_token": (
        "POST",
        "/tai-khoan/ma-api",
        {**dict.fromkeys(EVERYONE, 400), "anonymous": LOGIN},
    ),
    "account.revoke_token": (
        "POST",
        "/tai-khoan/ma-api/{api_token}/thu-hoi",
        {**dict.fromkeys(EVERYONE, 404), "anonymous": LOGIN, "clerk": 302},
    ),
    "checker.result": (
        "GET",
        "/kiem-tra-the-thuc/{check_job}",
        {**_clerks_api(200), "anonymous": LOGIN},
    ),
    "checker.api_result": ("GET", "/api/kiem-tra-the-thuc/{check_job}", _clerks_api(200)),
}


def targets(app, world) -> dict:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = Job(
            organization_id=world["school"],
            kind="Kiểm tra thể thức",
            function="worker.jobs.check_format",
            args={"filename": "a.docx"},
            created_by_id=world["clerk"],
        )
        token = ApiToken(user_id=world["clerk"], name="thử", token_hash="0" * 64, prefix="vt_0")
        session.add_all([job, token])
        session.flush()
        return {"check_job": job.id, "api_token": token.id}
