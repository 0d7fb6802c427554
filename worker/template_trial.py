"""The full check of a custom template: the static check and a trial render.

:func:`render.validate.check_template` reads the template without running it (safe in a web
request); the trial render runs it with the kind's sample data in the render sandbox's
limited child process (:mod:`worker.render_sandbox`) and waits for it, so this belongs to
the worker (and the tests), never to a web request: the upload queues the trial render as a
job instead. It lives here, not in ``render/``, because render sits below the worker.
"""

from __future__ import annotations

from render.context import sample_context
from render.errors import RenderError
from render.validate import ValidationResult
from render.validate import check_template
from worker.render_sandbox import render_docx_sandboxed


def validate_template(kind: str, data: bytes) -> ValidationResult:
    """Check a template for ``kind`` and render it with the sample data.

    Returns:
        A ValidationResult; its ``reasons`` explain every refusal in Vietnamese.
    """
    result = check_template(kind, data)
    if result.ok:
        result.reasons.extend(_trial_render(kind, data))
    return result


def _trial_render(kind: str, data: bytes) -> list[str]:
    try:
        render_docx_sandboxed(data, sample_context(kind), check_opens=True)
    except RenderError as exc:
        return [f"Thử tạo văn bản với dữ liệu mẫu không thành công: {exc.message}"]
    return []
