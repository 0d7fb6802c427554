"""Body fields: references, themes, deadlines, recipients and signer, one table per field."""

from __future__ import annotations

import pytest

from ingest import parse_bytes
from tests.ingest.conftest import corpus_ids
from tests.ingest.conftest import load_labels

HEADER = (
    "PHÒNG GD&ĐT TRỰC NINH          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TRƯỜNG TIỂU HỌC A          Độc lập - Tự do - Hạnh phúc\n"
    "Số: 15/KH-THA          Trực Ninh, ngày 10 tháng 9 năm 2025\n\n"
    "KẾ HOẠCH\nThi đua năm học 2025-2026\n\n"
)


def _parse(body: str, closing: str = "") -> dict:
    return parse_bytes((HEADER + body + "\n\n" + closing).encode())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Căn cứ Kế hoạch số 1509/KH-SGDĐT ngày 24/5/2024 của Sở GD&ĐT;",
            [("KH", "1509/KH-SGDĐT", "2024-05-24")],
        ),
        (
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
            [("NĐ", "98/2023/NĐ-CP", "2023-12-31")],
        ),
        (
            "Thực hiện Công văn số 2237/UBND-KT ngày 05/9/2025 của UBND huyện;",
            [("CV", "2237/UBND-KT", "2025-09-05")],
        ),
        ("theo tinh thần Chỉ thị 05-CT/TW của Bộ Chính trị", [("CT", "05-CT/TW", None)]),
        ("Nghị quyết số 29-NQ/TW ngày 4-11-2013", [("NQ", "29-NQ/TW", "2013-11-04")]),
        ("Kế hoạch số 1374/KH- BGDDT ngày 02/11/2020", [("KH", "1374/KH-BGDDT", "2020-11-02")]),
        ("Luật Thi đua, khen thưởng năm 2022 và GD&ĐT, CBGV-NV năm học 2025-2026", []),
    ],
)
def test_references_grammar(body: str, expected: list) -> None:
    refs = _parse(body)["references"]
    assert [(r["doc_type"], r["number"], r["date"]) for r in refs] == expected


def test_references_skip_own_number_and_keep_each_once() -> None:
    body = (
        "Căn cứ Kế hoạch số 21/KH-PGDĐT ngày 27/8/2025;\n"
        "Kế hoạch số 15/KH-THA này thay thế; thực hiện Kế hoạch số 21/KH-PGDĐT."
    )
    assert [r["number"] for r in _parse(body)["references"]] == ["21/KH-PGDĐT"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Tiếp tục phong trào thi đua “Dạy tốt – Học tốt”, "
            "“Đổi mới, sáng tạo trong dạy và học”.",
            ["Dạy tốt – Học tốt", "Đổi mới, sáng tạo trong dạy và học"],
        ),
        (
            'Hưởng ứng cuộc vận động "Mỗi thầy, cô giáo là một tấm gương đạo đức, tự học và '
            'sáng tạo" trong toàn trường.',
            ["Mỗi thầy, cô giáo là một tấm gương đạo đức, tự học và sáng tạo"],
        ),
        (
            "các phong trào: “Cả nước chung tay xây dựng nông thôn mới” giai đoạn 2021 - 2025; "
            "“Vì người nghèo - Không để ai bị bỏ lại phía sau”.",
            [
                "Cả nước chung tay xây dựng nông thôn mới",
                "Vì người nghèo - Không để ai bị bỏ lại phía sau",
            ],
        ),
        ("thực hiện tốt mục tiêu “Lấy cái đẹp, dẹp cái xấu”.", []),
        ("Quan tâm khen thưởng đột xuất, “Người tốt, việc tốt”.", []),
        (
            "thi đua “Dạy tốt - Học tốt”. Sau đó, lại thi đua “Dạy tốt – Học tốt”.",
            ["Dạy tốt - Học tốt"],
        ),
        (  # a comma dropped the second time: the same campaign, named once
            "phong trào “Xây dựng trường học thân thiện, học sinh tích cực”; tiếp tục phong "
            "trào “Xây dựng trường học thân thiện học sinh tích cực” và thi đua “Dạy tốt”.",
            ["Xây dựng trường học thân thiện, học sinh tích cực", "Dạy tốt"],
        ),
    ],
)  # fmt: skip
def test_themes_are_quoted_campaign_names(body: str, expected: list[str]) -> None:
    assert _parse(body)["themes"] == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- Tháng 10: Kiểm tra nội bộ.", [("2025-10-31", None, None)]),
        ("- Tháng 3: Hội thi giáo viên giỏi.", [("2026-03-31", None, None)]),
        ("Nộp hồ sơ chậm nhất ngày 15/11/2025.", [("2025-11-15", None, None)]),
        ("Báo cáo trước ngày 31 tháng 3 hằng năm.", [("2026-03-31", None, "yearly")]),
        ("Sơ kết định kỳ hằng quý; tổng kết vào cuối năm học.", []),
        ("Kỷ niệm 43 năm ngày Nhà giáo Việt Nam (20/11/1982 - 20/11/2025).", []),
        ("Đợt 1: từ ngày 05/10 đến ngày 20/11/2025.", [("2025-10-05", "2025-11-20", None)]),
    ],
)
def test_deadlines_in_a_school_year_plan(body: str, expected: list) -> None:
    got = [(d["date"], d["end"], d["recurrence"]) for d in _parse(body)["deadlines"]]
    assert got == expected


def test_deadlines_ignore_dates_of_cited_documents() -> None:
    body = "Căn cứ Kế hoạch số 1466/KH-SGDĐT ngày 20/8/2025 của Sở ngày 20/8/2025 về việc thi đua;"
    assert _parse(body)["deadlines"] == []


def test_deadlines_have_a_phrase_and_a_source() -> None:
    result = _parse("- Tháng 10/2025: Kiểm tra nội bộ các tổ chuyên môn.")
    deadline = result["deadlines"][0]
    assert deadline["what"] == "Kiểm tra nội bộ các tổ chuyên môn"
    line = next(
        x for x in result["text"] if (x["page"], x["line"]) == tuple(deadline["source"].values())
    )
    assert "Tháng 10/2025" in line["text"]


CLOSING = (
    "Nơi nhận:                                    KT. HIỆU TRƯỞNG\n"
    "- Phòng GD&ĐT (để b/c);                      PHÓ HIỆU TRƯỞNG\n"
    "- Các tổ chuyên môn, Công đoàn,\n"
    "Đoàn Thanh niên;\n"
    "- Lưu: VT.                                   Nguyễn Thị Hoa"
)


def test_recipients_and_signer_from_two_columns() -> None:
    result = _parse("Nội dung kế hoạch./.", CLOSING)
    assert result["recipients"] == [
        "Phòng GD&ĐT (để b/c)",
        "Các tổ chuyên môn, Công đoàn, Đoàn Thanh niên",
        "Lưu: VT",
    ]
    assert (result["signer_title"], result["signer_position"], result["signer_name"]) == (
        "KT. HIỆU TRƯỞNG PHÓ HIỆU TRƯỞNG",
        "PHÓ HIỆU TRƯỞNG",
        "Nguyễn Thị Hoa",
    )


def test_signer_under_a_single_column_list() -> None:
    closing = (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. HỘI ĐỒNG THI ĐUA\nCHỦ TỊCH\n(Đã ký)\nLê Văn An"
    )
    result = _parse("Nội dung./.", closing)
    assert result["recipients"] == ["Như trên", "Lưu: VT"]
    assert (result["signer_title"], result["signer_name"]) == (
        "TM. HỘI ĐỒNG THI ĐUA CHỦ TỊCH",
        "Lê Văn An",
    )


def _dates(items: list[dict]) -> set[tuple[str, str | None]]:
    return {(d["date"], d["end"]) for d in items}


@pytest.mark.parametrize("doc_id", corpus_ids())
def test_fields_of_corpus_text_match_labels(corpus, doc_id: str) -> None:
    labels = load_labels(doc_id)["labels"]
    result = parse_bytes((corpus / f"{doc_id}.txt").read_bytes())
    assert [r["number"] for r in result["references"]] == [
        r["number"] for r in labels["references"]
    ]
    assert _dates(result["deadlines"]) == _dates(labels["deadlines"])
    assert result["recipients"] == labels["recipients"]
    assert (result["signer_title"], result["signer_name"]) == (
        labels["signer_title"],
        labels["signer_name"],
    )


def test_appendix_after_signature_is_read_as_body() -> None:
    closing = (
        "Nơi nhận:                                    HIỆU TRƯỞNG\n"
        "- Lưu: VT.                                   Nguyễn Thị Hoa\n\n"
        "PHỤ LỤC\n"
        "(Kèm theo Kế hoạch số 15/KH-THA ngày 10/9/2025)\n"
        "- Tháng 11/2025: Hội giảng chào mừng ngày 20/11."
    )
    result = _parse("Nội dung kế hoạch./.", closing)
    assert result["recipients"] == ["Lưu: VT"]
    assert result["signer_name"] == "Nguyễn Thị Hoa"
    assert [d["date"] for d in result["deadlines"]] == ["2025-11-30", "2025-11-20"]


def test_digital_signature_stamp_lines_are_dropped() -> None:
    stamped = (
        "Người ký: Trường Tiểu học A\nEmail: c1a@example.edu.vn\n"
        "Thời gian ký: 10.09.2025 16:31:42 +07:00\n" + HEADER + "Nội dung."
    )
    result = parse_bytes(stamped.encode())
    assert (result["issuer"], result["symbol"]) == ("TRƯỜNG TIỂU HỌC A", "KH-THA")
    assert not [x for x in result["text"] if "Thời gian ký" in x["text"]]
