"""The incoming register (sổ đăng ký văn bản đến, NĐ 30/2020 Điều 22–24 and Phụ lục IV).

Every document received — an uploaded file or pasted text (read by the plan parser, see
:mod:`services.plans`), or paper mail typed in by hand — is registered with a **số đến**:
its place in the organization's register for the calendar year of the day it arrived,
from 1 on 1 January, continuous and never reused. A line registered by mistake is removed,
and one found to duplicate another is merged into it; the audit log records who did it.

- :mod:`.entries` — a line's data, the ways of receiving, the refusals, the audit record;
- :mod:`.suggestions` — what a read upload suggests registering;
- :mod:`.duplicates` — recognising a document already registered, before a number is taken;
- :mod:`.registration` — taking the số đến and writing the line; correcting its columns;
- :mod:`.corrections` — removing a line, merging a duplicate, noting a further copy;
- :mod:`.handling` — handlers, deadline, status and "ký nhận";
- :mod:`.listing` — reading the register by year, filter, page or handler;
- :mod:`.columns` — a line's title and its "Ngày chuyển" and "Ký nhận" columns;
- :mod:`.deadlines` — the handling deadlines, for the calendar;
- :mod:`.book` — the printed register (.xlsx).

Nothing is re-exported here: callers import from the module of the concern they use.
"""
