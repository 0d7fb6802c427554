"""Cost of the safe engine: render_docx vs plain docxtpl on the same template and context.

Run: ``python bench/render_raw.py [repeats]``. Prints, per kind, milliseconds per render
for plain docxtpl (default Jinja, autoescape) and for render.engine.render_docx (sandbox,
StrictUndefined, NFC cleaning) and their ratio, measured in the same run.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable

from docxtpl import DocxTemplate
from jinja2 import Environment

from render.context import sample_context
from render.engine import clean_context
from render.engine import render_docx
from render.engine import split_paragraphs
from render.manifest import KINDS
from render.manifest import template_path


def _raw(template: bytes, context: dict) -> bytes:
    document = DocxTemplate(io.BytesIO(template))
    # Plain, non-sandboxed Jinja with the same filter (the templates use |paragraphs).
    env = Environment(autoescape=True)
    env.filters["paragraphs"] = split_paragraphs
    document.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _time(func: Callable[..., object], *args: object, repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        func(*args)
    return (time.perf_counter() - start) / repeats * 1000


def main(repeats: int = 20) -> None:
    """Print the timing table."""
    print(f"{'kind':18} {'docxtpl ms':>11} {'engine ms':>10} {'ratio':>6}")
    for kind in KINDS:
        template = template_path(kind).read_bytes()
        context = sample_context(kind)
        raw = _time(_raw, template, clean_context(context), repeats=repeats)
        safe = _time(render_docx, template, context, repeats=repeats)
        print(f"{kind:18} {raw:11.1f} {safe:10.1f} {safe / raw:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
