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
    # Văn bản kèm theo. Posted without a file: the document's page again with its message.
    "signing.add_attachment": ("POST", "/van-ban/{document}/kem-theo", _clerks(400)),
    # The target attachment is signed: it is never removed (409), never signed again (400).
    "signing.remove_attachment": (
        "POST",
        "/van-ban/{issued_document}/kem-theo/{attachment}/go",
        _clerks(409),
    ),
    "signing.sign_attachment": (
        "POST",
        "/van-ban/{issued_document}/kem-theo/{attachment}/ky-so",
        _clerks(400),
    ),
    "signing.download_attachment": (
        "GET",
        "/van-ban/{issued_document}/kem-theo/{attachment}",
        _clerks(200),
    ),
}

EXTRA_ROWS: dict = {
    "signing.seal": [("POST", "/quan-tri/con-dau", {**ADMIN_ONLY, "admin": 400})],
}


def targets(app, world) -> dict:
    """The steps are tried on the documents area's draft ``{document}`` (nothing to sign,
    so every step refuses). The attachments' routes get an issued Kế hoạch of the first
    school with one attachment, marked signed (its file stands for the signed PDF), so
    that no role's request changes it for the next."""
    from datetime import date

    from render.manifest import load_manifest
    from services import attachments
    from services import register
    from services.documents import create_document
    from storage.models import User
    from tests.support import raw_pdf

    sample = load_manifest("ke_hoach").sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=sample["header"], body_fields=sample["body"],
        )  # fmt: skip
        session.commit()
        register.issue_document(
            session, document, user_id=world["clerk"], issued_on=date(2026, 3, 2)
        )
        pdf = raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            ]
        )
        clerk = session.get(User, world["clerk"])
        row = attachments.add_attachment(session, app, document, clerk, "Phụ lục.pdf", pdf)
        row.signed_file_id = row.file_id
        session.commit()
        return {"issued_document": document.id, "attachment": row.id}
