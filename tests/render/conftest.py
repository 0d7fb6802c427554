"""Fixtures of the render tests: tiny templates built with the real template builder."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from docx import Document

from render.build.blocks import list_table
from render.build.kit import body_par
from render.build.kit import new_document
from render.build.kit import tag_par


def template_bytes(*texts: str, table_of: str = "") -> bytes:
    """Build a .docx template: one body paragraph per text, optionally a row-loop table."""
    document = new_document()
    for text in texts:
        if text.startswith("{%p"):
            tag_par(document, text)
        else:
            body_par(document, text)
    if table_of:
        list_table(document, table_of, [("STT", "row.stt", 20, "c"), ("Tên", "row.name", 100, "l")])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def body_texts(data: bytes) -> list[str]:
    """Return the text of every body paragraph of a rendered .docx, read by python-docx."""
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """Return a copy of a .docx package with one member replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def make_template() -> Callable[..., bytes]:
    """Return the template factory."""
    return template_bytes
