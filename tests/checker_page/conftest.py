"""Fixtures of the format checker page: rendered documents, good and deliberately bad."""

from __future__ import annotations

import io
import zipfile

import pytest

from render.context import sample_context
from render.engine import render_docx
from render.manifest import template_path


def rendered(kind: str = "cong_van") -> bytes:
    """The kind's built-in template filled with its sample: a document with no deviation."""
    return render_docx(template_path(kind).read_bytes(), sample_context(kind))


def edit_document_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


@pytest.fixture
def clerk(client, auth, world):
    auth.login("clerk")
    return client
