"""The official templates: files, manifests, sample renders and NĐ 30 compliance."""

from __future__ import annotations

import importlib.util
import io
import zipfile

import pytest
from docx import Document
from docx.shared import Mm

from render.build_templates import build_template
from render.context import sample_context
from render.engine import make_environment
from render.engine import render_docx
from render.manifest import FIELD_TYPES
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import template_path
from render.validate import allowed_variables
from render.validate import template_source

CHECKER_AVAILABLE = importlib.util.find_spec("domain.check") is not None


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {
        kind: render_docx(template_path(kind).read_bytes(), sample_context(kind)) for kind in KINDS
    }


def test_kinds_have_a_template_and_a_manifest_each():
    for kind in KINDS:
        assert template_path(kind).is_file(), kind
        manifest = load_manifest(kind)
        assert manifest.kind == kind
        assert manifest.label and manifest.fields
        for field in (*manifest.header_fields, *manifest.fields):
            assert field.type in FIELD_TYPES
            assert field.label
            assert (field.type == "list") == bool(field.columns)


@pytest.mark.parametrize("kind", KINDS)
def test_template_uses_only_variables_the_context_provides(kind):
    tree = make_environment().parse(template_source(template_path(kind).read_bytes()))
    from jinja2 import meta

    assert meta.find_undeclared_variables(tree) <= set(sample_context(kind))
    assert set(sample_context(kind)) <= allowed_variables(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_committed_template_matches_the_builder(kind):
    built, manifest_text = build_template(kind)
    with (
        zipfile.ZipFile(io.BytesIO(built)) as fresh,
        zipfile.ZipFile(template_path(kind)) as committed,
    ):
        assert fresh.read("word/document.xml") == committed.read("word/document.xml")
    assert manifest_text == template_path(kind).with_suffix(".json").read_text("utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_sample_render_has_no_leftover_tags_and_a4_page(kind, rendered):
    document = Document(io.BytesIO(rendered[kind]))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    joined = "\n".join(texts)
    assert "{{" not in joined and "{%" not in joined
    section = document.sections[0]
    sizes = sorted((round(section.page_width / Mm(1)), round(section.page_height / Mm(1))))
    assert sizes == [210, 297]


@pytest.mark.parametrize("kind", KINDS)
def test_sample_render_uses_times_new_roman_everywhere(kind, rendered):
    with zipfile.ZipFile(io.BytesIO(rendered[kind])) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert "asciiTheme" not in xml and "asciiTheme" not in styles
    for text in (xml, styles):
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert f'w:{slot}="Times New Roman"' in text


def test_cong_van_renders_special_characters_in_every_text_field():
    manifest = load_manifest("cong_van")
    sample = manifest.sample
    nasty = 'A & B <c> "d" 😀\nE'
    header = {**sample["header"], "summary": "V/v " + nasty.replace("\n", " ")}
    from render.context import build_context

    context = build_context(
        "cong_van", header, {"noi_dung": nasty + "\n" + "x" * 10_000}, sample["org"]
    )
    out = render_docx(template_path("cong_van").read_bytes(), context)
    texts = [p.text for p in Document(io.BytesIO(out)).paragraphs]
    assert 'A & B <c> "d" 😀' in texts and "E" in texts and "x" * 10_000 in texts


def test_ke_hoach_sections_become_numbered_headings_and_paragraphs(rendered):
    texts = [p.text for p in Document(io.BytesIO(rendered["ke_hoach"])).paragraphs]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts
    assert texts.index("1. Mục đích") < texts.index("2. Yêu cầu")


def test_bien_ban_lists_each_candidate_with_votes_percentage_and_result(rendered):
    document = Document(io.BytesIO(rendered["bien_ban"]))
    votes = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert votes[0][-1] == "Kết quả"
    assert votes[1][-3:] == ["10/11", "90,91%", "Đạt"]
    assert votes[2][-3:] == ["9/11", "81,82%", "Đạt"]
    assert not any("ngày" in c.text for c in document.tables[0].rows[1].cells)


def test_danh_sach_puts_year_of_birth_under_the_gender_column(rendered):
    table = Document(io.BytesIO(rendered["danh_sach"])).tables[1]
    cells = [c.text for c in table.rows[2].cells]
    assert cells[1:4] == ["Trần Thị Bình", "", "1985"]


@pytest.mark.skipif(
    not CHECKER_AVAILABLE, reason="domain.check (compliance checker) is not importable yet"
)
@pytest.mark.parametrize("kind", KINDS)
def test_sample_render_has_zero_checker_findings(kind, rendered):
    from domain.check import check_docx

    findings = check_docx(rendered[kind])
    assert [str(f) for f in findings] == []
