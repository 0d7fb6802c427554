"""Văn bản kèm theo signed by the organization (issue 17; NĐ 30/2020 Phụ lục I): a PDF
uploaded on an issued document's page, signed through the real path with the school's
PKCS#12 (made at test time), checked by pyHanko's validator and by poppler's pdfsig, and
measured on page 1 with pdfplumber: the main document's số/ký hiệu and the signing time
(ISO 8601, +07:00, the signature's own time) at the top right, Times-compatible font,
10 pt, black, no image. Every refusal is in Vietnamese and changes nothing."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import func
from sqlalchemy import select

from render.manifest import load_manifest
from services.attachment_signing import ATTACHMENT_FIELD
from services.attachment_signing import RIGHT_MM
from services.attachment_signing import TOP_MM
from services.attachment_signing import sign_attachment
from services.documents import create_document
from services.signatures import VALID
from services.signatures import verify_pdf
from services.signing import POINTS_PER_MM
from services.signing import load_credential
from storage.models import AuditEvent
from storage.models import Document
from storage.models import DocumentAttachment
from storage.models import StoredFile
from tests.signatures.conftest import PASSPHRASE
from tests.signatures.conftest import SCHOOL
from tests.signatures.conftest import issue
from tests.signatures.conftest import p12
from tests.support import drain_queue
from tests.support import raw_pdf
from views.formatting import VIETNAM

A4 = (595.28, 841.89)
PHU_LUC = b"DANH SACH CAN BO DE NGHI KHEN THUONG (Phu luc kem theo)"


def attachment_pdf(pages: int = 2, rotate: int = 0) -> bytes:
    """An A4 attachment of ``pages`` pages, its first line 20 mm from the top."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages)).encode()
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages)
    font = 3 + 2 * pages
    for index in range(pages):
        content = b"BT /F1 12 Tf 71 770 Td (" + PHU_LUC + b" - trang %d) Tj ET" % (index + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents %d 0 R "
            b"/Rotate %d /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * index, rotate, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return raw_pdf(objects)


def flatten_first_page(pdf: bytes) -> bytes:
    """Page 1 with each widget's appearance drawn into the page at its /Rect, as a viewer
    draws it: pdfplumber reads page content only, not annotations."""
    import pypdf
    from pypdf.generic import DecodedStreamObject
    from pypdf.generic import DictionaryObject
    from pypdf.generic import NameObject

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter()
    page = writer.add_page(reader.pages[0])
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject", DictionaryObject()).get_object()
    drawn = []
    for index, ref in enumerate(page.get("/Annots") or []):
        annot = ref.get_object()
        appearance = annot.get("/AP", {}).get("/N")
        if appearance is None:
            continue
        x0, y0, _, _ = (float(v) for v in annot["/Rect"])
        bbox = [float(v) for v in appearance.get_object()["/BBox"]]
        name = f"/Flat{index}"
        xobjects[NameObject(name)] = writer._add_object(appearance.get_object())
        left, bottom = x0 - min(bbox[0], bbox[2]), y0 - min(bbox[1], bbox[3])
        drawn.append(f"q 1 0 0 1 {left:g} {bottom:g} cm {name} Do Q")
    resources[NameObject("/XObject")] = xobjects
    stream = DecodedStreamObject()
    stream.set_data(page.get_contents().get_data() + b"\n" + " ".join(drawn).encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    del page["/Annots"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signing_time(pdf: bytes) -> datetime:
    from pyhanko.pdf_utils.reader import PdfFileReader

    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return signature.self_reported_timestamp


# -- the signing itself: services.attachment_signing -------------------------------------


@pytest.fixture(scope="module")
def school_p12(pki) -> bytes:
    return p12(issue(SCHOOL, SCHOOL, issuer=pki.intermediate), [pki.intermediate])


@pytest.fixture(scope="module")
def signed(school_p12) -> bytes:
    credential = load_credential(school_p12, PASSPHRASE)
    return sign_attachment(
        attachment_pdf(), credential, so_ky_hieu="07/QĐ-THCSMT", organization_name=SCHOOL
    )


def test_the_signed_attachment_is_valid_untouched_and_covers_the_whole_file(signed, pki):
    [report] = verify_pdf(signed, [pki.root.der])
    assert report.state == VALID and report.intact and report.trusted, report
    assert report.field_name == ATTACHMENT_FIELD and report.signer == SCHOOL
    assert report.coverage == "ENTIRE_FILE", report.coverage
    # An incremental update: the attachment's own bytes are kept as they were.
    assert signed.startswith(attachment_pdf())


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) missing")
def test_pdfsig_reports_the_signature_valid_over_the_whole_file(signed, tmp_path: Path):
    path = tmp_path / "kem-theo.pdf"
    path.write_bytes(signed)
    output = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    assert output.count("Signature Validation: Signature is Valid.") == 1, output
    assert "Total document signed" in output, output
    assert f"Signer Certificate Common Name: {SCHOOL}" in output, output


def _stamp_words(pdf: bytes) -> tuple[list[dict], float, float]:
    with pdfplumber.open(io.BytesIO(flatten_first_page(pdf))) as document:
        page = document.pages[0]
        words = page.extract_words(extra_attrs=["fontname", "size", "non_stroking_color"])
        stamp = [w for w in words if w["top"] < 60]  # the top band, above the content
        return stamp, float(page.width), float(page.height)


def test_the_stamp_is_the_number_and_the_signing_time_at_the_top_right_in_times_10_black(signed):
    words, width, _ = _stamp_words(signed)
    lines = [w["text"] for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"]))]
    assert lines[0] == "07/QĐ-THCSMT", lines
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", lines[1]), lines
    assert len(lines) == 2, lines
    # The time shown is the signature's own signing time, in Vietnam time, to the second.
    shown = datetime.fromisoformat(lines[1])
    moment = signing_time(signed)
    assert shown.utcoffset() == timedelta(hours=7)
    assert shown == moment.astimezone(timezone(timedelta(hours=7))).replace(microsecond=0)
    for word in words:
        assert re.search(r"TimesNewRoman|Times-Roman|LiberationSerif", word["fontname"]), word
        assert abs(word["size"] - 10) <= 0.5, word
        assert tuple(word["non_stroking_color"] or (0,)) in {(0,), (0, 0, 0), (0.0, 0.0, 0.0)}
        assert word["upright"]
    # Top right: the longer line ends at the right margin's line (15 mm), the block's top
    # within the top band (above the 20 mm top margin where the content starts).
    right = max(w["x1"] for w in words)
    assert abs(right - (width - RIGHT_MM * POINTS_PER_MM)) <= 3, right
    top = min(w["top"] for w in words)
    assert TOP_MM * POINTS_PER_MM <= top <= TOP_MM * POINTS_PER_MM + 6, top
    assert max(w["bottom"] for w in words) < 20 * POINTS_PER_MM  # clear of the content
    assert min(w["x0"] for w in words) > width / 2  # on the right half


def test_the_stamp_shows_no_image_and_changes_nothing_else_on_the_page(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    with pdfplumber.open(io.BytesIO(flatten_first_page(signed))) as document:
        assert document.pages[0].images == []
    reader = PdfFileReader(io.BytesIO(signed))
    [field] = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]]
    appearance = field["/AP"]["/N"].get_object()
    assert "/XObject" not in appearance["/Resources"], appearance["/Resources"]
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    assert "/XObject" not in page["/Resources"], page["/Resources"]
    # Only on the first page.
    assert "/Annots" not in reader.root["/Pages"]["/Kids"][1].get_object()


def test_a_literal_percent_in_the_number_is_drawn_as_it_is(school_p12):
    credential = load_credential(school_p12, PASSPHRASE)
    pdf = sign_attachment(
        attachment_pdf(1), credential, so_ky_hieu="12/KH-T%M", organization_name=SCHOOL
    )
    words, _, _ = _stamp_words(pdf)
    assert words[0]["text"] == "12/KH-T%M"


# -- through the product: the issued document's page --------------------------------------


@pytest.fixture
def issued(app, world, client, auth):
    """An issued Kế hoạch of the school (its render is left queued: the attachment needs
    the number, not the document's PDF); the id and its số/ký hiệu as registered."""
    sample = load_manifest("ke_hoach").sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=sample["header"], body_fields=sample["body"],
        )  # fmt: skip
        document_id = document.id
    auth.login("clerk")
    today = datetime.now(VIETNAM).date()
    answer = client.post(
        f"/van-ban/{document_id}/phat-hanh", data={"issued_on": today.strftime("%d/%m/%Y")}
    )
    assert answer.status_code == 302, answer.text
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        document = session.get(Document, document_id)
        label = f"{document.number:02d}/{document.symbol}"
    return document_id, label


@pytest.fixture
def certificates(pki):
    school = issue(SCHOOL, SCHOOL, issuer=pki.intermediate)
    stranger = issue("Trường THCS Khác", "Trường THCS Khác", issuer=pki.intermediate)
    return {
        "school": p12(school, [pki.intermediate]),
        "stranger": p12(stranger, [pki.intermediate]),
    }


def _add(client, document_id: int, data: bytes, name: str = "Phụ lục I.pdf"):
    return client.post(
        f"/van-ban/{document_id}/kem-theo",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _sign(client, document_id, attachment_id, credential, passphrase=PASSPHRASE):
    return client.post(
        f"/van-ban/{document_id}/kem-theo/{attachment_id}/ky-so",
        data={"credential": (io.BytesIO(credential), "co-quan.p12"), "passphrase": passphrase},
        content_type="multipart/form-data",
    )


def _rows(app, document_id: int) -> list[tuple[int, str | None]]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.execute(
            select(DocumentAttachment.id, DocumentAttachment.signed_file_id)
            .where(DocumentAttachment.document_id == document_id)
            .order_by(DocumentAttachment.id)
        )
        return [(row[0], row[1]) for row in rows]


def _level(app, attachment_id: int) -> tuple[str, bool]:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        row = session.get_one(DocumentAttachment, attachment_id)
        return row.level, row.revocation_embedded


def test_with_a_tsa_and_the_schools_trusted_root_an_attachment_reaches_b_lt(
    app, world, client, auth, issued, ltv_pki
):
    from services.incoming_signatures import add_root

    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        add_root(session, world["school"], ltv_pki.root.pem, user_id=world["admin"])
        session.commit()
    app.config["SIGNING_TSA_URL"] = ltv_pki.services.tsa_url
    document_id, _label = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _signed)] = _rows(app, document_id)
    credential = p12(ltv_pki.school, [ltv_pki.intermediate])
    answer = _sign(client, document_id, attachment_id, credential)
    assert answer.status_code == 302, answer.text
    assert _level(app, attachment_id) == ("B-LT", True)
    page = client.get(f"/van-ban/{document_id}").text
    assert "Chữ ký mức PAdES-B-LT: có dấu thời gian" in page


def _audited(app, action: str) -> int:
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


def test_the_clerk_adds_an_attachment_and_signs_it_with_the_school_certificate(
    app, client, auth, issued, certificates, pki
):
    document_id, label = issued
    answer = _add(client, document_id, attachment_pdf())
    assert answer.status_code == 302, answer.text
    [(attachment_id, signed)] = _rows(app, document_id)
    assert signed is None
    page = client.get(f"/van-ban/{document_id}").text
    assert "Phụ lục I.pdf" in page and "chưa ký số" in page
    assert f"/van-ban/{document_id}/kem-theo/{attachment_id}" in page

    answer = _sign(client, document_id, attachment_id, certificates["school"])
    assert answer.status_code == 302, answer.text
    page = client.get(f"/van-ban/{document_id}").text
    assert "cơ quan đã ký số" in page and SCHOOL in page
    # No timestamp server set: the level read back from the file says so.
    assert _level(app, attachment_id) == ("B-B", False)
    assert "Chữ ký mức PAdES-B-B: chưa có dấu thời gian" in page

    download = client.get(f"/van-ban/{document_id}/kem-theo/{attachment_id}")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    [report] = verify_pdf(download.data, [pki.root.der])
    assert report.state == VALID and report.intact and report.signer == SCHOOL, report
    words, _, _ = _stamp_words(download.data)
    assert words[0]["text"] == label  # the main document's số/ký hiệu as registered
    assert download.data.startswith(attachment_pdf())
    assert _audited(app, "document.download_attachment") == 1
    assert _audited(app, "document.attachment_sign") == 1


def _docx(text: str) -> bytes:
    from docx import Document as WordDocument
    from docx.shared import Pt

    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Pt(595.3), Pt(841.9)
    word.add_paragraph(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_a_word_attachment_is_made_pdf_by_the_worker_and_that_pdf_is_signed(
    app, client, auth, issued, certificates, pki
):
    document_id, label = issued
    answer = _add(client, document_id, _docx("Danh sách cán bộ đề nghị khen thưởng"), "DS.docx")
    assert answer.status_code == 302, answer.text
    [(attachment_id, _)] = _rows(app, document_id)
    assert "đang chuyển sang PDF" in client.get(f"/van-ban/{document_id}").text
    answer = _sign(client, document_id, attachment_id, certificates["school"])
    assert answer.status_code == 400 and "chưa chuyển xong" in answer.text
    drain_queue(app)  # the real worker: LibreOffice turns the .docx into a PDF
    page = client.get(f"/van-ban/{document_id}").text
    assert "chưa ký số; hãy mở bản PDF, kiểm tra rồi mới ký" in page
    shown = client.get(f"/van-ban/{document_id}/kem-theo/{attachment_id}")
    assert shown.mimetype == "application/pdf" and shown.data.startswith(b"%PDF")
    original = client.get(f"/van-ban/{document_id}/kem-theo/{attachment_id}?ban=goc")
    assert original.data.startswith(b"PK")  # the .docx as uploaded
    answer = _sign(client, document_id, attachment_id, certificates["school"])
    assert answer.status_code == 302, answer.text
    download = client.get(f"/van-ban/{document_id}/kem-theo/{attachment_id}")
    [report] = verify_pdf(download.data, [pki.root.der])
    assert report.state == VALID and report.intact, report
    assert download.data.startswith(shown.data)  # the PDF the clerk saw, signed
    words, _, _ = _stamp_words(download.data)
    assert words[0]["text"] == label


def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(app, client, auth, issued):
    document_id, _ = issued
    answer = _add(client, document_id, b"\xff\xd8\xff\xe0" + b"\0" * 200, "Phụ lục.pdf")
    assert answer.status_code == 400
    assert "không phải PDF" in answer.text and "ảnh JPEG" in answer.text
    assert _rows(app, document_id) == []


def test_an_encrypted_pdf_is_refused(app, client, auth, issued):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(attachment_pdf(1)))
    writer.encrypt(user_password="", owner_password="chu-so-huu")
    locked = io.BytesIO()
    writer.write(locked)
    document_id, _ = issued
    answer = _add(client, document_id, locked.getvalue())
    assert answer.status_code == 400 and "được mã hóa" in answer.text
    assert _rows(app, document_id) == []


def test_a_pdf_whose_first_page_is_turned_is_refused_rather_than_stamped_in_a_wrong_corner(
    app, client, auth, issued
):
    document_id, _ = issued
    answer = _add(client, document_id, attachment_pdf(1, rotate=90))
    assert answer.status_code == 400 and "được xoay" in answer.text
    assert _rows(app, document_id) == []


def test_a_damaged_pdf_is_refused(app, client, auth, issued):
    document_id, _ = issued
    answer = _add(client, document_id, b"%PDF-1.7\n" + "hỏng".encode() * 50)
    assert answer.status_code == 400 and "Không mở được tệp PDF" in answer.text
    assert _rows(app, document_id) == []


@pytest.mark.parametrize(
    ("credential", "passphrase", "message"),
    [
        ("school", "mật khẩu sai", "Mật khẩu của tệp chứng thư số không đúng"),
        ("stranger", PASSPHRASE, f"không phải của {SCHOOL}"),
    ],
)
def test_signing_refusals_say_why_and_sign_nothing(
    app, client, auth, issued, certificates, credential, passphrase, message
):
    document_id, _ = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _)] = _rows(app, document_id)
    answer = _sign(client, document_id, attachment_id, certificates[credential], passphrase)
    assert answer.status_code == 400 and message in answer.text, answer.text
    assert _rows(app, document_id) == [(attachment_id, None)]


def test_a_signed_attachment_is_never_signed_again_nor_removed(
    app, client, auth, issued, certificates
):
    document_id, _ = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _)] = _rows(app, document_id)
    assert _sign(client, document_id, attachment_id, certificates["school"]).status_code == 302
    [(_, signed_file)] = _rows(app, document_id)
    answer = _sign(client, document_id, attachment_id, certificates["school"])
    assert answer.status_code == 400 and "đã được ký số" in answer.text
    answer = client.post(f"/van-ban/{document_id}/kem-theo/{attachment_id}/go")
    assert answer.status_code == 409 and "không gỡ được" in answer.text
    assert _rows(app, document_id) == [(attachment_id, signed_file)]


def test_an_unsigned_attachment_uploaded_by_mistake_can_be_removed_with_its_file(
    app, client, auth, issued
):
    document_id, _ = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _)] = _rows(app, document_id)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        file_id = session.get(DocumentAttachment, attachment_id).file_id
    answer = client.post(f"/van-ban/{document_id}/kem-theo/{attachment_id}/go")
    assert answer.status_code == 302
    assert _rows(app, document_id) == []
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        assert session.get(StoredFile, file_id) is None


def test_attachments_only_of_an_issued_document_and_signed_only_while_it_stands(
    app, world, client, auth, issued, certificates
):
    document_id, _ = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _)] = _rows(app, document_id)
    answer = client.post(
        f"/van-ban/{document_id}/thu-hoi", data={"reason": "Ban hành nhầm đối tượng"}
    )
    assert answer.status_code == 302, answer.text
    answer = _sign(client, document_id, attachment_id, certificates["school"])
    assert answer.status_code == 400 and "Chỉ ký số văn bản kèm theo" in answer.text
    assert _rows(app, document_id) == [(attachment_id, None)]
    # A draft has no number for the stamp: nothing is attached to it.
    sample = load_manifest("ke_hoach").sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        draft = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=sample["header"], body_fields=sample["body"],
        )  # fmt: skip
        draft_id = draft.id
    answer = _add(client, draft_id, attachment_pdf())
    assert answer.status_code == 400 and "Chỉ thêm văn bản kèm theo" in answer.text
    assert _rows(app, draft_id) == []


def test_an_attachment_is_reached_only_through_its_own_document(app, world, client, auth, issued):
    document_id, _ = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _)] = _rows(app, document_id)
    sample = load_manifest("ke_hoach").sample
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        other = create_document(
            session, organization_id=world["school"], created_by_id=world["clerk"],
            kind="ke_hoach", header_fields=sample["header"], body_fields=sample["body"],
        ).id  # fmt: skip
    assert client.get(f"/van-ban/{other}/kem-theo/{attachment_id}").status_code == 404
    assert client.post(f"/van-ban/{other}/kem-theo/{attachment_id}/go").status_code == 404
    assert client.get(f"/van-ban/{document_id}/kem-theo/{attachment_id + 1}").status_code == 404
    assert _rows(app, document_id) == [(attachment_id, None)]


def test_with_a_token_the_clerk_signs_an_attachment_with_the_pin_only(
    app, client, auth, issued, soft_tokens, pki
):
    app.config.update(
        SIGNING_PKCS11_MODULE=soft_tokens.module,
        SIGNING_PKCS11_TOKEN=soft_tokens.school,
        SIGNING_TSA_URL="",
    )
    document_id, label = issued
    assert _add(client, document_id, attachment_pdf()).status_code == 302
    [(attachment_id, _)] = _rows(app, document_id)
    page = client.get(f"/van-ban/{document_id}").text
    assert f'id="pin-{attachment_id}"' in page and f'id="credential-{attachment_id}"' not in page
    path = f"/van-ban/{document_id}/kem-theo/{attachment_id}/ky-so"
    wrong = client.post(path, data={"pin": "999999"})
    assert wrong.status_code == 400 and "Mã PIN của thiết bị ký không đúng" in wrong.text
    assert _rows(app, document_id) == [(attachment_id, None)]
    assert client.post(path, data={"pin": soft_tokens.pin}).status_code == 302
    download = client.get(f"/van-ban/{document_id}/kem-theo/{attachment_id}")
    [report] = verify_pdf(download.data, [pki.root.der])
    assert report.state == VALID and report.signer == SCHOOL, report  # the token's school cert
    words, _, _ = _stamp_words(download.data)
    assert words[0]["text"] == label
