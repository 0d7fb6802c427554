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
        return {
            "child_org": child.id,
            "child_round": round_.id,
            "school": world["school"],
            "other": world["other"],
            "other_round": world["other_round"],
        }
