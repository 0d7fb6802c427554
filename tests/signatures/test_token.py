"""Signing with a PKCS#11 token (issue 17, item 1): SoftHSM2 stands in for the principal's
USB token (conftest ``soft_tokens``); pyHanko's PKCS11Signer signs through it, the
result is checked by pyHanko's validator and by pdfsig; every refusal is in Vietnamese."""

from __future__ import annotations

import logging
import shutil
import subprocess

import pytest

from domain.text import fold
from services.signatures import VALID
from services.signatures import verify_pdf
from services.signing import Pkcs11Token
from services.signing import SigningError
from services.signing import open_credential
from services.signing import sign_pdf
from tests.signatures.conftest import KEYLESS
from tests.signatures.conftest import PRINCIPAL
from tests.signatures.conftest import SCHOOL
from tests.signatures.conftest import plain_pdf


def _named(name: str):
    return lambda held: fold(held) == fold(name)


def _sign(token: Pkcs11Token, name: str) -> bytes:
    with open_credential(token, _named(name), f"người ký {name}") as credential:
        assert credential.subject == name
        return sign_pdf(plain_pdf(), credential, field="A", box=None, image=None)


def test_the_token_signs_with_the_certificate_that_names_the_signer(soft_tokens, pki, tmp_path):
    token = Pkcs11Token(soft_tokens.module, soft_tokens.pin, soft_tokens.school)
    for name in (PRINCIPAL, SCHOOL):  # one token, two certificates: each picked by name
        signed = _sign(token, name)
        reports = verify_pdf(signed, [pki.root.der])
        assert [(r.state, r.signer) for r in reports] == [(VALID, name)], reports
        if shutil.which("pdfsig"):
            (tmp_path / "signed.pdf").write_bytes(signed)
            output = subprocess.run(
                ["pdfsig", str(tmp_path / "signed.pdf")],
                capture_output=True, text=True, timeout=60, check=False,
            ).stdout  # fmt: skip
            assert "Signature Validation: Signature is Valid." in output, output
            assert f"Common Name: {name}" in output, output


def test_without_a_label_the_token_holding_the_name_is_found(soft_tokens, pki):
    signed = _sign(Pkcs11Token(soft_tokens.module, soft_tokens.pin), SCHOOL)
    assert [r.state for r in verify_pdf(signed, [pki.root.der])] == [VALID]


def test_a_wrong_pin_is_refused_in_vietnamese_and_never_logged(soft_tokens, caplog):
    caplog.set_level(logging.DEBUG)
    token = Pkcs11Token(soft_tokens.module, "000000", soft_tokens.school)
    with pytest.raises(SigningError, match="Mã PIN của thiết bị ký không đúng"):
        _sign(token, PRINCIPAL)
    assert "000000" not in caplog.text and "000000" not in repr(token)


def test_a_token_without_the_signers_certificate_is_refused_naming_what_it_holds(soft_tokens):
    token = Pkcs11Token(soft_tokens.module, soft_tokens.pin, soft_tokens.stranger)
    with pytest.raises(SigningError) as refused:
        _sign(token, PRINCIPAL)
    assert "không có chứng thư số của người ký Phạm Quốc Bảo" in refused.value.message
    assert "Nguyễn Văn Bình" in refused.value.message


def test_an_empty_pin_and_an_absent_token_are_refused(soft_tokens):
    with pytest.raises(SigningError, match="Vui lòng nhập mã PIN"):
        _sign(Pkcs11Token(soft_tokens.module, ""), PRINCIPAL)
    with pytest.raises(SigningError, match="Không thấy thiết bị ký"):
        _sign(Pkcs11Token(soft_tokens.module, soft_tokens.pin, "KHONG-CO"), PRINCIPAL)


def test_of_two_certificates_with_the_name_the_valid_one_signs(soft_tokens, pki):
    """The stranger's token holds an expired certificate next to its renewal."""
    token = Pkcs11Token(soft_tokens.module, soft_tokens.pin, soft_tokens.stranger)
    signed = _sign(token, "Nguyễn Văn Bình")
    assert [r.state for r in verify_pdf(signed, [pki.root.der])] == [VALID]


def test_an_expired_certificate_on_the_token_is_refused_as_from_a_file(soft_tokens):
    token = Pkcs11Token(soft_tokens.module, soft_tokens.pin, soft_tokens.expired)
    with pytest.raises(SigningError, match="Chứng thư số đã hết hạn ngày 01/01/2021"):
        _sign(token, "Nguyễn Văn Bình")


def test_a_certificate_whose_key_is_not_on_the_token_is_refused(soft_tokens):
    token = Pkcs11Token(soft_tokens.module, soft_tokens.pin, soft_tokens.expired)
    with pytest.raises(SigningError, match="không có khóa bí mật đi kèm chứng thư “Lê Thị Hoa”"):
        _sign(token, KEYLESS)
