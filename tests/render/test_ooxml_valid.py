"""Every .docx the service makes passes an OOXML validator.

The validator is openxml-audit (PyPI), a port of the Open XML SDK's validation (schema, i.e.
element order and allowed children and attributes, plus the SDK's semantic and package checks),
run for Office 2010, the oldest Word schools are expected to open the files with, and for
Office 2019. It checks: the committed templates, every kind's rendered sample, the documents of
a dossier as the worker renders them, and the Giấy khen batch (each certificate and the merged
.docx to print in one go).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openxml_audit import FileFormat
from openxml_audit import OpenXmlValidator
from sqlalchemy import select

from render.batch import batch_context
from render.batch import batch_template
from render.batch import split_docx
from render.build.kit import borderless_table
from render.build.kit import new_document
from render.context import sample_context
from render.engine import render_docx
from render.manifest import KINDS
from render.manifest import template_path
from storage.models import Document
from storage.models import StoredFile
from tests.dossier.conftest import DOSSIER_FORM
from tests.dossier.conftest import NOMINEES
from tests.dossier.conftest import add_submission
from tests.support import drain_queue

FORMATS = (FileFormat.OFFICE_2010, FileFormat.OFFICE_2019)


@pytest.fixture(scope="module")
def validators() -> list[OpenXmlValidator]:
    return [OpenXmlValidator(file_format=file_format) for file_format in FORMATS]


@pytest.fixture
def problems(validators, tmp_path: Path):
    """Return a function listing what the validator reports on a .docx's bytes."""

    def check(content: bytes) -> list[str]:
        path = tmp_path / "checked.docx"
        path.write_bytes(content)
        found = []
        for validator in validators:
            result = validator.validate(path)
            found += [
                f"{result.file_format.value}: {error.description} ({error.part_uri} {error.path})"
                for error in result.errors
            ]
            assert result.is_valid == (not result.errors)
        return found

    return check


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_validator_sees_table_borders_out_of_schema_order(problems):
    """The check has teeth: the builder's old output (w:tblBorders appended after w:tblLook)
    is reported; the builder's own output is not."""
    document = new_document()
    for cell in borderless_table(document, [80.0, 85.0]).rows[0].cells:
        cell.add_paragraph("Ô")  # the builders fill the cells; a w:tc needs a paragraph
    assert problems(_save(document)) == []
    tbl_pr = document.element.body.find(qn("w:tbl")).find(qn("w:tblPr"))
    tbl_pr.append(tbl_pr.find(qn("w:tblBorders")))  # moved to the end, after w:tblLook
    found = problems(_save(document))
    assert found and all("tblBorders" in line for line in found), found


def test_the_validator_sees_a_run_size_out_of_schema_order(problems):
    document = new_document()
    paragraph = document.add_paragraph()
    r_pr = paragraph.add_run("Chữ").font.element.get_or_add_rPr()
    r_pr.append(OxmlElement("w:lang"))
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    r_pr.append(size)  # w:sz after w:lang: out of CT_RPr order
    assert any("'sz'" in line for line in problems(_save(document)))


@pytest.mark.parametrize("kind", KINDS)
def test_committed_template_is_valid(kind, problems):
    content = template_path(kind).read_bytes()
    assert problems(content) == []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
    # python-docx's stale copy of the styles and its blank thumbnail are not shipped.
    assert "word/stylesWithEffects.xml" not in names
    assert "docProps/thumbnail.jpeg" not in names


@pytest.mark.parametrize("kind", KINDS)
def test_rendered_sample_is_valid(kind, problems):
    rendered = render_docx(template_path(kind).read_bytes(), sample_context(kind))
    assert problems(rendered) == []


def test_certificates_rendered_as_one_batch_and_split_are_valid(problems):
    template = template_path("giay_khen").read_bytes()
    contexts = []
    for name in ("Bà Trần Thị Bình", "Ông Lê Văn Cường", "Tổ Toán - Tin"):
        context = sample_context("giay_khen")
        context["nguoi_nhan"] = name
        contexts.append(context)
    merged, singles = split_docx(
        render_docx(batch_template(template, list(contexts[0])), batch_context(contexts))
    )
    with zipfile.ZipFile(io.BytesIO(merged)) as archive:
        assert archive.read("word/document.xml").count(b"<w:sectPr") == 3
    assert problems(merged) == []
    assert len(singles) == 3 and [problems(single) for single in singles] == [[], [], []]


def test_dossier_documents_and_certificates_rendered_by_the_worker_are_valid(
    app, client, auth, world, problems
):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        for row in NOMINEES:
            add_submission(session, world, *row)
    auth.login("clerk")
    response = client.post(f"/dot/{world['round']}/ho-so-khen-thuong", data=DOSSIER_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    dossier_id = response.headers["Location"].rsplit("/", 1)[-1]
    drain_queue(app)

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        documents = session.scalars(select(Document).where(Document.dossier_id == dossier_id))
        rendered = {
            d.dossier_part: session.get(StoredFile, d.docx_file_id).content
            for d in documents
            if d.docx_file_id
        }
    assert {"bien_ban", "quyet_dinh:HEAD"} <= set(rendered)
    for part, content in rendered.items():
        assert problems(content) == [], part

    archive = client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.data)) as opened:
        certificates = [opened.read(n) for n in opened.namelist() if n.endswith(".docx")]
    assert certificates
    for certificate in certificates:
        assert problems(certificate) == []
    merged = client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.docx")
    assert merged.status_code == 200
    assert problems(merged.data) == []
