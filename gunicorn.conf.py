"""gunicorn settings, read by ``scripts/run.sh`` and the README's production command
(``gunicorn -c gunicorn.conf.py "web:create_app()"``; flags on the command line win).

Threaded workers (gthread): a client that sends its request slowly ties up one thread, not
a whole worker, so a few slow or stalled clients (phones on a poor network, or someone
doing it on purpose at 1 byte/s) do not stop everyone else's pages. Many such clients
need a buffering reverse proxy in front (nginx), with TRUSTED_PROXIES set.
"""

import gc
import os
import signal

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 8
timeout = 60
graceful_timeout = 30
keepalive = 5
# Calendar feed tokens never reach the access log.
logger_class = "access_log.MaskingLogger"


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded the app: put everything made so far (modules, the app, its
    templates) out of the garbage collector's reach. A full collection then walks only what
    requests made since: about 1 ms instead of 75 ms, a pause one page in a hundred or so
    paid, which set the p95 of list pages (issue 15).

    And leave Ctrl-C to the master. A terminal's Ctrl-C reaches every process of the group,
    so a worker got SIGINT from the terminal and SIGQUIT from the master at once; gthread
    handles both by shutting its thread pool down from the signal handler, and the second,
    arriving inside the first, waits forever on the pool's lock (CPython issue 121649):
    the worker hung until the master killed it 30 s later. The master still stops it."""
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
