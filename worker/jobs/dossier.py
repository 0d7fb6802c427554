"""The Giấy khen batch of a dossier: one certificate per approved nominee, a .zip of them
(each named with the person's name) and one merged .docx to print in one go."""

from __future__ import annotations

import copy
import datetime
import io
import logging
import zipfile
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

from domain.text import clean_line
from render.context import build_context
from render.errors import RenderError
from services.documents import DOCX_MIME
from services.documents import org_context
from services.documents import template_bytes
from services.dossier import certificate_fields
from services.dossier import certificate_file_name
from services.dossier import decision_reference
from services.dossier import nominee_of
from services.dossier import period_text
from storage.db import get_db
from storage.files import save_file
from storage.models import Document
from storage.models import Organization
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionStatus
from worker.errors import JobError
from worker.render_sandbox import render_docx_sandboxed
from worker.runner import Progress

__all__ = ["render_certificates"]

log = logging.getLogger(__name__)


def render_certificates(
    progress: Progress,
    *,
    round_id: int,
    dossier_id: str,
    submission_ids: list[int],
    decision_id: int | None = None,
    authority: str = "",
    org_name: str = "",
) -> dict[str, Any]:
    """Render a Giấy khen per submission; store the .zip and the merged .docx.

    The submissions are read again here: one that is no longer approved (or whose data
    cannot be printed) fails the batch with the person's name, and nothing is stored.
    """
    with get_db().session() as session:
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise JobError("Đợt thi đua không còn tồn tại.")
        org = session.get(Organization, round_.organization_id)
        decision = session.get(Document, decision_id) if decision_id else None
        if decision is not None and decision.organization_id != org.id:
            decision = None
        number, decided_on = decision_reference(org, decision)
        template, _template_id = template_bytes(session, org.id, "giay_khen")
        organization = org_context(org)
        period = period_text(round_)
        prepared = []
        for submission_id in submission_ids:
            submission = session.get(Submission, submission_id)
            name = clean_line(submission.nominee_name) if submission else ""
            if (
                submission is None
                or submission.organization_id != org.id
                or submission.round_id != round_.id
            ):
                raise JobError(f"Hồ sơ số {submission_id} không còn trong đợt thi đua này.")
            if submission.status != SubmissionStatus.APPROVED.value:
                raise JobError(
                    f"Hồ sơ của “{name}” không còn ở trạng thái được công nhận; "
                    "không in giấy khen. Hãy lập lại hồ sơ khen thưởng."
                )
            try:
                nominee = nominee_of(submission)
            except Exception as exc:  # an unknown title code
                raise JobError(f"Không in được giấy khen của “{name}”: {exc}") from exc
            fields = certificate_fields(
                org, round_, nominee, authority=authority or org.name,
                org_name=org_name or org.name, decision_number=number,
                decision_date=_as_date(decided_on),
            )  # fmt: skip
            prepared.append((name, fields))
    total = len(prepared)
    if not total:
        raise JobError("Không có giấy khen nào để in.")
    progress(0, total, f"Đã in 0/{total} giấy khen")
    used: set[str] = set()
    rendered: list[tuple[str, bytes]] = []
    for index, (name, (header, body)) in enumerate(prepared, start=1):
        try:
            context = build_context("giay_khen", header, body, organization)
            content = render_docx_sandboxed(template, context)
        except RenderError as exc:
            raise JobError(f"Không in được giấy khen của “{name}”: {exc.message}") from exc
        rendered.append((certificate_file_name(name, used), content))
        progress(index, total, f"Đã in {index}/{total} giấy khen")
    archive = _zip(rendered)
    merged = merge_docx([content for _name, content in rendered])
    stem = f"Giấy khen {period}"
    with get_db().session() as session:
        owner = {"organization_id": org.id, "created_by_id": None}
        zip_file = save_file(
            session, content=archive, original_name=f"{stem}.zip",
            mime_type="application/zip", **owner,
        )  # fmt: skip
        docx_file = save_file(
            session, content=merged, original_name=f"{stem} (gộp {total} giấy).docx",
            mime_type=DOCX_MIME, **owner,
        )  # fmt: skip
        result = {"zip_file_id": zip_file.id, "docx_file_id": docx_file.id, "count": total}
    progress(total, total, f"Đã in {total}/{total} giấy khen")
    return result


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    # zipfile marks non-ASCII names as UTF-8 (flag bit 11), so Vietnamese names survive.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def merge_docx(documents: list[bytes]) -> bytes:
    """Concatenate documents rendered from one template: each starts a new section (and so
    a new page) with the first document's page setup. Templates with images or headers
    would need their relationships copied too; the Giấy khen template has none."""
    base = open_docx(io.BytesIO(documents[0]))
    body = base.element.body
    final_section = body.find(qn("w:sectPr"))
    for content in documents[1:]:
        _end_section(body, final_section)
        other = open_docx(io.BytesIO(content)).element.body
        for element in list(other):
            if element.tag == qn("w:sectPr"):
                continue
            final_section.addprevious(copy.deepcopy(element))
    out = io.BytesIO()
    base.save(out)
    return out.getvalue()


def _end_section(body: Any, final_section: Any) -> None:
    """Close the section so far with a copy of the page setup (a "next page" break)."""
    from docx.oxml import OxmlElement

    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(copy.deepcopy(final_section))
    paragraph.append(properties)
    final_section.addprevious(paragraph)
