"""The general kinds (Thông báo, Giấy mời, Báo cáo, Chương trình, Tờ trình, Quyết định):
what their context computes and what their rendered samples print."""

from __future__ import annotations

import copy
import io

import pytest
from docx import Document

from domain.check import check_docx
from render.context import build_context
from render.context_general import styled_lines
from render.engine import render_docx
from render.manifest import load_manifest
from render.manifest import template_path

GENERAL_KINDS = (
    "thong_bao",
    "giay_moi",
    "bao_cao",
    "chuong_trinh",
    "to_trinh_chung",
    "quyet_dinh_chung",
    "quyet_dinh_ban_hanh",
)


def context_of(kind: str, header: dict | None = None, body: dict | None = None) -> dict:
    sample = copy.deepcopy(load_manifest(kind).sample)
    sample["header"].update(header or {})
    sample["body"].update(body or {})
    return build_context(kind, sample["header"], sample["body"], sample["org"])


def printed(kind: str, context: dict) -> list[str]:
    document = Document(io.BytesIO(render_docx(template_path(kind).read_bytes(), context)))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return texts


@pytest.mark.parametrize("kind", GENERAL_KINDS)
def test_each_general_kind_prints_its_type_and_has_no_checker_findings(kind: str) -> None:
    context = context_of(kind)
    rendered = render_docx(template_path(kind).read_bytes(), context)
    texts = [p.text for p in Document(io.BytesIO(rendered)).paragraphs]

    assert context["type_name"] in texts
    assert check_docx(rendered) == []


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("thong_bao", "TB"),
        ("giay_moi", "GM"),
        ("bao_cao", "BC"),
        ("chuong_trinh", "CTr"),
        ("to_trinh_chung", "TTr"),
        ("quyet_dinh_chung", "QĐ"),
        ("quyet_dinh_ban_hanh", "QĐ"),
    ],
)
def test_the_number_carries_the_type_abbreviation_of_phu_luc_iii(kind: str, code: str) -> None:
    assert context_of(kind)["number_line"].startswith("Số: ")
    assert f"/{code}-THCSMT" in context_of(kind)["number_line"]


@pytest.mark.parametrize(
    "typed", ["Tổ trưởng Tổ Văn phòng", "Theo đề nghị của Tổ trưởng Tổ Văn phòng."]
)
def test_a_decision_s_can_cu_close_with_the_proposer_named_once(typed: str) -> None:
    context = context_of("quyet_dinh_chung", body={"de_nghi_cua": typed})

    assert context["can_cu"][-1] == "Theo đề nghị của Tổ trưởng Tổ Văn phòng."
    assert all(line.endswith(";") for line in context["can_cu"][:-1])


def test_a_decision_without_a_proposer_ends_its_last_can_cu_with_a_full_stop() -> None:
    context = context_of("quyet_dinh_chung", body={"de_nghi_cua": ""})

    assert context["can_cu"][-1].endswith(".") and "đề nghị" not in context["can_cu"][-1]


def test_articles_are_numbered_and_noi_nhan_names_the_last_one() -> None:
    articles = [{"noi_dung": f"Nội dung điều {n}.\nĐoạn thứ hai."} for n in range(1, 5)]
    context = context_of("quyet_dinh_chung", body={"dieu": articles})
    texts = printed("quyet_dinh_chung", context)

    assert "Điều 4. Nội dung điều 4." in texts
    assert texts.count("Đoạn thứ hai.") == 4
    assert context["recipients"][0] == "- Như Điều 4;"


def test_a_decision_without_its_list_prints_no_annex() -> None:
    context = context_of("quyet_dinh_chung", body={"thanh_vien": [], "tieu_de_danh_sach": ""})

    assert "DANH SÁCH" not in printed("quyet_dinh_chung", context)


def test_an_issued_quy_che_has_its_own_title_block_and_styled_lines() -> None:
    texts = printed("quyet_dinh_ban_hanh", context_of("quyet_dinh_ban_hanh"))

    start = texts.index("QUY CHẾ")
    assert texts[start + 1] == "Thi đua, khen thưởng của Trường THCS Mỹ Thạnh"
    assert texts[start + 2].startswith("(Kèm theo Quyết định số 14/QĐ-THCSMT ngày 05 tháng 9")
    assert "QUY ĐỊNH CHUNG" in texts[start:]


def test_quy_che_lines_are_read_as_chapters_titles_articles_and_text() -> None:
    lines = styled_lines("Chương I\nQuy định chung\nĐiều 1. Phạm vi\nNội dung.\nMục 2\nĐiều 2. X")

    assert [line["style"] for line in lines] == [
        "chapter", "chapter_title", "article", "text", "chapter", "article",
    ]  # fmt: skip
    assert lines[1]["text"] == "QUY ĐỊNH CHUNG"


def test_a_report_to_a_superior_has_kinh_gui_and_nhu_tren_an_internal_one_neither() -> None:
    sent = context_of("bao_cao")
    internal = context_of("bao_cao", header={"kinh_gui": []})

    assert sent["kinh_gui"] == ["Kính gửi: Ủy ban nhân dân xã Mỹ Thạnh"]
    assert sent["recipients"][0] == "- Như trên;"
    assert internal["kinh_gui"] == [] and "- Như trên;" not in internal["recipients"]
    texts = printed("bao_cao", internal)
    assert not any(t.startswith("Kính gửi") for t in texts)
    assert "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in texts


def test_a_proposal_still_needs_its_kinh_gui() -> None:
    from render.errors import RenderError

    with pytest.raises(RenderError, match="Kính gửi"):
        context_of("to_trinh_chung", header={"kinh_gui": []})


def test_an_invitation_prints_who_invites_whom_to_what_when_and_where() -> None:
    texts = printed("giay_moi", context_of("giay_moi", body={"chu_tri": ""}))

    assert texts[texts.index("GIẤY MỜI") + 1] == "Dự Hội nghị tổng kết năm học 2025-2026"
    assert (
        "Trường THCS Mỹ Thạnh trân trọng kính mời: Ông (bà) Trưởng Ban đại diện cha mẹ học "
        "sinh nhà trường" in texts
    )
    assert any(t.startswith("Tới dự Hội nghị tổng kết") for t in texts)
    assert "Thời gian: 07 giờ 30 phút, thứ Bảy, ngày 30 tháng 5 năm 2026" in texts
    assert not any(t.startswith("Chủ trì") for t in texts)
