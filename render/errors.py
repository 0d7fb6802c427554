"""Errors of the rendering engine, carrying a Vietnamese message for the user."""

from __future__ import annotations


class RenderError(Exception):
    """A document could not be rendered; ``message`` is Vietnamese and safe to show.

    ``detail`` keeps the technical cause (Jinja message, template line) for the logs; it
    is never meant for the user.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message
