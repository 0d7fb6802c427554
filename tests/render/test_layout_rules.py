"""The layout the templates and the context set up, read from the .docx (fast; the PDF is
read in test_layout_property.py): lines sized from their text, rows that never split, the end
block's rows, "STT" that fits, the annex's own page numbering."""

from __future__ import annotations

import copy
import io
import re
import zipfile

import pytest
from lxml import etree

from domain import layout
from domain.check import check_docx
from render.build import measure
from render.build.blocks import CELL_MARGIN_MM
from render.build.blocks import STT_WIDTH_MM
from render.build.blocks import measure_mm
from render.build.kit import Fmt
from render.context import build_context
from render.context import recipients_beside_signature
from render.context import recipients_kept_with_signature
from render.context import sample_context
from render.engine import render_docx
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import template_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LOW, HIGH = layout.ELEMENTS["summary_underline"].line_ratio or (1 / 3, 1 / 2)
LONG_ISSUER = "Trường Trung học cơ sở và Trung học phổ thông Nguyễn Văn Trỗi"
LONG_SUMMARY = (
    "Về việc đề nghị công nhận danh hiệu thi đua và tặng Giấy khen cho các tập thể, cá nhân "
    "có thành tích xuất sắc trong năm học 2024-2025"
)


def rule_mm(context: dict, name: str) -> float:
    cx = re.search(r'<wp:extent cx="(\d+)"', context[name].xml)
    assert cx, context[name].xml
    return int(cx.group(1)) / measure.EMU_PER_MM


def context_of(kind: str, **changes) -> dict:
    sample = copy.deepcopy(load_manifest(kind).sample)
    sample["header"].update(changes.pop("header", {}))
    sample["org"].update(changes.pop("org", {}))
    return build_context(kind, sample["header"], sample["body"], sample["org"])


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


@pytest.mark.parametrize(
    ("issuer", "summary"),
    [
        ("Trường THCS Mỹ Thạnh", "Về việc công nhận danh hiệu “Lao động tiên tiến”"),
        (LONG_ISSUER, LONG_SUMMARY),
        ("Hội đồng", "Về việc khen thưởng"),
    ],
)
def test_lines_under_issuer_and_trich_yeu_are_a_third_to_a_half_of_their_longest_line(
    issuer: str, summary: str
) -> None:
    context = context_of("quyet_dinh", org={"issuer": issuer}, header={"summary": summary})
    issuer_box = measure.issuer_box_mm(landscape=False)
    issuer_text = measure.longest_line_mm([context["issuer"]], issuer_box, 12, bold=True)
    summary_box = measure.text_box_mm(landscape=False)
    summary_text = measure.longest_line_mm([summary], summary_box, 14, bold=True)

    assert LOW < rule_mm(context, "issuer_rule") / issuer_text < HIGH
    assert LOW < rule_mm(context, "summary_rule") / summary_text < HIGH


def test_a_long_trich_yeu_wraps_and_its_line_follows_the_longest_printed_line() -> None:
    box = measure.text_box_mm(landscape=False)
    lines = measure.wrap(LONG_SUMMARY, box, 14, bold=True)

    assert len(lines) == 2 and " ".join(lines) == LONG_SUMMARY
    assert all(measure.width_mm(line, 14, bold=True) <= box for line in lines)
    longest = max(measure.width_mm(line, 14, bold=True) for line in lines)
    assert measure.longest_line_mm([LONG_SUMMARY], box, 14, bold=True) == pytest.approx(longest)
    assert longest < measure.width_mm(LONG_SUMMARY, 14, bold=True) / 1.5


def test_a_report_s_line_is_measured_on_its_title_lines() -> None:
    context = sample_context("bao_cao_tap_the")
    texts = [context["award_line"], context["ky"]]
    longest = measure.longest_line_mm(texts, measure.text_box_mm(landscape=False), 14, bold=True)

    assert LOW < rule_mm(context, "summary_rule") / longest < HIGH


def test_landscape_kinds_measure_in_their_wider_boxes() -> None:
    context = context_of("danh_sach", org={"issuer": LONG_ISSUER})
    box = measure.issuer_box_mm(landscape=True)
    longest = measure.longest_line_mm([context["issuer"]], box, 12, bold=True)

    assert box == pytest.approx(measure.WIDE_HEADER_WIDTHS_MM[0] - 2 * CELL_MARGIN_MM)
    assert LOW < rule_mm(context, "issuer_rule") / longest < HIGH


def test_nơi_nhận_stays_with_the_signature_up_to_a_page_and_only_the_rest_follows() -> None:
    signer = {
        "signer_authority": "KT",
        "signer_collective": "Hiệu trưởng",
        "signer_position": "Phó Hiệu trưởng",
    }
    thirty = [f"Tổ chuyên môn số {i}" for i in range(1, 31)]
    context = context_of("cong_van", header={"recipients": thirty, **signer})
    kept = recipients_kept_with_signature(len(context["sign_authority"]))

    assert context["recipients_head"] == context["recipients"]  # all 30 + "Lưu: VT"
    assert context["recipients_tail"] == []
    # The row is never shorter than the signature beside it.
    assert kept >= recipients_beside_signature(3) > recipients_beside_signature(1)

    many = [f"Tổ chuyên môn số {i}" for i in range(1, kept + 11)]
    context = context_of("cong_van", header={"recipients": many, **signer})
    assert context["recipients_head"] == context["recipients"][:kept]
    assert context["recipients_head"] + context["recipients_tail"] == context["recipients"]


def test_a_long_nơi_nhận_in_its_rows_is_read_whole_by_the_checker() -> None:
    recipients = [f"Tổ chuyên môn số {i}" for i in range(1, 31)]
    context = context_of("cong_van", header={"recipients": recipients})
    rendered = render_docx(template_path("cong_van").read_bytes(), context)

    assert check_docx(rendered) == []


@pytest.mark.parametrize("kind", KINDS)
def test_list_rows_and_the_signature_row_never_split(kind: str) -> None:
    root = document_xml(template_path(kind).read_bytes())
    for row in root.iter(f"{W}tr"):
        text = "".join(t.text or "" for t in row.iter(f"{W}t"))
        if "{%tr" in text or not text.strip():
            continue
        if "{{ row." in text or "sign_authority" in text or "signer_name" in text:
            assert row.find(f"{W}trPr/{W}cantSplit") is not None, text[:60]


@pytest.mark.parametrize(
    "kind",
    [
        "ke_hoach",
        "to_trinh",
        "quyet_dinh",
        "bien_ban",
        "danh_sach",
        "chuong_trinh",
        "quyet_dinh_chung",
    ],
)
def test_stt_fits_its_column_on_one_line(kind: str) -> None:
    root = document_xml(template_path(kind).read_bytes())
    stt = next(t for t in root.iter(f"{W}t") if t.text == "STT")
    cell = next(a for a in stt.iterancestors() if a.tag == f"{W}tc")
    width_mm = int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) / 56.7

    assert width_mm == pytest.approx(STT_WIDTH_MM, abs=0.1)
    assert measure_mm("STT", Fmt(13, bold=True)) + 2 * CELL_MARGIN_MM < width_mm


def test_the_quyet_dinh_annex_is_a_section_numbered_from_one_without_a_first_number() -> None:
    root = document_xml(template_path("quyet_dinh").read_bytes())
    sections = list(root.iter(f"{W}sectPr"))

    assert len(sections) == 2
    main, annex = sections
    assert main.find(f"{W}pgNumType") is None or main.find(f"{W}pgNumType").get(f"{W}start") is None
    assert annex.find(f"{W}pgNumType").get(f"{W}start") == "1"
    assert annex.find(f"{W}titlePg") is not None
    assert annex.find(f"{W}type") is None or annex.find(f"{W}type").get(f"{W}val") == "nextPage"
    # The annex begins after the main section's break, with its "DANH SÁCH" title.
    body = root.find(f"{W}body")
    breaker = next(p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None)
    following = "".join(t.text or "" for t in breaker.getnext().iter(f"{W}t"))
    assert following == "DANH SÁCH"


def test_the_body_s_last_paragraph_and_blank_line_keep_with_the_end_block() -> None:
    context = context_of("cong_van")
    root = document_xml(render_docx(template_path("cong_van").read_bytes(), context))
    body = root.find(f"{W}body")
    end_table = body.findall(f"{W}tbl")[-1]
    spacer = end_table.getprevious()
    last_body = spacer.getprevious()

    assert "".join(t.text or "" for t in last_body.iter(f"{W}t")).endswith("./.")
    for paragraph in (spacer, last_body):
        assert paragraph.find(f"{W}pPr/{W}keepNext") is not None
    # Only the last body paragraph keeps: the others flow freely.
    earlier = last_body.getprevious()
    assert earlier.find(f"{W}pPr/{W}keepNext") is None


@pytest.mark.parametrize("kind", KINDS)
def test_long_documents_with_a_long_nơi_nhận_have_no_checker_findings(kind: str) -> None:
    """KT. signature, long issuer and trích yếu, 13 body paragraphs, 30 recipients."""
    from tests.render.test_layout_property import inputs

    data = inputs(kind, 13, 30, 3)
    context = build_context(kind, data["header"], data["body"], data["org"])
    rendered = render_docx(template_path(kind).read_bytes(), context)

    assert check_docx(rendered) == []
