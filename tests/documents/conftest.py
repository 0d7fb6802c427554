"""Fixtures of the documents tests: drafts, the form's POST data, draining the real queue."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from flask import Flask

from forms.documents import post_data
from render.manifest import load_manifest
from services.documents import create_document


def form_data(kind: str, header: dict[str, Any], body: dict[str, Any]) -> dict[str, str]:
    """The POST data a clerk's browser sends for these values (tables as indexed inputs)."""
    return post_data(kind, header, body)


def sample(kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Copies of the manifest's sample header (without its number) and body.

    Deep copies: the manifest is cached, and a test changing a table row must not change
    the sample the next test reads.
    """
    data = copy.deepcopy(load_manifest(kind).sample)
    header = {k: v for k, v in data["header"].items() if k != "number"}
    return header, data["body"]


def docx_texts(content: bytes) -> list[str]:
    """Every paragraph's text of a .docx, body and table cells, in order (python-docx)."""
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


@pytest.fixture
def make_draft(app: Flask, world: dict) -> Callable[..., int]:
    """Create a draft of ``kind`` (the manifest's sample unless given) in the first school."""

    def make(kind: str = "ke_hoach", organization: str = "school", **overrides: Any) -> int:
        header, body = sample(kind)
        header.update(overrides)
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            document = create_document(
                session,
                organization_id=world[organization],
                created_by_id=world["clerk" if organization == "school" else "other_clerk"],
                kind=kind,
                header_fields=header,
                body_fields=body,
            )
            return document.id

    return make


@pytest.fixture
def clerk(client, auth, world):
    """The test client, signed in as the first school's clerk."""
    auth.login("clerk")
    return client
