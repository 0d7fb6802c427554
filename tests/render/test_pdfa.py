"""PDFs are PDF/A-2b, exported so by the warm LibreOffice (writer_pdf_Export, SelectPdfVersion 2).

Checked two ways:

* page-validation (PyPI), an independent PDF/A validator whose authors run it on the veraPDF
  and Isartor test corpora, with the PDF/A-2b profile: every rule must pass;
* by reading the file: XMP identification (pdfaid:part 2, conformance B), an output intent
  with an ICC profile, no encryption (pypdf), every font embedded with a Unicode map
  (pdffonts from poppler-utils).

A plain PDF from the same converter is refused by the validator, so the check has teeth.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from collections.abc import Iterator

import page
import pytest
from lxml import etree
from pypdf import PdfReader

from render import pdf_formats
from render.context import sample_context
from render.engine import render_docx
from render.manifest import KINDS
from render.manifest import template_path
from render.pdf import PdfConverter
from storage.models import Document
from storage.models import Organization
from storage.models import StoredFile
from tests.documents.conftest import form_data
from tests.documents.conftest import sample
from tests.support import drain_queue

PDFA_2B = page.ValidationProfile.PDF_A_2B
XMP = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    with PdfConverter() as instance:
        yield instance


@pytest.fixture(scope="module")
def samples(converter: PdfConverter) -> dict[str, tuple[dict, bytes]]:
    """Every kind's sample: its context and its PDF."""
    result = {}
    for kind in KINDS:
        context = sample_context(kind)
        docx = render_docx(template_path(kind).read_bytes(), context)
        result[kind] = (context, converter.convert_docx_to_pdf(docx))
    return result


def pdfa_failures(pdf: bytes) -> list[str]:
    report = page.validate_pdf_bytes(pdf, profile=PDFA_2B)
    assert report.is_compliant == (not report.failures)
    return [
        f"{f.rule_id}: {f.message}"
        for f in report.failures
        if not (f.rule_id == "PDFA2B-STREAM-LENGTH-001" and stream_length_exact(pdf, f.object_id))
    ]


def stream_length_exact(pdf: bytes, object_id) -> bool:
    """Whether the stream of ``object_id`` holds exactly /Length bytes, then an end-of-line
    and ``endstream`` (ISO 19005-2, 6.1.7.1).

    The validator measures the data by cutting the end-of-line before ``endstream``; when
    compressed data happens to end in a CR byte (one stream in 256), "CR" + "LF" looks like
    a CRLF to it and the stream one byte short, although /Length is exact. That case is
    checked here byte for byte instead.
    """
    marker = b"\n%d %d obj" % (object_id.object_number, object_id.generation)
    start = pdf.find(marker)
    if start < 0:
        return False
    head = re.compile(rb"\s*<<.*?/Length (\d+)( 0 R)?.*?>>\s*stream(\r\n|\n)", re.S)
    match = head.match(pdf, start + len(marker))
    if not match:
        return False
    length = int(match.group(1))
    if match.group(2):  # an indirect /Length: its own object holds the number
        found = re.search(rb"\n%s 0 obj\s*(\d+)\s*endobj" % match.group(1), pdf)
        if not found:
            return False
        length = int(found.group(1))
    after = pdf[match.end() + length : match.end() + length + 11]
    return after.startswith((b"\r\nendstream", b"\nendstream", b"\rendstream"))


def xmp(pdf: bytes) -> etree._Element:
    metadata = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data()
    return etree.fromstring(metadata)


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub, uni of every font of the file."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        output = subprocess.run(
            ["pdffonts", handle.name], check=True, capture_output=True, text=True, timeout=60
        ).stdout
    rows = []
    for line in output.splitlines()[2:]:
        # name, type (may hold spaces), encoding, emb, sub, uni, object number, generation
        match = re.match(
            r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line
        )
        assert match, line
        name, kind, _encoding, emb, sub, uni = match.groups()
        rows.append({"name": name, "type": kind, "emb": emb, "sub": sub, "uni": uni})
    return rows


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_exports_as_pdfa_2b(kind, samples):
    context, pdf = samples[kind]
    assert pdfa_failures(pdf) == []

    metadata = xmp(pdf)
    assert metadata.findtext(".//pdfaid:part", namespaces=XMP) == "2"
    assert metadata.findtext(".//pdfaid:conformance", namespaces=XMP) == "B"
    # The .docx's core properties (render.engine) reach the PDF's metadata.
    assert metadata.findtext(".//dc:creator//rdf:li", namespaces=XMP) == context["issuer_name"]

    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.is_encrypted
    [intent] = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent

    found = fonts(pdf)
    assert found and all(f["emb"] == "yes" and f["uni"] == "yes" for f in found), found
    # Times New Roman or its metric twin (Debian fonts-liberation2), never a fallback face.
    assert all("LiberationSerif" in f["name"] or "TimesNewRoman" in f["name"] for f in found)


def test_a_plain_pdf_is_refused_by_the_validator(samples, converter, monkeypatch):
    monkeypatch.setitem(pdf_formats.EXPORT_OPTIONS, "pdf", {})
    plain = converter.convert_docx_to_pdf(
        render_docx(template_path("cong_van").read_bytes(), sample_context("cong_van"))
    )
    failures = pdfa_failures(plain)
    assert failures and any("XMP" in line or "OutputIntent" in line for line in failures), failures
    assert pdfa_failures(samples["cong_van"][1]) == []


def test_the_options_ask_for_pdfa_2b_only_for_pdf():
    assert pdf_formats.export_options_for("PDF")["SelectPdfVersion"] == 2
    assert pdf_formats.export_options_for(".docx") == {}


def test_the_pdf_the_worker_stores_is_pdfa_2b(app, client, auth, world):
    auth.login("clerk")
    header, body = sample("quyet_dinh")
    response = client.post("/van-ban/moi/quyet_dinh", data=form_data("quyet_dinh", header, body))
    assert response.status_code == 302
    document_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    drain_queue(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        assert document.render_status == "done", document.render_error
        pdf = session.get(StoredFile, document.pdf_file_id).content
        organization = session.get(Organization, document.organization_id).name
    assert pdfa_failures(pdf) == []
    assert xmp(pdf).findtext(".//dc:creator//rdf:li", namespaces=XMP) == organization
