"""Which queue a job goes to: interactive work (someone is looking at the page waiting for
it) or bulk work (long runs a clerk starts and comes back to).

Workers serve the interactive queue first (RQ reads its queues in order), so a preview is
never stuck behind a 60-page scan or a 500-certificate batch. Among bulk jobs the runner
gives organizations fair turns (:mod:`worker.runner`).
"""

from __future__ import annotations

import enum

# Only functions in this module may be run by dotted path: a job row can never name
# arbitrary code.
JOB_MODULE = "worker.jobs"


class WorkClass(enum.StrEnum):
    INTERACTIVE = "interactive"
    BULK = "bulk"


# Every function of worker.jobs, by name (tests/outbox checks that none is missing).
WORK_CLASSES: dict[str, WorkClass] = {
    "render_document": WorkClass.INTERACTIVE,  # a document's docx, PDF and page-1 preview
    "preview_template": WorkClass.INTERACTIVE,  # test render of an uploaded template
    "check_format": WorkClass.INTERACTIVE,  # Kiểm tra thể thức of one .docx
    "convert_evidence": WorkClass.INTERACTIVE,  # one evidence file shown for viewing
    "parse_incoming": WorkClass.BULK,  # plan parsing and OCR
    "ocr_scan_pages": WorkClass.BULK,  # a share of a long scan's pages, OCR'd
    "render_certificates": WorkClass.BULK,  # certificate batches of a dossier
    "summarise_round": WorkClass.BULK,  # a round's summary export
    # incoming PDFs' digital signatures: one document, or all of an organization's after
    # its trusted roots changed
    "verify_signatures": WorkClass.BULK,
}
# A function nobody classified is bulk: new heavy work must never delay what users wait for.
DEFAULT_CLASS = WorkClass.BULK

INTERACTIVE_FUNCTIONS = tuple(
    f"{JOB_MODULE}.{name}"
    for name, work_class in WORK_CLASSES.items()
    if work_class is WorkClass.INTERACTIVE
)


def work_class(function: str) -> WorkClass:
    """The class of a job function, named bare (``"render_document"``) or dotted."""
    name = function.removeprefix(f"{JOB_MODULE}.")
    return WORK_CLASSES.get(name, DEFAULT_CLASS)
