"""Template files for the custom-template tests, built from the real built-in ones."""

from __future__ import annotations

import io
import zipfile

import docx
from PIL import Image

from render.manifest import template_path

KIND = "cong_van"
MARK = "LOGO TRƯỜNG TÔI"


def builtin(kind: str = KIND) -> bytes:
    return template_path(kind).read_bytes()


def with_first_paragraph(text: str, kind: str = KIND) -> bytes:
    """The built-in template with one paragraph (one run) of ``text`` put before its body."""
    return with_paragraphs([text], kind)


def with_paragraphs(texts: list[str], kind: str = KIND) -> bytes:
    """The built-in template with paragraphs (one run each) of ``texts`` before its body,
    e.g. ``{%p for … %}`` / content / ``{%p endfor %}`` to repeat a paragraph."""
    document = docx.Document(io.BytesIO(builtin(kind)))
    body = document.element.body
    for index, text in enumerate(texts):
        paragraph = document.add_paragraph(text)
        body.remove(paragraph._p)
        body.insert(index, paragraph._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_member(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = change(content)
            target.writestr(info, content)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A package with the .docx members, whose document part inflates 1000-fold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", source_member("[Content_Types].xml"))
        archive.writestr("_rels/.rels", source_member("_rels/.rels"))
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (40 * 1024 * 1024))
    return out.getvalue()


def source_member(name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(builtin())).read(name)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return out.getvalue()


def docm() -> bytes:
    return rewrite_member(
        builtin(),
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
        ),
    )


def upload(client, data: bytes, *, name: str = "mẫu công văn.docx", note: str = "", activate=False):
    form = {"file": (io.BytesIO(data), name), "note": note}
    if activate:
        form["activate"] = "y"
    return client.post(
        f"/quan-tri/mau-van-ban/{KIND}", data=form, content_type="multipart/form-data"
    )
