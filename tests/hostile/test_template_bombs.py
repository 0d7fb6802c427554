"""Template bombs: custom templates that take too much memory, CPU time or output, or do so
only on real data. Each render runs in a limited child process of the worker
(:mod:`worker.render_sandbox`): each bomb is stopped at its limit and answered in
Vietnamese, the worker (and its heartbeat) carries on, and another organization's document
queued at the same time completes. How long that document waited behind a bomb is measured
by ``bench/template_bombs.py``, not asserted here.
"""

from __future__ import annotations

import resource
import signal
import tracemalloc
from datetime import timedelta

import pytest
from sqlalchemy import select

from render.context import build_context
from render.context import sample_context
from render.manifest import load_manifest
from render.validate import check_template
from services.documents import DOCX_MIME
from services.documents import create_document
from services.documents import request_render
from storage.files import save_file
from storage.models import Document
from storage.models import DocumentTemplate
from storage.models import Job
from tests.doc_templates.template_files import builtin
from tests.doc_templates.template_files import upload
from tests.doc_templates.template_files import with_first_paragraph
from tests.doc_templates.template_files import with_paragraphs
from tests.hostile.test_hostile_uploads import VIETNAMESE
from tests.support import drain_queue
from worker.render_sandbox import RenderLimitError
from worker.render_sandbox import RenderLimits
from worker.render_sandbox import render_docx_sandboxed
from worker.template_trial import validate_template

SMALL = {"RENDER_MEMORY_MB": 256, "RENDER_TIMEOUT": 2, "RENDER_MAX_OUTPUT_MB": 5}
LIMITS = RenderLimits(memory_mb=256, cpu_seconds=2, max_output_mb=5)
MB = 1024  # ru_maxrss is in KiB

NESTED_LOOPS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
HOLDS_THE_GIL = "{{ 10 ** (10 ** 8) }}"
MILLION_PARAGRAPHS = [
    "{%p for a in range(1000) %}",
    "{%p for b in range(1000) %}",
    "Đoạn {{ a }}.{{ b }}: một triệu đoạn văn.",
    "{%p endfor %}",
    "{%p endfor %}",
]
# Harmless on the sample (its body is short), a 1 GB string on a real, longer body.
ONLY_ON_REAL_DATA = "{% if noi_dung|length > 1000 %}{{ 'x' * 10**9 }}{% endif %}"
LONG_BODY = "Các tổ chuyên môn triển khai thực hiện, báo cáo kết quả đúng hạn. " * 30

MESSAGES = {
    "memory": "Mẫu văn bản dùng quá nhiều bộ nhớ khi soạn (giới hạn 256 MB); hãy kiểm tra "
    "vòng lặp hoặc phép nhân chuỗi trong mẫu.",
    "time": "Mẫu văn bản chạy quá thời gian cho phép khi soạn (giới hạn 2 giây); hãy kiểm "
    "tra vòng lặp hoặc phép nhân chuỗi trong mẫu.",
    "output": "Mẫu văn bản sinh ra văn bản quá lớn khi soạn (giới hạn 5 MB); hãy kiểm tra "
    "vòng lặp hoặc phép nhân chuỗi trong mẫu.",
}

# name → (template of a kind, the limit it must hit)
BOMBS = {
    "memory": (lambda kind: with_first_paragraph("{{ 'x' * 10**9 }}", kind), "memory"),
    "cpu": (lambda kind: with_first_paragraph(NESTED_LOOPS, kind), "time"),
    # One C call that never lets go of the GIL (folded at compile time, in the child): run
    # in the worker itself, it stopped the heartbeat thread for minutes.
    "gil": (lambda kind: with_first_paragraph(HOLDS_THE_GIL, kind), "time"),
    "output": (lambda kind: with_paragraphs(MILLION_PARAGRAPHS, kind), "output"),
}


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _PeakAllocation:
    """Peak bytes Python allocated inside the block (tracemalloc: unlike the process's
    peak RSS, not hidden by whatever an earlier test allocated)."""

    def __enter__(self) -> _PeakAllocation:
        tracemalloc.start()
        self.peak = 0
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


# -- the upload check runs nothing -------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    ["'x' * 10**8", "'x'|center(10**8)", "('x' ~ 'y') * 10**8", "-(10**8) * 'x'"],
)
def test_upload_check_never_evaluates_the_template_not_even_constant_expressions(expression):
    # Finding the variables compiles the template, and Jinja's compiler folds constants:
    # this took the web worker to 2.8 GB and 16 s on {{ 'x' * 10**9 }}.
    with _PeakAllocation() as allocated:
        assert check_template("cong_van", with_first_paragraph(f"{{{{ {expression} }}}}")).ok
    assert allocated.peak < 64 * 1024 * 1024


# -- the sandbox itself -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_stopped_at_its_limit_and_the_renderer_carries_on(name):
    make, limit = BOMBS[name]
    peak_before = _peak_rss_kb()
    stats: dict = {}
    with pytest.raises(RenderLimitError) as caught:
        render_docx_sandboxed(
            make("cong_van"), sample_context("cong_van"), limits=LIMITS, stats=stats
        )
    assert caught.value.limit == limit
    assert caught.value.message == MESSAGES[limit]
    # Bounded where the limit says: the child's peak stays under the address-space limit
    # (the server's own ~100 MB plus 256 MB), the worker's own peak does not move.
    assert stats["max_rss_kb"] < (256 + 200) * MB, stats
    assert _peak_rss_kb() - peak_before < 50 * MB
    if limit == "time":
        # Stopped by RLIMIT_CPU (SIGXCPU at 2 CPU seconds), not by the wall-clock backstop.
        assert stats.get("signal") == signal.SIGXCPU and not stats.get("killed_by_server")
        assert 1.5 <= stats["cpu"] < 4, stats
    # The same renderer goes on with the next document.
    assert render_docx_sandboxed(builtin(), sample_context("cong_van"), limits=LIMITS)[:2] == b"PK"


def test_template_misbehaving_only_on_real_data_passes_its_trial_and_is_stopped_on_real_data():
    data = with_first_paragraph(ONLY_ON_REAL_DATA)
    assert validate_template("cong_van", data).ok  # the sandboxed trial render: sample is fine
    sample = load_manifest("cong_van").sample
    real = build_context("cong_van", sample["header"], {"noi_dung": LONG_BODY}, sample["org"])
    with pytest.raises(RenderLimitError) as caught:
        render_docx_sandboxed(data, real, limits=LIMITS)
    assert (caught.value.limit, caught.value.message) == ("memory", MESSAGES["memory"])


# -- through the worker: render jobs of two organizations queued together ------------------


def _install(app, organization_id: int, kind: str, data: bytes) -> None:
    """Make ``data`` the active template of ``kind`` (as if it had got past every check)."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        stored = save_file(
            session, organization_id=organization_id, content=data,
            original_name=f"{kind}.docx", mime_type=DOCX_MIME,
        )  # fmt: skip
        session.add(
            DocumentTemplate(
                organization_id=organization_id, kind=kind, version=1, file_id=stored.id,
                active=True,
            )
        )  # fmt: skip


def _queue(app, organization_id: int, user_id: int, kind: str, body=None) -> tuple[int, str]:
    sample = load_manifest(kind).sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session, organization_id=organization_id, created_by_id=user_id, kind=kind,
            header_fields=sample["header"], body_fields=body or sample["body"],
        )  # fmt: skip
        job_id = request_render(session, app, document, user_id=user_id)
        return document.id, job_id


def _outcome(app, document_id: int, job_id: str) -> tuple[Document, Job]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        job = session.get(Job, job_id)
        session.expunge_all()
        return document, job


# Organization A's bombs, one kind each (one active template per kind); B uses the built-in.
A_BOMBS = {
    "ke_hoach": (BOMBS["memory"][0]("ke_hoach"), None, "memory"),
    "to_trinh": (BOMBS["cpu"][0]("to_trinh"), None, "time"),
    "bien_ban": (BOMBS["output"][0]("bien_ban"), None, "output"),
    "cong_van": (with_first_paragraph(ONLY_ON_REAL_DATA), {"noi_dung": LONG_BODY}, "memory"),
}


def test_bombs_fail_with_their_reason_while_another_organization_s_documents_complete(app, world):
    app.config.update(SMALL)
    queued = []
    for kind, (template, body, limit) in A_BOMBS.items():
        _install(app, world["school"], kind, template)
        queued.append(("A", limit, _queue(app, world["school"], world["clerk"], kind, body)))
        # B's document right behind each bomb, queued at the same time.
        queued.append(("B", None, _queue(app, world["other"], world["other_clerk"], "cong_van")))

    drain_queue(app)  # one real SimpleWorker over the whole queue: a crash would stop it

    for owner, limit, (document_id, job_id) in queued:
        document, job = _outcome(app, document_id, job_id)
        if owner == "B":
            assert (job.status, document.render_status) == ("done", "done"), job.error
            assert document.docx_file_id and document.pdf_file_id
        else:
            assert job.status == "failed" and document.render_status == "failed"
            assert job.error == document.render_error == MESSAGES[limit]
            assert VIETNAMESE.search(job.error)
            assert job.attempts == 1
            assert job.finished_at - job.started_at < timedelta(seconds=60)  # bounded


def test_bomb_uploads_run_nothing_in_the_request_and_fail_their_trial_in_the_worker(
    client, auth, app, world, monkeypatch
):
    import docxtpl

    app.config.update(SMALL)
    auth.login("admin")

    def refuse(*args, **kwargs):
        raise AssertionError("a template was rendered in the web request")

    with monkeypatch.context() as patch, _PeakAllocation() as allocated:
        patch.setattr(docxtpl.DocxTemplate, "render", refuse)
        for name in sorted(BOMBS):
            response = upload(
                client, BOMBS[name][0]("cong_van"), name=f"{name}.docx", activate=True
            )
            assert response.status_code == 302, name
        sneaky = upload(client, with_first_paragraph(ONLY_ON_REAL_DATA), activate=True)
        assert sneaky.status_code == 302
    assert allocated.peak < 64 * 1024 * 1024  # the web request ran none of them

    drain_queue(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        versions = list(
            session.scalars(select(DocumentTemplate).order_by(DocumentTemplate.version))
        )
        trials = {
            job.args["template_id"]: (job.status, job.error) for job in session.scalars(select(Job))
        }
    *bombs, last = versions
    for version, name in zip(bombs, sorted(BOMBS), strict=True):
        limit = BOMBS[name][1]
        assert trials[version.id] == (
            "failed",
            f"Thử tạo văn bản với dữ liệu mẫu không thành công: {MESSAGES[limit]}",
        )
        assert not version.active
    # The one that misbehaves only on real data passes its trial and is activated...
    assert trials[last.id] == ("done", "") and last.active
    # ...and a real document with it fails with the reason; B's document still completes.
    bomb = _queue(app, world["school"], world["clerk"], "cong_van", {"noi_dung": LONG_BODY})
    fine = _queue(app, world["other"], world["other_clerk"], "cong_van")
    drain_queue(app)
    document, job = _outcome(app, *bomb)
    assert (job.status, document.render_error) == ("failed", MESSAGES["memory"])
    document, job = _outcome(app, *fine)
    assert (job.status, document.render_status) == ("done", "done")
