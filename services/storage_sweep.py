"""The storage sweep: files no row points at, and parse-cache readings nothing can use.

Superseded renders and template previews give their files up in the transaction that
replaces them (:mod:`services.renders`, :func:`services.doc_templates.store_preview`).
What that cannot reach is deleted here, by each worker on a timer
(``STORAGE_SWEEP_SECONDS``) and by ``flask clean-storage``:

* **Files no row points at** (renders stored before renders had rows, the files of a
  deleted upload or evidence, a checker upload whose job died): a :class:`StoredFile`
  older than ``ORPHAN_FILE_GRACE_HOURS`` that no reference column names. The references
  are every foreign key to ``files.id`` in the models (:func:`storage.files.file_references`),
  so a table added later is covered without changing this. A file derived from one deleted
  here (a page image, an evidence file's PDF) goes with it.
* **Parse-cache readings** (:class:`ParsedFile` and its page images) of another parser
  version, and those no upload's bytes match any more, stored more than
  ``PARSE_CACHE_KEEP_DAYS`` ago — never one whose page images an upload shows.
* **Job rows** (every render, parse, OCR page, format check… leaves one, with its JSON
  arguments and result) finished more than ``JOB_RETENTION_DAYS`` ago that nothing uses:
  no document, upload or reading names it (their ``job_id``), it keeps no files
  (``job_files``: a template's newest preview, a certificate batch), it is no certificate
  batch (the dossier's record: its page shows the newest, a reprint copies its arguments)
  and no failed conversion of an evidence file to PDF (the only record of why the file has
  no PDF). A page asking for a pruned job answers 404.

Safe while the service runs: each DELETE carries its own NOT EXISTS conditions, so a file
referenced in the same moment is not deleted (on PostgreSQL a reference committed while the
DELETE waited for it makes the foreign key refuse the DELETE: that window is skipped and
tried again next time), and the grace period keeps a file being attached right now. Each
transaction is bounded: the files table is walked in windows of ``window`` ids, the cache
in batches of ``window`` rows, the old finished jobs in windows of ``window`` rows along
the index (status, finished_at, id), each continuing where the previous stopped (a young
job is never read; a kept one once per sweep). A job row has no foreign key from the
columns naming it, so on PostgreSQL a name committed while the DELETE ran is not seen:
nothing names an old finished job afresh (a render or an upload makes a new job).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import Column
from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import delete
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from outbox.routing import JOB_MODULE
from services.dossier.certificates import CERTIFICATES_FUNCTION
from services.submissions import PREVIEW_JOB
from storage.db import Database
from storage.files import file_references
from storage.models import DerivedFile
from storage.models import Document
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import Job
from storage.models import JobFile
from storage.models import JobStatus
from storage.models import ParsedFile
from storage.models import ParsedPage
from storage.models import ParseStatus
from storage.models import StoredFile

log = logging.getLogger(__name__)

WINDOW = 1000


@dataclass
class StorageReport:
    """What one sweep deleted (or, dry, would delete): rows and bytes of content."""

    files: int = 0
    file_bytes: int = 0
    readings: int = 0
    reading_bytes: int = 0
    jobs: int = 0
    skipped_windows: int = 0  # refused by a reference committed meanwhile: next time

    def __bool__(self) -> bool:
        return bool(self.files or self.readings or self.jobs or self.skipped_windows)


def unreferenced(*, older_than: datetime | None) -> ColumnElement[bool]:
    """A file no reference column names (and, with ``older_than``, stored before it)."""
    conditions = list(_not_named(tuple(file_references())))
    if older_than is not None:
        conditions.insert(0, StoredFile.created_at < older_than)
    return and_(*conditions)


@functools.lru_cache(maxsize=4)
def _not_named(columns: tuple[Column[str], ...]) -> tuple[ColumnElement[bool], ...]:
    """One NOT EXISTS per reference column, built once (aliasing a table copies all its
    columns: rebuilt per window, that cost more than the queries)."""
    # Each referencing table aliased: its subquery correlates with ``files`` only, never
    # with a use of the same table around it.
    return tuple(
        ~exists().where(column.table.alias().c[column.name] == StoredFile.id) for column in columns
    )


def sweep_storage(
    database: Database,
    *,
    grace: timedelta,
    reading_version: str,
    readings_kept: timedelta,
    jobs_kept: timedelta | None = None,
    dry_run: bool = False,
    window: int = WINDOW,
    now: datetime | None = None,
) -> StorageReport:
    """One pass: delete (``dry_run``: count) unreferenced files stored more than ``grace``
    ago, readings of the parse cache that no upload can use and, unless ``jobs_kept`` is
    None, the job rows nothing uses that finished more than ``jobs_kept`` ago (see the
    module)."""
    now = now or datetime.now(UTC)
    report = StorageReport()
    _sweep_files(database, report, older_than=now - grace, dry_run=dry_run, window=window)
    _sweep_readings(
        database,
        report,
        version=reading_version,
        busy_since=now - grace,
        unused_since=now - readings_kept,
        dry_run=dry_run,
        window=window,
    )
    if jobs_kept is not None:
        _sweep_jobs(
            database, report, finished_before=now - jobs_kept, dry_run=dry_run, window=window
        )
    return report


def _sweep_files(
    database: Database, report: StorageReport, *, older_than: datetime, dry_run: bool, window: int
) -> None:
    after = ""
    while True:
        with database.session() as session:
            ids = select(StoredFile.id).where(StoredFile.id > after).order_by(StoredFile.id)
            last = session.scalar(select(func.max(ids.limit(window).subquery().c.id)))
        if last is None:
            return
        in_window = and_(StoredFile.id > after, StoredFile.id <= last)
        try:
            with database.session() as session:
                _files_in_window(session, report, in_window, older_than, dry_run=dry_run)
                if dry_run:
                    session.rollback()
        except IntegrityError:
            log.info("storage sweep: files after %s referenced meanwhile; next time", after)
            report.skipped_windows += 1
        after = last


def _files_in_window(
    session: Session,
    report: StorageReport,
    in_window: ColumnElement[bool],
    older_than: datetime,
    *,
    dry_run: bool,
) -> None:
    orphan = unreferenced(older_than=older_than)
    # The window's candidates read first, by the reference probes alone (they need only
    # the ids, from the primary key's index); the age only of those (SQLite keeps it after
    # the content in the row, so reading it for every file would read every file). The
    # DELETE repeats all the conditions, so a file referenced since this read is kept.
    unnamed = session.scalars(select(StoredFile.id).where(in_window, unreferenced(older_than=None)))
    candidates = set(
        session.scalars(
            select(StoredFile.id).where(
                StoredFile.id.in_(set(unnamed)), StoredFile.created_at < older_than
            )
        )
    )
    if not candidates:
        return
    # Files made from these (page images, evidence PDFs) have nothing else to live for.
    derived = set(
        session.scalars(select(DerivedFile.file_id).where(DerivedFile.source_id.in_(candidates)))
    )
    if dry_run:
        count, size = session.execute(
            select(func.count(), func.coalesce(func.sum(StoredFile.size), 0)).where(
                StoredFile.id.in_(candidates | derived)
            )
        ).one()
        report.files += count
        report.file_bytes += size
        return
    sizes = list(
        session.scalars(
            delete(StoredFile)
            .where(StoredFile.id.in_(candidates), orphan)
            .returning(StoredFile.size)
            .execution_options(synchronize_session=False)
        )
    )
    if derived:  # their links went with their sources (ON DELETE CASCADE)
        sizes += session.scalars(
            delete(StoredFile)
            .where(StoredFile.id.in_(derived), unreferenced(older_than=None))
            .returning(StoredFile.size)
            .execution_options(synchronize_session=False)
        )
    report.files += len(sizes)
    report.file_bytes += sum(sizes)


def stale_readings(
    *, version: str, busy_since: datetime, unused_since: datetime
) -> ColumnElement[bool]:
    """A reading the parse cache can drop: of another parser ``version``, or matching no
    upload's bytes and stored before ``unused_since``; one being read (PARSING) only when
    it started before ``busy_since`` (its job long gone)."""
    settled = or_(
        ParsedFile.status != ParseStatus.PARSING.value, ParsedFile.created_at < busy_since
    )
    upload, upload_file = aliased(IncomingDocument), aliased(StoredFile)
    used = (
        exists()
        .where(upload.file_id == upload_file.id)
        .where(upload_file.sha256 == ParsedFile.sha256)
    )
    # An upload that shows this reading's page images (a school's copy of a broadcast,
    # issue 15) keeps it, whatever its version: services.parsed_files.drop_unused takes
    # a superseded reading when the last upload showing it goes.
    page, shown = aliased(ParsedPage), aliased(IncomingPage)
    shown_by_an_upload = (
        exists().where(page.parsed_file_id == ParsedFile.id).where(shown.parsed_page_id == page.id)
    )
    stored_at = func.coalesce(ParsedFile.finished_at, ParsedFile.created_at)
    return and_(
        settled,
        ~shown_by_an_upload,
        or_(ParsedFile.parser_version != version, and_(stored_at < unused_since, ~used)),
    )


def _sweep_readings(
    database: Database,
    report: StorageReport,
    *,
    version: str,
    busy_since: datetime,
    unused_since: datetime,
    dry_run: bool,
    window: int,
) -> None:
    stale = stale_readings(version=version, busy_since=busy_since, unused_since=unused_since)
    page_bytes = func.coalesce(func.sum(func.length(ParsedPage.png)), 0)
    if dry_run:
        with database.session() as session:
            ids = set(session.scalars(select(ParsedFile.id).where(stale)))
            report.readings += len(ids)
            report.reading_bytes += (
                session.scalar(select(page_bytes).where(ParsedPage.parsed_file_id.in_(ids))) or 0
            )
        return
    while True:
        with database.session() as session:
            batch = select(ParsedFile.id).where(stale).order_by(ParsedFile.id).limit(window)
            candidates = set(session.scalars(batch))
            if not candidates:
                return
            sizes: dict[int, int] = {
                parsed_id: size
                for parsed_id, size in session.execute(
                    select(ParsedPage.parsed_file_id, page_bytes)
                    .where(ParsedPage.parsed_file_id.in_(candidates))
                    .group_by(ParsedPage.parsed_file_id)
                )
            }
            # The conditions again in the DELETE: a reading an upload started to use
            # since the SELECT is kept.
            gone = set(
                session.scalars(
                    delete(ParsedFile)
                    .where(ParsedFile.id.in_(candidates), stale)
                    .returning(ParsedFile.id)
                    .execution_options(synchronize_session=False)
                )
            )
            if gone:  # ON DELETE CASCADE did it already where foreign keys are enforced
                session.execute(
                    delete(ParsedPage)
                    .where(ParsedPage.parsed_file_id.in_(gone))
                    .execution_options(synchronize_session=False)
                )
            report.readings += len(gone)
            report.reading_bytes += sum(sizes.get(parsed_id, 0) for parsed_id in gone)
            if len(candidates) < window or not gone:
                return


# The models whose ``job_id`` names a job: a plain indexed column (a job row is made and
# deleted apart from them) but for job_files, whose foreign key would take its rows with
# the job (ON DELETE CASCADE): a job keeping files is kept instead.
JOB_REFERENCES: tuple[type[Document | IncomingDocument | ParsedFile | JobFile], ...] = (
    Document,
    IncomingDocument,
    ParsedFile,
    JobFile,
)
_FINISHED = (JobStatus.DONE.value, JobStatus.FAILED.value)
_CERTIFICATES = f"{JOB_MODULE}.{CERTIFICATES_FUNCTION}"
_EVIDENCE_PDF = f"{JOB_MODULE}.{PREVIEW_JOB}"


def unused_job() -> ColumnElement[bool]:
    """A job row nothing uses: named by no ``job_id`` column and keeping no files, no
    certificate batch and no failed conversion of an evidence file (see the module)."""
    return and_(
        Job.function != _CERTIFICATES,
        or_(Job.function != _EVIDENCE_PDF, Job.status != JobStatus.FAILED.value),
        *(
            # Aliased: each subquery correlates with ``jobs`` only.
            ~exists().where(aliased(model).job_id == Job.id)
            for model in JOB_REFERENCES
        ),
    )


def _sweep_jobs(
    database: Database,
    report: StorageReport,
    *,
    finished_before: datetime,
    dry_run: bool,
    window: int,
) -> None:
    unused = unused_job()
    for status in _FINISHED:
        # In the order of the index (status, finished_at, id): only the old rows are read.
        finished = and_(Job.status == status, Job.finished_at < finished_before, unused)
        _walk_jobs(database, report, finished, (Job.finished_at, Job.id), dry_run, window)
        # A row without a finish time (none is written so, but one may be): its creation.
        unfinished = and_(
            Job.status == status,
            Job.finished_at.is_(None),
            Job.created_at < finished_before,
            unused,
        )
        _walk_jobs(database, report, unfinished, (Job.id,), dry_run, window)


def _walk_jobs(
    database: Database,
    report: StorageReport,
    condition: ColumnElement[bool],
    keys: tuple[InstrumentedAttribute[Any], ...],
    dry_run: bool,
    window: int,
) -> None:
    """Delete (count) the jobs matching ``condition``, ``window`` per transaction, walked in
    the order of ``keys`` (the last is the id) from where the previous window stopped, so a
    kept row is read once per sweep however many windows there are."""
    last: tuple[Any, ...] | None = None
    while True:
        with database.session() as session:
            after = [] if last is None else [tuple_(*keys) > last]
            rows = session.execute(
                select(*keys).where(condition, *after).order_by(*keys).limit(window)
            ).all()
            if not rows:
                return
            candidates = [row[-1] for row in rows]
            if dry_run:
                report.jobs += len(candidates)
            else:
                # The conditions again: a job a document started to name since is kept.
                gone = session.scalars(
                    delete(Job)
                    .where(Job.id.in_(candidates), condition)
                    .returning(Job.id)
                    .execution_options(synchronize_session=False)
                )
                report.jobs += len(list(gone))
        if len(rows) < window:
            return
        last = tuple(rows[-1])
