"""Background work: the runner (claim, heartbeat, retries), the sweeper and the RQ worker.

Jobs are created through :mod:`outbox` (shared with the web); job code in
:mod:`worker.jobs` and the heavy libraries it uses are imported by the worker alone.
"""
