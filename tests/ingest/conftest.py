"""Fixtures for the plan parser tests: the shared corpus and small document builders."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import docx
import pytest

from tests.shared_data import SHARED
from tests.shared_data import missing
from tests.shared_data import running_in_ci
from tests.shared_data import shared_path

CORPUS = SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Return the folder of labelled real plans (tests.shared_data: fails under CI when
    absent, skips elsewhere)."""
    return shared_path("corpus", "dev")


def corpus_ids() -> list[str]:
    """Return the ids of the corpus documents, for parametrize: when the corpus is absent,
    under CI collection fails (tests.shared_data); elsewhere the list is empty (skipped)."""
    if not CORPUS.is_dir():
        if running_in_ci():
            missing(CORPUS)
        return []
    return sorted(p.stem for p in CORPUS.glob("*.json"))


def load_labels(doc_id: str) -> dict:
    """Return the JSON (layout + labels) of one corpus document."""
    return json.loads((CORPUS / f"{doc_id}.json").read_text(encoding="utf-8"))


def build_docx(
    header_left: list[str],
    header_right: list[str],
    body: list[str],
    closing_left: list[str],
    closing_right: list[str],
) -> bytes:
    """Build a DOCX laid out like NĐ 30: header table, body paragraphs, closing table."""
    document = docx.Document()
    for left_lines, right_lines, before in (
        (header_left, header_right, True),
        (closing_left, closing_right, False),
    ):
        if not before:
            for text in body:
                document.add_paragraph(text)
        table = document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        for cell, lines in ((left, left_lines), (right, right_lines)):
            cell.paragraphs[0].text = lines[0] if lines else ""
            for text in lines[1:]:
                cell.add_paragraph(text)
    # Word always ends a document with a paragraph; without it LibreOffice's .doc export
    # flattens a final table.
    document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese the way Windows-1258 does: base letter + combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in parts if c not in TONE_MARKS)
        tone = "".join(c for c in parts if c in TONE_MARKS)
        out.append(unicodedata.normalize("NFC", base) + tone)
    return "".join(out).encode("cp1258")
