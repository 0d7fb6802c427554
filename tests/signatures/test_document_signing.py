"""Ký số văn bản đi through the product (issue 17): an issued Kế hoạch rendered by the real
worker, the principal's signature image on their account page, the seal on the admin's
page, the principal's step with their PKCS#12, the clerk's step with the school's, the
audited download of the signed PDF, and every refusal changing nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlalchemy import select

from render.manifest import load_manifest
from services.documents import create_document
from services.signatures import VALID
from services.signatures import verify_pdf
from storage.models import AuditEvent
from storage.models import Document
from storage.models import DocumentSignature
from storage.models import Job
from tests.signatures.conftest import PASSPHRASE
from tests.signatures.conftest import SCHOOL
from tests.signatures.conftest import issue
from tests.signatures.conftest import p12
from tests.signatures.conftest import seal_png
from tests.signatures.conftest import signature_png
from tests.support import drain_queue

PRINCIPAL = "Phạm Quốc Bảo"  # the world's admin: the school's Hiệu trưởng signs


@pytest.fixture
def issued(app, world, client, auth):
    """An issued Kế hoạch signed by the admin, its official PDF rendered by the worker."""
    sample = load_manifest("ke_hoach").sample
    header = {**sample["header"], "number": None, "date": None, "signer_name": PRINCIPAL}
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=header, body_fields=sample["body"],
        )  # fmt: skip
        document_id = document.id
    auth.login("clerk")
    answer = client.post(
        f"/van-ban/{document_id}/phat-hanh", data={"issued_on": date.today().strftime("%d/%m/%Y")}
    )
    assert answer.status_code == 302, answer.text
    auth.logout()
    drain_queue(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(Document, document_id).render_status == "done"
    return document_id


@pytest.fixture
def certificates(pki):
    principal = issue(PRINCIPAL, SCHOOL, issuer=pki.intermediate)
    school = issue(SCHOOL, SCHOOL, issuer=pki.intermediate)
    stranger = issue("Nguyễn Văn Bình", SCHOOL, issuer=pki.intermediate)
    return {
        "principal": p12(principal, [pki.intermediate]),
        "school": p12(school, [pki.intermediate]),
        "stranger": p12(stranger, [pki.intermediate]),
    }


def _upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def _prepare_images(client, auth) -> None:
    auth.login("admin")
    answer = client.post(
        "/tai-khoan/chu-ky",
        data={"image": _upload(signature_png(), "chu-ky.png")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.text
    answer = client.post(
        "/quan-tri/con-dau",
        data={"image": _upload(seal_png(), "con-dau.png"), "diameter_mm": "36"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.text
    auth.logout()


def _sign(client, document_id: int, step: str, credential: bytes, passphrase=PASSPHRASE):
    path = "ky-so" if step == "person" else "ky-so-co-quan"
    return client.post(
        f"/van-ban/{document_id}/{path}",
        data={"credential": _upload(credential, "chung-thu.p12"), "passphrase": passphrase},
        content_type="multipart/form-data",
    )


def _steps(app, document_id: int) -> list[str]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.scalars(
            select(DocumentSignature.step)
            .where(DocumentSignature.document_id == document_id)
            .order_by(DocumentSignature.id)
        )
        return list(rows)


def test_principal_then_clerk_sign_and_the_signed_pdf_is_valid_and_its_download_audited(
    app, client, auth, issued, certificates, pki
):
    _prepare_images(client, auth)
    auth.login("admin")
    answer = _sign(client, issued, "person", certificates["principal"])
    assert answer.status_code == 302, answer.text
    page = client.get(f"/van-ban/{issued}").text
    assert "Người có thẩm quyền ký số" in page and "Ký số của cơ quan" in page
    auth.logout()
    auth.login("clerk")
    answer = _sign(client, issued, "organization", certificates["school"])
    assert answer.status_code == 302, answer.text
    assert _steps(app, issued) == ["person", "organization"]
    download = client.get(f"/van-ban/{issued}/tai-ban-ky-so")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    reports = verify_pdf(download.data, [pki.root.der])
    assert [r.state for r in reports] == [VALID, VALID], reports
    assert [r.signer for r in reports] == [PRINCIPAL, SCHOOL]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        downloads = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "document.download_signed")
        )
        signed = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "document.sign")
        )
    assert (downloads, signed) == (1, 2)
    # The register (sổ văn bản đi) says the document was signed, on the page and in Excel.
    year = date.today().year
    assert "Đã ký số" in client.get(f"/van-ban/so-van-ban-di?year={year}").text
    export = client.get(f"/van-ban/so-van-ban-di/xuat-excel?year={year}")
    book = load_workbook(io.BytesIO(export.data))
    assert any(
        cell == "Đã ký số" for row in book.active.iter_rows(values_only=True) for cell in row
    )


def test_a_signed_document_is_never_rendered_again(app, client, auth, issued, certificates):
    _prepare_images(client, auth)
    auth.login("admin")
    assert _sign(client, issued, "person", certificates["principal"]).status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        jobs_before = session.scalar(select(func.count()).select_from(Job))
    answer = client.post(f"/van-ban/{issued}/soan-lai", follow_redirects=True)
    assert "đã ký số nên không soạn lại" in answer.text
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == jobs_before
        assert session.get(Document, issued).render_status == "done"


@pytest.mark.parametrize(
    ("who", "step", "credential", "passphrase", "message"),
    [
        ("clerk", "person", "principal", PASSPHRASE, "Chỉ chính người ký văn bản"),
        ("admin", "person", "stranger", PASSPHRASE, "không phải của người ký văn bản"),
        ("admin", "person", "principal", "sai mật khẩu", "Mật khẩu của tệp chứng thư số"),
        ("clerk", "organization", "school", PASSPHRASE, "Người có thẩm quyền cần ký số trước"),
    ],
)
def test_refusals_say_why_and_sign_nothing(
    app, client, auth, issued, certificates, who, step, credential, passphrase, message
):
    _prepare_images(client, auth)
    auth.login(who)
    answer = _sign(client, issued, step, certificates[credential], passphrase)
    assert answer.status_code == 400
    assert message in answer.text
    assert _steps(app, issued) == []


def test_the_school_certificate_must_name_the_school(app, client, auth, issued, certificates):
    _prepare_images(client, auth)
    auth.login("admin")
    assert _sign(client, issued, "person", certificates["principal"]).status_code == 302
    auth.logout()
    auth.login("clerk")
    answer = _sign(client, issued, "organization", certificates["stranger"])
    assert answer.status_code == 400 and "không phải của TRƯỜNG THCS MỸ THẠNH" in answer.text
    assert _steps(app, issued) == ["person"]


def test_signing_without_a_signature_image_sends_the_signer_to_their_account_page(
    app, client, auth, issued, certificates
):
    auth.login("admin")
    answer = _sign(client, issued, "person", certificates["principal"])
    assert answer.status_code == 400 and "chưa có ảnh chữ ký" in answer.text
    assert _steps(app, issued) == []


def test_images_are_checked_and_belong_to_their_owner(app, client, auth, world):
    auth.login("admin")
    jpeg = _upload(b"\xff\xd8\xff\xe0" + b"0" * 64, "anh.jpg")
    answer = client.post(
        "/tai-khoan/chu-ky", data={"image": jpeg}, content_type="multipart/form-data"
    )
    assert answer.status_code == 400 and "PNG nền trong suốt" in answer.text
    answer = client.post(
        "/quan-tri/con-dau",
        data={"image": _upload(seal_png(), "con-dau.png"), "diameter_mm": "200"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and "Đường kính con dấu" in answer.text
    assert client.get("/quan-tri/con-dau.png").status_code == 404
    _prepare_images(client, auth)
    auth.login("admin")
    assert client.get("/tai-khoan/chu-ky.png").data == signature_png()
    auth.logout()
    auth.login("clerk")  # the clerk has none of their own, and never sees the admin's
    assert client.get("/tai-khoan/chu-ky.png").status_code == 404


# -- timestamps and long-term validation through the product (issue 17, item 3) ----------


def _sign_both(client, auth, document_id: int, principal: bytes, school: bytes) -> None:
    auth.login("admin")
    answer = _sign(client, document_id, "person", principal)
    assert answer.status_code == 302, answer.text
    auth.logout()
    auth.login("clerk")
    answer = _sign(client, document_id, "organization", school)
    assert answer.status_code == 302, answer.text


def _levels(app, document_id: int) -> list[tuple[str, bool]]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.scalars(
            select(DocumentSignature)
            .where(DocumentSignature.document_id == document_id)
            .order_by(DocumentSignature.id)
        )
        return [(row.level, row.revocation_embedded) for row in rows]


def test_with_a_tsa_and_the_schools_trusted_root_both_signatures_reach_b_lt(
    app, world, client, auth, issued, ltv_pki
):
    from services.incoming_signatures import add_root

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        add_root(session, world["school"], ltv_pki.root.pem, user_id=world["admin"])
        session.commit()
    app.config["SIGNING_TSA_URL"] = ltv_pki.services.tsa_url
    _prepare_images(client, auth)
    chain = [ltv_pki.intermediate]
    _sign_both(client, auth, issued, p12(ltv_pki.principal, chain), p12(ltv_pki.school, chain))
    assert _levels(app, issued) == [("B-LT", True), ("B-LT", True)]
    page = client.get(f"/van-ban/{issued}").text
    assert page.count("Chữ ký mức PAdES-B-LT: có dấu thời gian") == 2
    reports = verify_pdf(client.get(f"/van-ban/{issued}/tai-ban-ky-so").data, [ltv_pki.root.der])
    assert [(r.state, r.time_source) for r in reports] == [("valid", "timestamp")] * 2


def test_without_tsa_or_trusted_root_the_page_says_b_b_and_what_is_missing(
    app, client, auth, issued, certificates
):
    app.config["SIGNING_TSA_URL"] = ""
    _prepare_images(client, auth)
    _sign_both(client, auth, issued, certificates["principal"], certificates["school"])
    assert _levels(app, issued) == [("B-B", False), ("B-B", False)]
    page = client.get(f"/van-ban/{issued}").text
    assert page.count("Chữ ký mức PAdES-B-B: chưa có dấu thời gian") == 2
    assert "chưa nhúng dữ liệu kiểm tra thu hồi" in page


def test_a_tsa_answering_garbage_refuses_the_signing_and_changes_nothing(
    app, client, auth, issued, certificates, ltv_pki
):
    app.config["SIGNING_TSA_URL"] = ltv_pki.services.garbage_tsa_url
    _prepare_images(client, auth)
    auth.login("admin")
    answer = _sign(client, issued, "person", certificates["principal"])
    assert answer.status_code == 400
    assert "Không lấy được dấu thời gian" in answer.text
    assert _steps(app, issued) == []


# -- a USB token on the signing machine (PKCS#11; SoftHSM2 stands in for it) -------------


def _sign_with_pin(client, document_id: int, step: str, pin: str):
    path = "ky-so" if step == "person" else "ky-so-co-quan"
    return client.post(f"/van-ban/{document_id}/{path}", data={"pin": pin})


def _use_token(app, soft_tokens, label: str) -> None:
    app.config["SIGNING_PKCS11_MODULE"] = soft_tokens.module
    app.config["SIGNING_PKCS11_TOKEN"] = label
    app.config["SIGNING_TSA_URL"] = ""


def test_with_a_token_the_principal_and_the_clerk_sign_with_the_pin_only(
    app, client, auth, issued, soft_tokens, pki
):
    _use_token(app, soft_tokens, soft_tokens.school)
    _prepare_images(client, auth)
    auth.login("admin")
    page = client.get(f"/van-ban/{issued}").text
    assert "Chứng thư trên thiết bị ký (USB token)" in page and 'name="pin"' in page
    assert 'name="credential"' not in page  # no .p12 upload when the token is configured
    assert _sign_with_pin(client, issued, "person", soft_tokens.pin).status_code == 302
    auth.logout()
    auth.login("clerk")
    assert _sign_with_pin(client, issued, "organization", soft_tokens.pin).status_code == 302
    assert _steps(app, issued) == ["person", "organization"]
    reports = verify_pdf(client.get(f"/van-ban/{issued}/tai-ban-ky-so").data, [pki.root.der])
    assert [(r.state, r.signer) for r in reports] == [(VALID, PRINCIPAL), (VALID, SCHOOL)]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "document.sign")
        ).all()
    assert [e.detail["device"] for e in events] == ["token", "token"]
    assert all(soft_tokens.pin not in str(e.detail) for e in events)


@pytest.mark.parametrize(
    ("token", "pin", "message"),
    [
        ("school", "999999", "Mã PIN của thiết bị ký không đúng"),
        ("school", "", "Vui lòng nhập mã PIN của thiết bị ký"),
        ("stranger", None, "Thiết bị ký không có chứng thư số của người ký Phạm Quốc Bảo"),
    ],
)
def test_token_refusals_say_why_and_sign_nothing(
    app, client, auth, issued, soft_tokens, token, pin, message
):
    _use_token(app, soft_tokens, getattr(soft_tokens, token))
    _prepare_images(client, auth)
    auth.login("admin")
    answer = _sign_with_pin(client, issued, "person", soft_tokens.pin if pin is None else pin)
    assert answer.status_code == 400 and message in answer.text
    assert _steps(app, issued) == []
