"""Job functions, run by :func:`worker.runner.run_job` with a progress reporter and JSON args.

Each takes ``progress`` first and keyword arguments that are ids or short JSON values,
never objects; it raises :class:`worker.errors.JobError` for failures the user must read.

A job row names a function as ``worker.jobs.<name>``; the name is looked up in the
``__all__`` of the modules below (one per concern), so nothing outside them can be run.
"""

from __future__ import annotations

import importlib
from typing import Any

_MODULES = (
    "rounds",
    "documents",
    "dossier",
    "plans",
    "ocr_split",
    "templates_preview",
    "checker",
    "evidence",
    "signatures",
)


def __getattr__(name: str) -> Any:
    for module_name in _MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(name)
