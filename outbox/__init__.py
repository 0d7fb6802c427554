"""The job outbox, shared by web and worker: a job is a row in ``jobs`` first, then an RQ
message carrying its id (:mod:`outbox.queues`) on the queue of its class of work, interactive
or bulk (:mod:`outbox.routing`), on the app's Redis (:mod:`outbox.connection`, a server or
the embedded one of :mod:`outbox.embedded`).

Both sides import this package; it imports only ``storage`` and libraries, never ``views``,
``services`` or ``worker`` (job code stays in the worker, named here by dotted path only).
"""
