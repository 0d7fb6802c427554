"""A certificate hierarchy built at test time and PDFs signed through pyHanko's real signer.

No key is committed: a root CA, an intermediate CA and signer certificates are made with
``cryptography`` once per session (RSA 2048, SHA-256), and the PDFs are signed with
pyHanko's ``SimpleSigner`` from PEM files in a temporary folder, the way a signer's own
PKCS#12 would be. A second, unrelated root signs the "untrusted" PDF; an expired signer
certificate (2020) signs the "expired" one.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image
from PIL import ImageDraw

from tests.signatures.trust_services import TrustServices
from tests.signatures.trust_services import crl_of
from tests.support import raw_pdf

NOW = datetime.now(UTC)
SIGNER_NAME = "Nguyễn Văn Bình"
SIGNER_ORG = "UBND tỉnh Đồng Tháp"


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(
    common_name: str,
    organization: str,
    *,
    issuer: Issued | None = None,
    ca: bool = False,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    crl_url: str | None = None,
    timestamping: bool = False,
) -> Issued:
    """A certificate for a fresh key, self-signed when ``issuer`` is None; ``crl_url`` is
    where its issuer publishes revocations (a CRL distribution point), ``timestamping``
    makes it a TSA's (extended key usage timeStamping, critical, as RFC 3161 wants)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(common_name, organization)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=30))
        .not_valid_after(not_after or NOW + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    usage = dict.fromkeys(
        ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
         "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"),
        False,
    )  # fmt: skip
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True, digital_signature=True)
    else:
        usage.update(digital_signature=True, content_commitment=True)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    if crl_url is not None:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    certificate = builder.sign((issuer or Issued(None, key)).key, hashes.SHA256())
    return Issued(certificate, key)


@dataclass(frozen=True)
class Pki:
    root: Issued
    intermediate: Issued
    signer: Issued
    expired_signer: Issued
    stranger_root: Issued
    stranger_signer: Issued


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = issue("Test Root CA Việt Nam", "Ban Cơ yếu (thử)", ca=True)
    intermediate = issue("Test CA cơ quan Nhà nước", "Ban Cơ yếu (thử)", issuer=root, ca=True)
    signer = issue(SIGNER_NAME, SIGNER_ORG, issuer=intermediate)
    expired = issue(
        SIGNER_NAME,
        SIGNER_ORG,
        issuer=intermediate,
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2021, 1, 1, tzinfo=UTC),
    )
    stranger_root = issue("Root CA lạ", "Tổ chức lạ", ca=True)
    stranger = issue("Người ký lạ", "Tổ chức lạ", issuer=stranger_root)
    return Pki(root, intermediate, signer, expired, stranger_root, stranger)


PAGE_TEXT = b"KE HOACH thi dua nam hoc 2025-2026. So: 15/KH-UBND"


def plain_pdf() -> bytes:
    """A one-page PDF with a line of text (so the plan parser finds text, not a scan)."""
    content = b"BT /F1 14 Tf 72 760 Td (" + PAGE_TEXT + b") Tj ET"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def sign(pdf: bytes, signer: Issued, chain: list[Issued], folder: Path) -> bytes:
    """Sign ``pdf`` with pyHanko's SimpleSigner, loaded from PEM files as from a token."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec

    folder.mkdir(parents=True, exist_ok=True)
    key_file, cert_file = folder / "key.pem", folder / "cert.pem"
    key_file.write_bytes(
        signer.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(signer.pem)
    chain_files = []
    for index, issued in enumerate(chain):
        path = folder / f"chain-{index}.pem"
        path.write_bytes(issued.pem)
        chain_files.append(str(path))
    simple = signers.SimpleSigner.load(str(key_file), str(cert_file), ca_chain_files=chain_files)
    assert simple is not None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name="ChuKy1", md_algorithm="sha256"),
        signer=simple,
        new_field_spec=SigFieldSpec("ChuKy1"),
    )
    return out.getvalue()


def change_one_byte(signed: bytes) -> bytes:
    """The same file with one letter of the page's text changed, inside the signed bytes."""
    at = signed.index(PAGE_TEXT) + PAGE_TEXT.index(b"2025")
    return signed[:at] + b"3" + signed[at + 1 :]


def add_incremental_update(signed: bytes) -> bytes:
    """Append a revision after the signature that draws new text on the page (what a
    forger would do to a signed file while keeping the signed bytes intact)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    content = b"BT /F1 14 Tf 72 700 Td (Da sua: han nop 31/12/2026) Tj ET"
    stream = generic.StreamObject(stream_data=zlib.compress(content))
    stream[generic.NameObject("/Filter")] = generic.NameObject("/FlateDecode")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Fixtures:
    signed: bytes
    changed_byte: bytes
    updated: bytes
    untrusted: bytes
    expired: bytes
    prefixed: bytes


@pytest.fixture(scope="session")
def signed_pdfs(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Fixtures:
    folder = tmp_path_factory.mktemp("signing")
    base = plain_pdf()
    signed = sign(base, pki.signer, [pki.intermediate], folder / "good")
    return Fixtures(
        signed=signed,
        changed_byte=change_one_byte(signed),
        updated=add_incremental_update(signed),
        untrusted=sign(base, pki.stranger_signer, [pki.stranger_root], folder / "stranger"),
        expired=sign(base, pki.expired_signer, [pki.intermediate], folder / "expired"),
        # Bytes before %PDF- added after signing, as some e-office downloads carry.
        prefixed=b"\r\n<!-- e-office -->\r\n" + signed,
    )


# -- signing our own documents (issue 17): credentials and images made at test time ----

PASSPHRASE = "mật khẩu Đúng 2026"  # not ASCII: a passphrase is UTF-8 text
SCHOOL = "TRƯỜNG THCS MỸ THẠNH"
SEAL_MM = 36.0


def p12(issued: Issued, chain: list[Issued], passphrase: str = PASSPHRASE) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"vanthu-test",
        issued.key,
        issued.certificate,
        [c.certificate for c in chain],
        BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def png(draw, size: tuple[int, int] = (400, 160), transparent: bool = True) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    draw(ImageDraw.Draw(image), size)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature_png() -> bytes:
    def strokes(canvas, size):
        canvas.line([(20, 120), (120, 30), (200, 110), (380, 40)], fill=(0, 40, 160, 255), width=6)

    return png(strokes)


def seal_png() -> bytes:
    def circle(canvas, size):
        canvas.ellipse([4, 4, size[0] - 4, size[1] - 4], outline=(220, 0, 0, 255), width=12)

    return png(circle, (300, 300))


# -- timestamps and long-term validation (issue 17 item 3): a CA that publishes its CRLs
# and runs a TSA, on 127.0.0.1, for the session -----------------------------------------

PRINCIPAL = "Phạm Quốc Bảo"  # the world's admin: the school's Hiệu trưởng signs


@dataclass(frozen=True)
class LtvPki:
    """A hierarchy whose certificates name where their CRLs are, served by ``services``."""

    services: TrustServices
    root: Issued
    intermediate: Issued
    signer: Issued  # SIGNER_NAME, CRL published
    principal: Issued  # PRINCIPAL, CRL published
    school: Issued  # SCHOOL, CRL published
    tsa: Issued
    unreachable_signer: Issued  # SIGNER_NAME, its CRL point on a port nobody listens on
    unreachable_school: Issued  # SCHOOL, likewise


def closed_port_url(path: str) -> str:
    """An http URL on a local port that was free a moment ago (connection refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture(scope="session")
def ltv_pki() -> Iterator[LtvPki]:
    services = TrustServices()
    root = issue("Test Root CA có CRL", "Ban Cơ yếu (thử)", ca=True)
    intermediate = issue(
        "Test CA có CRL", "Ban Cơ yếu (thử)", issuer=root, ca=True, crl_url=services.crl_url("root")
    )
    leaf_crl = services.crl_url("intermediate")
    down = closed_port_url("/crl/intermediate.crl")
    pki = LtvPki(
        services=services,
        root=root,
        intermediate=intermediate,
        signer=issue(SIGNER_NAME, SIGNER_ORG, issuer=intermediate, crl_url=leaf_crl),
        principal=issue(PRINCIPAL, SCHOOL, issuer=intermediate, crl_url=leaf_crl),
        school=issue(SCHOOL, SCHOOL, issuer=intermediate, crl_url=leaf_crl),
        tsa=issue("TSA thử nghiệm", "Ban Cơ yếu (thử)", issuer=intermediate, crl_url=leaf_crl,
                  timestamping=True),
        unreachable_signer=issue(SIGNER_NAME, SIGNER_ORG, issuer=intermediate, crl_url=down),
        unreachable_school=issue(SCHOOL, SCHOOL, issuer=intermediate, crl_url=down),
    )  # fmt: skip
    services.crls["root"] = crl_of(root, NOW)
    services.crls["intermediate"] = crl_of(intermediate, NOW)
    services.start_tsa(pki.tsa, [intermediate])
    services.start()
    yield pki
    services.stop()


# -- a USB token, emulated by SoftHSM2 (issue 17 item 1: PKCS#11) ------------------------

TOKEN_PIN = "246813"
KEYLESS = "Lê Thị Hoa"  # a certificate on the token whose key is not there
SOFTHSM_MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class SoftTokens:
    """Two tokens in one SoftHSM2 store of the session's own: ``school`` holds the
    principal's and the school's keys and certificates with the CA above them (as a
    principal's token does); ``stranger`` holds only someone else's (SIGNER_NAME), an
    expired one next to the valid renewal; ``expired`` only that expired one, and KEYLESS's
    certificate without its key."""

    module: str
    school: str  # token labels
    stranger: str
    expired: str
    pin: str = TOKEN_PIN


def _put_on_token(
    module: str,
    label: str,
    folder: Path,
    holders: list[Issued],
    authorities: list[Issued],
    keyless: tuple[Issued, ...] = (),
) -> None:
    """Each holder's key (imported by softhsm2-util) and certificate under one ID; the
    authorities' and the ``keyless`` certificates without a key."""
    import subprocess

    import pkcs11
    from pkcs11 import Attribute
    from pkcs11 import CertificateType
    from pkcs11 import ObjectClass

    for index, holder in enumerate(holders, start=1):
        key_file = folder / f"{label}-{index}.pem"
        key_file.write_bytes(
            holder.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        subprocess.run(
            ["softhsm2-util", "--import", str(key_file), "--token", label, "--label",
             f"key-{index}", "--id", f"{index:02x}", "--pin", TOKEN_PIN],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        key_file.unlink()
    token = pkcs11.lib(module).get_token(token_label=label)
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        numbered = [(f"{i:02x}", h) for i, h in enumerate(holders, start=1)]
        numbered += [(f"{0xA0 + i:02x}", a) for i, a in enumerate(authorities)]
        numbered += [(f"{0x50 + i:02x}", k) for i, k in enumerate(keyless)]
        for hex_id, issued in numbered:
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.ID: bytes.fromhex(hex_id),
                    Attribute.LABEL: f"cert-{hex_id}",
                    Attribute.SUBJECT: issued.certificate.subject.public_bytes(),
                    Attribute.VALUE: issued.der,
                }
            )


@pytest.fixture(scope="session")
def soft_tokens(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftTokens]:
    import os
    import shutil
    import subprocess

    module = next((m for m in SOFTHSM_MODULES if Path(m).exists()), None)
    if module is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 (Debian package softhsm2) is not installed")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    # SoftHSM reads its configuration once, when the library is first initialised in this
    # process: set before anything loads it, for the whole session.
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    tokens = SoftTokens(
        module=module, school="TRUONG-MY-THANH", stranger="NGUOI-KHAC", expired="HET-HAN"
    )
    for label in (tokens.school, tokens.stranger, tokens.expired):
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin",
             "13572468", "--pin", TOKEN_PIN],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    principal = issue(PRINCIPAL, SCHOOL, issuer=pki.intermediate)
    school = issue(SCHOOL, SCHOOL, issuer=pki.intermediate)
    _put_on_token(module, tokens.school, folder, [principal, school], [pki.intermediate])
    _put_on_token(
        module, tokens.stranger, folder, [pki.expired_signer, pki.signer], [pki.intermediate]
    )
    _put_on_token(
        module, tokens.expired, folder, [pki.expired_signer], [pki.intermediate],
        keyless=(issue(KEYLESS, SCHOOL, issuer=pki.intermediate),),
    )  # fmt: skip
    yield tokens
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous
