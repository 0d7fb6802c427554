"""Authorization rows for the templates pages (merged into test_authorization.MATRIX).

Custom templates are for admins only; the format checker is for clerks (and admins).
"""

from storage.files import save_file
from storage.models import DocumentTemplate
from storage.models import Job
from storage.models import JobStatus

LOGIN = 302
ROLES = ("anonymous", "staff", "staff2", "clerk", "admin", "other_clerk")
BASE = "/quan-tri/mau-van-ban"


def _admin_only(status: int) -> dict:
    return {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "admin": status}


def _clerks(status: int) -> dict:
    return {
        "anonymous": LOGIN,
        "staff": 403,
        "staff2": 403,
        "clerk": status,
        "admin": status,
        "other_clerk": status,
    }


ROWS: dict = {
    "doc_templates.index": ("GET", f"{BASE}/", _admin_only(200)),
    "doc_templates.kind_page": ("GET", f"{BASE}/cong_van", _admin_only(200)),
    "doc_templates.activate": (
        "POST",
        BASE + "/cong_van/{doc_template}/kich-hoat",
        _admin_only(302),
    ),
    "doc_templates.use_builtin": ("POST", f"{BASE}/cong_van/dung-mau-goc", _admin_only(302)),
    "doc_templates.download_builtin": ("GET", f"{BASE}/cong_van/mau-goc.docx", _admin_only(200)),
    "doc_templates.download": ("GET", BASE + "/cong_van/{doc_template}/tai-ve", _admin_only(200)),
    "doc_templates.preview": (
        "POST",
        BASE + "/cong_van/{doc_template}/xem-truoc",
        _admin_only(302),
    ),
    "doc_templates.preview_file": (
        "GET",
        BASE + "/xem-truoc/{template_preview_job}/png",
        _admin_only(200),
    ),
    "checker.index": ("GET", "/kiem-tra-the-thuc", _clerks(200)),
    # No file: the API answers 422 with a Vietnamese error to anyone allowed to use it.
    "checker.api": ("POST", "/api/kiem-tra-the-thuc", {**_clerks(422), "anonymous": 401}),
}


def targets(app, world) -> dict:
    """Records the rows' paths refer to, created in the first school."""
    from render.manifest import template_path

    owner = {"organization_id": world["school"], "created_by_id": world["admin"]}
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        stored = save_file(
            session,
            content=template_path("cong_van").read_bytes(),
            original_name="Mẫu công văn.docx",
            mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            **owner,
        )
        template = DocumentTemplate(kind="cong_van", version=1, file_id=stored.id, **owner)
        image = save_file(
            session,
            content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
            original_name="Xem trước.png",
            mime_type="image/png",
            **owner,
        )
        job = Job(
            kind="Xem trước mẫu công văn",
            function="worker.jobs.preview_template",
            args={"organization_id": world["school"], "kind": "cong_van", "template_id": None},
            status=JobStatus.DONE.value,
            result={"preview_file_id": image.id, "pdf_file_id": None, "template_id": None},
            **owner,
        )
        session.add_all([template, job])
        session.flush()
        return {"doc_template": template.id, "template_preview_job": job.id}


EXTRA_ROWS: dict = {
    # No file: the upload form comes back with its message.
    "doc_templates.kind_page": [("POST", f"{BASE}/cong_van", _admin_only(422))],
    "doc_templates.preview": [("POST", f"{BASE}/cong_van/xem-truoc", _admin_only(302))],
    # No file: the checker asks for one.
    "checker.index": [("POST", "/kiem-tra-the-thuc", _clerks(422))],
}
