"""The Giấy khen batch of a dossier: one certificate per approved nominee, a .zip of them
(each named with the person's name, .docx and .pdf) and one merged .docx and .pdf to print
in one go.

The batch is rendered once (the template's body in a loop, render.batch), converted by
LibreOffice once and split per person, instead of one render and one conversion each.
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from domain.text import clean_line
from render.batch import batch_context
from render.batch import batch_template
from render.batch import split_items
from render.batch import split_pdf
from render.batch import unmark
from render.context import build_context
from render.errors import RenderError
from render.pdf import DEFAULT_TIMEOUT
from render.pdf import get_converter
from render.pdf_errors import PdfConversionError
from services.documents import DOCX_MIME
from services.documents import org_context
from services.documents import template_bytes
from services.dossier import certificate_fields
from services.dossier import certificate_file_name
from services.dossier import decision_reference
from services.dossier import nominee_of
from services.dossier import period_text
from storage.db import get_db
from storage.files import keep_for_job
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

# The conversion's time limit per certificate (LibreOffice takes about 15–50 ms a page).
PDF_SECONDS_PER_PAGE = 1.0


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
    """Render a Giấy khen per submission; store the .zip and the merged .docx and .pdf.

    The submissions are read again here: one that is no longer approved (or whose data
    cannot be printed) fails the batch with the person's name, and nothing is stored.
    """
    with get_db().session() as session:
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise JobError("Đợt thi đua không còn tồn tại.")
        org = session.get_one(Organization, round_.organization_id)
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
    progress(0, total, f"Đang in {total} giấy khen")
    contexts = []
    for name, (header, body) in prepared:
        try:
            contexts.append(build_context("giay_khen", header, body, organization))
        except RenderError as exc:
            raise JobError(f"Không in được giấy khen của “{name}”: {exc.message}") from exc
    marked = _render_batch(template, contexts, [name for name, _ in prepared])
    used: set[str] = set()
    stems = [certificate_file_name(name, used).removesuffix(".docx") for name, _ in prepared]
    progress(total // 3, total, f"Đang chuyển {total} giấy khen sang PDF")
    try:
        merged = unmark(marked)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # LibreOffice converts in its own process: the Word files are split meanwhile.
            converting = pool.submit(
                _convert, merged, [context["nguoi_nhan"] for context in contexts]
            )
            documents = split_items(marked)
            pdf, pdfs = converting.result()
    except RenderError as exc:
        raise JobError(f"Không in được giấy khen: {exc.message}") from exc
    files = [(f"{stem}.docx", content) for stem, content in zip(stems, documents, strict=True)]
    files += [(f"{stem}.pdf", content) for stem, content in zip(stems, pdfs, strict=False)]
    archive = _zip(files)
    stem = f"Giấy khen {period}"
    with get_db().session() as session:
        owner = org.id  # no user: the worker made them
        zip_file = save_file(
            session, content=archive, original_name=f"{stem}.zip",
            mime_type="application/zip", organization_id=owner,
        )  # fmt: skip
        docx_file = save_file(
            session, content=merged, original_name=f"{stem} (gộp {total} giấy).docx",
            mime_type=DOCX_MIME, organization_id=owner,
        )  # fmt: skip
        result = {"zip_file_id": zip_file.id, "docx_file_id": docx_file.id, "count": total}
        if pdf is not None:
            result["pdf_file_id"] = save_file(
                session, content=pdf, original_name=f"{stem} (gộp {total} giấy).pdf",
                mime_type="application/pdf", organization_id=owner,
            ).id  # fmt: skip
        # Only the job's result names these files: kept while the job is.
        made = [value for key, value in result.items() if key.endswith("_file_id")]
        keep_for_job(session, getattr(progress, "job_id", None), [str(f) for f in made])
    progress(total, total, f"Đã in {total}/{total} giấy khen")
    return result


def _render_batch(template: bytes, contexts: list[dict[str, Any]], names: list[str]) -> bytes:
    """Every certificate in one render of the template with its body in a loop (one
    sandboxed child for the batch, not one each), marked for splitting (render.batch).
    When the batch fails, each is rendered alone to name the person whose data fails."""
    try:
        return render_docx_sandboxed(
            batch_template(template, list(contexts[0])), batch_context(contexts)
        )
    except RenderError as exc:
        for name, context in zip(names, contexts, strict=True):
            try:
                render_docx_sandboxed(template, context)
            except RenderError as single:
                raise JobError(
                    f"Không in được giấy khen của “{name}”: {single.message}"
                ) from single
        raise JobError(f"Không in được giấy khen: {exc.message}") from exc


def _convert(merged: bytes, names: list[str]) -> tuple[bytes | None, list[bytes]]:
    """The merged .docx converted by LibreOffice once (about 15 ms a page, against 200 ms
    for a certificate alone) and split into one PDF per person. Without LibreOffice the
    Word files are still delivered (no PDF)."""
    try:
        pdf = get_converter().convert_docx_to_pdf(
            merged, timeout=max(DEFAULT_TIMEOUT, PDF_SECONDS_PER_PAGE * len(names))
        )
    except PdfConversionError as exc:
        log.warning("certificates not converted to PDF: %s", exc)
        return None, []
    pdfs = split_pdf(pdf, names)
    if pdfs is None:
        log.warning("certificates' PDF not split: pages do not match the %s names", len(names))
    return pdf, pdfs or []


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
            # Word and PDF files are compressed already: stored, not deflated again.
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()
