"""Verifying incoming PDFs' signatures (issue 17): each fixture is reported as what it is.

The PDFs are signed through pyHanko's real signer with certificates made at test time
(conftest); pyHanko's validator checks them, and poppler's ``pdfsig`` (a program no one here
wrote) confirms that each fixture is what it claims to be.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from services.signatures import BROKEN
from services.signatures import EXPIRED
from services.signatures import MODIFIED
from services.signatures import REVOCATION_OFF
from services.signatures import UNSIGNED
from services.signatures import UNTRUSTED
from services.signatures import VALID
from services.signatures import CertificateError
from services.signatures import describe
from services.signatures import load_certificate
from services.signatures import overall_state
from services.signatures import verify_pdf
from services.signatures import vietnam_time
from tests.shared_data import shared_path
from tests.signatures.conftest import SIGNER_NAME
from tests.signatures.conftest import SIGNER_ORG
from tests.signatures.conftest import plain_pdf


def test_signed_pdf_with_its_root_trusted_is_valid(signed_pdfs, pki):
    (report,) = verify_pdf(signed_pdfs.signed, [pki.root.der])
    assert report.state == VALID
    assert (report.intact, report.valid, report.trusted) == (True, True, True)
    assert (report.signer, report.organization) == (SIGNER_NAME, SIGNER_ORG)
    signed_at = datetime.fromisoformat(report.signed_at)
    assert abs(signed_at - datetime.now(UTC)) < timedelta(hours=1)
    assert report.cert_valid_at_signing is True
    when = vietnam_time(report.signed_at)
    assert describe(report) == f"Ký số bởi: {SIGNER_NAME} ({SIGNER_ORG}), lúc {when}; hợp lệ"


def test_signed_pdf_without_roots_is_intact_but_untrusted_never_valid(signed_pdfs):
    (report,) = verify_pdf(signed_pdfs.signed, [])
    assert report.state == UNTRUSTED
    assert report.intact and report.valid and not report.trusted
    assert describe(report).endswith("; toàn vẹn; chứng thư chưa được tin cậy")
    # Revocation was not fetched, and the result says so.
    assert report.revocation_checked is False
    assert REVOCATION_OFF in report.notes


def test_trusting_the_intermediate_ca_directly_is_enough(signed_pdfs, pki):
    # An admin may trust a subordinate CA directly: the chain ends there.
    (report,) = verify_pdf(signed_pdfs.signed, [pki.intermediate.der])
    assert report.state == VALID


def test_one_byte_changed_after_signing_is_shown_as_changed(signed_pdfs, pki):
    (report,) = verify_pdf(signed_pdfs.changed_byte, [pki.root.der])
    assert report.state == MODIFIED
    assert report.intact is False
    assert describe(report).endswith("; đã bị sửa sau khi ký")


def test_incremental_update_after_signing_is_shown_as_changed(signed_pdfs, pki):
    (report,) = verify_pdf(signed_pdfs.updated, [pki.root.der])
    # The signed revision is intact and trusted; what was appended after it is not allowed.
    assert report.intact and report.trusted
    assert report.modification == "OTHER"
    assert report.state == MODIFIED


def test_pdf_signed_under_an_untrusted_root_is_untrusted(signed_pdfs, pki):
    (report,) = verify_pdf(signed_pdfs.untrusted, [pki.root.der])
    assert report.state == UNTRUSTED
    assert report.signer == "Người ký lạ"
    assert "Không tìm thấy chuỗi chứng thư tới chứng thư gốc được tin cậy." in report.notes


def test_expired_signer_certificate_is_never_valid_even_under_a_trusted_root(signed_pdfs, pki):
    (report,) = verify_pdf(signed_pdfs.expired, [pki.root.der])
    assert report.state == EXPIRED
    assert report.cert_valid_at_signing is False
    assert describe(report).endswith("; toàn vẹn; chứng thư không còn hiệu lực lúc ký")


def test_bytes_before_the_pdf_header_are_tolerated(signed_pdfs, pki):
    (report,) = verify_pdf(signed_pdfs.prefixed, [pki.root.der])
    assert report.state == VALID


def test_pdf_without_signatures_is_unsigned():
    assert verify_pdf(plain_pdf(), []) == []
    assert overall_state([]) == UNSIGNED


def test_document_state_is_its_worst_signature(signed_pdfs, pki):
    good = verify_pdf(signed_pdfs.signed, [pki.root.der])
    changed = verify_pdf(signed_pdfs.changed_byte, [pki.root.der])
    assert overall_state(good + changed) == MODIFIED
    assert overall_state(good) == VALID


def test_vietnam_time_is_shown_day_first_in_utc_plus_7():
    assert vietnam_time("2025-11-19T02:40:07+00:00") == "19/11/2025 09:40"


# -- certificates for the trust store -----------------------------------------------------


def test_root_certificate_loads_from_pem_and_der(pki):
    from_pem = load_certificate(pki.root.pem)
    from_der = load_certificate(pki.root.der)
    assert from_pem == from_der
    assert from_pem.subject == "Test Root CA Việt Nam, Ban Cơ yếu (thử)"
    assert from_pem.not_before < datetime.now(UTC) < from_pem.not_after


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp trống"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "không chứa"),
        (b"not a certificate at all", "không phải chứng thư số"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "không phải"),
    ],
)
def test_files_that_are_not_certificates_are_refused_in_vietnamese(content, message):
    with pytest.raises(CertificateError) as refused:
        load_certificate(content)
    assert message in refused.value.message


def test_a_signer_certificate_is_refused_as_a_root(pki):
    with pytest.raises(CertificateError) as refused:
        load_certificate(pki.signer.pem)
    assert "không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực" in refused.value.message


def test_two_certificates_in_one_file_are_refused(pki):
    with pytest.raises(CertificateError, match="đúng một"):
        load_certificate(pki.root.pem + pki.stranger_root.pem)


# -- poppler's pdfsig agrees on what each fixture is ---------------------------------------

PDFSIG_SAYS = {
    "signed": ("Signature is Valid.", "Total document signed"),
    "changed_byte": ("Digest Mismatch.", None),
    "updated": ("Signature is Valid.", "Not total document signed"),
    "untrusted": ("Signature is Valid.", "Total document signed"),
    "expired": ("Signature is Valid.", "Certificate has Expired"),
}


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) missing")
@pytest.mark.parametrize("name", sorted(PDFSIG_SAYS))
def test_pdfsig_confirms_each_fixture(signed_pdfs, tmp_path: Path, name: str):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(getattr(signed_pdfs, name))
    output = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    validation, other = PDFSIG_SAYS[name]
    assert f"Signature Validation: {validation}" in output, output
    if other:
        assert other in output, output
    assert SIGNER_NAME in output or "Người ký lạ" in output, output


# -- the real e-signed files of provincial e-offices ---------------------------------------


def _real_signed_files() -> list[Path]:
    folder = shared_path("corpus", "real")
    return sorted(path for path in folder.glob("*.pdf") if b"/ByteRange" in path.read_bytes())


def test_real_e_office_files_are_reported_signed_with_a_name_and_never_valid_without_roots():
    files = _real_signed_files()
    assert len(files) >= 10  # the corpus's e-signed plans (ubnd-*, sgddt-*, …)
    for path in files:
        reports = verify_pdf(path.read_bytes(), [])
        assert reports, path.name
        for report in reports:
            assert report.signer, (path.name, report.field_name)
            assert report.state in (UNTRUSTED, BROKEN, MODIFIED, EXPIRED), (path.name, report)
            assert report.state != VALID
            assert describe(report).startswith(f"Ký số bởi: {report.signer}")


def test_real_file_of_ubnd_quang_ngai_names_the_province():
    path = shared_path("corpus", "real", "ubnd-quangngai-cv299-2025.pdf")
    reports = verify_pdf(path.read_bytes(), [])
    first = reports[0]
    assert first.signer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert first.state == UNTRUSTED
    assert vietnam_time(first.signed_at).startswith("15/01/2025 17:1")


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) missing")
def test_real_signature_reported_broken_is_invalid_for_pdfsig_too():
    """UBND TP.HCM's QĐ 2858: the first signature (the signer's) fails its CMS check; the
    four that follow (the văn thư's number, day, month and seal) are intact."""
    path = shared_path("corpus", "real", "ubnd-hcm-qd2858-2025.pdf")
    states = [report.state for report in verify_pdf(path.read_bytes(), [])]
    assert states == [BROKEN, UNTRUSTED, UNTRUSTED, UNTRUSTED, UNTRUSTED]
    output = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    verdicts = re.findall(r"Signature Validation: (.+)", output)
    assert verdicts[0] == "Signature is Invalid."
    assert verdicts[1:] == ["Signature is Valid."] * 4
