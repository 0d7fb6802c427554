"""Authorization rows for the documents pages (merged into test_authorization.MATRIX).

Only clerks and admins reach outgoing documents and the register; staff get 403; a clerk of
another organization gets 404 for this school's records (and sees only their own lists).
Unsafe requests carry no valid input, so they answer 400 without changing anything (issue
without a date, withdraw a draft without a reason, delete a draft without the confirmation
tick) or 302 (re-render, idempotent).
"""

LOGIN = 302


def _clerks(ok: int, other: int | None = None) -> dict:
    return {
        "anonymous": LOGIN,
        "staff": 403,
        "staff2": 403,
        "clerk": ok,
        "admin": ok,
        "other_clerk": ok if other is None else other,
    }


ROWS: dict = {
    "documents.index": ("GET", "/van-ban/", _clerks(200)),
    "documents.choose_kind": ("GET", "/van-ban/moi", _clerks(200)),
    "documents.create": ("GET", "/van-ban/moi/ke_hoach", _clerks(200)),
    "documents.detail": ("GET", "/van-ban/{document}", _clerks(200, 404)),
    "documents.edit": ("GET", "/van-ban/{document}/sua", _clerks(200, 404)),
    "documents.rerender": ("POST", "/van-ban/{document}/soan-lai", _clerks(302, 404)),
    "documents.issue": ("POST", "/van-ban/{document}/phat-hanh", _clerks(400, 404)),
    "documents.withdraw": ("POST", "/van-ban/{document}/thu-hoi", _clerks(400, 404)),
    "documents.delete": ("POST", "/van-ban/{document}/xoa", _clerks(400, 404)),
    "documents.download": ("GET", "/van-ban/{document}/tai/docx", _clerks(200, 404)),
    "documents.preview": ("GET", "/van-ban/{document}/xem-truoc.png", _clerks(200, 404)),
    "documents.register": ("GET", "/van-ban/so-van-ban-di", _clerks(200)),
    "documents.register_export": ("GET", "/van-ban/so-van-ban-di/xuat-excel", _clerks(200)),
}

# A 1×1 PNG: the preview route only serves what the worker stored.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001e226059b0000000049454e44ae426082"
)


def targets(app, world) -> dict:
    """A draft Kế hoạch of the first school with a .docx and a preview stored."""
    from render.manifest import load_manifest
    from services.documents import DOCX_MIME
    from services.documents import create_document
    from storage.files import save_file

    sample = load_manifest("ke_hoach").sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session,
            organization_id=world["school"],
            created_by_id=world["clerk"],
            kind="ke_hoach",
            header_fields=sample["header"],
            body_fields=sample["body"],
        )
        owner = {"organization_id": world["school"], "created_by_id": None}
        document.docx_file_id = save_file(
            session, content=b"PK\x03\x04 docx", original_name="Dự thảo.docx",
            mime_type=DOCX_MIME, **owner,
        ).id  # fmt: skip
        document.preview_file_id = save_file(
            session, content=_PNG, original_name="Dự thảo.png", mime_type="image/png", **owner
        ).id
        return {"document": document.id}


# Posting the forms empty: the form comes back with its messages (400); nothing is saved.
EXTRA_ROWS: dict = {
    "documents.create": [("POST", "/van-ban/moi/ke_hoach", _clerks(400))],
    "documents.edit": [("POST", "/van-ban/{document}/sua", _clerks(400, 404))],
}
