"""Render a .docx template with docxtpl in a sandboxed, autoescaping, strict Jinja.

User text goes into WordprocessingML, so ``&``, ``<`` and ``>`` must be escaped (docxtpl
without autoescape emits broken XML and lxml's recovering parser then silently drops the
text). The sandbox refuses ``__class__``-style access from templates uploaded by admins,
and StrictUndefined turns a missing field into an error instead of an empty line.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from docxtpl import InlineImage
from docxtpl import Listing
from docxtpl import RichText
from jinja2 import StrictUndefined
from jinja2 import TemplateError
from jinja2 import TemplateSyntaxError
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml.etree import XMLSyntaxError

from render.errors import RenderError

# Characters XML 1.0 cannot carry (C0 controls except tab/newline, lone surrogates,
# U+FFFE/U+FFFF). Left in, they make Word refuse the file.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_PASSTHROUGH = (bool, int, float, datetime.date, RichText, Listing, InlineImage)
_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")
_MISSING_ATTR = re.compile(r"has no attribute '([^']+)'")


def clean_text(value: str) -> str:
    """NFC-normalise, unify line breaks to ``\\n`` and drop characters XML cannot hold."""
    text = unicodedata.normalize("NFC", str(value))
    text = _LINE_BREAKS.sub("\n", text)
    return _XML_INVALID.sub("", text)


def clean_context(value: Any) -> Any:
    """Return a copy of ``value`` with every string cleaned (recursively through containers).

    Markup-like strings become plain strings, so nothing from the caller bypasses
    autoescaping; unknown objects are turned into their text.
    """
    if value is None or isinstance(value, _PASSTHROUGH):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {
            clean_text(k) if isinstance(k, str) else k: clean_context(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_context(item) for item in value]
    return clean_text(str(value))


def split_paragraphs(value: Any) -> list[str]:
    """Jinja filter ``paragraphs``: one item per non-empty line of a multi-line field."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        lines = [str(item) for item in value]
    else:
        lines = clean_text(str(value)).split("\n")
    return [line.strip() for line in lines if line.strip()]


def make_environment() -> SandboxedEnvironment:
    """Build the Jinja environment used for every render and every template check."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters["paragraphs"] = split_paragraphs
    return env


def open_template(template_bytes: bytes) -> DocxTemplate:
    """Load template bytes as a DocxTemplate.

    Raises:
        RenderError: if the bytes are not a readable .docx package.
    """
    template = DocxTemplate(io.BytesIO(template_bytes))
    try:
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise RenderError(
            "Tệp mẫu không phải là tệp Word (.docx) hợp lệ.", detail=repr(exc)
        ) from exc
    return template


def render_docx(template_bytes: bytes, context: Mapping[str, Any]) -> bytes:
    """Render a .docx template with ``context`` and return the document's bytes.

    Args:
        template_bytes: the .docx template (docxtpl syntax).
        context: template variables; strings are NFC-normalised and escaped.

    Returns:
        The rendered .docx as bytes.

    Raises:
        RenderError: with a Vietnamese message if the template is not a .docx, uses a
            forbidden construct, has a syntax error or needs a value missing from context.
    """
    template = open_template(template_bytes)
    try:
        template.render(clean_context(dict(context)), jinja_env=make_environment(), autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except TemplateError as exc:
        raise translate_error(exc) from exc
    except (XMLSyntaxError, ValueError) as exc:
        raise RenderError(
            "Mẫu văn bản sinh ra nội dung Word không hợp lệ; hãy kiểm tra các thẻ {% %} trong mẫu.",
            detail=repr(exc),
        ) from exc
    return out.getvalue()


def translate_error(exc: TemplateError) -> RenderError:
    """Turn a Jinja error into a RenderError with a Vietnamese explanation."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, SecurityError):
        return RenderError(
            "Mẫu văn bản truy cập thuộc tính hoặc hàm không được phép (bị chặn vì lý do an toàn).",
            detail=detail,
        )
    if isinstance(exc, UndefinedError):
        text = str(exc)
        name = _UNDEFINED_NAME.search(text) or _MISSING_ATTR.search(text)
        if name and name.group(1).startswith("_"):
            return RenderError(
                f"Mẫu văn bản truy cập thuộc tính không được phép “{name.group(1)}”.", detail=detail
            )
        field = f"“{name.group(1)}”" if name else "(không rõ tên)"
        return RenderError(
            f"Thiếu dữ liệu cho trường {field}: mẫu văn bản cần trường này "
            "nhưng biểu mẫu không cung cấp.",
            detail=detail,
        )
    if isinstance(exc, TemplateSyntaxError):
        return RenderError(
            "Mẫu văn bản có lỗi cú pháp thẻ Jinja (kiểm tra các cặp {{ }} và "
            "{% %}, mỗi thẻ phải nằm trọn trong một đoạn chữ).",
            detail=detail,
        )
    return RenderError("Không tạo được văn bản từ mẫu: lỗi trong thẻ của mẫu.", detail=detail)
