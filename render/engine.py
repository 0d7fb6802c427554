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
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
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

from domain.text import clean_line
from render.errors import RenderError

# Characters XML 1.0 cannot carry (C0 controls except tab/newline, lone surrogates,
# U+FFFE/U+FFFF). Left in, they make Word refuse the file.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_PASSTHROUGH = (bool, int, float, datetime.date, RichText, Listing, InlineImage)
_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")
_MISSING_ATTR = re.compile(r"has no attribute '([^']+)'")
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core property values
_EXTENDED_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>vanthu</Application><DocSecurity>0</DocSecurity>"
    "<Company>{company}</Company></Properties>"
)


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


def render_docx(
    template_bytes: bytes,
    context: Mapping[str, Any],
    *,
    environment: SandboxedEnvironment | None = None,
) -> bytes:
    """Render a .docx template with ``context`` and return the document's bytes.

    Runs the template in this process: jobs render through
    :func:`worker.render_sandbox.render_docx_sandboxed`, which calls this in a child
    process with memory, CPU-time and output limits.

    Args:
        template_bytes: the .docx template (docxtpl syntax).
        context: template variables; strings are NFC-normalised and escaped.
        environment: the Jinja environment (default :func:`make_environment`); the
            sandbox passes one that counts the XML each part expands to.

    Returns:
        The rendered .docx as bytes.

    Raises:
        RenderError: with a Vietnamese message if the template is not a .docx, uses a
            forbidden construct, has a syntax error or needs a value missing from context.
    """
    template = open_template(template_bytes)
    try:
        template.render(
            clean_context(dict(context)),
            jinja_env=environment or make_environment(),
            autoescape=True,
        )
        set_document_properties(
            template.docx,
            title=document_title(context, fallback=template.docx.core_properties.title),
            organization=clean_line(context.get("issuer_name") or context.get("issuer")),
        )
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


def document_title(context: Mapping[str, Any], *, fallback: str = "") -> str:
    """The title of a rendered document: its trích yếu, else ``fallback`` (the template's
    title, which the built-in templates set to the kind's label), else the type name."""
    for key in ("vv_line", "summary"):
        text = clean_line(clean_text(str(context.get(key) or "")))
        if text:
            return text
    fallback = clean_line(fallback)
    if fallback:
        return fallback
    type_name = clean_line(str(context.get("type_name") or ""))
    return type_name[:1] + type_name[1:].lower()


def set_document_properties(
    document: Any,
    *,
    title: str,
    organization: str,
    now: datetime.datetime | None = None,
) -> None:
    """Give a python-docx document the properties of a document the organization made now.

    docProps/core.xml is written anew (whatever the template carried, e.g. python-docx's
    "generated by python-docx" of 2013 or the name of whoever made an uploaded template, is
    dropped): title, creator and lastModifiedBy = the organization, created = modified = now
    (UTC, W3CDTF), revision 1, language vi-VN. docProps/app.xml names this application and
    the organization, and the thumbnail (a picture of the template, or python-docx's blank
    one) is removed.
    """
    moment = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    moment = moment.replace(microsecond=0, tzinfo=None)  # python-docx writes it with a "Z"
    properties = document.core_properties
    root = properties._element
    for child in list(root):
        root.remove(child)
    organization = clean_line(organization)[:_CORE_TEXT_LIMIT]
    properties.title = clean_line(title)[:_CORE_TEXT_LIMIT]
    properties.author = organization
    properties.last_modified_by = organization
    properties.language = "vi-VN"
    properties.revision = 1
    properties.created = moment
    properties.modified = moment
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            company = escape(organization)
            rel.target_part._blob = _EXTENDED_PROPERTIES.format(company=company).encode()


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
