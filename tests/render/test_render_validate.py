"""render.validate: custom templates are checked before they are accepted."""

from __future__ import annotations

import io
import zipfile

import pytest

from render.manifest import KINDS
from render.manifest import template_path
from tests.render.conftest import replace_member
from tests.render.conftest import template_bytes
from worker.template_trial import validate_template


@pytest.mark.parametrize("kind", KINDS)
def test_validate_template_accepts_the_official_templates(kind):
    result = validate_template(kind, template_path(kind).read_bytes())
    assert result.ok, result.reasons
    assert {"issuer", "signer_name"} & result.variables or kind.startswith("bao_cao")


def test_validate_template_accepts_a_custom_template_with_known_variables():
    data = template_bytes(
        "{{ issuer }} — {{ number_line }}",
        "{{ summary }}",
        "{%p for para in noi_dung|paragraphs %}",
        "{{ para }}",
        "{%p endfor %}",
    )
    assert validate_template("cong_van", data).ok


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "cycler.__init__.__globals__",
        "summary['__class__']",
        "summary.__len__()",
    ],
)
def test_validate_template_refuses_access_to_python_internals(expression):
    result = validate_template("cong_van", template_bytes(f"{{{{ {expression} }}}}"))
    assert not result.ok
    assert any("không được phép" in reason for reason in result.reasons)


def test_validate_template_refuses_unknown_variables():
    result = validate_template("cong_van", template_bytes("{{ summary }} {{ luong_thang }}"))
    assert result.reasons == ["Mẫu dùng biến không có trong biểu mẫu “Công văn”: luong_thang."]


def test_validate_template_refuses_a_jinja_syntax_error():
    result = validate_template("cong_van", template_bytes("{% for x in %}{{ summary }}"))
    assert len(result.reasons) == 1
    assert result.reasons[0].startswith("Mẫu có thẻ Jinja sai cú pháp")


def test_validate_template_refuses_a_template_whose_trial_render_fails():
    # Known variable, wrong use: iterating a string's characters is fine, but a missing
    # attribute on a row must fail the trial render.
    data = template_bytes("{%p for row in de_nghi %}", "{{ row.khong_co }}", "{%p endfor %}")
    result = validate_template("to_trinh", data)
    assert not result.ok
    assert result.reasons[0].startswith("Thử tạo văn bản với dữ liệu mẫu không thành công")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7\n1 0 obj\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an old .doc renamed
    ],
)
def test_validate_template_refuses_files_that_are_not_docx(data):
    result = validate_template("ke_hoach", data)
    assert result.reasons == [
        "Tệp không phải là tệp Word .docx (có thể là tệp .doc cũ hoặc tệp đã đổi tên)."
    ]


def test_validate_template_refuses_a_zip_without_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    result = validate_template("ke_hoach", out.getvalue())
    assert "thiếu nội dung văn bản" in result.reasons[0]


def test_validate_template_refuses_a_zip_bomb():
    bomb = b" " * (20 * 1024 * 1024)  # 20 MB of spaces compress to ~20 kB
    data = replace_member(template_bytes("{{ summary }}"), "word/media/bomb.xml", bomb)
    assert len(data) < 200_000
    result = validate_template("cong_van", data)
    assert result.reasons == ["Tệp .docx giải nén ra quá lớn; nghi ngờ tệp nén độc hại (zip bomb)."]


def test_validate_template_refuses_a_doctype_declaration():
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"/>'
    )
    data = replace_member(template_bytes("{{ summary }}"), "word/_rels/extra.rels", xml)
    assert "DOCTYPE" in validate_template("cong_van", data).reasons[0]


def test_validate_template_refuses_macros():
    data = replace_member(template_bytes("{{ summary }}"), "word/vbaProject.bin", b"\x00" * 64)
    assert "macro" in validate_template("cong_van", data).reasons[0]


def test_validate_template_refuses_an_unknown_kind():
    assert validate_template("hop_dong", template_bytes("x")).reasons == [
        "Không có loại mẫu văn bản “hop_dong”."
    ]
