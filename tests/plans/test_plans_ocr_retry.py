"""A retried parse does not OCR again the pages an earlier try finished (issue 11, item 6)."""

from __future__ import annotations

import shutil

import pytest

from storage.models import Job
from tests.plans.conftest import corpus_pdf
from worker.jobs.plans import keep_ocr_page
from worker.jobs.plans import load_ocr_pages
from worker.jobs.plans import run_parser_child

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


@needs_tesseract
@pytest.mark.slow
def test_retry_reuses_the_pages_an_earlier_try_ocred() -> None:
    content = corpus_pdf("seed-000.scan.pdf")
    limits = {"memory_mb": 1024, "timeout": 300.0, "max_pages": 60}
    kept: dict[str, str] = {}
    first = run_parser_child(content, "scan.pdf", **limits, on_ocr_page=kept.__setitem__)
    assert len(kept) >= first.result["pages"]  # every page, as it was done

    again: dict[str, str] = {}
    second = run_parser_child(
        content, "scan.pdf", **limits, ocr_cache=kept, on_ocr_page=again.__setitem__
    )
    assert again == {}  # nothing OCR'd a second time
    assert second.result["number"] == first.result["number"]
    assert second.result["recipients"] == first.result["recipients"]


def test_ocred_pages_are_kept_on_the_jobs_own_row(app) -> None:
    with app.app_context():
        database = app.extensions["vanthu.db"]
        with database.session() as session:
            job = Job(kind="plan", function="worker.jobs.plans.parse_incoming", args={})
            session.add(job)
            session.flush()
            job_id = job.id
        name = "a" * 64 + "-p1-300-vie-6-v2.tsv"
        keep_ocr_page(job_id, name, "level\tpage_num\ttext\n5\t1\tKẾ HOẠCH\n")
        keep_ocr_page(job_id, "b" * 64 + "-p2-300-vie-6-v2.tsv", "level\n")
        pages = load_ocr_pages(job_id)
    assert pages[name] == "level\tpage_num\ttext\n5\t1\tKẾ HOẠCH\n"
    assert len(pages) == 2
