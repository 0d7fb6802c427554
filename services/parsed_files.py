"""The parse cache shared across organizations: one reading per file's bytes (issue 15).

When a Sở sends one scanned plan to 500 schools, each school uploads the same bytes; they
are read once. What the parser derived from the bytes is kept in a :class:`ParsedFile`
row keyed by their SHA-256 and the parser's version, and every later upload of the same
bytes, in any organization, copies its result into its own upload record and shows its
page images (:class:`ParsedPage`, referred to by the upload's pages rather than copied:
a copy was 500 files of each page for one Sở's scan, and most of a school's copy time).
A reading's pages are kept while an upload refers to them (:func:`drop_unused`).

Concurrent uploads of the same bytes read them once: the parse job of each upload asks
:func:`claim` for the reading. The row's unique key decides which job inserts it and so
reads the file (``MINE``); the others ``WAIT`` and ask again (:func:`poll`) until the row
is done or failed. The reading job's liveness is judged from the jobs table: a reader whose
job is no longer running with a recent heartbeat (worker killed, job failed on a bug) is
replaced by the first waiter that notices, with one conditional UPDATE so that only one
does. A failed reading answers the jobs that waited for it; an upload that starts later
reads the file again (the failure may have been the machine's, not the file's).

Nothing of an organization's own is kept here: not the uploader, not the file name (the
parser echoes it; each upload puts back its own), not corrections or register lines.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from domain.text import nfc
from storage.db import Database
from storage.db import rowcount
from storage.models import IncomingDocument
from storage.models import IncomingPage
from storage.models import IncomingStatus
from storage.models import Job
from storage.models import JobStatus
from storage.models import ParsedFile
from storage.models import ParsedPage
from storage.models import ParseStatus
from storage.models import StoredFile


class Turn(enum.StrEnum):
    """What a parse job is to do with the reading of its bytes."""

    MINE = "mine"  # read the file and store the reading (:func:`finish` / :func:`fail`)
    WAIT = "wait"  # another job is reading it: ask again (:func:`poll`)
    DONE = "done"  # copy the stored reading (:func:`apply`)
    FAILED = "failed"  # the reading this job waited for failed: ``error``


@dataclass(frozen=True)
class Claim:
    """The answer of :func:`claim` and :func:`poll`.

    Attributes:
        parsed_id: the :class:`ParsedFile` row.
        turn: what to do.
        reader_job_id: the job reading the bytes (for WAIT: whose progress to show); for
            MINE taken over from a dead reader, that reader (its OCR'd pages can be reused).
        error: the Vietnamese reason of a FAILED reading.
    """

    parsed_id: int
    turn: Turn
    reader_job_id: str | None = None
    error: str = ""


def now() -> datetime:
    return datetime.now(UTC)


def claim(
    database: Database, sha256: str, version: str, job_id: str, *, abandon_after: timedelta
) -> Claim:
    """Decide who reads the bytes ``sha256`` with parser ``version``: this job or another.

    A failed reading is read again by a job that starts now (it did not wait for it).
    """
    with database.session() as session:
        row = _row(session, sha256, version)
        if row is None:
            added = ParsedFile(sha256=sha256, parser_version=version, job_id=job_id)
            session.add(added)
            try:
                session.flush()
            except IntegrityError:  # another job inserted it first: its reading
                session.rollback()
                row = _row(session, sha256, version)
                if row is None:  # inserted and already removed: a cache cleared by hand
                    raise LookupError(sha256) from None
            else:
                return Claim(added.id, Turn.MINE)
        parsed_id = row.id
        if row.status == ParseStatus.DONE and (row.result or {}).get("unread_pages"):
            # Pages ran out of OCR time in that reading (a busy moment, not the bytes):
            # an upload starting now reads the file again rather than copy the gaps.
            return _take_over(database, parsed_id, ParseStatus.DONE, row.job_id, job_id)
    claimed = poll(database, parsed_id, job_id, abandon_after=abandon_after)
    if claimed.turn is Turn.FAILED:
        return _take_over(database, parsed_id, ParseStatus.FAILED, claimed.reader_job_id, job_id)
    return claimed


def poll(database: Database, parsed_id: int, job_id: str, *, abandon_after: timedelta) -> Claim:
    """The state of the reading ``parsed_id`` for job ``job_id``, which waits for it.

    A reader that is gone is replaced by ``job_id`` (answer MINE).
    """
    with database.session() as session:
        row = session.get(ParsedFile, parsed_id)
        if row is None:  # removed meanwhile (a cache cleared by hand): read it ourselves
            raise LookupError(parsed_id)
        status, reader, error = row.status, row.job_id, row.error
        if status == ParseStatus.DONE:
            return Claim(parsed_id, Turn.DONE, reader)
        if status == ParseStatus.FAILED:
            return Claim(parsed_id, Turn.FAILED, reader, error)
        if reader == job_id:  # this very job, tried again after its worker died
            return Claim(parsed_id, Turn.MINE)
        if _alive(session, reader, abandon_after):
            return Claim(parsed_id, Turn.WAIT, reader)
    return _take_over(database, parsed_id, ParseStatus.PARSING, reader, job_id)


def _take_over(
    database: Database, parsed_id: int, status: str, reader: str | None, job_id: str
) -> Claim:
    """Make ``job_id`` the reader, if the row is still as seen (one UPDATE: one winner)."""
    with database.session() as session:
        taken = rowcount(
            session.execute(
                update(ParsedFile)
                .where(
                    ParsedFile.id == parsed_id,
                    ParsedFile.status == status,
                    ParsedFile.job_id.is_(None) if reader is None else ParsedFile.job_id == reader,
                )
                .values(status=ParseStatus.PARSING.value, job_id=job_id, error="", created_at=now())
                .execution_options(synchronize_session=False)
            )
        )
    if taken:
        return Claim(parsed_id, Turn.MINE, reader)
    # Someone else took it (or it finished) between our read and our UPDATE: look again.
    return Claim(parsed_id, Turn.WAIT, None)


def _alive(session: Session, job_id: str | None, abandon_after: timedelta) -> bool:
    """Whether job ``job_id`` is running now and its worker was heard of lately."""
    if job_id is None:
        return False
    job = session.get(Job, job_id)
    if job is not None and job.status == JobStatus.QUEUED:
        # Waiting to run: deferred while its page jobs OCR the scan, or requeued after its
        # worker died. It will go on reading; taking over would read the file twice.
        return True
    if job is None or job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    beat = job.heartbeat_at
    if beat.tzinfo is None:  # SQLite gives naive datetimes back
        beat = beat.replace(tzinfo=UTC)
    return now() - beat < abandon_after


def _row(session: Session, sha256: str, version: str) -> ParsedFile | None:
    return session.scalar(
        select(ParsedFile).where(ParsedFile.sha256 == sha256, ParsedFile.parser_version == version)
    )


def finish(
    database: Database,
    parsed_id: int,
    job_id: str,
    result: dict[str, Any],
    images: Sequence[tuple[int, bytes | None, int, int, float, float]],
) -> None:
    """Store the reading ``result`` and page images ``(page, png, width, height, points
    width, points height)`` of job ``job_id`` (``png`` None: drawn when first shown,
    services.plans.parse_results); a reading already stored is kept, and the readings of
    the same bytes by other parser versions are deleted."""
    shared = {key: value for key, value in result.items() if key != "filename"}
    with database.session() as session:
        # One conditional UPDATE first: of two readers that both finish (one taken for
        # dead while it was only slow), only one adds the pages.
        stored = rowcount(
            session.execute(
                update(ParsedFile)
                .where(ParsedFile.id == parsed_id, ParsedFile.status != ParseStatus.DONE.value)
                .values(
                    status=ParseStatus.DONE.value,
                    job_id=job_id,
                    result=shared,
                    error="",
                    finished_at=now(),
                )
                .execution_options(synchronize_session=False)
            )
        )
        if stored:
            # A reading taken over from an incomplete one keeps the page images it has:
            # uploads that copied the incomplete reading show them, and they are drawn from
            # the same bytes at the same width (reading_version), so the same images.
            have = set(
                session.scalars(
                    select(ParsedPage.page).where(ParsedPage.parsed_file_id == parsed_id)
                )
            )
            # Readings of the same bytes by an earlier parser can never be used again; their
            # page images stay while uploads show them.
            row = session.get_one(ParsedFile, parsed_id)
            session.execute(
                delete(ParsedFile).where(
                    ParsedFile.sha256 == row.sha256,
                    ParsedFile.parser_version != row.parser_version,
                    ParsedFile.status != ParseStatus.PARSING.value,
                    ~_shown(ParsedFile.id),
                )
            )
            session.add_all(
                ParsedPage(
                    parsed_file_id=parsed_id,
                    page=page,
                    png=png,
                    width=width,
                    height=height,
                    points_width=points_width,
                    points_height=points_height,
                )
                for page, png, width, height, points_width, points_height in images
                if page not in have
            )


def fail(database: Database, parsed_id: int, job_id: str, reason: str) -> None:
    """Record that job ``job_id`` could not read the bytes (the jobs waiting fail too)."""
    with database.session() as session:
        session.execute(
            update(ParsedFile)
            .where(
                ParsedFile.id == parsed_id,
                ParsedFile.status == ParseStatus.PARSING.value,
                ParsedFile.job_id == job_id,
            )
            .values(status=ParseStatus.FAILED.value, error=reason, finished_at=now())
            .execution_options(synchronize_session=False)
        )


def reading(
    session: Session, parsed_id: int
) -> tuple[dict[str, Any], list[tuple[int, int, int, int, float]]]:
    """The stored reading ``parsed_id``: its result and page images ``(page, parsed page
    id, width, height, points width)`` as
    :func:`services.plans.parse_results.store_parse_result` takes them (the images'
    bytes are not loaded: the upload refers to them)."""
    row = session.get(ParsedFile, parsed_id)
    if row is None or row.status != ParseStatus.DONE:
        raise LookupError(parsed_id)
    pages = session.execute(
        select(
            ParsedPage.page,
            ParsedPage.id,
            ParsedPage.width,
            ParsedPage.height,
            ParsedPage.points_width,
        )
        .where(ParsedPage.parsed_file_id == parsed_id)
        .order_by(ParsedPage.page)
    )
    return dict(row.result), [(p[0], p[1], p[2], p[3], p[4]) for p in pages]


def _shown(parsed_file_id: Any) -> Any:
    """Whether an upload shows a page image of reading ``parsed_file_id`` (a column or
    value), as an EXISTS over ``ix_incoming_pages_parsed_page_id``."""
    return (
        select(IncomingPage.id)
        .join(ParsedPage, ParsedPage.id == IncomingPage.parsed_page_id)
        .where(ParsedPage.parsed_file_id == parsed_file_id)
        .exists()
    )


def drop_unused(session: Session, parsed_page_ids: Collection[int]) -> None:
    """Delete the superseded readings whose pages ``parsed_page_ids`` no upload shows any
    longer (an upload read again, or deleted): those of bytes a newer reading has read
    again (:func:`finish` left them for the uploads showing them). The current reading of
    any bytes stays, as the cache does for bytes no upload shows."""
    if not parsed_page_ids:
        return
    session.flush()
    candidates = select(ParsedPage.parsed_file_id).where(ParsedPage.id.in_(parsed_page_ids))
    newer = aliased(ParsedFile)
    superseded = (
        select(newer.id)
        .where(
            newer.sha256 == ParsedFile.sha256,
            newer.id != ParsedFile.id,
            newer.status == ParseStatus.DONE.value,
            newer.finished_at > ParsedFile.finished_at,
        )
        .exists()
    )
    session.execute(
        delete(ParsedFile)
        .where(ParsedFile.id.in_(candidates), superseded, ~_shown(ParsedFile.id))
        .execution_options(synchronize_session=False)
    )


def for_upload(result: dict[str, Any], incoming: IncomingDocument) -> dict[str, Any]:
    """The shared ``result`` with the upload's own file name put back."""
    return {**result, "filename": nfc(incoming.file.original_name)}


def wake_waiting(database: Database, sha256: str) -> int:
    """Make the parse jobs parked until the reading of the bytes ``sha256`` ended due now
    (the sweeper puts them on the queue); returns how many.

    A job that finds the bytes being read is parked for long rather than polling every
    few seconds (worker.jobs.plans): 499 schools polling a 20-page scan's reading took
    the one worker's turns from the reader's own OCR page jobs (fair turns serve every
    other school first). The reading's end wakes them here.
    """
    with database.session() as session:
        waiting = session.scalars(
            select(IncomingDocument.job_id)
            .join(StoredFile, StoredFile.id == IncomingDocument.file_id)
            .where(
                StoredFile.sha256 == sha256,
                IncomingDocument.status == IncomingStatus.PARSING.value,
                IncomingDocument.job_id.is_not(None),
            )
        ).all()
        if not waiting:
            return 0
        moment = now()
        return rowcount(
            session.execute(
                update(Job)
                .where(
                    Job.id.in_(waiting),
                    Job.status == JobStatus.QUEUED.value,
                    Job.retry_at > moment,
                )
                .values(retry_at=moment)
                .execution_options(synchronize_session=False)
            )
        )


def wake_if_ended(
    database: Database, parsed_id: int, job_id: str, *, abandon_after: timedelta
) -> None:
    """Make job ``job_id``, just parked waiting for reading ``parsed_id``, due now if that
    reading ended meanwhile or its reader is gone (the end's :func:`wake_waiting` may
    have run while this job was still running, and so not seen it)."""
    with database.session() as session:
        row = session.get(ParsedFile, parsed_id)
        if row is not None and row.status == ParseStatus.PARSING.value:
            if _alive(session, row.job_id, abandon_after):
                return
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED.value)
            .values(retry_at=now())
            .execution_options(synchronize_session=False)
        )
