"""Incoming plans (văn bản cấp trên): upload, parse results, review, deadlines, responding draft.

The parser itself runs in a job (:func:`worker.jobs.plans.parse_incoming`); this package
holds what the views and the job share, one module per concern:

- :mod:`.fields` — the reviewed fields, as read and as corrected, and where each was read;
- :mod:`.uploads` — accepting a file or pasted text, storing it, queuing its parse, listing;
- :mod:`.parse_results` — what the parse job records on an upload;
- :mod:`.review` — the clerk's corrections and confirmation;
- :mod:`.deadlines` — confirmed deadlines as :class:`Deadline` rows;
- :mod:`.drafting` — the school's own plan drafted from a confirmed one.

Nothing is re-exported here: callers import from the module of the concern they use.
"""
