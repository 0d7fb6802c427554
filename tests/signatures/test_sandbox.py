"""The check runs in a limited child process: a hostile file costs a message, not the worker."""

from __future__ import annotations

import pytest

from services.signatures import BROKEN
from services.signatures import VALID
from tests.support import raw_pdf
from worker.jobs.signatures import run_verifier_child
from worker.sandbox import ChildFailed


def test_child_verifies_a_signed_pdf_with_the_roots_given(signed_pdfs, pki):
    (report,) = run_verifier_child(signed_pdfs.signed, [pki.root.der], memory_mb=1024, timeout=60)
    assert report.state == VALID
    assert report.signer == "Nguyễn Văn Bình"


def test_unreadable_pdf_fails_with_a_vietnamese_message():
    hostile = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer << /Root 1 0 R"
    with pytest.raises(ChildFailed) as failed:
        run_verifier_child(hostile, [], memory_mb=1024, timeout=60)
    assert "Không đọc được cấu trúc PDF để kiểm tra chữ ký số" in failed.value.message


def test_memory_limit_stops_the_child_not_the_worker(signed_pdfs):
    # 64 MiB of address space is less than the interpreter with pyHanko already holds, and
    # reading an 8 MB file needs more: the allocation fails in the child, for real.
    large = signed_pdfs.signed + b"%" + b"x" * (8 << 20) + b"\n"
    with pytest.raises(ChildFailed) as failed:
        run_verifier_child(large, [], memory_mb=64, timeout=60)
    assert "giới hạn cho phép (64 MB)" in failed.value.message


def test_time_limit_stops_the_child(signed_pdfs):
    with pytest.raises(ChildFailed) as failed:
        run_verifier_child(signed_pdfs.signed, [], memory_mb=1024, timeout=0.05)
    assert "quá thời gian cho phép" in failed.value.message


def _with_signature_field(signature: bytes) -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
            b"<< /FT /Sig /T (ChuKy) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>",
            signature,
        ]
    )


def test_nesting_bomb_in_a_signature_dictionary_is_a_broken_signature_not_a_crash():
    deep = b"[" * 200_000 + b"]" * 200_000
    hostile = _with_signature_field(
        b"<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] "
        b"/Contents <3082> /Reference " + deep + b" >>"
    )
    (report,) = run_verifier_child(hostile, [], memory_mb=512, timeout=60)
    assert report.state == BROKEN
    assert report.notes == ["Không đọc được chữ ký (RecursionError)."]


def test_unreadable_signature_is_reported_broken_not_dropped():
    hostile = _with_signature_field(
        b"<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 30] "
        b"/Contents <30820000deadbeef> >>"
    )
    (report,) = run_verifier_child(hostile, [], memory_mb=512, timeout=60)
    assert (report.field_name, report.state) == ("ChuKy", BROKEN)
    assert report.notes and report.notes[0].startswith("Không đọc được chữ ký")


def test_unsupported_signature_kind_is_reported_broken_never_valid():
    old = _with_signature_field(
        b"<< /Type /Sig /SubFilter /adbe.x509.rsa_sha1 /ByteRange [0 10 20 30] /Contents <3082> >>"
    )
    (report,) = run_verifier_child(old, [], memory_mb=512, timeout=60)
    assert report.state == BROKEN
    assert "không được hỗ trợ" in report.notes[0]
