"""Plan parser: read plans from superior bodies (PDF, scanned PDF, DOCX, DOC, TXT).

Public API::

    from ingest import parse_bytes, parse_path, IngestLimits, IngestError

    result = parse_bytes(data, "ke-hoach.pdf", on_progress=lambda done, total: ...)

The result follows ``docs/ingest-output.md`` plus extra keys: ``sources``
(field → ``{"page", "line"}``), a ``source`` on each list item, ``confidence`` (field →
``{"score", "level", "via", "why"}``), ``pages``, ``ocr``, ``ocr_pages`` (page and the
resolution it was read at), ``unread_pages`` (scanned pages whose OCR ran out of time: the
reading is incomplete and is not reused for other uploads), ``signatures`` (who signed an
e-signed PDF and when), ``encoding``, ``kind`` and ``text`` (the lines in reading order for
the review page).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from ingest.errors import IngestError
    from ingest.limits import IngestLimits
    from ingest.pipeline import parse_bytes
    from ingest.pipeline import parse_path
    from ingest.pipeline import parser_version
    from ingest.pipeline import unread_warning

__all__ = [
    "IngestError",
    "IngestLimits",
    "parse_bytes",
    "parse_path",
    "parser_version",
    "unread_warning",
]

# Where each public name lives. Loaded on first use (PEP 562): importing the package, or a
# light module of it (ingest.page_images, ingest.sandbox), does not load the parser, which
# took about half of a page image's first drawing in a fresh child.
_EXPORTS = {
    "IngestError": "ingest.errors",
    "IngestLimits": "ingest.limits",
    "parse_bytes": "ingest.pipeline",
    "parse_path": "ingest.pipeline",
    "parser_version": "ingest.pipeline",
    "unread_warning": "ingest.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups (and a test's monkeypatch) see a plain attribute
    return value
