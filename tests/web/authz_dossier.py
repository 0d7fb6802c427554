"""Authorization rows for the dossier pages (merged into test_authorization.MATRIX)."""

from storage.files import save_file
from storage.models import Document
from storage.models import Dossier
from storage.models import Job
from storage.models import JobStatus

LOGIN = 302
CLERKS_ONLY = {"anonymous": LOGIN, "staff": 403, "staff2": 403, "clerk": 200, "admin": 200}
IN_ORG = CLERKS_ONLY | {"other_clerk": 404}
DOSSIER = "/ho-so-khen-thuong/{dossier}"

ROWS: dict = {
    "dossier.index": ("GET", "/ho-so-khen-thuong/", CLERKS_ONLY | {"other_clerk": 200}),
    "dossier.round_page": ("GET", "/dot/{round}/ho-so-khen-thuong", IN_ORG),
    # An empty form is refused (400) for the school's clerks; the other school gets 404.
    "dossier.create": (
        "POST",
        "/dot/{round}/ho-so-khen-thuong",
        IN_ORG | {"clerk": 400, "admin": 400},
    ),
    "dossier.detail": ("GET", DOSSIER, IN_ORG),
    "dossier.document_file": ("GET", DOSSIER + "/van-ban/{dossier_document}.docx", IN_ORG),
    "dossier.certificates_file": ("GET", DOSSIER + "/giay-khen.zip", IN_ORG),
    "dossier.reprint": (
        "POST",
        DOSSIER + "/in-lai-giay-khen",
        IN_ORG | {"clerk": 302, "admin": 302},
    ),
}


def targets(app, world) -> dict:
    """A dossier of the first school: a rendered draft and a finished certificate batch."""
    dossier_id = "d" * 32
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        owner = {"organization_id": world["school"], "created_by_id": world["clerk"]}
        docx = save_file(
            session, content=b"PK docx", original_name="Dự thảo Biên bản.docx",
            mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            **owner,
        )  # fmt: skip
        archive = save_file(
            session, content=b"PK zip", original_name="Giấy khen.zip",
            mime_type="application/zip", **owner,
        )  # fmt: skip
        document = Document(
            kind="bien_ban", summary="Họp xét danh hiệu thi đua", header_fields={},
            body_fields={}, round_id=world["round"], dossier_id=dossier_id,
            docx_file_id=docx.id, render_status="done", **owner,
        )  # fmt: skip
        job = Job(
            kind="In giấy khen", function="worker.jobs.render_certificates",
            status=JobStatus.DONE.value,
            args={"round_id": world["round"], "dossier_id": dossier_id, "submission_ids": []},
            result={"zip_file_id": archive.id, "docx_file_id": docx.id, "count": 0}, **owner,
        )  # fmt: skip
        record = Dossier(
            id=dossier_id, organization_id=world["school"], round_id=world["round"], inputs={},
            created_by_id=world["clerk"],
        )  # fmt: skip
        session.add_all([record, document, job])
        session.flush()
        return {"dossier": dossier_id, "dossier_document": document.id}
