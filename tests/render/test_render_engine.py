"""render.engine: escaping, real paragraphs and rows, strict and sandboxed Jinja."""

from __future__ import annotations

import io
import unicodedata

import pytest
from docx import Document

from render.engine import clean_context
from render.engine import render_docx
from render.errors import RenderError
from tests.render.conftest import body_texts
from tests.render.conftest import template_bytes

SPECIAL_VALUES = [
    "Tom & Jerry",
    "a < b > c",
    "<w:p>not xml</w:p>",
    "Dấu \"kép\" và 'đơn'",
    "Thi đua 🎉 “Dạy tốt”",
    "{{ not_a_tag }} {% if %}",
    "Trường THCS Nguyễn Văn Trỗi " * 400,  # 11 200 characters
]


@pytest.mark.parametrize("value", SPECIAL_VALUES)
def test_render_docx_keeps_special_characters(value):
    out = render_docx(template_bytes("Nội dung: {{ value }}"), {"value": value})
    assert body_texts(out) == [f"Nội dung: {value}"]


def test_render_docx_keeps_a_ten_thousand_character_field():
    value = ("Đổi mới phương pháp dạy học & kiểm tra <đánh giá>. " * 250)[:10_000]
    out = render_docx(template_bytes("{{ value }}"), {"value": value})
    assert body_texts(out) == [value]


@pytest.mark.parametrize("separator", ["\n", "\r\n", "\r", "\u2028"])
def test_render_docx_turns_line_breaks_of_a_plain_field_into_breaks(separator):
    out = render_docx(template_bytes("{{ value }}"), {"value": f"dòng 1{separator}dòng 2"})
    paragraph = Document(io.BytesIO(out)).paragraphs[0]
    assert paragraph.text == "dòng 1\ndòng 2"
    assert len(paragraph._p.xpath(".//w:br")) == 1


def test_render_docx_splits_multi_line_field_into_body_paragraphs():
    template = template_bytes("{%p for para in value|paragraphs %}", "{{ para }}", "{%p endfor %}")
    out = render_docx(template, {"value": "Đoạn một & hai\r\n\n  Đoạn <ba>\nĐoạn 😀 bốn"})
    paragraphs = Document(io.BytesIO(out)).paragraphs
    assert [p.text for p in paragraphs] == ["Đoạn một & hai", "Đoạn <ba>", "Đoạn 😀 bốn"]
    assert {p.style.name for p in paragraphs} == {"Body Text"}


def test_render_docx_renders_list_as_table_rows():
    rows = [{"stt": "1", "name": "Trần Thị Bình"}, {"stt": "2", "name": "Lê & <Cường>"}]
    out = render_docx(template_bytes(table_of="people"), {"people": rows})
    table = Document(io.BytesIO(out)).tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["STT", "Tên"],
        ["1", "Trần Thị Bình"],
        ["2", "Lê & <Cường>"],
    ]


def test_render_docx_normalises_text_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
    out = render_docx(template_bytes("{{ value }}"), {"value": decomposed})
    assert body_texts(out) == [unicodedata.normalize("NFC", decomposed)]


def test_render_docx_drops_characters_xml_cannot_hold():
    out = render_docx(template_bytes("{{ value }}"), {"value": "a\x00b\x07c\x0bd\ufffe"})
    assert body_texts(out) == ["abcd"]


def test_render_docx_missing_variable_raises_vietnamese_error():
    with pytest.raises(RenderError) as caught:
        render_docx(template_bytes("{{ summary }} {{ signer_name }}"), {"summary": "x"})
    assert "Thiếu dữ liệu cho trường “signer_name”" in caught.value.message
    assert "undefined" not in caught.value.message


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "cycler.__init__.__globals__",
        "value.__class__.__base__.__subclasses__()",
        "value['__class__']",
    ],
)
def test_render_docx_sandbox_refuses_private_attributes(expression):
    with pytest.raises(RenderError) as caught:
        render_docx(template_bytes(f"{{{{ {expression} }}}}"), {"value": "x"})
    assert "không được phép" in caught.value.message


def test_render_docx_reports_template_syntax_error_in_vietnamese():
    with pytest.raises(RenderError) as caught:
        render_docx(template_bytes("{% if summary %}không đóng"), {"summary": "x"})
    assert caught.value.message.startswith("Mẫu văn bản có lỗi cú pháp")


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7 not a docx", b"PK\x03\x04broken"])
def test_render_docx_refuses_bytes_that_are_not_a_docx(data):
    with pytest.raises(RenderError, match="không phải là tệp Word"):
        render_docx(data, {})


def test_clean_context_cleans_nested_values_and_keeps_numbers():
    cleaned = clean_context({"rows": [{"name": "A\r\nB", "n": 3}], "flag": True, "items": ("x",)})
    assert cleaned == {"rows": [{"name": "A\nB", "n": 3}], "flag": True, "items": ["x"]}
