"""Document rendering: docxtpl templates of the official document kinds.

Public API: :func:`render.engine.render_docx`, :func:`render.context.build_context`,
:mod:`render.manifest` and :func:`render.validate.check_template` (the static check of a
custom template; its trial render is :mod:`worker.template_trial`).
"""

from render.engine import render_docx
from render.errors import RenderError

__all__ = ["RenderError", "render_docx"]
