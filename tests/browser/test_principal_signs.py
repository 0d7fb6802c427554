"""The principal and the clerk sign an issued Kế hoạch digitally, in a real browser (issue
17): the principal puts their signature image on their account page, the admin the school's
seal, the principal signs with their .p12, the clerk with the school's; the signed PDF they
download is valid for pyHanko, and its last page, drawn by poppler, is kept with the
screenshots (at 1280 and 360 px) to look at. Then the clerk adds a văn bản kèm theo and
signs it with the school's certificate; its signed first page is kept too."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from render.manifest import load_manifest
from services import documents as document_service
from services import register
from services.signatures import VALID
from services.signatures import verify_pdf
from tests.browser.conftest import Live
from tests.browser.conftest import Person
from tests.signatures.conftest import PASSPHRASE
from tests.signatures.conftest import SCHOOL
from tests.signatures.conftest import issue
from tests.signatures.conftest import p12
from tests.signatures.conftest import seal_png
from tests.signatures.conftest import signature_png
from tests.signatures.test_attachment_signing import attachment_pdf
from views.formatting import VIETNAM

pytestmark = pytest.mark.slow

PRINCIPAL = "Phạm Quốc Bảo"  # the world's admin is the school's Hiệu trưởng


def _issued_plan(live: Live) -> int:
    """An issued Kế hoạch to be signed by the principal, its render queued for the worker."""
    sample = load_manifest("ke_hoach").sample
    header = {**sample["header"], "number": None, "date": None, "signer_name": PRINCIPAL}
    app, world = live.app, live.world
    with app.app_context():
        session = app.extensions["vanthu.db"].sessions()
        try:
            document = document_service.create_document(
                session, organization_id=world["school"], created_by_id=world["clerk"],
                kind="ke_hoach", header_fields=header, body_fields=sample["body"],
            )  # fmt: skip
            session.commit()
            register.issue_document(
                session, document, user_id=world["clerk"], issued_on=datetime.now(VIETNAM).date()
            )
            document_service.request_render(session, app, document, user_id=world["clerk"])
            session.commit()
            return document.id
        finally:
            session.close()


def _file(data: bytes, name: str, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def test_principal_then_clerk_sign_an_issued_plan(person: Person, live: Live) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    page = person.page
    root = issue("Root CA thử nghiệm", "Ban Cơ yếu (thử)", ca=True)
    principal = issue(PRINCIPAL, SCHOOL, issuer=root)
    school = issue(SCHOOL, SCHOOL, issuer=root)
    document_id = _issued_plan(live)

    person.login("admin")
    person.open("/tai-khoan/")
    page.get_by_label("Tải ảnh chữ ký (PNG nền trong suốt)").set_input_files(
        _file(signature_png(), "chu-ky.png", "image/png")
    )
    page.get_by_role("button", name="Lưu ảnh chữ ký").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lưu ảnh chữ ký")
    person.shot("anh-chu-ky")

    person.open("/quan-tri/")
    page.get_by_role("link", name="Con dấu (ký số văn bản đi)").click()
    page.get_by_label("Ảnh con dấu (PNG nền trong suốt, tối đa 2 MB)").set_input_files(
        _file(seal_png(), "con-dau.png", "image/png")
    )
    page.get_by_label("Đường kính thật của con dấu").fill("36")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã lưu ảnh con dấu")
    person.shot("con-dau")

    person.open(f"/van-ban/{document_id}")
    person.wait_for_jobs()
    signing = page.locator("#ky-so")
    expect(signing).to_contain_text("Bước 1")
    signing.get_by_label("Tệp chứng thư số của người ký (.p12, .pfx)").set_input_files(
        _file(p12(principal, [root]), "hieu-truong.p12", "application/x-pkcs12")
    )
    signing.get_by_label("Mật khẩu của tệp chứng thư").fill(PASSPHRASE)
    person.shot("truoc-khi-ky")
    signing.get_by_role("button", name="Ký số (người có thẩm quyền)").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã ký số văn bản")
    expect(page.locator("#ky-so")).to_contain_text("Bước 2")
    person.shot("hieu-truong-da-ky")
    page.locator("header").get_by_role("button", name="Đăng xuất").click()

    person.login("clerk")
    person.open(f"/van-ban/{document_id}")
    signing = page.locator("#ky-so")
    signing.get_by_label("Tệp chứng thư số của cơ quan (.p12, .pfx)").set_input_files(
        _file(p12(school, [root]), "truong.p12", "application/x-pkcs12")
    )
    signing.get_by_label("Mật khẩu của tệp chứng thư").fill(PASSPHRASE)
    signing.get_by_role("button", name="Ký số của cơ quan").click()
    expect(page.locator(".flash.success")).to_contain_text("văn bản điện tử đã hoàn tất")
    expect(page.locator("#ky-so")).to_contain_text(f"Cơ quan ký số: {SCHOOL}")
    person.shot("co-quan-da-ky")

    # A văn bản kèm theo in a file of its own: the clerk uploads it and signs it with the
    # school's certificate (NĐ 30: số/ký hiệu and time at the top right, no image).
    attachments = page.locator("#kem-theo")
    attachments.get_by_label("Thêm văn bản kèm theo").set_input_files(
        _file(attachment_pdf(), "Phụ lục I.pdf", "application/pdf")
    )
    attachments.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã thêm văn bản kèm theo")
    attachments = page.locator("#kem-theo")
    attachments.get_by_text("Ký số của cơ quan").click()
    attachments.get_by_label("Tệp chứng thư số của cơ quan (.p12, .pfx)").set_input_files(
        _file(p12(school, [root]), "truong.p12", "application/x-pkcs12")
    )
    attachments.get_by_label("Mật khẩu của tệp chứng thư").fill(PASSPHRASE)
    attachments.get_by_role("button", name="Ký số văn bản kèm theo").click()
    expect(page.locator(".flash.success")).to_contain_text("Cơ quan đã ký số văn bản kèm theo")
    expect(page.locator("#kem-theo")).to_contain_text(f"cơ quan đã ký số: {SCHOOL}")
    person.shot("kem-theo-da-ky")
    with page.expect_download() as info:
        page.locator("#kem-theo").get_by_role("link", name="Phụ lục I.pdf").click()
    signed_attachment = Path(info.value.path()).read_bytes()
    with ThreadPoolExecutor(1) as pool:
        [report] = pool.submit(verify_pdf, signed_attachment, [root.der]).result()
    assert (report.signer, report.state) == (SCHOOL, VALID)
    (person.shots / "kem-theo-ky-so.pdf").write_bytes(signed_attachment)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-l", "1", str(person.shots / "kem-theo-ky-so.pdf"),
         str(person.shots / "kem-theo-trang")],
        check=True,
        timeout=60,
    )  # fmt: skip

    page.set_viewport_size({"width": 360, "height": 780})
    page.locator("#ky-so").scroll_into_view_if_needed()
    person.shot("co-quan-da-ky-360")
    page.locator("#kem-theo").scroll_into_view_if_needed()
    person.shot("kem-theo-360")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản PDF đã ký số").click()
    signed = Path(info.value.path()).read_bytes()
    # pyHanko's validator runs its own event loop; Playwright's is running in this thread.
    with ThreadPoolExecutor(1) as pool:
        reports = pool.submit(verify_pdf, signed, [root.der]).result()
    assert [(r.signer, r.state) for r in reports] == [(PRINCIPAL, VALID), (SCHOOL, VALID)]
    pdf = person.shots / "ban-ky-so.pdf"
    pdf.write_bytes(signed)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-l", "9", str(pdf), str(person.shots / "trang")],
        check=True,
        timeout=60,
    )
    person.assert_clean_console()
