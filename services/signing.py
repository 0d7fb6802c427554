"""Signing an issued document's PDF (PAdES, pyHanko), in the two steps NĐ 30 lays out for
electronic documents: the person with authority signs, then the organization's certificate
adds its signature over the whole (issue 17).

What the page shows (NĐ 30/2020 Phụ lục I, cells 7c and 8): the signer's signature image
between the chức vụ line and the name; the organization's seal image, real size, over
about one third of the signature image on its left. The organization's name and the
signing time (ISO 8601, Vietnam time zone) go in the organization's signature itself (its
/Name and /Reason), where a verifier shows them.

Credentials come from a PKCS#12 file and a passphrase that live only for the call: nothing
here stores either. Every refusal is a ``SigningError`` with a Vietnamese message, and a
refused call leaves the PDF as it was (the result is a new byte string).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
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
PERSON_FIELD = "ChuKyNguoiKy"
ORGANIZATION_FIELD = "ChuKyCoQuan"


class SigningError(VanthuError, ValueError):
    """A credential, image or PDF that cannot be signed with; the message is for the user."""


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
    stamp_style: Any | None = None,
) -> bytes:
    """``pdf`` with one more PAdES signature (an incremental update, so earlier signatures
    stay valid), visible as ``image`` in ``box`` when both are given, or as ``stamp_style``
    (a pyHanko stamp style: the text of an attachment's signature) in ``box``."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign import signers
    from pyhanko.sign import timestamps
    from pyhanko.stamp import StaticStampStyle

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko wraps many parser errors
        raise SigningError("Không mở được tệp PDF để ký.") from exc
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
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location,
    )
    signer = signers.PdfSigner(
        meta,
        signer=credential.signer,
        stamp_style=style,
        new_field_spec=spec,
        timestamper=timestamps.HTTPTimeStamper(timestamp_url) if timestamp_url else None,
    )
    out = signer.sign_pdf(writer)
    return bytes(out.getvalue())


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


def sign_person_step(
    pdf: bytes,
    credential: Credential,
    *,
    title_line: str,
    name: str,
    image: Image.Image,
    place: str = "",
    timestamp_url: str | None = None,
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
        now=now,
    )
