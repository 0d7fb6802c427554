"""Signing an issued document (services.signing, issue 17): a real Kế hoạch rendered by the
template and the warm LibreOffice, signed by the principal's PKCS#12 and then by the
school's, checked by pyHanko's validator and by poppler's pdfsig, and measured on the page:
the signature image between the chức vụ line and the name, the seal at real size over its
left third. Certificates are made at test time (conftest); nothing is committed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from render.context import sample_context
from render.engine import render_docx
from render.manifest import TEMPLATES_DIR
from render.pdf import PdfConverter
from services.signatures import VALID
from services.signatures import verify_pdf
from services.signing import ORGANIZATION_FIELD
from services.signing import PERSON_FIELD
from services.signing import POINTS_PER_MM
from services.signing import IssuedSigning
from services.signing import SigningError
from services.signing import check_image
from services.signing import load_credential
from services.signing import sign_issued
from tests.signatures.conftest import PASSPHRASE
from tests.signatures.conftest import SCHOOL
from tests.signatures.conftest import SEAL_MM
from tests.signatures.conftest import Issued
from tests.signatures.conftest import Pki
from tests.signatures.conftest import issue
from tests.signatures.conftest import p12
from tests.signatures.conftest import png
from tests.signatures.conftest import seal_png
from tests.signatures.conftest import signature_png


@pytest.fixture(scope="module")
def issued_plan() -> tuple[bytes, str, str]:
    """A Kế hoạch as the product issues it: its PDF, last chức vụ line, signer's name."""
    context = sample_context("ke_hoach")
    template = (TEMPLATES_DIR / "ke_hoach.docx").read_bytes()
    with PdfConverter() as converter:
        pdf = converter.convert_docx_to_pdf(render_docx(template, context))
    return pdf, context["sign_authority"][-1], context["signer_name"]


@pytest.fixture(scope="module")
def school_cert(pki: Pki) -> Issued:
    return issue(SCHOOL, SCHOOL, issuer=pki.intermediate)


def what(title: str, name: str, **changes: object) -> IssuedSigning:
    values: dict[str, object] = dict(
        title_line=title,
        signer_name=name,
        signature_image=signature_png(),
        organization_name=SCHOOL,
        seal_image=seal_png(),
        seal_diameter_mm=SEAL_MM,
        place="Mỹ Thạnh",
    )
    values.update(changes)
    return IssuedSigning(**values)


@pytest.fixture(scope="module")
def signed(issued_plan, pki: Pki, school_cert: Issued) -> bytes:
    pdf, title, name = issued_plan
    person = load_credential(p12(pki.signer, [pki.intermediate]), PASSPHRASE)
    school = load_credential(p12(school_cert, [pki.intermediate]), PASSPHRASE)
    moment = datetime(2026, 12, 7, 9, 30, 5, tzinfo=UTC)
    return sign_issued(pdf, person, school, what(title, name), now=moment)


def test_two_step_signing_gives_two_valid_untouched_signatures_person_first(signed, pki):
    reports = verify_pdf(signed, [pki.root.der])
    assert [r.field_name for r in reports] == [PERSON_FIELD, ORGANIZATION_FIELD]
    assert all(r.state == VALID and r.intact and r.trusted for r in reports), reports
    assert reports[0].signer == "Nguyễn Văn Bình" and reports[1].signer == SCHOOL
    # The organization's signature covers the whole file, the person's signature with it.
    assert reports[1].coverage == "ENTIRE_FILE", reports[1].coverage


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) missing")
def test_pdfsig_reports_both_signatures_valid(signed, tmp_path: Path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    output = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Total document signed" in output.split("Signature #2")[1], output


def _widget_rects(pdf: bytes) -> dict[str, tuple[float, float, float, float]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    rects = {}
    for field in reader.root["/AcroForm"]["/Fields"]:
        field = field.get_object()
        rects[str(field["/T"])] = tuple(float(v) for v in field["/Rect"])
    return rects


def _text_box(pdf: bytes, needle: str) -> tuple[float, float, float, float]:
    document = pdfium.PdfDocument(pdf)
    text = document[len(document) - 1].get_textpage()
    searcher = text.search(needle, match_case=True)
    hits = []
    while (hit := searcher.get_next()) is not None:
        boxes = [text.get_charbox(i) for i in range(hit[0], hit[0] + hit[1])]
        hits.append((min(b[0] for b in boxes), min(b[1] for b in boxes),
                     max(b[2] for b in boxes), max(b[3] for b in boxes)))  # fmt: skip
    return hits[-1]


def test_signature_image_sits_between_title_and_name_and_the_seal_covers_its_left_third(
    signed, issued_plan
):
    _, title, name = issued_plan
    rects = _widget_rects(signed)
    sx0, sy0, sx1, sy1 = rects[PERSON_FIELD]
    title_box, name_box = _text_box(signed, title), _text_box(signed, name)
    assert name_box[3] <= sy0 < sy1 <= title_box[1]  # between the lines (PDF y grows upward)
    assert sy1 - sy0 > 40  # a signature, not a sliver
    assert abs((sx0 + sx1) / 2 - (name_box[0] + name_box[2]) / 2) < 2  # centred on the name
    kx0, ky0, kx1, ky1 = rects[ORGANIZATION_FIELD]
    assert abs((kx1 - kx0) - SEAL_MM * POINTS_PER_MM) <= 1.5  # real size
    assert abs((ky1 - ky0) - SEAL_MM * POINTS_PER_MM) <= 1.5
    assert abs(kx1 - (sx0 + (sx1 - sx0) / 3)) <= 1.5  # over the left third of the signature
    assert kx0 < sx0


def test_the_organization_signature_names_the_school_and_the_time_in_iso_8601_vietnam(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed))
    school = next(s for s in reader.embedded_signatures if s.field_name == ORGANIZATION_FIELD)
    assert str(school.sig_object["/Name"]) == SCHOOL
    reason = str(school.sig_object["/Reason"])
    assert re.search(r"2026-12-07T16:30:05\+07:00", reason), reason
    assert SCHOOL in reason


def test_the_page_shows_the_signature_and_the_seal(signed, issued_plan):
    """Drawn, not only declared: the seal's red and the signature's blue are on the page."""
    pdf, _, _ = issued_plan
    document = pdfium.PdfDocument(signed)
    document.init_forms()  # signature widgets are form fields: drawn with the page
    page = document[len(document) - 1]
    image = page.render(scale=1, may_draw_forms=True).to_pil().convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert any(r > 180 and g < 80 and b < 80 for _, (r, g, b) in colours)  # the red seal
    assert any(b > 120 and r < 60 and g < 100 for _, (r, g, b) in colours)  # the blue ink
    blank = pdfium.PdfDocument(pdf)
    before = blank[len(blank) - 1].render(scale=1).to_pil().convert("RGB").getcolors(1 << 20)
    assert not any(r > 180 and g < 80 and b < 80 for _, (r, g, b) in before or [])


# -- bad input: a Vietnamese message, nothing signed ------------------------------------


def test_a_wrong_passphrase_is_refused(pki):
    with pytest.raises(SigningError, match="Mật khẩu"):
        load_credential(p12(pki.signer, [pki.intermediate]), "mật khẩu sai")


def test_a_file_that_is_not_pkcs12_is_refused(pki):
    with pytest.raises(SigningError, match="PKCS#12"):
        load_credential(pki.signer.pem, PASSPHRASE)


def test_an_expired_certificate_is_refused(pki):
    with pytest.raises(SigningError, match="hết hạn ngày 01/01/2021"):
        load_credential(p12(pki.expired_signer, [pki.intermediate]), PASSPHRASE)


def test_a_certificate_not_yet_valid_is_refused(pki):
    early = datetime(2000, 1, 1, tzinfo=UTC)
    with pytest.raises(SigningError, match="chưa có hiệu lực"):
        load_credential(p12(pki.signer, [pki.intermediate]), PASSPHRASE, now=early)


def test_a_certificate_without_the_signing_key_usage_is_refused(pki):
    # A CA certificate's usage here is certificate signing; make one with only that.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    key = pki.intermediate.key
    builder = (
        x509.CertificateBuilder()
        .subject_name(pki.signer.certificate.subject)
        .issuer_name(pki.intermediate.certificate.subject)
        .public_key(pki.signer.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(pki.signer.certificate.not_valid_before_utc)
        .not_valid_after(pki.signer.certificate.not_valid_after_utc)
        .add_extension(
            x509.KeyUsage(False, False, True, False, False, False, False, False, False),
            critical=True,
        )
    )
    encipher_only = Issued(builder.sign(key, hashes.SHA256()), pki.signer.key)
    with pytest.raises(SigningError, match="không được cấp để ký số"):
        load_credential(p12(encipher_only, [pki.intermediate]), PASSPHRASE)


def test_images_must_be_transparent_pngs():
    with pytest.raises(SigningError, match="PNG"):
        check_image(b"\xff\xd8\xff\xe0" + b"0" * 100, "chữ ký")  # a JPEG
    opaque = png(lambda canvas, size: canvas.line([(0, 0), size], fill="blue"), transparent=False)
    with pytest.raises(SigningError, match="nền trong suốt"):
        check_image(opaque, "con dấu")
    with pytest.raises(SigningError, match="Không đọc được"):
        check_image(b"\x89PNG\r\n\x1a\n" + b"rubbish" * 10, "chữ ký")
    assert check_image(seal_png(), "con dấu").mode == "RGBA"


def test_a_document_without_the_signer_block_cannot_be_signed(issued_plan, pki, school_cert):
    pdf, title, _ = issued_plan
    person = load_credential(p12(pki.signer, [pki.intermediate]), PASSPHRASE)
    school = load_credential(p12(school_cert, [pki.intermediate]), PASSPHRASE)
    with pytest.raises(SigningError, match="Không tìm thấy chỗ ký"):
        sign_issued(pdf, person, school, what(title, "Người Không Có Tên"))


def test_a_pkcs12_asking_for_absurd_key_derivation_work_is_refused_before_deriving(pki):
    from cryptography.hazmat.primitives.serialization import PrivateFormat
    from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

    costly = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(3_000_000)  # over the bound; a crafted file asks for billions
        .key_cert_algorithm(PBES.PBESv2SHA256AndAES256CBC)
        .build(PASSPHRASE.encode("utf-8"))
    )
    data = pkcs12.serialize_key_and_certificates(
        b"x", pki.signer.key, pki.signer.certificate, None, costly
    )
    with pytest.raises(SigningError, match="bất thường"):
        load_credential(data, PASSPHRASE)
    with pytest.raises(SigningError, match="quá lớn"):
        load_credential(b"0" * (64 * 1024 + 1), PASSPHRASE)
