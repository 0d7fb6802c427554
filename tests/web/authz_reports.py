"""Authorization rows for the teacher's Báo cáo thành tích (merged into
test_authorization.MATRIX).

``staff`` sent the nomination of the matrix (and is its nominee); ``staff2`` is a colleague
and gets 404, as does a clerk of another organization: neither learns that it exists.
Clerks and admins of the school may open it. Every signed-in user has a list of their own.
"""

LOGIN = 302
REPORT = "/ho-so/{report_submission}/bao-cao-thanh-tich"
OWNER = {
    "anonymous": LOGIN,
    "staff": 200,
    "staff2": 404,
    "clerk": 200,
    "admin": 200,
    "other_clerk": 404,
}

ROWS: dict = {
    "reports.mine": (
        "GET",
        "/bao-cao-thanh-tich",
        {**dict.fromkeys(OWNER, 200), "anonymous": LOGIN},
    ),
    "reports.edit": ("GET", REPORT, OWNER),
    "reports.download": ("GET", REPORT + "/tai/docx", OWNER),
}


def targets(app, world) -> dict:
    """The matrix's nomination (staff's exemplary nomination of themself) with a rendered
    draft report."""
    from sqlalchemy import select

    from services.documents import DOCX_MIME
    from storage.files import save_file
    from storage.models import Document
    from storage.models import Submission

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        submission = session.scalar(
            select(Submission)
            .where(Submission.created_by_id == world["staff"], Submission.kind == "exemplary")
            .order_by(Submission.id)
            .limit(1)
        )
        docx = save_file(
            session, content=b"PK\x03\x04 docx", original_name="Báo cáo thành tích.docx",
            mime_type=DOCX_MIME, organization_id=world["school"], created_by_id=None,
        )  # fmt: skip
        session.add(
            Document(
                organization_id=world["school"],
                kind="bao_cao_ca_nhan",
                summary=submission.nominee_name,
                header_fields={},
                body_fields={},
                round_id=submission.round_id,
                submission_id=submission.id,
                docx_file_id=docx.id,
                render_status="done",
                created_by_id=world["staff"],
            )  # fmt: skip
        )
        return {"report_submission": submission.id}


# Posting the report form empty: its messages come back (400), nothing is saved.
EXTRA_ROWS: dict = {
    "reports.edit": [
        ("POST", REPORT, {**OWNER, "staff": 400, "clerk": 400, "admin": 400}),
    ]
}
