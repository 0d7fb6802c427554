"""Timestamps (RFC 3161) and long-term validation data on our own signatures (issue 17,
item 3), against real services on 127.0.0.1: OpenSSL's TSA (``openssl ts -reply``) and the
CRLs the test CA's certificates point at (conftest ``ltv_pki``). Each result is checked by
pyHanko's validator and by poppler's pdfsig, and the level is read back from the file."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509

from services.signing import B_B
from services.signing import B_LT
from services.signing import B_T
from services.signing import SigningError
from services.signing import TimestampUnavailable
from services.signing import level_of
from services.signing import load_credential
from services.signing import sign_pdf
from tests.signatures.conftest import PASSPHRASE
from tests.signatures.conftest import LtvPki
from tests.signatures.conftest import Pki
from tests.signatures.conftest import closed_port_url
from tests.signatures.conftest import issue
from tests.signatures.conftest import p12
from tests.signatures.conftest import plain_pdf


def _credential(issued, chain):
    return load_credential(p12(issued, chain), PASSPHRASE)


def _two_signatures(ltv_pki: LtvPki, **options) -> bytes:
    """The person's then the school's signature, as the product's two steps make them."""
    chain = [ltv_pki.intermediate]
    first = sign_pdf(
        plain_pdf(), _credential(ltv_pki.signer, chain), field="A", box=None, image=None,
        **options,
    )  # fmt: skip
    return sign_pdf(
        first, _credential(ltv_pki.school, chain), field="B", box=None, image=None, **options
    )


def _validate(pdf: bytes, root: bytes, *, from_dss_only: bool = False) -> list:
    """pyHanko's own status of each signature; with ``from_dss_only`` the revocation data
    must all come from the file's DSS (nothing fetched, every certificate checked)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf))
    roots = [asn1_x509.Certificate.load(root)]
    statuses = []
    for embedded in reader.embedded_signatures:
        if from_dss_only:
            context = DocumentSecurityStore.read_dss(reader).as_validation_context(
                {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "require"}
            )
        else:
            context = ValidationContext(trust_roots=roots)
        statuses.append(validate_pdf_signature(embedded, context))
    return statuses


def _pdfsig(pdf: bytes, folder: Path) -> str:
    path = folder / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    ).stdout


needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig missing")


@pytest.fixture(scope="module")
def timestamped(ltv_pki: LtvPki) -> bytes:
    return _two_signatures(ltv_pki, timestamp_url=ltv_pki.services.tsa_url)


@pytest.fixture(scope="module")
def long_term(ltv_pki: LtvPki) -> bytes:
    return _two_signatures(
        ltv_pki, timestamp_url=ltv_pki.services.tsa_url, trust_roots=[ltv_pki.root.der]
    )


def test_with_a_tsa_each_signature_carries_a_valid_timestamp_of_now(timestamped, ltv_pki):
    statuses = _validate(timestamped, ltv_pki.root.der)
    assert len(statuses) == 2
    for status in statuses:
        assert status.bottom_line, status.pretty_print_details()
        stamp = status.timestamp_validity
        assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
        assert abs(stamp.timestamp - datetime.now(UTC)) < timedelta(minutes=5)
    assert [level_of(timestamped, f).level for f in "AB"] == [B_T, B_T]


@needs_pdfsig
def test_pdfsig_validates_the_timestamped_signatures(timestamped, tmp_path):
    output = _pdfsig(timestamped, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output


@pytest.mark.parametrize("where", ["garbage", "down"])
def test_a_tsa_that_is_down_or_answers_garbage_refuses_the_signing(ltv_pki, where):
    url = ltv_pki.services.garbage_tsa_url if where == "garbage" else closed_port_url("/tsa")
    pdf = plain_pdf()
    credential = _credential(ltv_pki.signer, [ltv_pki.intermediate])
    for roots in ((), (ltv_pki.root.der,)):
        with pytest.raises(TimestampUnavailable) as refused:
            sign_pdf(
                pdf, credential, field="A", box=None, image=None, timestamp_url=url,
                trust_roots=roots,
            )  # fmt: skip
        assert isinstance(refused.value, SigningError)
        assert "Không lấy được dấu thời gian" in refused.value.message


def test_with_trusted_roots_the_dss_holds_the_revocation_data_and_the_level_is_b_lt(
    long_term, ltv_pki
):
    assert [level_of(long_term, f).level for f in "AB"] == [B_LT, B_LT]
    assert "/crl/intermediate.crl" in ltv_pki.services.requests
    # Nothing fetched now, every certificate must have its revocation data: the DSS has it.
    for status in _validate(long_term, ltv_pki.root.der, from_dss_only=True):
        assert status.bottom_line, status.pretty_print_details()
        assert status.timestamp_validity is not None and status.timestamp_validity.valid


def test_without_the_dss_the_same_demand_fails(timestamped, ltv_pki):
    """The check above is not vacuous: a B-T file cannot meet it."""
    from pyhanko.sign.validation.errors import NoDSSFoundError

    with pytest.raises(NoDSSFoundError):
        _validate(timestamped, ltv_pki.root.der, from_dss_only=True)


@needs_pdfsig
def test_pdfsig_validates_the_long_term_signatures(long_term, tmp_path):
    output = _pdfsig(long_term, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert output.count("Signature #") == 2, output  # no document timestamp to puzzle it


def test_without_a_tsa_revocation_data_is_embedded_but_the_level_stays_b_b(ltv_pki):
    signed = _two_signatures(ltv_pki, trust_roots=[ltv_pki.root.der])
    levels = [level_of(signed, f) for f in "AB"]
    assert [lv.level for lv in levels] == [B_B, B_B]
    assert all(lv.revocation_embedded for lv in levels)
    assert "đã nhúng dữ liệu kiểm tra thu hồi" in levels[0].note
    assert "chưa có dấu thời gian" in levels[0].note


def test_a_crl_server_that_is_down_leaves_the_signature_at_b_b_with_a_note(ltv_pki):
    credential = _credential(ltv_pki.unreachable_signer, [ltv_pki.intermediate])
    signed = sign_pdf(
        plain_pdf(), credential, field="A", box=None, image=None, trust_roots=[ltv_pki.root.der]
    )
    level = level_of(signed, "A")
    assert (level.level, level.revocation_embedded) == (B_B, False)
    assert level.note.startswith("Chữ ký mức PAdES-B-B: chưa có dấu thời gian")
    assert "chưa nhúng dữ liệu kiểm tra thu hồi" in level.note
    assert [s.bottom_line for s in _validate(signed, ltv_pki.root.der)] == [True]


def test_certificates_without_a_crl_address_are_signed_at_b_t(pki: Pki, ltv_pki):
    """The session's first hierarchy names no CRL: nothing to fetch, nothing embedded."""
    credential = _credential(pki.signer, [pki.intermediate])
    signed = sign_pdf(
        plain_pdf(), credential, field="A", box=None, image=None,
        timestamp_url=ltv_pki.services.tsa_url, trust_roots=[pki.root.der],
    )  # fmt: skip
    assert level_of(signed, "A").level == B_T


def test_a_chain_that_leads_to_no_trusted_root_is_signed_without_long_term_data(ltv_pki):
    stranger_root = issue("Root CA khác", "Tổ chức khác", ca=True)
    credential = _credential(ltv_pki.signer, [ltv_pki.intermediate])
    signed = sign_pdf(
        plain_pdf(), credential, field="A", box=None, image=None,
        timestamp_url=ltv_pki.services.tsa_url, trust_roots=[stranger_root.der],
    )  # fmt: skip
    level = level_of(signed, "A")
    assert (level.level, level.revocation_embedded) == (B_T, False)
    assert [s.bottom_line for s in _validate(signed, ltv_pki.root.der)] == [True]
