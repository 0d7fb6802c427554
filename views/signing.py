"""Ký số văn bản đi (issue 17): the two signing steps on an issued document, the signed
PDF's audited download, and the admin's page for the organization's seal image.

A certificate file and its passphrase arrive with the request and are used in it only:
they are read into memory, handed to ``services.document_signing`` and dropped; nothing
writes them anywhere (not the database, not the queue, not the log). Where the server is
also the signing machine (``SIGNING_PKCS11_MODULE`` set: a USB token plugged into it), the
form asks for the token's PIN instead, which is treated the same way.
"""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from services import attachments
from services import document_signing
from services.signing import MAX_CREDENTIAL_BYTES
from services.signing import MAX_IMAGE_BYTES
from services.signing import CredentialSource
from services.signing import Pkcs11Token
from services.signing import Pkcs12File
from services.signing import SigningError
from storage.db import get_session
from storage.models import Document
from storage.models import DocumentAttachment
from storage.uploads import UploadRejected
from views.access import get_in_org
from views.auth import admin_required
from views.auth import clerk_required
from views.documents import render_detail
from views.downloads import send_audited
from views.downloads import send_bytes

bp = Blueprint("signing", __name__)


def _credential() -> CredentialSource:
    module = current_app.config.get("SIGNING_PKCS11_MODULE") or ""
    if module:
        return Pkcs11Token(
            module=module,
            pin=request.form.get("pin", ""),
            token_label=current_app.config.get("SIGNING_PKCS11_TOKEN") or None,
        )
    upload = request.files.get("credential")
    data = upload.read(MAX_CREDENTIAL_BYTES + 1) if upload else b""
    passphrase = request.form.get("passphrase", "")
    if not data:
        raise SigningError("Vui lòng chọn tệp chứng thư số (.p12 hoặc .pfx).")
    if not passphrase:
        raise SigningError("Vui lòng nhập mật khẩu của tệp chứng thư số.")
    return Pkcs12File(data, passphrase)


def _sign(document_id: int, step: str) -> ResponseReturnValue:
    document = get_in_org(Document, document_id)
    session = get_session()
    timestamp_url = current_app.config.get("SIGNING_TSA_URL") or None
    try:
        source = _credential()
        sign = (
            document_signing.sign_as_person
            if step == document_signing.PERSON
            else document_signing.sign_as_organization
        )
        sign(session, document, g.user, source, timestamp_url=timestamp_url)
    except SigningError as exc:
        session.rollback()
        return render_detail(document, sign_error=exc.message, sign_step=step), 400
    session.commit()
    flash(
        "Đã ký số văn bản."
        if step == document_signing.PERSON
        else "Cơ quan đã ký số; văn bản điện tử đã hoàn tất.",
        "success",
    )
    return redirect(url_for("documents.detail", document_id=document.id) + "#ky-so")


@bp.route("/van-ban/<int:document_id>/ky-so", methods=["POST"])
@clerk_required
def sign_person(document_id: int) -> ResponseReturnValue:
    return _sign(document_id, document_signing.PERSON)


@bp.route("/van-ban/<int:document_id>/ky-so-co-quan", methods=["POST"])
@clerk_required
def sign_organization(document_id: int) -> ResponseReturnValue:
    return _sign(document_id, document_signing.ORGANIZATION)


@bp.route("/van-ban/<int:document_id>/tai-ban-ky-so")
@clerk_required
def download_signed(document_id: int) -> ResponseReturnValue:
    """The signed PDF (the last step's), each download recorded in the audit log."""
    document = get_in_org(Document, document_id)
    stored = document_signing.signed_file(get_session(), document)
    if stored is None:
        abort(404)
    return send_audited(
        stored,
        "document.download_signed",
        object_type="document",
        object_id=document.id,
        detail=document_signing.document_detail(document),
    )


# -- văn bản kèm theo: added on the issued document's page, signed by the organization ------


def _attachment(document: Document, attachment_id: int) -> DocumentAttachment:
    try:
        return attachments.get_attachment(get_session(), document, attachment_id)
    except LookupError:
        abort(404)


def _back_to_attachments(document: Document) -> ResponseReturnValue:
    return redirect(url_for("documents.detail", document_id=document.id) + "#kem-theo")


@bp.route("/van-ban/<int:document_id>/kem-theo", methods=["POST"])
@clerk_required
def add_attachment(document_id: int) -> ResponseReturnValue:
    """Upload a văn bản kèm theo (PDF, or Word/OpenDocument made PDF by the worker)."""
    document = get_in_org(Document, document_id)
    session = get_session()
    upload = request.files.get("file")
    content = upload.read(attachments.MAX_ATTACHMENT_BYTES + 1) if upload else b""
    try:
        if not upload or not upload.filename:
            raise SigningError("Vui lòng chọn tệp PDF của văn bản kèm theo.")
        row = attachments.add_attachment(
            session, current_app, document, g.user, upload.filename, content
        )
    except (SigningError, UploadRejected) as exc:
        session.rollback()
        return render_detail(document, attachment_error=exc.message), 400
    name = attachments.names(session, [row]).get(row.id, "")
    session.commit()
    flash(f"Đã thêm văn bản kèm theo “{name}”.", "success")
    return _back_to_attachments(document)


@bp.route("/van-ban/<int:document_id>/kem-theo/<int:attachment_id>/go", methods=["POST"])
@clerk_required
def remove_attachment(document_id: int, attachment_id: int) -> ResponseReturnValue:
    """Remove an attachment uploaded by mistake, while it is not signed."""
    document = get_in_org(Document, document_id)
    row = _attachment(document, attachment_id)
    session = get_session()
    try:
        name = attachments.remove_attachment(session, document, row)
    except SigningError as exc:
        session.rollback()
        return render_detail(document, attachment_error=exc.message), 409
    session.commit()
    flash(f"Đã gỡ văn bản kèm theo “{name}”.", "success")
    return _back_to_attachments(document)


@bp.route("/van-ban/<int:document_id>/kem-theo/<int:attachment_id>/ky-so", methods=["POST"])
@clerk_required
def sign_attachment(document_id: int, attachment_id: int) -> ResponseReturnValue:
    """The organization signs an attachment: số/ký hiệu and time at the top right of page 1."""
    document = get_in_org(Document, document_id)
    row = _attachment(document, attachment_id)
    session = get_session()
    timestamp_url = current_app.config.get("SIGNING_TSA_URL") or None
    try:
        attachments.sign_attachment(
            session, document, row, g.user, _credential(), timestamp_url=timestamp_url
        )
    except SigningError as exc:
        session.rollback()
        return render_detail(
            document, attachment_error=exc.message, attachment_signing=attachment_id
        ), 400
    session.commit()
    flash("Cơ quan đã ký số văn bản kèm theo.", "success")
    return _back_to_attachments(document)


@bp.route("/van-ban/<int:document_id>/kem-theo/<int:attachment_id>")
@clerk_required
def download_attachment(document_id: int, attachment_id: int) -> ResponseReturnValue:
    """The attachment: its signed PDF once signed, else its PDF, else (or with ``?ban=goc``)
    the file as uploaded; each download in the audit log."""
    document = get_in_org(Document, document_id)
    row = _attachment(document, attachment_id)
    session = get_session()
    stored = attachments.file_of(session, row, original=request.args.get("ban") == "goc")
    return send_audited(
        stored,
        "document.download_attachment",
        object_type="document",
        object_id=document.id,
        detail={
            **document_signing.document_detail(document),
            "name": attachments.names(session, [row]).get(row.id, ""),
            "signed": bool(row.signed_file_id),
        },
    )


@bp.route("/quan-tri/con-dau", methods=["GET", "POST"])
@admin_required
def seal() -> ResponseReturnValue:
    """The organization's seal image and its real diameter, for its digital signature."""
    session = get_session()
    org_id = g.user.organization_id
    error = ""
    diameter_text = request.form.get("diameter_mm", "").strip().replace(",", ".")
    if request.method == "POST":
        upload = request.files.get("image")
        data = upload.read(MAX_IMAGE_BYTES + 1) if upload else b""
        try:
            if not data:
                raise SigningError("Vui lòng chọn ảnh con dấu (tệp PNG nền trong suốt).")
            try:
                diameter = float(diameter_text)
            except ValueError:
                raise SigningError(
                    "Vui lòng nhập đường kính thật của con dấu, tính bằng mm (ví dụ 36)."
                ) from None
            document_signing.save_seal(session, org_id, g.user, data, diameter)
        except SigningError as exc:
            session.rollback()
            error = exc.message
        else:
            session.commit()
            flash("Đã lưu ảnh con dấu của cơ quan.", "success")
            return redirect(url_for("signing.seal"))
    current = document_signing.seal_image(session, org_id)
    return render_template(
        "admin/seal.html",
        current=current,
        error=error,
        diameter_text=diameter_text
        or (f"{current.diameter_mm:g}" if current and current.diameter_mm else ""),
        min_mm=document_signing.MIN_SEAL_MM,
        max_mm=document_signing.MAX_SEAL_MM,
    ), (400 if error else 200)


@bp.route("/quan-tri/con-dau.png")
@admin_required
def seal_png() -> ResponseReturnValue:
    session = get_session()
    data = document_signing.image_bytes(
        session, document_signing.seal_image(session, g.user.organization_id)
    )
    if data is None:
        abort(404)
    return send_bytes(data, "con-dau.png", "image/png")
