"""Errors of the rendering engine, carrying a Vietnamese message for the user."""

from __future__ import annotations

from domain.errors import VanthuError


class RenderError(VanthuError):
    """A document could not be rendered; ``message`` is Vietnamese and safe to show.

    ``detail`` keeps the technical cause (Jinja message, template line) for the logs; it
    is never meant for the user.
    """

    code = "render_failed"
    status = 422
