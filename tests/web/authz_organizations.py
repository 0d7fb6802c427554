"""Authorization rows for the organization tree and the round pages (merged into
test_authorization.MATRIX).

The matrix's school gets a school of its own below it (``child_org``, with ``child_round``):
its admin reads that school and its round; its clerk and staff read neither, and the other
organization's clerk learns of nothing (404). Creating a school is an office's (Phòng, Sở)
only, so the school's admin gets 403 there (tests/web/test_organization_tree.py covers a
Phòng). A round's summary is its own clerks'; copying and closing its own admins'.
"""

LOGIN = 302
ADMIN_ONLY = {
    "anonymous": LOGIN, "staff": 403, "staff2": 403, "clerk": 403, "admin": 200,
    "other_clerk": 403,
}  # fmt: skip
NOBODY = {**ADMIN_ONLY, "admin": 403}
CLERKS = {**ADMIN_ONLY, "clerk": 200, "other_clerk": 404}
BELOW = {**ADMIN_ONLY, "staff": 404, "staff2": 404, "clerk": 404, "other_clerk": 404}
ADMIN_POST = {**ADMIN_ONLY, "admin": 302}

ROWS: dict = {
    "organizations.index": ("GET", "/quan-tri/don-vi/", ADMIN_ONLY),
    "organizations.create": [
        ("GET", "/quan-tri/don-vi/moi", NOBODY),
        ("POST", "/quan-tri/don-vi/moi", NOBODY),
    ],
    "organizations.detail": [
        ("GET", "/quan-tri/don-vi/{child_org}", ADMIN_ONLY),
        ("GET", "/quan-tri/don-vi/{school}", {**ADMIN_ONLY, "admin": 404}),  # not below itself
        ("GET", "/quan-tri/don-vi/{other}", {**ADMIN_ONLY, "admin": 404}),
    ],
    "organizations.document": [
        ("GET", "/quan-tri/don-vi/{child_org}/van-ban/{child_document}/pdf", ADMIN_ONLY),
        # No .docx was rendered; another organization's path to it is no way in either.
        (
            "GET",
            "/quan-tri/don-vi/{child_org}/van-ban/{child_document}/docx",
            {**ADMIN_ONLY, "admin": 404},
        ),
        (
            "GET",
            "/quan-tri/don-vi/{other}/van-ban/{child_document}/pdf",
            {**ADMIN_ONLY, "admin": 404},
        ),
    ],
    "rounds.summary": [
        ("GET", "/dot-thi-dua/{round}/tong-hop", CLERKS),
        ("GET", "/dot-thi-dua/{child_round}/tong-hop", BELOW),
        (
            "GET",
            "/dot-thi-dua/{other_round}/tong-hop",
            {**CLERKS, "clerk": 404, "admin": 404, "staff": 404, "staff2": 404, "other_clerk": 200},
        ),  # fmt: skip
    ],
    "rounds.summary_export": [
        ("GET", "/dot-thi-dua/{round}/tong-hop.xlsx", CLERKS),
        ("GET", "/dot-thi-dua/{child_round}/tong-hop.xlsx", BELOW),
    ],
    "rounds.copy": [
        ("POST", "/dot-thi-dua/{round}/sao-chep", ADMIN_POST),
        ("POST", "/dot-thi-dua/{child_round}/sao-chep", {**ADMIN_ONLY, "admin": 404}),
    ],
    "rounds.close": [
        ("POST", "/dot-thi-dua/{round}/dong", ADMIN_POST),
        ("POST", "/dot-thi-dua/{child_round}/dong", {**ADMIN_ONLY, "admin": 404}),
    ],
    "rounds.reopen": [
        ("POST", "/dot-thi-dua/{round}/mo-lai", ADMIN_POST),
        ("POST", "/dot-thi-dua/{child_round}/mo-lai", {**ADMIN_ONLY, "admin": 404}),
    ],
}


def targets(app, world) -> dict:
    """A school below the matrix's school, with a round."""
    from datetime import date

    from storage.files import save_file
    from storage.models import Document
    from storage.models import Organization
    from tests.support import school_year_round

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        child = Organization(
            name="TRƯỜNG TIỂU HỌC MỸ THẠNH 2", parent_name="TRƯỜNG THCS MỸ THẠNH", abbrev="THMT2",
            place="Mỹ Thạnh", settings={}, org_kind="truong_th", parent_id=world["school"],
        )  # fmt: skip
        session.add(child)
        session.flush()
        round_ = school_year_round(child.id)
        session.add(round_)
        session.flush()
        pdf = save_file(
            session, content=b"%PDF-1.4 to trinh", original_name="Tờ trình.pdf",
            mime_type="application/pdf", organization_id=child.id, created_by_id=None,
        )  # fmt: skip
        document = Document(
            organization_id=child.id, kind="to_trinh", status="issued", summary="Tờ trình",
            header_fields={}, body_fields={}, year=2026, number=1, symbol="TTr-THMT2",
            issued_date=date(2026, 6, 5), round_id=round_.id, dossier_id="d" * 32,
            pdf_file_id=pdf.id, created_by_id=world["admin"],
        )  # fmt: skip
        session.add(document)
        session.flush()
        return {
            "child_document": document.id,
            "child_org": child.id,
            "child_round": round_.id,
            "school": world["school"],
            "other": world["other"],
            "other_round": world["other_round"],
        }
