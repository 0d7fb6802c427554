"""What the clerk chooses and types comes out as one well-formed sentence: căn cứ lines each
with its date, fields that ask only for the variable part, signatures with the name only."""

from __future__ import annotations

import copy
import datetime

import pytest

from render.context import build_context
from render.errors import RenderError
from render.manifest import load_manifest


def _sample(kind: str) -> tuple[dict, dict, dict]:
    sample = copy.deepcopy(load_manifest(kind).sample)
    return sample["header"], sample["body"], sample["org"]


def test_a_plan_for_a_teaching_contest_cites_no_emulation_law():
    header, body, org = _sample("ke_hoach")
    header["summary"] = "Tổ chức Hội giảng cấp trường năm học 2025-2026"
    header["can_cu"] = []
    assert build_context("ke_hoach", header, body, org)["can_cu"] == []


def test_an_emulation_plan_is_suggested_the_law_and_the_decree_of_its_date():
    header, body, org = _sample("ke_hoach")
    header["can_cu"] = []
    lines = build_context("ke_hoach", header, body, org)["can_cu"]
    assert lines[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert lines[1].startswith("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025")


def test_the_clerk_chooses_what_a_document_cites():
    header, body, org = _sample("quyet_dinh")
    header |= {"legal_basis": ["ND_98_2023"], "can_cu": []}
    lines = build_context("quyet_dinh", header, body, org)["can_cu"]
    assert len(lines) == 2 and lines[0].startswith("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31")


def test_a_circular_whose_date_is_not_confirmed_is_printed_only_with_the_date_entered():
    header, body, org = _sample("quyet_dinh")
    header |= {"date": "2025-09-05", "legal_basis": ["TT_15_2025_BNV", "TT_29_2023_BGDDT"]}
    with pytest.raises(RenderError, match="Chưa có ngày ban hành của Thông tư số 15/2025"):
        build_context("quyet_dinh", header, body, org)
    header["legal_basis_dates"] = {"TT_15_2025_BNV": "2025-08-04", "TT_29_2023_BGDDT": "2023-12-29"}
    lines = build_context("quyet_dinh", header, body, org)["can_cu"]
    assert "Thông tư số 15/2025/TT-BNV ngày 04 tháng 8 năm 2025 của Bộ trưởng" in lines[0]
    assert "Thông tư số 29/2023/TT-BGDĐT ngày 29 tháng 12 năm 2023 của Bộ trưởng" in lines[1]


@pytest.mark.parametrize("kind", ["ke_hoach", "quyet_dinh", "to_trinh"])
def test_no_cited_instrument_is_printed_without_a_date(kind):
    header, body, org = _sample(kind)
    for day in (datetime.date(2025, 6, 30), datetime.date(2025, 9, 5), datetime.date(2026, 5, 4)):
        header["date"] = day.isoformat()
        for line in build_context(kind, header, body, org)["can_cu"]:
            if line.startswith("Căn cứ Luật") or "Nghị định" in line or "Thông tư" in line:
                assert " ngày " in line, line


@pytest.mark.parametrize(
    ("kind", "typed", "printed"),
    [
        ("quyet_dinh", "Hội đồng Thi đua - Khen thưởng nhà trường",
         "Theo đề nghị của Hội đồng Thi đua - Khen thưởng nhà trường."),
        ("quyet_dinh", "Theo đề nghị của Chủ tịch Công đoàn trường",
         "Theo đề nghị của Chủ tịch Công đoàn trường."),
        ("quyet_dinh", "xét đề nghị của Chủ tịch Công đoàn trường.",
         "Theo đề nghị của Chủ tịch Công đoàn trường."),
        ("to_trinh", "Hội đồng Thi đua - Khen thưởng nhà trường",
         "Xét đề nghị của Hội đồng Thi đua - Khen thưởng nhà trường."),
        ("to_trinh", "Xét đề nghị của Hội đồng Thi đua - Khen thưởng nhà trường",
         "Xét đề nghị của Hội đồng Thi đua - Khen thưởng nhà trường."),
    ],
)  # fmt: skip
def test_the_proposal_line_is_written_once_whatever_the_clerk_types(kind, typed, printed):
    header, body, org = _sample(kind)
    body["theo_de_nghi"] = typed
    assert build_context(kind, header, body, org)["can_cu"][-1] == printed


def test_articles_and_the_annex_title_do_not_repeat_what_the_template_prints():
    header, body, org = _sample("quyet_dinh")
    body["dieu_1"] = "Điều 1. Công nhận danh hiệu cho 03 cá nhân."
    body["tieu_de_danh_sach"] = "Danh sách cá nhân đạt danh hiệu “Lao động tiên tiến”"
    context = build_context("quyet_dinh", header, body, org)
    assert context["dieu_1"] == "Công nhận danh hiệu cho 03 cá nhân."
    assert context["tieu_de_danh_sach"] == "Cá nhân đạt danh hiệu “Lao động tiên tiến”"


@pytest.mark.parametrize(
    "typed",
    ["16 giờ 30", "16:30", "16h30", "Cuộc họp kết thúc vào lúc 16 giờ 30 cùng ngày.",
     "Cuộc họp kết thúc vào 16 giờ 30 cùng ngày. Biên bản đã được thông qua trước Hội đồng./."],
)  # fmt: skip
def test_the_minutes_ask_only_for_the_time_the_meeting_ended(typed):
    header, body, org = _sample("bien_ban")
    body["ket_thuc"] = typed
    assert build_context("bien_ban", header, body, org)["ket_thuc"] == "16 giờ 30"


def test_the_minutes_signatures_print_names_without_honorifics():
    header, body, org = _sample("bien_ban")
    context = build_context("bien_ban", header, body, org)
    assert context["chu_toa"] == "Ông Nguyễn Văn An"  # the body keeps "Ông"
    assert (context["chu_toa_name"], context["thu_ky_name"]) == ("Nguyễn Văn An", "Phạm Thị Dung")


def test_a_signer_typed_with_an_honorific_is_printed_with_the_name_only():
    header, body, org = _sample("to_trinh")
    header["signer_name"] = "Ông Nguyễn Văn An"
    assert build_context("to_trinh", header, body, org)["signer_name"] == "Nguyễn Văn An"
