"""The signatures on the incoming document's page, in the register, and the admin's roots.

Real path end to end: the clerk uploads a signed PDF through the web, a real RQ worker runs
the parse job (which verifies the signatures in its sandboxed child), the line is
registered; the admin adds the root through Quản trị, whose re-verification job the worker
runs too.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from services.incoming.book import export_register
from services.incoming.registration import register
from services.incoming.suggestions import suggestion_from_plan
from storage.models import AuditEvent
from storage.models import IncomingDocument
from storage.models import IncomingEntry
from storage.models import Job
from storage.models import TrustedRoot
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import upload
from tests.support import drain_queue as work

SIGNED_LINE = re.compile(
    r"Ký số bởi: Nguyễn Văn Bình \(UBND tỉnh Đồng Tháp\), lúc \d\d/\d\d/\d{4} \d\d:\d\d; "
    r"toàn vẹn; chứng thư chưa được tin cậy"
)


def _registered(app, world, content: bytes, auth, client) -> tuple[int, int]:
    """Upload ``content`` as the clerk, let the worker read it, register it: (plan, line)."""
    auth.login("clerk")
    plan_id = incoming_id_of(upload(client, content, "ke-hoach-ky-so.pdf"))
    work(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        plan = session.get(IncomingDocument, plan_id)
        entry = register(
            session,
            organization_id=world["school"],
            user_id=world["clerk"],
            # The test page is one line of text: the clerk types the trích yếu.
            data=replace(suggestion_from_plan(plan, date.today()), summary="Kế hoạch thi đua"),
        )
        session.flush()
        return plan_id, entry.id


def _page(client, entry_id: int) -> str:
    response = client.get(f"/so-van-ban-den/{entry_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _state(app, plan_id: int) -> tuple[str | None, str | None]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        plan = session.get(IncomingDocument, plan_id)
        entry = session.scalar(select(IncomingEntry).where(IncomingEntry.plan_id == plan_id))
        return plan.signature_state, entry.signature_state if entry else None


def test_signed_upload_is_shown_untrusted_on_its_page_and_in_the_register(
    app, world, auth, client, signed_pdfs
):
    plan_id, entry_id = _registered(app, world, signed_pdfs.signed, auth, client)
    assert _state(app, plan_id) == ("untrusted", "untrusted")
    page = _page(client, entry_id)
    assert SIGNED_LINE.search(page), page
    assert "Chưa kiểm tra chứng thư có bị thu hồi" in page
    assert "hợp lệ" not in page
    register_page = client.get("/so-van-ban-den/").get_data(as_text=True)
    assert "Ký số: toàn vẹn; chứng thư chưa được tin cậy" in register_page
    # The clerk reviewing the plan (Văn bản cấp trên) sees the same, before registering it.
    review_page = client.get(f"/van-ban-den/{plan_id}").get_data(as_text=True)
    assert SIGNED_LINE.search(review_page), review_page
    assert "hợp lệ" not in review_page


def test_changed_after_signing_is_shown_changed(app, world, auth, client, signed_pdfs):
    _plan_id, entry_id = _registered(app, world, signed_pdfs.updated, auth, client)
    page = _page(client, entry_id)
    assert "Kết luận: <strong" in page
    assert "đã bị sửa sau khi ký" in page


def test_admin_adds_the_root_and_the_document_becomes_valid_then_removes_it(
    app, world, auth, client, signed_pdfs, pki
):
    plan_id, entry_id = _registered(app, world, signed_pdfs.signed, auth, client)
    auth.logout()
    auth.login("admin")
    response = client.post(
        "/quan-tri/chung-thu-goc",
        data={"certificate": (io.BytesIO(pki.root.pem), "root.cer")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đã thêm chứng thư gốc “Test Root CA Việt Nam, Ban Cơ yếu (thử)”" in page
    assert "Test Root CA Việt Nam" in page
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.scalar(select(Job.function).order_by(Job.created_at.desc())).endswith(
            "verify_signatures"
        )
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "trust_root.add"))
        assert event is not None and event.user_id == world["admin"]
    work(app)
    assert _state(app, plan_id) == ("valid", "valid")
    valid_page = _page(client, entry_id)
    assert "lúc " in valid_page and "; hợp lệ" in valid_page
    assert "Ký số: hợp lệ" in client.get("/so-van-ban-den/").get_data(as_text=True)

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        root_id = session.scalar(select(TrustedRoot.id))
    response = client.post(f"/quan-tri/chung-thu-goc/{root_id}/xoa")
    assert response.status_code == 302
    work(app)
    assert _state(app, plan_id) == ("untrusted", "untrusted")


def test_roots_are_the_organizations_own(app, world, auth, client, signed_pdfs, pki):
    """Another school's admin trusting the root changes nothing here."""
    plan_id, _entry_id = _registered(app, world, signed_pdfs.signed, auth, client)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        from services.incoming_signatures import add_root

        add_root(session, world["other"], pki.root.pem, user_id=world["other_clerk"])
    with app.app_context():
        from worker.jobs.signatures import verify_upload

        assert verify_upload(plan_id) == "untrusted"


def test_bad_certificate_files_get_a_vietnamese_message_and_change_nothing(
    app, world, auth, client, pki
):
    auth.login("admin")
    for content, message in (
        (b"", "Vui lòng chọn tệp chứng thư gốc"),
        (b"hello", "Tệp không phải chứng thư số (PEM hoặc DER)."),
        (pki.signer.pem, "không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA)"),
    ):
        response = client.post(
            "/quan-tri/chung-thu-goc",
            data={"certificate": (io.BytesIO(content), "x.cer")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    first = client.post(
        "/quan-tri/chung-thu-goc",
        data={"certificate": (io.BytesIO(pki.root.der), "root.der")},
        content_type="multipart/form-data",
    )
    assert first.status_code == 302
    again = client.post(
        "/quan-tri/chung-thu-goc",
        data={"certificate": (io.BytesIO(pki.root.pem), "root.pem")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 400
    assert "đã có trong danh sách tin cậy" in again.get_data(as_text=True)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert len(session.scalars(select(TrustedRoot)).all()) == 1


def test_clerk_asks_for_a_new_check_of_one_document(app, world, auth, client, signed_pdfs):
    plan_id, entry_id = _registered(app, world, signed_pdfs.signed, auth, client)
    response = client.post(f"/so-van-ban-den/{entry_id}/kiem-tra-chu-ky")
    assert response.status_code == 302
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.scalar(select(Job).order_by(Job.created_at.desc()))
        assert job.function.endswith("verify_signatures")
        assert job.args["incoming_id"] == plan_id
    work(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        job = session.scalar(select(Job).order_by(Job.created_at.desc()))
        assert job.status == "done", job.error


def test_exported_register_book_records_the_signature_state(app, world, auth, client, signed_pdfs):
    _plan_id, entry_id = _registered(app, world, signed_pdfs.signed, auth, client)
    from openpyxl import load_workbook

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        entry = session.get(IncomingEntry, entry_id)
        book = load_workbook(io.BytesIO(export_register([entry], entry.year, "TRƯỜNG")))
    notes = [row[9] for row in book.active.iter_rows(values_only=True)]
    assert any(note and "Ký số: toàn vẹn; chứng thư chưa được tin cậy" in note for note in notes)


def test_signatures_are_checked_even_when_the_parser_refuses_the_file(
    database_url, redis_url, redis_client, world, signed_pdfs
):
    from tests.conftest import make_app

    # The parser's page limit refuses the one-page file: its signatures are still shown.
    app = make_app(database_url, redis_url, INGEST_MAX_PAGES=0)
    try:
        client = app.test_client()
        client.post("/dang-nhap", data={"email": "clerk@truong.edu.vn", "password": "MatKhau123"})
        plan_id = incoming_id_of(upload(client, signed_pdfs.signed, "ky-so.pdf"))
        work(app)
        with app.app_context(), app.extensions["vanthu.db"].session() as session:
            plan = session.get(IncomingDocument, plan_id)
            assert plan.status == "failed"
            assert "vượt giới hạn 0 trang" in plan.error
            assert plan.signature_state == "untrusted"
    finally:
        app.extensions["vanthu.db"].dispose()


def test_an_unsigned_pdf_is_found_unsigned_without_starting_a_verifier(
    app, world, auth, client, monkeypatch
):
    """No /ByteRange, no signature: a Sở's unsigned scan reaching 500 schools must not start
    500 verifier children (about a second each)."""
    from tests.signatures.conftest import plain_pdf
    from worker.jobs import signatures as job

    def no_child(*args, **kwargs):
        raise AssertionError("a verifier child was started for an unsigned file")

    monkeypatch.setattr(job, "run_verifier_child", no_child)
    plan_id, _entry_id = _registered(app, world, plain_pdf(), auth, client)
    assert _state(app, plan_id) == ("unsigned", "unsigned")
