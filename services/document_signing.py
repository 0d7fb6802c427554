"""Signing an issued document in the product (issue 17): who may sign, with what, and what
the signing leaves behind.

The order is NĐ 30's for electronic documents. First the person named as the signer signs
with their own certificate (a PKCS#12 and passphrase sent with the request, used for that
request only, never stored); their signature image is the one they uploaded on their own
account page. Then a clerk adds the organization's signature with the organization's
certificate; its seal image is the one an admin uploaded, at the real size the admin gave.
Each step stores the PDF it produced (files live in the database) and a row in
``document_signatures``; the document is then immutable: it is never rendered again (a
change is a văn bản thay thế), and each download of the signed PDF is audited.

Each signature gets what can be had beyond PAdES-B-B: the configured TSA's timestamp, and
the chain's revocation data when the chain leads to one of the roots the organization's
admin trusts (the same ``trusted_roots`` the incoming documents are checked against: the
admin has already said which CAs the organization relies on, and a chain the organization
itself would not call trusted is not worth a long-term proof). The level reached is read
back from the signed file and kept with the step; the document's page shows it.

The certificate must be the signer's (its name is the document's signer name, compared
without diacritics or case) and the organization's (its name contains the organization's),
so a clerk cannot sign for the principal with another certificate that the CA issued.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.names import strip_honorific
from domain.signature import SignatureBlock
from domain.text import fold
from services import audit
from services import signing
from services.documents import kind_label
from services.incoming_signatures import root_ders
from services.signing import SigningError
from storage.files import save_file
from storage.models import Document
from storage.models import DocumentRender
from storage.models import DocumentSignature
from storage.models import DocumentStatus
from storage.models import Organization
from storage.models import RenderStatus
from storage.models import SigningImage
from storage.models import StoredFile
from storage.models import User

PERSON = "person"
ORGANIZATION = "organization"
SEAL = "organization"  # the owner key of an organization's seal image
MIN_SEAL_MM = 20.0
MAX_SEAL_MM = 60.0

STEP_LABELS = {PERSON: "Người có thẩm quyền ký số", ORGANIZATION: "Cơ quan ký số"}


def _user_owner(user_id: int) -> str:
    return f"user:{user_id}"


# -- images ------------------------------------------------------------------------------


def image_of(session: Session, organization_id: int, owner: str) -> SigningImage | None:
    return session.scalar(
        select(SigningImage).where(
            SigningImage.organization_id == organization_id, SigningImage.owner == owner
        )
    )


def signature_image(session: Session, user: User) -> SigningImage | None:
    return image_of(session, user.organization_id, _user_owner(user.id))


def seal_image(session: Session, organization_id: int) -> SigningImage | None:
    return image_of(session, organization_id, SEAL)


def _keep_image(
    session: Session,
    *,
    organization_id: int,
    owner: str,
    data: bytes,
    what: str,
    user_id: int,
    diameter_mm: float | None = None,
) -> SigningImage:
    signing.check_image(data, what)
    stored = save_file(
        session,
        organization_id=organization_id,
        content=data,
        original_name=f"{what}.png",
        mime_type="image/png",
        created_by_id=user_id,
    )
    row = image_of(session, organization_id, owner)
    if row is None:
        row = SigningImage(organization_id=organization_id, owner=owner)
        session.add(row)
    elif row.file_id:
        old = session.get(StoredFile, row.file_id)
        row.file_id = None
        session.flush()
        if old is not None:
            session.delete(old)  # one image per owner: the old one goes with the change
    row.file_id = stored.id
    row.diameter_mm = diameter_mm
    row.updated_at = datetime.now(UTC)
    session.flush()
    return row


def save_signature_image(session: Session, user: User, data: bytes) -> SigningImage:
    """The user's own signature image (PNG, transparent): only they sign with it."""
    row = _keep_image(
        session,
        organization_id=user.organization_id,
        owner=_user_owner(user.id),
        data=data,
        what="chữ ký",
        user_id=user.id,
    )
    audit.record(session, "signing.image", object_type="user", object_id=user.id)
    return row


def save_seal(
    session: Session, organization_id: int, user: User, data: bytes, diameter_mm: float
) -> SigningImage:
    """The organization's seal image and its real diameter (admins only, by the view)."""
    if not MIN_SEAL_MM <= diameter_mm <= MAX_SEAL_MM:
        raise SigningError(
            f"Đường kính con dấu phải từ {MIN_SEAL_MM:.0f} đến {MAX_SEAL_MM:.0f} mm "
            "(đo trên con dấu thật)."
        )
    row = _keep_image(
        session,
        organization_id=organization_id,
        owner=SEAL,
        data=data,
        what="con dấu",
        user_id=user.id,
        diameter_mm=diameter_mm,
    )
    audit.record(
        session,
        "signing.seal",
        object_type="organization",
        object_id=organization_id,
        detail={"diameter_mm": f"{diameter_mm:g}"},
    )
    return row


def image_bytes(session: Session, row: SigningImage | None) -> bytes | None:
    stored = session.get(StoredFile, row.file_id) if row and row.file_id else None
    return stored.content if stored else None


# -- the document's signatures ------------------------------------------------------------


def signatures_of(session: Session, document: Document) -> dict[str, DocumentSignature]:
    rows = session.scalars(
        select(DocumentSignature).where(DocumentSignature.document_id == document.id)
    )
    return {row.step: row for row in rows}


def is_signed(session: Session, document: Document) -> bool:
    """Whether any signature was put on ``document`` (it is immutable from then on)."""
    return bool(signatures_of(session, document))


def signed_file(session: Session, document: Document) -> StoredFile | None:
    """The PDF of the last signing step, None when nobody signed."""
    steps = signatures_of(session, document)
    row = steps.get(ORGANIZATION) or steps.get(PERSON)
    return session.get(StoredFile, row.file_id) if row else None


def signing_notes(session: Session, document_ids: list[int]) -> dict[int, str]:
    """For the register (sổ văn bản đi): which documents were signed, and how far."""
    steps: dict[int, set[str]] = {}
    if document_ids:
        rows = session.execute(
            select(DocumentSignature.document_id, DocumentSignature.step).where(
                DocumentSignature.document_id.in_(document_ids)
            )
        )
        for document_id, step in rows:
            steps.setdefault(document_id, set()).add(step)
    return {
        document_id: "Đã ký số"
        if ORGANIZATION in done
        else "Người có thẩm quyền đã ký số; cơ quan chưa ký"
        for document_id, done in steps.items()
    }


@dataclass(frozen=True)
class SignerLines:
    title_line: str  # the chức vụ line printed right above the signature
    name: str  # the name printed under it


def signer_lines(document: Document) -> SignerLines:
    block = SignatureBlock.from_header(document.header_fields or {})
    lines = block.authority_lines
    return SignerLines(title_line=lines[-1] if lines else "", name=block.name_line)


def _require_issued(document: Document) -> None:
    if document.status != DocumentStatus.ISSUED.value:
        raise SigningError("Chỉ ký số văn bản đã phát hành (đã có số) và chưa thu hồi.")


def _signable_pdf(session: Session, document: Document) -> StoredFile:
    _require_issued(document)
    current = session.scalar(
        select(DocumentRender)
        .where(DocumentRender.document_id == document.id)
        .order_by(DocumentRender.id.desc())
        .limit(1)
    )
    if (
        document.render_status != RenderStatus.DONE.value
        or current is None
        or current.number != document.number
        or not document.pdf_file_id
    ):
        raise SigningError("Bản chính thức (có số) chưa soạn xong; hãy chờ soạn xong rồi ký số.")
    stored = session.get(StoredFile, document.pdf_file_id)
    if stored is None:
        raise SigningError("Không tìm thấy bản PDF của văn bản.")
    return stored


def document_detail(document: Document) -> dict[str, object]:
    """What the audit sentence names the document by (kind, number, ký hiệu)."""
    return {
        "kind_label": kind_label(document.kind),
        "number": document.number,
        "symbol": document.symbol,
    }


def _organization(session: Session, document: Document) -> Organization:
    organization = session.get(Organization, document.organization_id)
    assert organization is not None  # a foreign key
    return organization


def is_signer(user: User, document: Document) -> bool:
    """Whether ``user`` is the person the document names as its signer."""
    return _same_person(user.full_name, signer_lines(document).name)


def _same_person(certificate_name: str, signer_name: str) -> bool:
    return bool(signer_name) and fold(strip_honorific(certificate_name)) == fold(signer_name)


def names_organization(certificate_name: str, organization: Organization) -> bool:
    held, ours = fold(certificate_name), fold(organization.name)
    return bool(held) and (ours in held or held in ours)


@contextmanager
def organization_credential(
    source: signing.CredentialSource, organization: Organization
) -> Iterator[signing.Credential]:
    """The organization's credential from ``source`` (on a token, the certificate naming
    it), refused when it names someone else: a document's second step and an attachment
    are signed only by the organization."""
    with signing.open_credential(
        source, lambda held: names_organization(held, organization), organization.name
    ) as credential:
        if not names_organization(credential.subject, organization):
            raise SigningError(
                f"Chứng thư số là của “{credential.subject}”, không phải của {organization.name}."
            )
        yield credential


class SignedRow(Protocol):
    """A row that keeps what its signature reached: a document's signature or a signed
    attachment."""

    level: str
    revocation_embedded: bool


def level_note(row: SignedRow) -> str:
    """The page's sentence on the level ``row``'s signature reached ("" when not known)."""
    return signing.level_note(row.level, row.revocation_embedded) if row.level else ""


def _store_step(
    session: Session,
    document: Document,
    user: User,
    *,
    step: str,
    pdf: bytes,
    subject: str,
    source: signing.CredentialSource,
) -> DocumentSignature:
    level = signing.level_of(
        pdf, signing.PERSON_FIELD if step == PERSON else signing.ORGANIZATION_FIELD
    )
    stored = save_file(
        session,
        organization_id=document.organization_id,
        content=pdf,
        original_name=f"{document.symbol or 'van-ban'}-{document.number}-ky-so.pdf",
        mime_type="application/pdf",
        created_by_id=user.id,
    )
    row = DocumentSignature(
        document_id=document.id,
        organization_id=document.organization_id,
        step=step,
        user_id=user.id,
        file_id=stored.id,
        subject=subject[:255],
        signed_at=datetime.now(UTC),
        level=level.level,
        revocation_embedded=level.revocation_embedded,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        "document.sign",
        object_type="document",
        object_id=document.id,
        detail={
            "step": step,
            "certificate": subject,
            "device": "token" if isinstance(source, signing.Pkcs11Token) else "file",
            "level": level.level,
            **document_detail(document),
        },
    )
    return row


def sign_as_person(
    session: Session,
    document: Document,
    user: User,
    source: signing.CredentialSource,
    *,
    timestamp_url: str | None = None,
) -> DocumentSignature:
    """The first step: the signer's own certificate and signature image."""
    steps = signatures_of(session, document)
    if PERSON in steps:
        raise SigningError("Người có thẩm quyền đã ký số văn bản này.")
    stored = _signable_pdf(session, document)
    lines = signer_lines(document)
    if not _same_person(user.full_name, lines.name):
        # The image on the page is the signing user's: only the signer's own account may
        # put it above the signer's name.
        raise SigningError(
            f"Chỉ chính người ký văn bản ({lines.name or 'chưa ghi'}) mới ký số bước này, "
            "bằng tài khoản của mình."
        )
    image = image_bytes(session, signature_image(session, user))
    if image is None:
        raise SigningError(
            "Bạn chưa có ảnh chữ ký: hãy tải ảnh chữ ký (PNG nền trong suốt) ở trang "
            "Tài khoản của tôi trước khi ký số."
        )
    with signing.open_credential(
        source,
        lambda held: _same_person(held, lines.name),
        f"người ký {lines.name or 'văn bản'}",
    ) as credential:
        if not _same_person(credential.subject, lines.name):
            raise SigningError(
                f"Chứng thư số là của “{credential.subject}”, không phải của người ký văn bản "
                f"(“{lines.name or 'chưa ghi'}”)."
            )
        pdf = signing.sign_person_step(
            stored.content,
            credential,
            title_line=lines.title_line,
            name=lines.name,
            image=signing.check_image(image, "chữ ký"),
            place=_organization(session, document).place,
            timestamp_url=timestamp_url,
            trust_roots=root_ders(session, document.organization_id),
        )
    return _store_step(
        session, document, user, step=PERSON, pdf=pdf, subject=credential.subject,
        source=source,
    )  # fmt: skip


def sign_as_organization(
    session: Session,
    document: Document,
    user: User,
    source: signing.CredentialSource,
    *,
    timestamp_url: str | None = None,
) -> DocumentSignature:
    """The second step: the organization's certificate and seal, over the signed PDF."""
    steps = signatures_of(session, document)
    if ORGANIZATION in steps:
        raise SigningError("Văn bản đã có chữ ký số của cơ quan.")
    if PERSON not in steps:
        raise SigningError("Người có thẩm quyền cần ký số trước, rồi cơ quan ký số sau.")
    _require_issued(document)
    organization = _organization(session, document)
    seal = seal_image(session, document.organization_id)
    seal_data = image_bytes(session, seal)
    if seal is None or seal_data is None or not seal.diameter_mm:
        raise SigningError(
            "Cơ quan chưa có ảnh con dấu: quản trị viên cần tải ảnh con dấu (PNG nền trong "
            "suốt) và đường kính thật của con dấu ở trang Quản trị → Con dấu."
        )
    previous = session.get(StoredFile, steps[PERSON].file_id)
    if previous is None:
        raise SigningError("Không tìm thấy bản đã ký của người có thẩm quyền.")
    lines = signer_lines(document)
    with organization_credential(source, organization) as credential:
        pdf = signing.sign_organization_step(
            previous.content,
            credential,
            title_line=lines.title_line,
            signer_name=lines.name,
            organization_name=organization.name,
            seal=signing.check_image(seal_data, "con dấu"),
            seal_diameter_mm=seal.diameter_mm,
            place=organization.place,
            timestamp_url=timestamp_url,
            trust_roots=root_ders(session, document.organization_id),
        )
    return _store_step(
        session, document, user, step=ORGANIZATION, pdf=pdf, subject=credential.subject,
        source=source,
    )  # fmt: skip
