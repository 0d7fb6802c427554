"""The sandbox pieces the worker's jobs use (:mod:`ingest.sandbox`), and their error.

The pieces live in :mod:`ingest.sandbox`, below services, since the web process draws page
images on demand in a limited child too (:mod:`ingest.page_images`); the worker's jobs keep
importing them from here.
"""

from __future__ import annotations

from domain.errors import VanthuError
from ingest.sandbox import EXIT_MEMORY
from ingest.sandbox import ROOT
from ingest.sandbox import address_space_bytes
from ingest.sandbox import caused_by_memory
from ingest.sandbox import child_env
from ingest.sandbox import die_with_parent
from ingest.sandbox import json_lines
from ingest.sandbox import kill_group
from ingest.sandbox import protocol_pipe
from ingest.sandbox import run_child
from ingest.sandbox import set_limits
from ingest.sandbox import start_child

__all__ = [
    "run_child",
    "EXIT_MEMORY",
    "ROOT",
    "ChildFailed",
    "address_space_bytes",
    "caused_by_memory",
    "child_env",
    "die_with_parent",
    "json_lines",
    "kill_group",
    "protocol_pipe",
    "set_limits",
    "start_child",
]


class ChildFailed(VanthuError):
    """The child did not produce a result; ``message`` is Vietnamese."""

    code = "child_failed"
    status = 500
