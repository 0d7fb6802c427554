"""Regenerate the official templates: ``python -m render.build_templates [KIND ...]``.

Writes ``templates_docx/<kind>.docx`` (python-docx, NĐ 30 layout) and
``templates_docx/<kind>.json`` (the field manifest with sample data) for every kind.
"""

from __future__ import annotations

import io
import json
import sys

from render.build.kinds import KIND_DEFINITIONS
from render.build.kit import add_page_numbers
from render.build.kit import new_document
from render.build.kit import setup_page
from render.manifest import KINDS
from render.manifest import TEMPLATES_DIR
from render.manifest import manifest_from_dict
from render.manifest import manifest_to_dict


def build_template(kind: str) -> tuple[bytes, str]:
    """Return the .docx bytes and the manifest JSON text of one kind."""
    manifest_data, builder = KIND_DEFINITIONS[kind]
    manifest = manifest_from_dict(manifest_data)  # validates the definition
    document = new_document()
    landscape = manifest.landscape
    margins = None
    if kind == "giay_khen":
        from domain import layout

        margins = layout.CERTIFICATE_MARGINS_MM
    setup_page(document, landscape=landscape, margins=margins)
    if kind != "giay_khen":
        add_page_numbers(document)
    builder(document)
    document.core_properties.title = manifest.label
    document.core_properties.author = "vanthu"
    out = io.BytesIO()
    document.save(out)
    text = json.dumps(manifest_to_dict(manifest), ensure_ascii=False, indent=2) + "\n"
    return out.getvalue(), text


def main(argv: list[str]) -> int:
    """Build the kinds named in ``argv`` (all kinds when empty)."""
    kinds = argv or list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        print(f"Không có loại mẫu: {', '.join(unknown)}", file=sys.stderr)
        return 2
    TEMPLATES_DIR.mkdir(exist_ok=True)
    for kind in kinds:
        docx_bytes, manifest_text = build_template(kind)
        (TEMPLATES_DIR / f"{kind}.docx").write_bytes(docx_bytes)
        (TEMPLATES_DIR / f"{kind}.json").write_text(manifest_text, encoding="utf-8")
        print(f"{kind}: {len(docx_bytes)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
