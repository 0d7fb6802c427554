"""Digital signatures of PDFs (văn bản điện tử, issue 17): verifying what arrives.

Pure of Flask and of the database, so that the worker's sandboxed child
(:mod:`worker.jobs.signatures`) can run it on a hostile file, and so that signing our own
documents can reuse the same pieces: loading a certificate (:func:`load_certificate`), the
trust store's roots given as DER bytes, and the Vietnamese words for a signature's state.

Every check is pyHanko's (no hand-written CMS): the digest over the signed byte ranges
(``intact``), the CMS signature itself (``valid``), how much of the file the signature covers
and what was changed after it (``coverage``, ``modification_level``), and the chain of the
signer's certificate to one of the roots an admin added (``trusted``). The chain is checked
at the signing time (the timestamp's when there is one, else the signer's own claim), since
an e-office document is read months after its certificate may have expired. Revocation
lists are never fetched unless configured: schools are often offline and tests have no
network, and every report says that revocation was not checked.

A signature is reported as valid only when it is intact, cryptographically valid, covers
the document unchanged (later signatures and form filling are allowed, as in every
multi-signer e-office file), was made while its certificate was in force, and chains to a
trusted root. Anything else is one of the lesser states, never "hợp lệ".
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from typing import Any

from domain.errors import VanthuError

log = logging.getLogger(__name__)

VIETNAM = timezone(timedelta(hours=7))

# The state of one signature, worst first (a document shows its worst signature's).
BROKEN = "broken"
MODIFIED = "modified"
EXPIRED = "expired"
UNTRUSTED = "untrusted"
VALID = "valid"
SEVERITY = (BROKEN, MODIFIED, EXPIRED, UNTRUSTED, VALID)
# The state of a document as a whole, beyond its signatures'.
UNSIGNED = "unsigned"
FAILED = "failed"  # the check itself could not be run (damaged file, limits); see the error

STATE_LABELS = {
    VALID: "hợp lệ",
    UNTRUSTED: "toàn vẹn; chứng thư chưa được tin cậy",
    EXPIRED: "toàn vẹn; chứng thư không còn hiệu lực lúc ký",
    MODIFIED: "đã bị sửa sau khi ký",
    BROKEN: "chữ ký hỏng",
    UNSIGNED: "không có chữ ký số",
    FAILED: "không kiểm tra được",
}
# What each state means, for the README and the page's legend.
STATE_HELP = {
    VALID: "Nội dung còn nguyên như lúc ký, chứng thư còn hiệu lực lúc ký và được cấp bởi "
    "một chứng thư gốc mà quản trị đã thêm vào danh sách tin cậy.",
    UNTRUSTED: "Nội dung còn nguyên như lúc ký, nhưng chứng thư của người ký không dẫn về "
    "chứng thư gốc nào được tin cậy (chưa thêm chứng thư gốc, hoặc thuật toán cũ như SHA-1).",
    EXPIRED: "Nội dung còn nguyên, nhưng lúc ký chứng thư của người ký đã hết hạn hoặc chưa "
    "có hiệu lực.",
    MODIFIED: "Tệp đã bị thay đổi sau khi ký (nội dung đã ký không còn khớp, hoặc có phần "
    "được sửa thêm ngoài việc ký tiếp và điền biểu mẫu).",
    BROKEN: "Chữ ký không đọc được hoặc sai về mật mã.",
}
REVOCATION_OFF = "Chưa kiểm tra chứng thư có bị thu hồi hay không (không truy cập mạng)."
REVOCATION_ON = "Đã cho phép tải danh sách thu hồi (CRL/OCSP) khi kiểm tra."


class CertificateError(VanthuError, ValueError):
    """A certificate file an admin gave is refused; the message is Vietnamese."""

    code = "certificate_refused"


@dataclass(frozen=True)
class CertificateInfo:
    """What the admin page shows of a root certificate."""

    der: bytes
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    sha256: str


@dataclass
class SignatureReport:
    """One embedded signature as verified; JSON-ready through :meth:`to_dict`."""

    field_name: str  # the PDF's signature field
    state: str
    signer: str = ""  # the certificate's CN
    organization: str = ""  # its O (and OU), as the e-office writes them
    subject: str = ""
    signed_at: str | None = None  # ISO 8601, UTC
    time_source: str | None = None  # "timestamp" | "signer"
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    coverage: str = ""
    modification: str = ""
    cert_not_before: str | None = None
    cert_not_after: str | None = None
    cert_valid_at_signing: bool | None = None
    revocation_checked: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureReport:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


# -- certificates -------------------------------------------------------------------------


def _der_certificates(data: bytes) -> list[bytes]:
    """The DER of each certificate in a PEM (one or several) or DER file."""
    from asn1crypto import pem

    if pem.detect(data):
        return [der for kind, _headers, der in pem.unarmor(data, multiple=True)
                if kind == "CERTIFICATE"]  # fmt: skip
    return [data]


def load_certificate(data: bytes, *, require_ca: bool = True) -> CertificateInfo:
    """Read one certificate from a PEM or DER file.

    Raises:
        CertificateError: not a certificate, several of them, or (``require_ca``) not a
            certificate authority's.
    """
    from asn1crypto import x509

    if not data.strip():
        raise CertificateError("Tệp trống: hãy chọn tệp chứng thư gốc (PEM hoặc DER).")
    try:
        ders = _der_certificates(data)
    except (ValueError, TypeError) as exc:
        raise CertificateError("Tệp không phải chứng thư số (PEM hoặc DER).") from exc
    if len(ders) != 1:
        raise CertificateError(
            "Tệp phải chứa đúng một chứng thư số (PEM hoặc DER)."
            if ders
            else "Tệp không chứa chứng thư số nào (cần khối BEGIN CERTIFICATE hoặc tệp DER)."
        )
    try:
        certificate = x509.Certificate.load(ders[0], strict=True)
        subject = display_name(certificate.subject.native)
        issuer = display_name(certificate.issuer.native)
        not_before = certificate.not_valid_before
        not_after = certificate.not_valid_after
        is_ca = certificate.ca
    except Exception as exc:  # asn1crypto raises many kinds on garbage
        raise CertificateError("Tệp không phải chứng thư số (PEM hoặc DER).") from exc
    if require_ca and not is_ca:
        raise CertificateError(
            f"Chứng thư “{subject}” không phải chứng thư của tổ chức cung cấp dịch vụ chứng "
            "thực (CA): hãy tải lên chứng thư gốc (Root CA), không phải chứng thư người ký."
        )
    return CertificateInfo(
        der=ders[0],
        subject=subject,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        sha256=hashlib.sha256(ders[0]).hexdigest(),
    )


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(part) for part in value)
    return str(value or "")


def display_name(native: dict[str, Any]) -> str:
    """A certificate name for people: "CN, OU, O" (what an e-office's dialog shows)."""
    parts = [
        _text(native.get(key))
        for key in ("common_name", "organizational_unit_name", "organization_name")
    ]
    shown = ", ".join(part for part in parts if part)
    return shown or ", ".join(_text(value) for value in native.values())


# -- verification -------------------------------------------------------------------------


def pdf_start(data: bytes) -> bytes:
    """Drop bytes before ``%PDF-`` within the first 1024, as PDF readers (and the plan
    parser, :mod:`ingest.pdf_text`) allow: some e-office downloads carry a prefix."""
    start = data.find(b"%PDF-", 0, 1024 + 5)
    return data[start:] if start > 0 else data


def verify_pdf(
    data: bytes, roots: Sequence[bytes] = (), *, fetch_revocation: bool = False
) -> list[SignatureReport]:
    """Verify every signature embedded in a PDF against the trusted ``roots`` (DER).

    Returns an empty list for a PDF without signatures.

    Raises:
        Exception: pyHanko could not read the file at all (the caller reports it).
    """
    stripped = pdf_start(data)
    reports = _verify(stripped, roots, fetch_revocation)
    if stripped is not data and reports and not all(r.intact for r in reports):
        # A prefix added before signing is inside the signed ranges: try the bytes as sent.
        as_sent = _verify(data, roots, fetch_revocation)
        if sum(r.intact for r in as_sent) > sum(r.intact for r in reports):
            return as_sent
    return reports


def _verify(data: bytes, roots: Sequence[bytes], fetch: bool) -> list[SignatureReport]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    # pyHanko's reader.embedded_signatures gives up on the whole file at one unreadable
    # signature and skips unknown kinds silently; here each is its own report, so one
    # damaged or unsupported signature is shown as such ("chữ ký hỏng") beside the others.
    readable: list[Any] = []
    broken: list[SignatureReport] = []
    for name, value, field_ref in enumerate_sig_fields(reader, filled_status=True):
        try:
            subfilter = value.get_object().get("/SubFilter")
            if str(subfilter) not in _SUBFILTERS:
                broken.append(_broken(name, f"Kiểu chữ ký {subfilter} không được hỗ trợ."))
                continue
            readable.append(EmbeddedPdfSignature(reader, field_ref, name))
        except Exception as exc:
            log.info("signature %s unreadable", name, exc_info=True)
            broken.append(_broken(name, f"Không đọc được chữ ký ({type(exc).__name__})."))
    readable.sort(key=lambda embedded: embedded.signed_revision)
    # A document timestamp (PAdES-LTA's /DocTimeStamp) is nobody's signature: not listed.
    readable = [embedded for embedded in readable if embedded.sig_object_type == "/Sig"]
    return [_verify_one(embedded, roots, fetch) for embedded in readable] + broken


# The PDF signature kinds pyHanko validates (PAdES and the older detached PKCS#7).
_SUBFILTERS = ("/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/PBAD.PAdES", "/ETSI.RFC3161")


def _broken(name: str, note: str) -> SignatureReport:
    return SignatureReport(field_name=str(name or ""), state=BROKEN, notes=[note])


def _verify_one(embedded: Any, roots: Sequence[bytes], fetch: bool) -> SignatureReport:
    from asn1crypto import x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    name = str(embedded.field_name or "")
    report = SignatureReport(field_name=name, state=BROKEN, revocation_checked=fetch)
    try:
        claimed = embedded.self_reported_timestamp
    except Exception:
        claimed = None
    try:
        context = ValidationContext(
            # An explicit list, even empty: None would fall back to the OS's TLS roots.
            trust_roots=[x509.Certificate.load(der) for der in roots],
            allow_fetching=fetch,
            revocation_mode="soft-fail",
            # The chain as it stood when the document was signed.
            moment=claimed,
        )
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:
        log.info("signature %s could not be validated", name, exc_info=True)
        report.notes.append(f"Không đọc được chữ ký ({type(exc).__name__}).")
        _fill_certificate(report, embedded)
        return report
    _fill_status(report, status)
    report.state = _state(report, status)
    return report


def _fill_certificate(report: SignatureReport, embedded: Any) -> None:
    try:
        certificate = embedded.signer_cert
    except Exception:
        return
    _fill_from_cert(report, certificate)


def _fill_from_cert(report: SignatureReport, certificate: Any) -> None:
    native = certificate.subject.native
    report.signer = _text(native.get("common_name"))
    report.organization = ", ".join(
        part
        for part in (
            _text(native.get("organizational_unit_name")),
            _text(native.get("organization_name")),
        )
        if part
    )
    report.subject = display_name(native)
    report.cert_not_before = certificate.not_valid_before.isoformat()
    report.cert_not_after = certificate.not_valid_after.isoformat()


def _fill_status(report: SignatureReport, status: Any) -> None:
    from pyhanko.sign.validation.status import ModificationLevel

    _fill_from_cert(report, status.signing_cert)
    report.intact = bool(status.intact)
    report.valid = bool(status.valid)
    report.trusted = bool(status.trusted)
    report.coverage = status.coverage.name if status.coverage is not None else ""
    report.modification = (
        status.modification_level.name if status.modification_level is not None else ""
    )
    timestamp = status.timestamp_validity
    moment: datetime | None = None
    if timestamp is not None and timestamp.intact and timestamp.valid:
        moment, report.time_source = timestamp.timestamp, "timestamp"
        if not timestamp.trusted:
            report.notes.append("Dấu thời gian chưa được tin cậy (máy chủ cấp dấu thời gian "
                                "không dẫn về chứng thư gốc được tin cậy).")  # fmt: skip
    elif status.signer_reported_dt is not None:
        moment, report.time_source = status.signer_reported_dt, "signer"
        report.notes.append("Thời điểm ký do người ký tự khai (không có dấu thời gian).")
    if moment is not None:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        report.signed_at = moment.astimezone(UTC).isoformat()
        certificate = status.signing_cert
        report.cert_valid_at_signing = (
            certificate.not_valid_before <= moment <= certificate.not_valid_after
        )
    if status.modification_level == ModificationLevel.FORM_FILLING:
        report.notes.append("Sau khi ký, tệp chỉ được ký tiếp hoặc điền biểu mẫu (được phép).")
    if status.trust_problem_indic is not None and report.valid and report.intact:
        report.notes.append(_trust_problem(status.trust_problem_indic.name))
    report.notes.append(REVOCATION_ON if report.revocation_checked else REVOCATION_OFF)


def _trust_problem(indication: str) -> str:
    known = {
        "NO_CERTIFICATE_CHAIN_FOUND": "Không tìm thấy chuỗi chứng thư tới chứng thư gốc được "
        "tin cậy.",
        "CRYPTO_CONSTRAINTS_FAILURE": "Chữ ký hoặc chứng thư dùng thuật toán cũ (SHA-1) "
        "không còn được chấp nhận.",
        "OUT_OF_BOUNDS_NO_POE": "Chứng thư không còn hiệu lực tại thời điểm ký.",
        "EXPIRED": "Chứng thư đã hết hạn.",
        "NOT_YET_VALID": "Chứng thư chưa có hiệu lực.",
        "REVOKED": "Chứng thư đã bị thu hồi.",
        "REVOKED_NO_POE": "Chứng thư đã bị thu hồi.",
        "CHAIN_CONSTRAINTS_FAILURE": "Chuỗi chứng thư không đáp ứng ràng buộc.",
        "SIG_CONSTRAINTS_FAILURE": "Chứng thư không được phép dùng để ký văn bản.",
    }
    return known.get(indication, f"Chứng thư chưa được tin cậy ({indication}).")


def _state(report: SignatureReport, status: Any) -> str:
    from pyhanko.sign.validation.status import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not report.intact:
        return MODIFIED  # the signed bytes no longer hash to what was signed
    if not report.valid:
        return BROKEN
    covered = status.coverage in (
        SignatureCoverageLevel.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION,
    )
    allowed = status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
        ModificationLevel.FORM_FILLING,
    )
    if not covered or not allowed or status.docmdp_ok is False:
        return MODIFIED
    if report.cert_valid_at_signing is False:
        return EXPIRED
    if not report.trusted:
        return UNTRUSTED
    return VALID


# -- the words ----------------------------------------------------------------------------


def overall_state(reports: Iterable[SignatureReport]) -> str:
    """A document's state: its worst signature's, or ``unsigned``."""
    states = {report.state for report in reports}
    return next((state for state in SEVERITY if state in states), UNSIGNED)


def state_label(state: str | None) -> str:
    """The register's "Ký số" cell: "" (not checked), "không" or the state's words."""
    if state is None:
        return ""
    if state == UNSIGNED:
        return "không"
    return STATE_LABELS.get(state, state)


def vietnam_time(iso: str | None) -> str:
    """``2025-11-19T02:40:07+00:00`` → ``19/11/2025 09:40`` (Vietnam time)."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def describe(report: SignatureReport) -> str:
    """ "Ký số bởi: UBND tỉnh …, lúc 19/11/2025 09:40; toàn vẹn; chứng thư chưa được tin cậy"."""
    who = report.signer or "(không rõ người ký)"
    if report.organization and report.organization.casefold() != who.casefold():
        who = f"{who} ({report.organization})"
    when = vietnam_time(report.signed_at)
    head = f"Ký số bởi: {who}, lúc {when}" if when else f"Ký số bởi: {who}"
    return f"{head}; {STATE_LABELS.get(report.state, report.state)}"
