"""The check runs in a limited child process: a hostile file costs a message, not the worker."""

from __future__ import annotations

import pytest

from services.signatures import VALID
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
    # 64 MiB of address space is less than the interpreter with pyHanko already holds:
    # the first allocation after the limit fails, for real.
    with pytest.raises(ChildFailed) as failed:
        run_verifier_child(signed_pdfs.signed, [], memory_mb=64, timeout=60)
    assert "giới hạn cho phép (64 MB)" in failed.value.message


def test_time_limit_stops_the_child(signed_pdfs):
    with pytest.raises(ChildFailed) as failed:
        run_verifier_child(signed_pdfs.signed, [], memory_mb=1024, timeout=0.05)
    assert "quá thời gian cho phép" in failed.value.message
