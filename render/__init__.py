"""Document rendering: docxtpl templates of the official document kinds.

Public API: :func:`render.engine.render_docx`, :func:`render.context.build_context`,
:mod:`render.manifest` and :func:`render.validate.validate_template`.
"""

from render.engine import render_docx
from render.errors import RenderError

__all__ = ["RenderError", "render_docx"]
