"""Storage that does not leak (issue 15): the storage sweep deletes the files no row points
at (every foreign key to files.id, read from the models) once older than the grace period,
and the parse-cache readings no upload can use; template previews keep only the newest per
version; job rows finished long ago that nothing uses go. Real database, real queue and
worker, real LibreOffice."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from render.manifest import template_path
from render.preview import page_file_id
from services import doc_templates
from services.documents import create_document
from services.documents import request_render
from services.renders import preview_page
from services.storage_sweep import StorageReport
from services.storage_sweep import sweep_storage
from services.submissions import attach_files
from services.submissions import new_submission
from services.submissions import remove_file
from storage.files import file_references
from storage.files import keep_for_job
from storage.files import save_file
from storage.models import NOT_A_REFERENCE
from storage.models import Base
from storage.models import Document
from storage.models import DocumentRender
from storage.models import DocumentTemplate
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import Job
from storage.models import JobFile
from storage.models import ParsedFile
from storage.models import ParsedPage
from storage.models import ParseStatus
from storage.models import Round
from storage.models import StoredFile
from storage.models import SubmissionKind
from storage.models import User
from storage.uploads import EVIDENCE_TYPES
from storage.uploads import check_upload
from tests.documents.conftest import sample
from tests.faults.conftest import wait_for
from tests.faults.conftest import worker_env
from tests.support import drain_queue
from worker.jobs.plans import reading_version

ROOT = Path(__file__).resolve().parents[2]
GRACE = timedelta(hours=24)
VERSION = "parser-now"
REFERENCES = [f"{column.table.name}.{column.name}" for column in file_references()]


def _db(app: Flask):
    return app.extensions["vanthu.db"]


def _sweep(app: Flask, *, dry_run: bool = False, after: timedelta = GRACE * 2) -> StorageReport:
    """A sweep as if run ``after`` from now (so every file is past the grace period)."""
    return sweep_storage(
        _db(app),
        grace=GRACE,
        reading_version=VERSION,
        readings_kept=timedelta(days=30),
        dry_run=dry_run,
        now=datetime.now(UTC) + after,
    )


def _files(app: Flask) -> dict[str, int]:
    """Every stored file: id → size."""
    with _db(app).session() as session:
        return {row.id: row.size for row in session.execute(select(StoredFile.id, StoredFile.size))}


def _orphan(app: Flask, world: dict, *, age: timedelta = GRACE * 3, name: str = "cũ.docx") -> str:
    """A file no row points at (as renders stored before renders had rows left them)."""
    with _db(app).session() as session:
        stored = save_file(
            session,
            organization_id=world["school"],
            content=f"nội dung {name} {time.monotonic()}".encode(),
            original_name=name,
            mime_type="application/octet-stream",
        )
        stored.created_at = datetime.now(UTC) - age
        return stored.id


# -- what the sweep counts as a reference ---------------------------------------------------


def test_every_foreign_key_to_files_in_the_migrated_database_is_a_reference(app) -> None:
    """The list comes from the models; the migrated schema has exactly those keys (plus the
    derived file's link to its source, which keeps nothing alive)."""
    inspector = inspect(_db(app).engine)
    in_database = {
        f"{table}.{fk['constrained_columns'][0]}"
        for table in inspector.get_table_names()
        for fk in inspector.get_foreign_keys(table)
        if fk["referred_table"] == "files"
    }
    assert set(REFERENCES) == in_database - {"derived_files.source_id"}
    assert len(REFERENCES) == len(set(REFERENCES)) == 17  # with the attachments' two


def test_a_table_added_later_is_a_reference_without_changing_the_sweep() -> None:
    table = Table(
        "later_attachments",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("file_id", String(32), ForeignKey("files.id")),
        Column("source_id", String(32), ForeignKey("files.id"), info={NOT_A_REFERENCE: True}),
    )
    try:
        names = [f"{c.table.name}.{c.name}" for c in file_references()]
        assert "later_attachments.file_id" in names
        assert "later_attachments.source_id" not in names
    finally:
        Base.metadata.remove(table)
    assert "later_attachments.file_id" not in [c.table.name for c in file_references()]


@pytest.mark.parametrize("reference", REFERENCES)
def test_a_file_any_reference_column_names_survives(app, world, reference: str) -> None:
    """One row of each referencing table, naming an old file: the sweep keeps it (the row's
    other columns are placeholders, written with foreign-key checks off)."""
    kept, gone = _orphan(app, world), _orphan(app, world)
    table_name, column_name = reference.split(".")
    table = Base.metadata.tables[table_name]
    values: dict[str, object] = {}
    for column in table.columns:
        if column.name == column_name:
            values[column.name] = kept
        elif column.primary_key and isinstance(column.type, Integer) and not column.foreign_keys:
            continue  # autoincrement
        elif column.nullable or column.default is not None or column.server_default is not None:
            continue
        else:
            values[column.name] = _placeholder(column)
    engine = _db(app).engine
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            connection.execute(text("SET session_replication_role = replica"))
        connection.execute(table.insert().values(**values))
        connection.commit()
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        else:
            connection.execute(text("SET session_replication_role = DEFAULT"))
            connection.commit()

    report = _sweep(app)

    stored = _files(app)
    assert kept in stored
    assert gone not in stored
    assert report.files == 1


def _placeholder(column: Column) -> object:
    python = column.type.python_type
    if python is datetime:
        return datetime.now(UTC)
    if python is date:
        return date.today()
    return {int: 1, str: "x", bool: False, float: 1.0, bytes: b"", dict: {}, list: []}[python]


# -- age, dry run, concurrency ----------------------------------------------------------------


def test_a_file_younger_than_the_grace_period_survives(app, world) -> None:
    young = _orphan(app, world, age=GRACE - timedelta(hours=1))
    old = _orphan(app, world, age=GRACE + timedelta(hours=1))

    report = _sweep(app, after=timedelta(0))

    assert young in _files(app) and old not in _files(app)
    assert report.files == 1


def test_a_dry_run_counts_what_the_sweep_then_deletes_and_changes_nothing(app, world) -> None:
    orphans = [_orphan(app, world, name=f"tệp {n}.pdf") for n in range(3)]
    before = _files(app)
    _reading(app, sha="a" * 64, version="parser-old")

    dry = _sweep(app, dry_run=True)

    assert _files(app) == before
    with _db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(ParsedFile)) == 1
    assert (dry.files, dry.file_bytes) == (3, sum(before[f] for f in orphans))
    assert (dry.readings, dry.reading_bytes) == (1, 3000)
    real = _sweep(app)
    assert (real.files, real.file_bytes, real.readings, real.reading_bytes) == (
        dry.files,
        dry.file_bytes,
        dry.readings,
        dry.reading_bytes,
    )


def test_the_command_line_dry_run_prints_counts_and_bytes_and_deletes_nothing(app, world) -> None:
    orphan = _orphan(app, world, age=timedelta(days=3))
    size = _files(app)[orphan]
    runner = app.test_cli_runner()

    result = runner.invoke(args=["clean-storage", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"Sẽ xoá 1 tệp ({size} byte)" in result.output
    assert orphan in _files(app)
    result = runner.invoke(args=["clean-storage"])
    assert result.exit_code == 0, result.output
    assert f"Đã xoá 1 tệp ({size} byte)" in result.output
    assert orphan not in _files(app)


def test_a_file_referenced_while_the_sweep_deletes_survives(app, world) -> None:
    """A transaction attaching an old unreferenced file holds the database while the sweep
    runs: the sweep's DELETE waits for it and then sees the reference."""
    if _db(app).engine.dialect.name != "sqlite":
        pytest.skip("the write lock that orders the two is SQLite's")
    file_id = _orphan(app, world)
    holding, release = threading.Event(), threading.Event()

    def attach() -> None:
        with _db(app).session() as session:
            session.add(
                DocumentTemplate(
                    organization_id=world["school"], kind="cong_van", version=1, file_id=file_id
                )
            )
            session.flush()  # the write lock is taken
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=attach)
    thread.start()
    holding.wait(10)
    threading.Timer(1.0, release.set).start()
    report = _sweep(app)
    thread.join()

    assert file_id in _files(app)
    assert report.files == 0


# -- the parse cache ----------------------------------------------------------------------


def _reading(
    app: Flask,
    *,
    sha: str,
    version: str = VERSION,
    age: timedelta = timedelta(days=60),
    status: str = ParseStatus.DONE.value,
) -> int:
    stamp = datetime.now(UTC) - age
    with _db(app).session() as session:
        row = ParsedFile(
            sha256=sha, parser_version=version, status=status, created_at=stamp, finished_at=stamp
        )
        session.add(row)
        session.flush()
        session.add_all(
            ParsedPage(
                parsed_file_id=row.id,
                page=page,
                png=b"p" * 1500,
                width=10,
                height=10,
                points_width=595.0,
                points_height=842.0,
            )  # fmt: skip
            for page in (1, 2)
        )
        return row.id


def test_readings_of_other_versions_and_unused_old_ones_go(app, world) -> None:
    content = b"%PDF-1.4 ke hoach cua so"
    sha = hashlib.sha256(content).hexdigest()
    with _db(app).session() as session:
        stored = save_file(
            session, organization_id=world["school"], content=content,
            original_name="KH.pdf", mime_type="application/pdf",
        )  # fmt: skip
        session.add(
            IncomingDocument(
                organization_id=world["school"], file_id=stored.id, created_by_id=world["clerk"]
            )
        )
    used = _reading(app, sha=sha)
    recent = _reading(app, sha="b" * 64, age=timedelta(days=2))
    unused = _reading(app, sha="c" * 64)
    older_parser = _reading(app, sha=sha, version="parser-before")
    being_read = _reading(app, sha="d" * 64, status=ParseStatus.PARSING.value, age=timedelta(0))

    report = _sweep(app, after=timedelta(0))

    with _db(app).session() as session:
        left = set(session.scalars(select(ParsedFile.id)))
        pages = session.scalar(select(func.count()).select_from(ParsedPage))
    assert left == {used, recent, being_read}
    assert unused not in left and older_parser not in left
    assert pages == 6
    assert (report.readings, report.reading_bytes) == (2, 6000)


def test_a_superseded_reading_whose_pages_an_upload_shows_is_kept(app, world) -> None:
    """A school's copy of a broadcast shows the shared reading's page images; a newer
    parser version does not make that reading the sweep's (drop_unused takes it when the
    last upload showing it goes)."""
    content = b"%PDF-1.4 ke hoach gui 500 truong"
    sha = hashlib.sha256(content).hexdigest()
    shown = _reading(app, sha=sha, version="parser-before")
    not_shown = _reading(app, sha="e" * 64, version="parser-before")
    with _db(app).session() as session:
        stored = save_file(
            session, organization_id=world["school"], content=content,
            original_name="KH.pdf", mime_type="application/pdf",
        )  # fmt: skip
        upload = IncomingDocument(
            organization_id=world["school"], file_id=stored.id, created_by_id=world["clerk"]
        )
        session.add(upload)
        session.flush()
        first_page = session.scalar(
            select(ParsedPage.id).where(ParsedPage.parsed_file_id == shown, ParsedPage.page == 1)
        )
        session.add(IncomingPage(incoming_id=upload.id, page=1, parsed_page_id=first_page))

    report = _sweep(app, after=timedelta(0))

    with _db(app).session() as session:
        left = set(session.scalars(select(ParsedFile.id)))
    assert shown in left and not_shown not in left
    assert report.readings == 1


def _pdf() -> bytes:
    """A one-page PDF (pypdfium2), as evidence."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- the whole story -----------------------------------------------------------------------


def test_renders_previews_and_removed_uploads_leave_the_current_files_and_history(
    app, world
) -> None:
    """20 renders of a draft (two kept as history, page 2 drawn), 5 previews of a template
    version, evidence uploaded and removed, leftovers of before: after one sweep, exactly
    the current files and the retained history remain, counted by rows and bytes."""
    app.config["RENDER_HISTORY_KEEP"] = 2
    db = _db(app)
    header, body = sample("ke_hoach")
    with app.app_context(), db.session() as session:
        document_id = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=header, body_fields=body,
        ).id  # fmt: skip
    for _ in range(20):
        with app.app_context(), db.session() as session:
            request_render(session, app, session.get(Document, document_id), user_id=world["clerk"])
        drain_queue(app)
    with app.app_context(), db.session() as session:
        document = session.get(Document, document_id)
        assert document.render_status == "done", document.render_error
        assert preview_page(session, document, 2) is not None  # drawn and kept

    with app.app_context(), db.session() as session:
        outcome = doc_templates.add_version(
            session, organization_id=world["school"], user_id=world["admin"], kind="cong_van",
            content=template_path("cong_van").read_bytes(), filename="mẫu.docx", app=app,
        )  # fmt: skip
        assert outcome.template is not None, outcome.reasons
        template_id = outcome.template.id
    drain_queue(app)
    for _ in range(4):
        with app.app_context(), db.session() as session:
            doc_templates.request_preview(
                session, app, organization_id=world["school"], user_id=world["admin"],
                kind="cong_van", template_id=template_id,
            )  # fmt: skip
        drain_queue(app)
    with db.session() as session:
        previews = session.scalars(
            select(Job).where(Job.function == "worker.jobs.preview_template")
        ).all()
        assert len(previews) == 5 and all(job.status == "done" for job in previews)
        newest = max(previews, key=lambda job: job.created_at)
        # Already before any sweep: only the newest preview's files are kept.
        kept_previews = set(session.scalars(select(JobFile.file_id)))
        assert kept_previews == {newest.result["preview_file_id"], newest.result["pdf_file_id"]}

    with app.app_context(), db.session() as session:
        staff = session.get(User, world["staff"])
        submission = new_submission(
            staff, session.get(Round, world["round"]), SubmissionKind.COMMENDATION.value,
            nominee_name="Trần Văn Đức",
        )  # fmt: skip
        session.add(submission)
        session.flush()
        checked = [check_upload("minh chứng.pdf", _pdf(), EVIDENCE_TYPES)]
        attach_files(session, submission, checked, staff)
        session.flush()
        session.refresh(submission)
        remove_file(session, submission, submission.files[0].id, staff)

    leftovers = [_orphan(app, world, name=f"bản cũ {n}.docx") for n in range(3)]

    with db.session() as session:
        renders = session.scalars(
            select(DocumentRender).where(DocumentRender.document_id == document_id)
        ).all()
        template_file = session.get(DocumentTemplate, template_id).file_id
        current = session.get(Document, document_id).preview_file_id
    history = {f for r in renders for f in (r.docx_file_id, r.pdf_file_id, r.preview_file_id)}
    expected = history | kept_previews | {template_file, page_file_id(current, 2)}
    assert len(renders) == 3 and len(history) == 9
    before = _files(app)
    assert set(before) == expected | set(leftovers)

    report = _sweep(app)

    after = _files(app)
    assert set(after) == expected
    assert sum(after.values()) == sum(before[f] for f in expected)
    assert (report.files, report.file_bytes) == (3, sum(before[f] for f in leftovers))
    assert len(after) == 9 + 2 + 1 + 1


def test_a_derived_file_goes_with_its_source(app, world) -> None:
    source = _orphan(app, world, name="minh chứng.doc")
    with _db(app).session() as session:
        derived = save_file(
            session, organization_id=world["school"], content=b"%PDF-1.4 derived",
            original_name="minh chứng.pdf", mime_type="application/pdf", derived_from=source,
        ).id  # fmt: skip

    report = _sweep(app)

    assert source not in _files(app) and derived not in _files(app)
    assert report.files == 2


def test_a_derived_file_of_a_kept_source_is_kept(app, world) -> None:
    with _db(app).session() as session:
        template = save_file(
            session, organization_id=world["school"], content=b"template",
            original_name="mẫu.docx", mime_type="application/octet-stream",
        )  # fmt: skip
        session.add(
            DocumentTemplate(
                organization_id=world["school"], kind="cong_van", version=1, file_id=template.id
            )
        )
        derived = save_file(
            session, organization_id=world["school"], content=b"%PDF-1.4 derived",
            original_name="mẫu.pdf", mime_type="application/pdf", derived_from=template.id,
        ).id  # fmt: skip
        session.execute(update(StoredFile).values(created_at=datetime.now(UTC) - GRACE * 3))

    _sweep(app)

    assert derived in _files(app)


# -- in the worker ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_running_worker_sweeps_storage_on_its_timer(
    app, world, database_url, redis_url, tmp_path
):
    import subprocess
    import sys

    orphan = _orphan(app, world, age=timedelta(hours=3))
    env = worker_env(
        database_url, redis_url, SWEEP_SECONDS="1", STORAGE_SWEEP_SECONDS="3600",
        ORPHAN_FILE_GRACE_HOURS="1",
    )  # fmt: skip
    with open(tmp_path / "worker.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "worker"], cwd=ROOT, env=env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(lambda: orphan not in _files(app), 60, "the worker's storage sweep")
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "storage sweep" in (tmp_path / "worker.log").read_text()
    assert reading_version()  # the version the worker compared readings with


def test_a_job_run_again_keeps_only_the_files_of_its_last_run(app, world) -> None:
    made = []
    with _db(app).session() as session:
        session.add(Job(id="j1", kind="Giấy khen", function="worker.jobs.render_certificates"))
        session.flush()
        for run in range(2):  # a first try, then the retry after a transient failure
            stored = save_file(
                session, organization_id=world["school"], content=f"zip {run}".encode(),
                original_name="Giấy khen.zip", mime_type="application/zip",
            )  # fmt: skip
            assert keep_for_job(session, "j1", [stored.id])
            made.append(stored.id)
        assert not keep_for_job(session, "no-such-job", [stored.id])

    _sweep(app)

    assert made[0] not in _files(app) and made[1] in _files(app)


# -- job rows ---------------------------------------------------------------------------------

KEEP_JOBS = timedelta(days=180)


def _prune(
    app: Flask, *, dry_run: bool = False, window: int = 1000, kept: timedelta | None = KEEP_JOBS
) -> StorageReport:
    """A sweep now, keeping job rows for ``kept`` (files and readings are young: untouched)."""
    return sweep_storage(
        _db(app), grace=GRACE, reading_version=VERSION, readings_kept=timedelta(days=30),
        jobs_kept=kept, dry_run=dry_run, window=window,
    )  # fmt: skip


def _job(
    app: Flask,
    world: dict,
    *,
    age: timedelta = timedelta(days=200),
    status: str = "done",
    function: str = "worker.jobs.render_document",
    finished: bool = True,
) -> str:
    """A job row made and (``finished``) ended ``age`` ago, with a result worth pruning."""
    stamp = datetime.now(UTC) - age
    with _db(app).session() as session:
        job = Job(
            organization_id=world["school"], kind="Tạo văn bản", function=function,
            status=status, created_at=stamp, finished_at=stamp if finished else None,
            result={"ocr_pages": {"trang-1": "x" * 2000}},
        )  # fmt: skip
        session.add(job)
        session.flush()
        return job.id


def _jobs(app: Flask) -> set[str]:
    with _db(app).session() as session:
        return set(session.scalars(select(Job.id)))


def _name_by_document(app: Flask, world: dict, job_id: str) -> None:
    header, body = sample("ke_hoach")
    with app.app_context(), _db(app).session() as session:
        document = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=header, body_fields=body,
        )  # fmt: skip
        document.job_id = job_id


def _name_by_upload(app: Flask, world: dict, job_id: str) -> None:
    with _db(app).session() as session:
        stored = save_file(
            session, organization_id=world["school"], content=b"%PDF-1.4 cong van",
            original_name="CV.pdf", mime_type="application/pdf",
        )  # fmt: skip
        session.add(
            IncomingDocument(
                organization_id=world["school"],
                file_id=stored.id,
                created_by_id=world["clerk"],
                job_id=job_id,
            )  # fmt: skip
        )


def _name_by_reading(app: Flask, job_id: str) -> None:
    reading = _reading(app, sha="e" * 64, age=timedelta(days=1))
    with _db(app).session() as session:
        session.execute(update(ParsedFile).where(ParsedFile.id == reading).values(job_id=job_id))


def _give_files(app: Flask, world: dict, job_id: str) -> None:
    with _db(app).session() as session:
        stored = save_file(
            session, organization_id=world["school"], content=b"PNG preview",
            original_name="Xem trước.png", mime_type="image/png",
        )  # fmt: skip
        assert keep_for_job(session, job_id, [stored.id])


def test_old_finished_jobs_nothing_uses_are_deleted_and_every_other_job_is_kept(app, world) -> None:
    gone = {
        "done long ago": _job(app, world),
        "failed long ago": _job(app, world, status="failed"),
        "failed long ago, no finish time": _job(app, world, status="failed", finished=False),
        "evidence converted long ago": _job(app, world, function="worker.jobs.convert_evidence"),
    }
    kept = {
        "finished recently": _job(app, world, age=timedelta(days=170)),
        "queued long ago": _job(app, world, status="queued", finished=False),
        "running long ago": _job(app, world, status="running", finished=False),
        # Run again after an earlier run's end (a retry): the old finish time is no end.
        "queued again": _job(app, world, status="queued"),
        "running again": _job(app, world, status="running"),
        "named by a document": _job(app, world),
        "named by an upload": _job(app, world),
        "named by a reading": _job(app, world),
        "keeping files": _job(app, world, function="worker.jobs.preview_template"),
        "certificate batch": _job(app, world, function="worker.jobs.render_certificates"),
        "failed certificate batch": _job(
            app, world, status="failed", function="worker.jobs.render_certificates"
        ),
        "failed evidence conversion": _job(
            app, world, status="failed", function="worker.jobs.convert_evidence"
        ),
    }
    _name_by_document(app, world, kept["named by a document"])
    _name_by_upload(app, world, kept["named by an upload"])
    _name_by_reading(app, kept["named by a reading"])
    _give_files(app, world, kept["keeping files"])

    report = _prune(app)

    left = _jobs(app)
    assert {reason for reason, job_id in kept.items() if job_id not in left} == set()
    assert {reason for reason, job_id in gone.items() if job_id in left} == set()
    assert report.jobs == len(gone)
    assert report.files == 0 and report.readings == 0  # young files and readings stay


def test_a_job_named_while_the_sweep_deletes_survives(app, world) -> None:
    """An upload naming an old job holds the database while the sweep runs: the sweep's
    DELETE waits for it and then sees the name."""
    if _db(app).engine.dialect.name != "sqlite":
        pytest.skip("the write lock that orders the two is SQLite's")
    job_id = _job(app, world)
    with _db(app).session() as session:
        file_id = save_file(
            session, organization_id=world["school"], content=b"%PDF-1.4 cong van",
            original_name="CV.pdf", mime_type="application/pdf",
        ).id  # fmt: skip
    holding, release = threading.Event(), threading.Event()

    def name_it() -> None:
        with _db(app).session() as session:
            session.add(
                IncomingDocument(
                    organization_id=world["school"],
                    file_id=file_id,
                    created_by_id=world["clerk"],
                    job_id=job_id,
                )  # fmt: skip
            )
            session.flush()  # the write lock is taken
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=name_it)
    thread.start()
    holding.wait(10)
    threading.Timer(1.0, release.set).start()
    report = _prune(app)
    thread.join()

    assert job_id in _jobs(app)
    assert report.jobs == 0


def test_a_dry_run_counts_the_jobs_and_deletes_none(app, world) -> None:
    old = [_job(app, world) for _ in range(3)]
    _job(app, world, age=timedelta(days=1))
    before = _jobs(app)

    dry = _prune(app, dry_run=True, window=2)

    assert _jobs(app) == before
    assert dry.jobs == 3
    assert _prune(app).jobs == 3
    assert not set(old) & _jobs(app)


def test_no_retention_keeps_every_job_row(app, world) -> None:
    from worker.sweeper import storage_sweep

    old = _job(app, world, age=timedelta(days=5000))
    app.config["JOB_RETENTION_DAYS"] = 0

    assert _prune(app, kept=None).jobs == 0
    assert storage_sweep(app).jobs == 0
    assert old in _jobs(app)


def test_more_old_jobs_than_one_window_all_go_and_the_used_ones_between_stay(app, world) -> None:
    old = {_job(app, world) for _ in range(25)}
    used = [_job(app, world) for _ in range(6)]
    for job_id in used:
        _give_files(app, world, job_id)

    report = _prune(app, window=4)

    assert report.jobs == 25
    assert _jobs(app) == set(used)
    assert not old & _jobs(app)


def test_the_command_line_counts_the_jobs_it_prunes(app, world) -> None:
    old = _job(app, world, age=timedelta(days=181))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["clean-storage", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Sẽ xoá 1 tác vụ đã xong từ lâu" in result.output
    assert old in _jobs(app)

    result = runner.invoke(args=["clean-storage"])
    assert result.exit_code == 0, result.output
    assert "Đã xoá 1 tác vụ đã xong từ lâu" in result.output
    assert old not in _jobs(app)


def test_a_pruned_job_answers_not_found_in_vietnamese(app, world, client, auth) -> None:
    old = _job(app, world)
    with _db(app).session() as session:
        session.execute(update(Job).where(Job.id == old).values(created_by_id=world["clerk"]))
    auth.login("clerk")
    assert client.get(f"/api/jobs/{old}").json["status"] == "done"

    _prune(app)

    api = client.get(f"/api/jobs/{old}")
    assert api.status_code == 404
    assert api.json["error"]["message"] == "Trang hoặc hồ sơ bạn tìm không tồn tại."
    page = client.get(f"/tac-vu/{old}")
    assert page.status_code == 404
    assert "Không tìm thấy" in page.get_data(as_text=True)
