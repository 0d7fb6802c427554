"""Background work: the Redis connection, the queue, job records and the RQ worker.

The web side imports only :mod:`worker.queues` (to enqueue by dotted path) and
:mod:`worker.connection`; job code in :mod:`worker.jobs` and the heavy libraries it uses
are imported by the worker alone.
"""
