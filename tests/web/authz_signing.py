"""Authorization rows for digital signing (issue 17; merged into test_authorization.MATRIX).

Signing steps and the signed PDF are for clerks and admins of the document's organization
(staff 403, another organization's clerk 404); posted empty they answer 400 and sign
nothing; an unsigned document has no signed PDF (404). Each user uploads and sees only
their own signature image; the seal page is the admin's.
"""

LOGIN = 302
ROLES = ("anonymous", "staff", "staff2", "clerk", "admin", "other_clerk")
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}
ADMIN_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "admin": 200}


def _clerks(ok: int, other: int = 404) -> dict:
    return {
        "anonymous": LOGIN,
        "staff": 403,
        "staff2": 403,
        "clerk": ok,
        "admin": ok,
        "other_clerk": other,
    }


ROWS: dict = {
    # Posted without an image: the account page again with its message.
    "account.signature_image": (
        "POST",
        "/tai-khoan/chu-ky",
        {**dict.fromkeys(ROLES, 400), "anonymous": LOGIN},
    ),
    # Nobody has an image yet: 404 for everyone signed in (never someone else's).
    "account.signature_png": (
        "GET",
        "/tai-khoan/chu-ky.png",
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN},
    ),
    "signing.seal": ("GET", "/quan-tri/con-dau", ADMIN_ONLY),
    "signing.seal_png": (
        "GET",
        "/quan-tri/con-dau.png",
        {**ADMIN_ONLY, "admin": 404},
    ),
    "signing.sign_person": ("POST", "/van-ban/{document}/ky-so", _clerks(400)),
    "signing.sign_organization": (
        "POST",
        "/van-ban/{document}/ky-so-co-quan",
        _clerks(400),
    ),
    "signing.download_signed": ("GET", "/van-ban/{document}/tai-ban-ky-so", _clerks(404)),
}

EXTRA_ROWS: dict = {
    "signing.seal": [("POST", "/quan-tri/con-dau", {**ADMIN_ONLY, "admin": 400})],
}


def targets(app, world) -> dict:
    """None of its own: the steps are tried on the documents area's draft ``{document}``
    (nothing to sign, so every step refuses)."""
    return {}
