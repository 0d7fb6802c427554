"""The one base of the errors the app explains to its users: :class:`VanthuError`.

Every error raised to refuse a request or to report a failed job derives from it, in every
layer (domain rules, the checker, render, ingest, services, forms, the worker), so that:

* ``.message`` is always a Vietnamese sentence (NFC) that is safe to show: never a Python
  repr, a path or a stack trace (technical causes go in ``.detail``, for the logs);
* ``.code`` is a stable English identifier that programs may rely on (the JSON API's
  ``{"error": {"code", "message"}}``);
* ``.status`` is the HTTP status the web answers with when the error reaches the app's one
  handler (``web.py``) instead of a view that handles it itself; nothing below the web layer
  reads it.

It lives in ``domain/`` (standard library only) because every layer may import domain and
domain's own errors derive from it.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar


class VanthuError(Exception):
    """A request refused, or a job failed, for a reason the user can read.

    Subclasses set ``code`` and ``status`` (and may set ``default_message``, used when the
    error is raised without a message).
    """

    code: ClassVar[str] = "refused"
    status: ClassVar[int] = 400
    default_message: ClassVar[str] = "Yêu cầu không thực hiện được."

    def __init__(self, message: str | None = None, *, detail: str = "") -> None:
        self.message = unicodedata.normalize("NFC", message or self.default_message)
        self.detail = detail
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
