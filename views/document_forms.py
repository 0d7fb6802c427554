"""What the clerk's document pages and a teacher's report page share: the manifest-built
form's "Thêm dòng" and validation, and downloading a document's .docx / .pdf (audited)."""

from __future__ import annotations

from flask import Response
from flask import abort
from flask import request

from forms.documents import DocumentForm
from services import documents
from storage.models import Document
from storage.models import Organization
from storage.models import StoredFile
from views.access import get_in_org
from views.downloads import send_audited


def wants_rows(form: DocumentForm) -> bool:
    """ "Thêm dòng" pressed: show the form again with blank rows, save nothing."""
    name = request.form.get("add_rows", "")
    if not name:
        return False
    form.add_rows(name)
    return True


def validate(form: DocumentForm, org: Organization) -> bool:
    """The form's own checks (CSRF included), then the render context's, so that bad input
    is a message on the form and not a failed job."""
    if not form.validate():
        return False
    problem = documents.context_problem(
        org, form.manifest.kind, form.header_values(), form.body_values()
    )
    if problem:
        form.form_error = problem
        return False
    return True


def audit_names(document: Document) -> dict[str, str]:
    """What the audit page needs to name a document in a sentence (services.audit.describe),
    kept in the event since the document may later change or be deleted."""
    return {
        "kind_label": documents.kind_label(document.kind),
        "number_label": documents.number_label(document),
        "summary": document.summary,
    }


def send_document_file(document: Document, fmt: str) -> Response:
    """The document's last rendered .docx or .pdf, recorded in the audit log; 404 when
    there is none."""
    file_id = {"docx": document.docx_file_id, "pdf": document.pdf_file_id}.get(fmt)
    if file_id is None:
        abort(404)
    stored = get_in_org(StoredFile, file_id)
    return send_audited(
        stored,
        "document.download",
        object_type="document",
        object_id=document.id,
        detail={
            "format": fmt,
            "file": stored.id,
            "number": document.number,
            **audit_names(document),
        },
    )
