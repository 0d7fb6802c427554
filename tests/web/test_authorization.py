"""Every route × every method × every role × organization: who may see what.

A URL rule or one of its methods (GET, POST…) added to the app without a row here fails
``test_matrix_covers_every_route_and_method``. Each feature area keeps its rows and the
records they need in ``tests/web/authz_<area>.py`` (``ROWS`` and ``targets(app, world)``);
they are merged here. A row is ``(method, path template, {role: status})``; an endpoint
with several methods or URL rules has a list of rows.
"""

import importlib
import io

import pytest
from sqlalchemy import select

from storage.models import Job
from storage.models import Submission
from tests.web.test_submission_forms import EXEMPLARY_OK

ROLES = ("anonymous", "staff", "staff2", "clerk", "admin", "other_clerk")
LOGIN = 302  # anonymous users are sent to the login page

Row = tuple[str, str, dict[str, int]]

# endpoint -> (method, path template, {role: expected status}), or a list of those
MATRIX: dict[str, Row | list[Row]] = {
    "auth.login": ("GET", "/dang-nhap", dict.fromkeys(ROLES, 200)),
    "auth.logout": ("POST", "/dang-xuat", dict.fromkeys(ROLES, 302)),
    # Open only right after a password matched accounts in several organizations.
    "auth.choose_account": ("GET", "/dang-nhap/chon-don-vi", dict.fromkeys(ROLES, 302)),
    "auth.change_password": (
        "GET",
        "/doi-mat-khau",
        {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN},
    ),
    "main.index": ("GET", "/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "submissions.mine": ("GET", "/ho-so", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    "submissions.create": (
        "GET",
        "/dot/{round}/dien-hinh",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "staff2": 200,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 404,
        },
    ),
    "submissions.detail": (
        "GET",
        "/ho-so/{submission}",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "staff2": 403,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 404,
        },
    ),
    "submissions.edit": (
        "GET",
        "/ho-so/{submission}/sua",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "staff2": 403,
            "clerk": 302,
            "admin": 302,
            "other_clerk": 404,
        },
    ),
    "submissions.download": (
        "GET",
        "/tep/{file}",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "staff2": 403,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 404,
        },
    ),
    # The matrix's evidence is a PDF, which needs no PDF made for viewing: 404 for those
    # who may see it (tests/submissions/test_evidence_pdf.py covers a converted .doc).
    "submissions.view_pdf": (
        "GET",
        "/tep/{file}/pdf",
        {
            "anonymous": LOGIN,
            "staff": 404,
            "staff2": 403,
            "clerk": 404,
            "admin": 404,
            "other_clerk": 404,
        },
    ),
    # Only the sender removes evidence (the clerk reviews it): 409 with a message.
    "submissions.remove_file": (
        "POST",
        "/ho-so/{submission}/tep/{file_link}/go",
        {
            "anonymous": LOGIN,
            "staff": 302,
            "staff2": 403,
            "clerk": 409,
            "admin": 409,
            "other_clerk": 404,
        },
    ),
    "review.index": (
        "GET",
        "/xet-duyet/",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 200,
        },
    ),
    "review.export": (
        "GET",
        "/xet-duyet/xuat-excel",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 200,
        },
    ),
    "review.detail": (
        "GET",
        "/xet-duyet/{submission}",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 404,
        },
    ),
    "review.save_facts": (
        "POST",
        "/xet-duyet/{submission}/thong-tin",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 302,
            "admin": 302,
            "other_clerk": 404,
        },
    ),
    "review.decide": (
        "POST",
        "/xet-duyet/{submission}/ket-qua",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 302,
            "admin": 302,
            "other_clerk": 404,
        },
    ),
    "admin.index": (
        "GET",
        "/quan-tri/",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    "admin.organization": (
        "GET",
        "/quan-tri/co-quan",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    "admin.user": (
        "GET",
        "/quan-tri/nguoi-dung/{staff_user}",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    "admin.round_new": (
        "GET",
        "/quan-tri/dot-thi-dua/{round}",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    "admin.staff": (
        "GET",
        "/quan-tri/danh-sach-can-bo",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    "admin.audit_log": (
        "GET",
        "/quan-tri/nhat-ky",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    "admin.trusted_roots": (
        "GET",
        "/quan-tri/chung-thu-goc",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 200,
            "other_clerk": 403,
        },
    ),
    # No such root: 404 for the admin (a root of another organization is the same).
    "admin.trusted_root_remove": (
        "POST",
        "/quan-tri/chung-thu-goc/999999/xoa",
        {
            "anonymous": LOGIN,
            "staff": 403,
            "staff2": 403,
            "clerk": 403,
            "admin": 404,
            "other_clerk": 403,
        },
    ),
    "jobs.job_status": (
        "GET",
        "/api/jobs/{job}",
        {
            "anonymous": 401,  # JSON, never the HTML login page
            "staff": 200,
            "staff2": 404,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 404,
        },
    ),
    "jobs.job_page": (
        "GET",
        "/tac-vu/{job}",
        {
            "anonymous": LOGIN,
            "staff": 200,
            "staff2": 404,
            "clerk": 200,
            "admin": 200,
            "other_clerk": 404,
        },
    ),
}
ADMIN_ONLY = {
    "anonymous": LOGIN,
    "staff": 403,
    "staff2": 403,
    "clerk": 403,
    "admin": 200,
    "other_clerk": 403,
}
SAVED = {**ADMIN_ONLY, "admin": 302}
# The other methods and URL rules of endpoints above. Unsafe requests carry no valid input:
# the form comes back with its messages (200), or, where every field may be left blank, the
# record is saved and the browser sent back (302).
EXTRA_ROWS: dict[str, list[Row]] = {
    "auth.login": [("POST", "/dang-nhap", dict.fromkeys(ROLES, 200))],
    "auth.choose_account": [("POST", "/dang-nhap/chon-don-vi", dict.fromkeys(ROLES, 302))],
    "auth.change_password": [
        ("POST", "/doi-mat-khau", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN})
    ],
    "submissions.create": [
        (
            "POST",
            "/dot/{round}/dien-hinh",
            {
                "anonymous": LOGIN,
                "staff": 200,
                "staff2": 200,
                "clerk": 200,
                "admin": 200,
                "other_clerk": 404,
            },
        )
    ],
    "submissions.edit": [
        (
            "POST",
            "/ho-so/{submission}/sua",
            {
                "anonymous": LOGIN,
                "staff": 302,
                "staff2": 403,
                "clerk": 302,
                "admin": 302,
                "other_clerk": 404,
            },
        )
    ],
    "admin.organization": [("POST", "/quan-tri/co-quan", SAVED)],
    "admin.user": [
        ("POST", "/quan-tri/nguoi-dung/{staff_user}", SAVED),
        ("GET", "/quan-tri/nguoi-dung/moi", ADMIN_ONLY),
        ("POST", "/quan-tri/nguoi-dung/moi", ADMIN_ONLY),
    ],
    "admin.round_new": [
        ("POST", "/quan-tri/dot-thi-dua/{round}", SAVED),
        ("GET", "/quan-tri/dot-thi-dua/moi", ADMIN_ONLY),
        ("POST", "/quan-tri/dot-thi-dua/moi", ADMIN_ONLY),
    ],
    "admin.staff": [("POST", "/quan-tri/danh-sach-can-bo", ADMIN_ONLY)],
    # No file: the page again with its message.
    "admin.trusted_roots": [("POST", "/quan-tri/chung-thu-goc", {**ADMIN_ONLY, "admin": 400})],
}
IGNORED = {"static"}
AREAS = [
    importlib.import_module(f"tests.web.authz_{area}")
    for area in (
        "documents",
        "dossier",
        "templates",
        "plans",
        "incoming",
        "reports",
        "api",
        "organizations",
        "accounts",
        "signing",
    )
]
for _area in AREAS:
    assert not set(_area.ROWS) & set(MATRIX), _area.__name__
    MATRIX.update(_area.ROWS)


def _cases() -> dict[str, tuple[str, str, str, dict[str, int]]]:
    """Every row as ``"endpoint METHOD path"`` -> (endpoint, method, path, expected)."""
    cases = {}
    extra: dict[str, list[Row]] = dict(EXTRA_ROWS)
    for area in AREAS:
        for endpoint, rows in getattr(area, "EXTRA_ROWS", {}).items():
            extra[endpoint] = extra.get(endpoint, []) + rows
    for endpoint, row in MATRIX.items():
        rows = row if isinstance(row, list) else [row]
        for method, template, expected in rows + extra.get(endpoint, []):
            cases[f"{endpoint} {method} {template}"] = (endpoint, method, template, expected)
    assert set(extra) <= set(MATRIX), set(extra) - set(MATRIX)
    return cases


CASES = _cases()


@pytest.fixture
def targets(client, auth, world, app, pdf_bytes):
    """A submission with a file and a job, all created by ``staff`` of the first school."""
    auth.login("staff")
    client.post(
        f"/dot/{world['round']}/dien-hinh",
        data=EXEMPLARY_OK | {"evidence": [(io.BytesIO(pdf_bytes), "minh chứng.pdf")]},
        content_type="multipart/form-data",
    )
    auth.logout()
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        submission = session.scalar(select(Submission))
        job = Job(
            organization_id=world["school"],
            kind="thử",
            function="worker.jobs.x",
            created_by_id=world["staff"],
        )
        session.add(job)
        session.flush()
        found = {
            "round": world["round"],
            "submission": submission.id,
            "file": submission.files[0].file_id,
            "file_link": submission.files[0].id,
            "job": job.id,
            "staff_user": world["staff"],
        }
    for area in AREAS:
        found.update(area.targets(app, world))
    return found


class _AnyValue(dict):
    """Fills every ``{placeholder}`` of a path template with 1 (an id, a kind, a token)."""

    def __missing__(self, key: str) -> str:
        return "1"


def test_matrix_covers_every_route_and_method(app):
    """Each URL rule × each of its methods (HEAD and OPTIONS aside) has exactly a row."""
    wanted = {
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in IGNORED
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    adapter = app.url_map.bind("localhost")
    covered = set()
    for endpoint, method, template, _expected in CASES.values():
        rule, _args = adapter.match(
            template.format_map(_AnyValue()), method=method, return_rule=True
        )
        assert rule.endpoint == endpoint, (endpoint, method, template)
        covered.add((rule.endpoint, rule.rule, method))
    assert sorted(wanted - covered) == []
    assert sorted(covered - wanted) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_route_answers_each_role_as_expected(client, auth, targets, case):
    endpoint, method, template, expected = CASES[case]
    path = template.format(**targets)
    got = {}
    for role in ROLES:
        if role != "anonymous":
            auth.login(role)
        response = client.open(path, method=method)
        got[role] = response.status_code
        if (
            response.status_code == LOGIN
            and role == "anonymous"
            and endpoint not in ("auth.logout", "auth.login")
        ):
            assert "/dang-nhap" in response.headers["Location"]
        client.post("/dang-xuat")
    assert got == expected


def test_forbidden_page_is_vietnamese(client, auth, targets):
    auth.login("staff2")
    response = client.get(f"/ho-so/{targets['submission']}")
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.get_data(as_text=True)


def test_login_redirect_never_leaves_the_site(client, world):
    response = client.post(
        "/dang-nhap?next=//evil.example/x",
        data={"email": "staff@truong.edu.vn", "password": "MatKhau123"},
    )
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused_in_vietnamese(client, world):
    response = client.post("/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "sai"})
    assert response.status_code == 200
    assert "Sai địa chỉ thư điện tử hoặc mật khẩu" in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client, world, app):
    from storage.models import User

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(User, world["staff"]).active = False
    response = client.post(
        "/dang-nhap", data={"email": "staff@truong.edu.vn", "password": "MatKhau123"}
    )
    assert response.status_code == 200
