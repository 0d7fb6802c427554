"""Signature block lines and checks (domain.signature)."""

from __future__ import annotations

import pytest

from domain.signature import AUTHORITIES
from domain.signature import SignatureBlock
from domain.signature import academic_title_prefix
from domain.signature import name_problems
from domain.signature import prefix_without_stop


@pytest.mark.parametrize(("block", "lines"), [
    (SignatureBlock("TM", "Hội đồng Thi đua - Khen thưởng", "Chủ tịch", "Lê Văn An"),
     ["TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "CHỦ TỊCH"]),
    (SignatureBlock("KT", "Hiệu trưởng", "Phó Hiệu trưởng", "Trần Thị Bình"),
     ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]),
    (SignatureBlock("Q", "Hiệu trưởng", "Hiệu trưởng", "Lê Văn An"), ["Q. HIỆU TRƯỞNG"]),
    (SignatureBlock(None, "", "Hiệu trưởng", "Lê Văn An"), ["HIỆU TRƯỞNG"]),
    (SignatureBlock("TM", "Ủy ban nhân dân", "Phó Chủ tịch", "Lê Văn An", sub_authority="KT",
                    head_title="Chủ tịch"),
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
])  # fmt: skip
def test_signature_block_authority_lines(block, lines):
    assert block.authority_lines == lines
    assert block.lines == [*lines, block.signer_name]
    assert block.problems() == []


def test_signature_authorities_cover_the_five_prefixes():
    assert [a.prefix for a in AUTHORITIES.values()] == ["TM.", "KT.", "Q.", "TL.", "TUQ."]
    assert AUTHORITIES["TM"].before_collective and not AUTHORITIES["KT"].before_collective


@pytest.mark.parametrize(("block", "problem"), [
    (SignatureBlock("XX", "Hiệu trưởng", "", "Lê Văn An"), "không thuộc TM."),
    (SignatureBlock("TM", "", "Chủ tịch", "Lê Văn An"), "Chưa ghi tên tập thể"),
    (SignatureBlock(None, "", "", "Lê Văn An"), "Chưa ghi chức vụ"),
    (SignatureBlock("KT", "Hiệu trưởng", "Hiệu trưởng", "Lê Văn An"), "phải là cấp phó"),
    (SignatureBlock(None, "", "Hiệu trưởng", ""), "Chưa ghi họ tên"),
    (SignatureBlock(None, "", "Hiệu trưởng", "ThS. Lê Văn An"), "học hàm, học vị"),
    (SignatureBlock(None, "", "Hiệu trưởng", "LÊ VĂN AN"), "không in hoa toàn bộ"),
])  # fmt: skip
def test_signature_block_problems(block, problem):
    problems = block.problems()
    assert any(problem in p for p in problems), problems


def test_signature_academic_titles_allowed_by_flag():
    assert name_problems("PGS.TS. Lê Văn An", allow_academic_titles=True) == []


@pytest.mark.parametrize(("name", "title"), [
    ("TS. Lê Văn An", "TS."), ("PGS.TS. Lê Văn An", "PGS.TS."), ("Thạc sĩ Lê Văn An", "Thạc sĩ"),
    ("Lê Văn An", None), ("Tsang Văn An", None), ("Thạch Văn An", None),
])  # fmt: skip
def test_signature_academic_title_prefix(name, title):
    assert academic_title_prefix(name) == title


@pytest.mark.parametrize(("line", "code"), [
    ("KT HIỆU TRƯỞNG", "KT"), ("KT. HIỆU TRƯỞNG", None), ("TM HỘI ĐỒNG", "TM"), ("TỔ TRƯỞNG", None),
])  # fmt: skip
def test_signature_prefix_without_stop(line, code):
    assert prefix_without_stop(line) == code
