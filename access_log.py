"""Secrets kept out of logs: calendar feed tokens (``/lich/<token>.ics``) are masked in
gunicorn's access log (``MaskingLogger``, set in ``gunicorn.conf.py``) and in the app's own
log records (``MaskingFilter``, installed by ``web.create_app``)."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

from gunicorn.glogging import Logger

# A feed URL's token is its only secret: whoever has it reads the person's deadlines.
_FEED_TOKEN = re.compile(r"(/lich/)[^/?#\s\"]+(\.ics)")
MASK = r"\1…\2"


def mask(text: str) -> str:
    """``text`` with every feed token replaced by an ellipsis."""
    return _FEED_TOKEN.sub(MASK, text)


class MaskingLogger(Logger):
    """gunicorn's logger with the request line, path, referer and query masked."""

    def atoms(
        self, resp: Any, req: Any, environ: MutableMapping[str, Any], request_time: Any
    ) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask(v) if isinstance(v, str) else v for k, v in atoms.items()}


class MaskingFilter(logging.Filter):
    """Masks feed tokens in a record's message (Flask logs the path of a failed request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_filter(*loggers: logging.Logger) -> None:
    """Put a :class:`MaskingFilter` on each logger, once (apps are built many times)."""
    for logger in loggers:
        if not any(isinstance(f, MaskingFilter) for f in logger.filters):
            logger.addFilter(MaskingFilter())
