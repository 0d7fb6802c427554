"""Signing an issued document's PDF (PAdES, pyHanko), in the two steps NĐ 30 lays out for
electronic documents: the person with authority signs, then the organization's certificate
adds its signature over the whole (issue 17).

What the page shows (NĐ 30/2020 Phụ lục I, cells 7c and 8): the signer's signature image
between the chức vụ line and the name; the organization's seal image, real size, over
about one third of the signature image on its left. The organization's name and the
signing time (ISO 8601, Vietnam time zone) go in the organization's signature itself (its
/Name and /Reason), where a verifier shows them.

Beyond the bare signature (PAdES-B-B), two things are added when they can be had: an RFC
3161 timestamp from the TSA an admin configured (B-T; a TSA that is down or answers
nonsense refuses the signing rather than quietly giving less than the admin asked for), and
the chain's revocation data, fetched from the addresses in the certificates and embedded in
the document security store, when the chain leads to a root the organization trusts (with
a TSA: B-LT). No document timestamp is added over it (B-LTA): poppler, behind most Linux
PDF readers, lists one as an unknown signature it cannot verify, which a recipient would
read as a fault. What each signature reached is read back from the signed file
(:func:`level_of`), never assumed.

Credentials come from a PKCS#12 file and its passphrase, or from a PKCS#11 token (a USB
token on the machine the server runs on) and its PIN; either lives only for the call and
nothing here stores or logs a passphrase or a PIN. Every refusal is a ``SigningError`` with
a Vietnamese message, and a refused call leaves the PDF as it was (the result is a new byte
string).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image

from domain.errors import VanthuError

VIETNAM = timezone(timedelta(hours=7))
POINTS_PER_MM = 72 / 25.4
# A signature or seal image larger than this is a photo, not a stamp: refused before decoding.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4000 * 4000
# A PKCS#12 of a signer is a few KB; its key derivations cost what its iteration counts
# say, and a crafted file could ask for billions: both bounded before anything is derived
# (the web process runs this). Real files use 2,048 to 600,000 iterations.
MAX_CREDENTIAL_BYTES = 64 * 1024
MAX_KDF_ITERATIONS = 2_000_000
# A CRL or OCSP responder that does not answer in this long is treated as unreachable (the
# signature is then made without its revocation data); the TSA gets as long.
FETCH_TIMEOUT_SECONDS = 8
PERSON_FIELD = "ChuKyNguoiKy"
ORGANIZATION_FIELD = "ChuKyCoQuan"


class SigningError(VanthuError, ValueError):
    """A credential, image or PDF that cannot be signed with; the message is for the user."""


class TimestampUnavailable(SigningError):
    """The configured TSA did not give a timestamp (down, slow, or an unreadable answer)."""

    def __init__(self) -> None:
        super().__init__(
            "Không lấy được dấu thời gian từ dịch vụ cấp dấu thời gian (TSA) đã cấu hình, "
            "nên văn bản chưa được ký. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo quản trị "
            "viên kiểm tra địa chỉ TSA (SIGNING_TSA_URL)."
        )


@dataclass(frozen=True)
class Credential:
    """A signing key and its certificate, loaded for one signing and then dropped."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner
    subject: str
    not_after: datetime


@dataclass(frozen=True)
class Box:
    """A rectangle on a PDF page in points, origin bottom-left (PDF user space)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def load_credential(data: bytes, passphrase: str, *, now: datetime | None = None) -> Credential:
    """The key and certificate of a PKCS#12 file (.p12/.pfx), checked for signing at ``now``."""
    from pyhanko.sign import signers

    if len(data) > MAX_CREDENTIAL_BYTES:
        raise SigningError("Tệp chứng thư số quá lớn (tối đa 64 KB).")
    if not _is_pkcs12(data):
        raise SigningError("Tệp không phải chứng thư số dạng PKCS#12 (.p12, .pfx).")
    if _kdf_iterations(data) > MAX_KDF_ITERATIONS:
        raise SigningError("Tệp chứng thư số dùng tham số mã hóa bất thường; không mở được.")
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(
            data, passphrase.encode("utf-8") if passphrase else None
        )
    except ValueError as exc:
        raise SigningError("Mật khẩu của tệp chứng thư số không đúng.") from exc
    if key is None or certificate is None:
        raise SigningError("Tệp chứng thư số không chứa khóa bí mật để ký.")
    _check_certificate(certificate, now or datetime.now(UTC))
    signer = signers.SimpleSigner.load_pkcs12_data(
        data, other_certs=[], passphrase=passphrase.encode("utf-8") if passphrase else None
    )
    return Credential(
        signer=signer,
        subject=_common_name(certificate),
        not_after=certificate.not_valid_after_utc,
    )


@dataclass(frozen=True)
class Pkcs12File:
    """A .p12/.pfx uploaded with the request, and its passphrase."""

    data: bytes
    passphrase: str = dataclasses.field(repr=False)


@dataclass(frozen=True)
class Pkcs11Token:
    """The PKCS#11 module of the signing machine's token (``SIGNING_PKCS11_MODULE``), the
    token's label when more than one may be plugged in, and the PIN typed for this signing."""

    module: str
    pin: str = dataclasses.field(repr=False)
    token_label: str | None = None


CredentialSource = Pkcs12File | Pkcs11Token
MAX_PIN_LENGTH = 64


@contextmanager
def open_credential(
    source: CredentialSource,
    wanted: Callable[[str], bool],
    whose: str,
    *,
    now: datetime | None = None,
) -> Iterator[Credential]:
    """The credential ``source`` gives, for the length of the ``with`` block.

    A PKCS#12 file holds one certificate; a token may hold several (a person's and their
    organization's), so there the one whose name satisfies ``wanted`` is used, and none
    is a refusal naming ``whose`` (e.g. "người ký Phạm Quốc Bảo")."""
    if isinstance(source, Pkcs12File):
        yield load_credential(source.data, source.passphrase, now=now)
        return
    with _token_credential(source, wanted, whose, now or datetime.now(UTC)) as credential:
        yield credential


@contextmanager
def _token_credential(
    token: Pkcs11Token, wanted: Callable[[str], bool], whose: str, now: datetime
) -> Iterator[Credential]:
    """Certificates are public objects: they are read without logging in, and the PIN is
    tried only on the token that holds the wanted one (a wrong PIN counts against a token's
    lock-out, so never on the others)."""
    import pkcs11
    from pkcs11 import Attribute
    from pkcs11 import ObjectClass
    from pkcs11 import exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    if not token.pin:
        raise SigningError("Vui lòng nhập mã PIN của thiết bị ký.")
    if len(token.pin) > MAX_PIN_LENGTH:
        raise SigningError("Mã PIN của thiết bị ký không đúng.")
    try:
        library = pkcs11.lib(token.module)
        tokens = list(library.get_tokens(token_label=token.token_label or None))
    except (OSError, RuntimeError, p11.PKCS11Error) as exc:
        raise SigningError(
            "Không kết nối được thiết bị ký (USB token): kiểm tra thiết bị đã cắm vào máy ký "
            "và thư viện PKCS#11 đã cấu hình (SIGNING_PKCS11_MODULE) đúng."
        ) from exc
    seen: list[str] = []
    candidates = []
    authorities: dict[Any, list[x509.Certificate]] = {}  # token serial → its CA certificates
    for found in tokens:
        try:
            with found.open() as public:
                for item in public.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                    certificate = x509.load_der_x509_certificate(item[Attribute.VALUE])
                    if _is_authority(certificate):
                        authorities.setdefault(found.serial, []).append(certificate)
                        continue
                    name = _common_name(certificate)
                    seen.append(name)
                    if wanted(name):
                        candidates.append((found, certificate, item[Attribute.ID]))
        except (p11.PKCS11Error, ValueError):
            continue  # a token that cannot be read is not the one
    if not tokens:
        raise SigningError(
            "Không thấy thiết bị ký (USB token) nào trên máy ký; hãy cắm thiết bị rồi thử lại."
        )
    if not candidates:
        held = ", ".join(f"“{name}”" for name in seen) or "không có chứng thư nào"
        raise SigningError(
            f"Thiết bị ký không có chứng thư số của {whose} (trên thiết bị: {held})."
        )
    # Among several of the right name (a renewed certificate next to the old one), the
    # first valid one; when none is, the first one's reason.
    chosen = None
    for candidate in candidates:
        try:
            _check_certificate(candidate[1], now)
        except SigningError:
            continue
        chosen = candidate
        break
    if chosen is None:
        _check_certificate(candidates[0][1], now)  # raises: the first one's reason
        raise AssertionError("unreachable")
    found, certificate, key_id = chosen
    try:
        session = found.open(user_pin=token.pin)
    except p11.PinIncorrect as exc:
        raise SigningError("Mã PIN của thiết bị ký không đúng.") from exc
    except p11.PinLocked as exc:
        raise SigningError(
            "Thiết bị ký đã bị khóa do nhập sai mã PIN nhiều lần; hãy liên hệ nơi cấp "
            "chứng thư để mở khóa."
        ) from exc
    except p11.PKCS11Error as exc:
        raise SigningError("Không đăng nhập được vào thiết bị ký.") from exc
    try:
        try:
            session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=key_id)
        except (p11.NoSuchKey, p11.MultipleObjectsReturned) as exc:
            raise SigningError(
                f"Thiết bị ký không có khóa bí mật đi kèm chứng thư “{_common_name(certificate)}”."
            ) from exc
        signer = PKCS11Signer(
            session,
            signing_cert=_asn1(certificate),
            # The chain the token carries goes into the signature, the token's other
            # people's certificates do not.
            ca_chain=[_asn1(c) for c in authorities.get(found.serial, [])],
            key_id=key_id,
        )
        yield Credential(
            signer=signer,
            subject=_common_name(certificate),
            not_after=certificate.not_valid_after_utc,
        )
    finally:
        session.close()


def _is_authority(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _asn1(certificate: x509.Certificate) -> Any:

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _is_pkcs12(data: bytes) -> bool:
    try:
        parsed = asn1_pkcs12.Pfx.load(data)
        parsed["auth_safe"]["content_type"].native  # noqa: B018 (forces the parse)
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _kdf_iterations(data: bytes) -> int:
    """The largest iteration count the file asks for (its MAC, its encrypted parts)."""
    pfx = asn1_pkcs12.Pfx.load(data)
    counts = [0]
    if pfx["mac_data"].native is not None:
        counts.append(int(pfx["mac_data"]["iterations"].native or 0))
    try:
        safes = pfx.authenticated_safe
        for info in safes:
            kind = info["content_type"].native
            if kind == "encrypted_data":
                algorithm = info["content"]["encrypted_content_info"][
                    "content_encryption_algorithm"
                ]
                counts.append(_iterations(algorithm))
            elif kind == "data":
                for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
                    if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                        counts.append(_iterations(bag["bag_value"]["encryption_algorithm"]))
    except (ValueError, TypeError, KeyError) as exc:
        raise SigningError("Tệp chứng thư số bị hỏng; không đọc được.") from exc
    return max(counts)


def _iterations(algorithm: Any) -> int:
    try:
        return int(algorithm.kdf_iterations)
    except (ValueError, TypeError, KeyError):
        return 0  # an algorithm without a derivation (or one cryptography will refuse)


def _check_certificate(certificate: x509.Certificate, now: datetime) -> None:
    if now < certificate.not_valid_before_utc:
        raise SigningError(
            "Chứng thư số chưa có hiệu lực (hiệu lực từ "
            f"{certificate.not_valid_before_utc.astimezone(VIETNAM):%d/%m/%Y})."
        )
    if now > certificate.not_valid_after_utc:
        raise SigningError(
            "Chứng thư số đã hết hạn ngày "
            f"{certificate.not_valid_after_utc.astimezone(VIETNAM):%d/%m/%Y}."
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # no restriction stated
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            "Chứng thư số này không được cấp để ký số (thiếu mục đích sử dụng Chữ ký số)."
        )


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    value = names[0].value if names else certificate.subject.rfc4514_string()
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def check_image(data: bytes, what: str) -> Image.Image:
    """A signature or seal image: a PNG with a transparent background, of sane size."""
    if len(data) > MAX_IMAGE_BYTES:
        raise SigningError(f"Ảnh {what} quá lớn (tối đa 2 MB).")
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SigningError(f"Ảnh {what} phải là tệp PNG nền trong suốt.")
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise SigningError(f"Ảnh {what} quá lớn (tối đa 4000 × 4000 điểm ảnh).")
        image.load()
    except (OSError, Image.DecompressionBombError) as exc:
        raise SigningError(f"Không đọc được ảnh {what}.") from exc
    rgba = image.convert("RGBA")
    low, _ = rgba.getchannel("A").getextrema()
    if low == 255:
        raise SigningError(f"Ảnh {what} phải có nền trong suốt (PNG có kênh alpha).")
    return rgba


def locate_signature(pdf: bytes, title_line: str, name: str) -> Box:
    """The box for the signature image: between the last chức vụ line and the signer's
    name, on the last page that carries the name, as wide as that block allows."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for index in reversed(range(len(document))):
            page = document[index]
            text = page.get_textpage()
            name_box = _last_match(text, name)
            if name_box is None:
                continue
            title_box = _last_match(text, title_line, above=name_box[3])
            if title_box is None:
                continue
            gap_top, gap_bottom = title_box[1], name_box[3]
            if gap_top - gap_bottom < 20:
                break  # no room between the lines: the template is not for signing
            centre = (name_box[0] + name_box[2]) / 2
            height = (gap_top - gap_bottom) - 6
            width = min(height * 2.2, max(title_box[2] - title_box[0], name_box[2] - name_box[0]))
            return Box(index, centre - width / 2, gap_bottom + 3, centre + width / 2, gap_top - 3)
    finally:
        document.close()
    raise SigningError(
        "Không tìm thấy chỗ ký trên văn bản (chức vụ và họ tên người ký); "
        "văn bản này chưa ký số được."
    )


def _last_match(text: Any, needle: str, *, above: float | None = None) -> tuple[float, ...] | None:
    """(left, bottom, right, top) of the last occurrence of ``needle``, optionally only
    those whose bottom is above ``above``."""
    found: tuple[float, ...] | None = None
    searcher = text.search(needle, match_case=True)
    while (hit := searcher.get_next()) is not None:
        start, count = hit
        boxes = [text.get_charbox(i) for i in range(start, start + count)]
        box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if above is None or box[1] > above:
            found = box
    searcher.close()
    return found


def seal_box(signature: Box, diameter_mm: float) -> Box:
    """The seal at its real size, centred on the signature's height, its right edge one
    third of the way into the signature image (so it covers that third, on the left)."""
    size = diameter_mm * POINTS_PER_MM
    right = signature.x0 + signature.width / 3
    middle = (signature.y0 + signature.y1) / 2
    return Box(signature.page, right - size, middle - size / 2, right, middle + size / 2)


def sign_pdf(
    pdf: bytes,
    credential: Credential,
    *,
    field: str,
    box: Box | None,
    image: Image.Image | None,
    name: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    timestamp_url: str | None = None,
    trust_roots: Sequence[bytes] = (),
    stamp_style: Any | None = None,
) -> bytes:
    """``pdf`` with one more PAdES signature (an incremental update, so earlier signatures
    stay valid), visible as ``image`` in ``box`` when both are given, or as ``stamp_style``
    (a pyHanko stamp style: the text of an attachment's signature) in ``box``.

    With ``timestamp_url`` the signature carries that TSA's timestamp, or the call fails
    with :class:`TimestampUnavailable`. With ``trust_roots`` (DER) the chain's revocation
    data is fetched and embedded; when the chain does not lead to one of them, the
    signature is made without."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko wraps many parser errors
        raise SigningError("Không mở được tệp PDF để ký.") from exc

    def attempt(roots: Sequence[bytes]) -> bytes:
        return _sign_once(
            pdf, credential=credential, field=field, box=box, image=image, name=name,
            reason=reason, location=location, timestamp_url=timestamp_url, trust_roots=roots,
            stamp_style=stamp_style,
        )  # fmt: skip

    if trust_roots:
        try:
            return attempt(trust_roots)
        except SigningError:  # ours (the TSA), not pyHanko's of the same name: no retry
            raise
        except Exception:  # noqa: BLE001 (pyHanko's path building, fetching, validation)
            # The chain leads to none of the roots (or cannot be built): long-term data
            # cannot be embedded, the signature itself still can.
            pass
    return attempt(())


def _sign_once(
    pdf: bytes,
    *,
    credential: Credential,
    field: str,
    box: Box | None,
    image: Image.Image | None,
    name: str | None,
    reason: str | None,
    location: str | None,
    timestamp_url: str | None,
    trust_roots: Sequence[bytes],
    stamp_style: Any | None,
) -> bytes:
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign import signers
    from pyhanko.stamp import StaticStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    spec = fields.SigFieldSpec(
        field,
        on_page=box.page if box else 0,
        # Whole points: pyHanko's field boxes are integers (a point is 0.35 mm).
        box=(round(box.x0), round(box.y0), round(box.x1), round(box.y1)) if box else None,
    )
    style = stamp_style or (
        StaticStampStyle(background=PdfImage(image), background_opacity=1.0, border_width=0)
        if image is not None and box is not None
        else None
    )
    context = _validation_context(trust_roots) if trust_roots else None
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location,
        validation_context=context,
        embed_validation_info=context is not None,
    )
    signer = signers.PdfSigner(
        meta,
        signer=credential.signer,
        stamp_style=style,
        new_field_spec=spec,
        timestamper=_timestamper(timestamp_url) if timestamp_url else None,
    )
    out = signer.sign_pdf(writer)
    return bytes(out.getvalue())


def _validation_context(trust_roots: Sequence[bytes]) -> Any:
    """Roots the organization trusts; CRLs and OCSP fetched from the certificates'
    addresses, a failure to fetch leaving that revocation data out (soft-fail)."""
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers import OwnedFetcherBackend
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust_roots],
        allow_fetching=True,
        revocation_mode="soft-fail",
        # Owned: pyHanko closes its HTTP session when the signing is over.
        fetcher_backend=OwnedFetcherBackend(
            AIOHttpFetcherBackend(per_request_timeout=FETCH_TIMEOUT_SECONDS)
        ),
    )


def _timestamper(url: str) -> Any:
    """pyHanko's HTTP TSA client, with every way it can fail (connection, HTTP status,
    content type, an answer that is not a TimeStampResp) turned into one refusal."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    class Guarded(HTTPTimeStamper):
        async def async_timestamp(self, message_digest: Any, md_algorithm: Any) -> Any:
            try:
                return await super().async_timestamp(message_digest, md_algorithm)
            except Exception as exc:
                raise TimestampUnavailable() from exc

        async def async_dummy_response(self, md_algorithm: Any) -> Any:
            try:
                return await super().async_dummy_response(md_algorithm)
            except Exception as exc:
                raise TimestampUnavailable() from exc

    return Guarded(url, timeout=FETCH_TIMEOUT_SECONDS)


B_B, B_T, B_LT = "B-B", "B-T", "B-LT"


@dataclass(frozen=True)
class SignatureLevel:
    """What one signature in a signed file carries, read back from the file."""

    timestamped: bool  # an RFC 3161 signature timestamp in the signature
    revocation_embedded: bool  # the DSS holds a CRL or OCSP answer for its certificate

    @property
    def level(self) -> str:
        """PAdES baseline level (ETSI EN 319 142-1): LT is T with the validation data."""
        if not self.timestamped:
            return B_B
        return B_LT if self.revocation_embedded else B_T

    @property
    def note(self) -> str:
        return level_note(self.level, self.revocation_embedded)


def level_note(level: str, revocation_embedded: bool) -> str:
    """The Vietnamese sentence the document's page shows for a signature's level."""
    if level == B_LT:
        return (
            "Chữ ký mức PAdES-B-LT: có dấu thời gian, đã nhúng chuỗi chứng thư và dữ liệu "
            "kiểm tra thu hồi; kiểm tra được lâu dài."
        )
    time = (
        "có dấu thời gian"
        if level == B_T
        else "chưa có dấu thời gian (thời điểm ký là giờ của máy chủ)"
    )
    revocation = (
        "đã nhúng dữ liệu kiểm tra thu hồi"
        if revocation_embedded
        else "chưa nhúng dữ liệu kiểm tra thu hồi (chứng thư không dẫn về chứng thư gốc "
        "được tin cậy, hoặc không tải được danh sách thu hồi)"
    )
    return f"Chữ ký mức PAdES-{level}: {time}; {revocation}."


def level_of(pdf: bytes, field: str) -> SignatureLevel:
    """The level the signature in ``field`` reached, read from the signed file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    embedded = next(s for s in reader.embedded_signatures if s.field_name == field)
    certificate = embedded.signer_cert
    unsigned = embedded.signer_info["unsigned_attrs"].native or []
    revocation = False
    try:
        store = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        store = None
    if store is not None:
        crls = [asn1_crl.CertificateList.load(ref.get_object().data) for ref in store.crls]
        answers = [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in store.ocsps]
        revocation = any(
            crl["tbs_cert_list"]["issuer"] == certificate.issuer for crl in crls
        ) or any(
            single["cert_id"]["serial_number"].native == certificate.serial_number
            for answer in answers
            for single in answer.basic_ocsp_response["tbs_response_data"]["responses"]
        )
    return SignatureLevel(
        timestamped=any(a["type"] == "signature_time_stamp_token" for a in unsigned),
        revocation_embedded=revocation,
    )


@dataclass(frozen=True)
class IssuedSigning:
    """What a two-step signing of an issued document needs."""

    title_line: str  # the chức vụ line right above the signature (e.g. "HIỆU TRƯỞNG")
    signer_name: str
    signature_image: bytes
    organization_name: str
    seal_image: bytes
    seal_diameter_mm: float
    place: str = ""
    timestamp_url: str | None = None
    trust_roots: Sequence[bytes] = ()  # DER; the chain's revocation data embedded if set


def sign_person_step(
    pdf: bytes,
    credential: Credential,
    *,
    title_line: str,
    name: str,
    image: Image.Image,
    place: str = "",
    timestamp_url: str | None = None,
    trust_roots: Sequence[bytes] = (),
) -> bytes:
    """The first step: the person's signature, their image between chức vụ and name."""
    return sign_pdf(
        pdf,
        credential,
        field=PERSON_FIELD,
        box=locate_signature(pdf, title_line, name),
        image=image,
        name=name,
        location=place or None,
        timestamp_url=timestamp_url,
        trust_roots=trust_roots,
    )


def sign_organization_step(
    pdf: bytes,
    credential: Credential,
    *,
    title_line: str,
    signer_name: str,
    organization_name: str,
    seal: Image.Image,
    seal_diameter_mm: float,
    place: str = "",
    timestamp_url: str | None = None,
    trust_roots: Sequence[bytes] = (),
    now: datetime | None = None,
) -> bytes:
    """The second step: the organization's signature, its seal over the left third of the
    person's signature image; its name and the time (ISO 8601, +07:00) in /Name, /Reason."""
    box = locate_signature(pdf, title_line, signer_name)
    moment = (now or datetime.now(UTC)).astimezone(VIETNAM).replace(microsecond=0)
    return sign_pdf(
        pdf,
        credential,
        field=ORGANIZATION_FIELD,
        box=seal_box(box, seal_diameter_mm),
        image=seal,
        name=organization_name,
        reason=f"{organization_name}; thời gian ký: {moment.isoformat()}",
        location=place or None,
        timestamp_url=timestamp_url,
        trust_roots=trust_roots,
    )


def sign_issued(
    pdf: bytes,
    person: Credential,
    organization: Credential,
    what: IssuedSigning,
    *,
    now: datetime | None = None,
) -> bytes:
    """Both steps, in the order NĐ 30 gives them."""
    signed = sign_person_step(
        pdf,
        person,
        title_line=what.title_line,
        name=what.signer_name,
        image=check_image(what.signature_image, "chữ ký"),
        place=what.place,
        timestamp_url=what.timestamp_url,
        trust_roots=what.trust_roots,
    )
    return sign_organization_step(
        signed,
        organization,
        title_line=what.title_line,
        signer_name=what.signer_name,
        organization_name=what.organization_name,
        seal=check_image(what.seal_image, "con dấu"),
        seal_diameter_mm=what.seal_diameter_mm,
        place=what.place,
        timestamp_url=what.timestamp_url,
        trust_roots=what.trust_roots,
        now=now,
    )
