"""Layout that holds under any length, read from the PDF as a văn thư reads the printout.

Every kind is rendered with bodies of 1 to 60 paragraphs (a Fibonacci spread, so page breaks
fall at many places of the end block) and 1 to 30 Nơi nhận items, signed "KT. HIỆU TRƯỞNG /
PHÓ HIỆU TRƯỞNG", converted by the warm LibreOffice, and read back with pdfplumber:

- each signature's title and the signer's name are on one page, and that page also holds
  text above the end block (body text: the signature never stands alone on a page), and
  the whole Nơi nhận too;
- every short line drawn under text is 1/3–1/2 as long as the longest line of that text (the
  issuer, the trích yếu), and the line under the Tiêu ngữ as long as the Tiêu ngữ;
- "STT" is printed on one line.

A Giấy khen is one certificate page: its achievement text is one to a few lines, so it is
rendered with short texts only.
"""

from __future__ import annotations

import copy
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pytest

from domain import layout
from render.context import build_context
from render.engine import render_docx
from render.manifest import TEMPLATES_DIR
from render.manifest import load_manifest
from render.pdf import PdfConverter

pytestmark = pytest.mark.slow

LENGTHS = (1, 2, 3, 5, 8, 13, 21, 34, 60)
RECIPIENTS = (30, 1, 13, 30, 5, 21, 2, 8, 30)
CERTIFICATE_LENGTHS = (1, 2, 3)
MM = 72 / 25.4
# Two pieces of text on one printed line belong to different blocks (Nơi nhận | signature,
# issuer | Quốc hiệu) when this far apart.
SEGMENT_GAP_PT = 14.0
_WORDS = (
    "giáo viên học sinh nhà trường thực hiện kế hoạch năm học phong trào thi đua dạy tốt học "
    "tốt đổi mới phương pháp kiểm tra đánh giá chuyên môn tổ khối báo cáo kết quả đề nghị xem "
    "xét khen thưởng tập thể cá nhân hoàn thành xuất sắc nhiệm vụ được giao"
).split()
_RECIPIENTS = (
    "Phòng Giáo dục và Đào tạo xã Mỹ Thạnh",
    "Tổ Toán - Tin",
    "Tổ Ngữ văn",
    "Tổ Khoa học tự nhiên",
    "Công đoàn trường",
    "Chi đoàn giáo viên",
    "Ban đại diện cha mẹ học sinh",
)
SIGNER = {
    "signer_authority": "KT",
    "signer_collective": "Hiệu trưởng",
    "signer_position": "Phó Hiệu trưởng",
    "signer_name": "Lê Thị Hồng Nhung",
}
# The long trích yếu wraps to two lines on a portrait page.
LONG_SUMMARY = (
    "Về việc đề nghị công nhận danh hiệu thi đua và tặng Giấy khen cho các tập thể, cá nhân "
    "có thành tích xuất sắc trong năm học 2024-2025"
)


def paragraphs(count: int, seed: int) -> str:
    """Return ``count`` paragraphs of one to five printed lines, the last ending in "./."."""
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        words = [rnd.choice(_WORDS) for _ in range(rnd.choice((5, 12, 25, 40, 60, 85)))]
        texts.append(" ".join(words).capitalize() + ".")
    texts[-1] = texts[-1][:-1] + "./."
    return "\n".join(texts)


def recipients(count: int) -> list[str]:
    return [
        _RECIPIENTS[i] if i < len(_RECIPIENTS) else f"{_RECIPIENTS[i % len(_RECIPIENTS)]} {i}"
        for i in range(count)
    ]


def inputs(kind: str, length: int, recipient_count: int, seed: int) -> dict[str, Any]:
    """Return the sample input of ``kind`` with a body of ``length`` paragraphs (or rows)."""
    manifest = load_manifest(kind)
    sample = copy.deepcopy(manifest.sample)
    header, body = sample["header"], sample["body"]
    if "signer_position" in header:
        header.update(SIGNER)
    if "recipients" in header:
        header["recipients"] = recipients(recipient_count)
    if header.get("summary") and kind != "cong_van" and seed % 2:
        header["summary"] = LONG_SUMMARY
    if seed % 3 == 0:
        sample["org"] = {**sample["org"], "issuer": "Trường Trung học cơ sở Nguyễn Văn Trỗi"}
    text = paragraphs(length, seed)
    field = {
        "ke_hoach": "ket_luan",
        "cong_van": "noi_dung",
        "to_trinh": "ket_luan",
        "quyet_dinh": "dieu_3",
        "bien_ban": "noi_dung",
        "bao_cao_ca_nhan": "thanh_tich",
        "bao_cao_tap_the": "ket_qua",
        "giay_khen": "thanh_tich",
        "thong_bao": "noi_dung",
        "giay_moi": "ket_thuc",
        "bao_cao": "ket_luan",
        "chuong_trinh": "ket_luan",
        "to_trinh_chung": "ket_luan",
    }.get(kind)
    if field:
        body[field] = text
    if kind in ("quyet_dinh_chung", "quyet_dinh_ban_hanh"):
        body["dieu"] = [*body["dieu"][:-1], {"noi_dung": text}]
    if kind == "danh_sach":
        rows = body["nguoi_de_nghi"]
        body["nguoi_de_nghi"] = [
            {**rows[i % len(rows)], "thanh_tich": paragraphs(1, seed + i)} for i in range(length)
        ]
    if kind == "bien_ban":
        rows = body["ung_vien"]
        body["ung_vien"] = [dict(rows[i % len(rows)]) for i in range(1 + length // 4)]
    return sample


def cases() -> Iterator[tuple[str, int, int]]:
    for kind in (
        "ke_hoach",
        "cong_van",
        "to_trinh",
        "quyet_dinh",
        "bien_ban",
        "danh_sach",
        "bao_cao_ca_nhan",
        "bao_cao_tap_the",
        "thong_bao",
        "giay_moi",
        "bao_cao",
        "chuong_trinh",
        "to_trinh_chung",
        "quyet_dinh_chung",
        "quyet_dinh_ban_hanh",
    ):
        for length, count in zip(LENGTHS, RECIPIENTS, strict=True):
            yield kind, length, count
    for length in CERTIFICATE_LENGTHS:
        yield "giay_khen", length, 1


# -- reading the PDF ---------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """Words printed on one line of one block (a text line as the eye groups it)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def segments(pdf: pdfplumber.PDF) -> list[Segment]:
    found = []
    for number, page in enumerate(pdf.pages):
        rows: dict[int, list[dict]] = {}
        for word in page.extract_words():
            key = round(word["bottom"])
            row = rows.get(key) or rows.get(key - 1) or rows.get(key + 1)
            if row is None:
                row = rows[key] = []
            row.append(word)
        for words in rows.values():
            words.sort(key=lambda w: w["x0"])
            group = [words[0]]
            for word in words[1:]:
                if word["x0"] - group[-1]["x1"] > SEGMENT_GAP_PT:
                    found.append(_segment(number, group))
                    group = []
                group.append(word)
            found.append(_segment(number, group))
    return sorted(found, key=lambda s: (s.page, s.top, s.x0))


def _segment(page: int, words: list[dict]) -> Segment:
    return Segment(
        page,
        " ".join(w["text"] for w in words),
        min(w["x0"] for w in words),
        max(w["x1"] for w in words),
        min(w["top"] for w in words),
        max(w["bottom"] for w in words),
    )


@dataclass(frozen=True)
class Rule:
    """A short horizontal line drawn on a page (not a table border)."""

    page: int
    x0: float
    x1: float
    top: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def rules(pdf: pdfplumber.PDF) -> list[Rule]:
    """Return horizontal lines that are not part of a table's grid."""
    found = []
    for number, page in enumerate(pdf.pages):
        shapes = [(s["x0"], s["x1"], s["top"], s["bottom"]) for s in (*page.lines, *page.rects)] + [
            (i["x0"], i["x1"], i["top"], i["bottom"]) for i in page.images
        ]
        horizontal = [s for s in shapes if s[3] - s[2] <= 2 and s[1] - s[0] > 5]
        vertical = [s for s in shapes if s[1] - s[0] <= 2 and s[3] - s[2] > 5]
        for x0, x1, top, _bottom in horizontal:
            touches = any(
                (abs(v[0] - x0) < 2 or abs(v[0] - x1) < 2) and v[2] - 2 <= top <= v[3] + 2
                for v in vertical
            )
            if not touches:
                found.append(Rule(number, x0, x1, top))
    unique = {(r.page, round(r.x0), round(r.x1), round(r.top)): r for r in found}
    return sorted(unique.values(), key=lambda r: (r.page, r.top))


def text_above(rule: Rule, lines: list[Segment], expected: str) -> list[Segment]:
    """Return the lines of ``expected`` printed right above ``rule`` (bottom-up walk)."""
    centre = (rule.x0 + rule.x1) / 2
    above = [
        s
        for s in lines
        if s.page == rule.page and s.bottom <= rule.top + 1 and s.x0 <= centre <= s.x1
    ]
    above.sort(key=lambda s: s.bottom, reverse=True)
    picked: list[Segment] = []
    rest = " ".join(expected.split())
    for line in above:
        if picked and picked[-1].top - line.bottom > 8:
            break
        if not picked and rule.top - line.bottom > 14:
            break
        if not rest.endswith(line.text):
            break
        picked.append(line)
        rest = rest[: -len(line.text)].rstrip()
        if not rest:
            return picked
    return []


def find_line(lines: list[Segment], text: str, *, last: bool = False) -> Segment:
    """Return the (first or last) line that prints ``text``, or its first line if it wraps."""
    matches = [
        s for s in lines if s.text == text or (len(s.text) > 8 and text.startswith(s.text + " "))
    ]
    assert matches, f"“{text}” is not printed on a line of its own"
    return matches[-1] if last else matches[0]


# -- the property ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    with PdfConverter() as made:
        yield made


def signatures(kind: str, context: dict[str, Any]) -> list[tuple[str, str]]:
    """Return each signature's first title line and the signer's name."""
    if kind == "bien_ban":
        return [("THƯ KÝ", context["thu_ky_name"]), ("CHỦ TỌA", context["chu_toa_name"])]
    if kind == "bao_cao_ca_nhan":
        return [
            ("THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ", context["signer_name"]),
            ("NGƯỜI BÁO CÁO THÀNH TÍCH", context["ho_ten"]),
        ]
    if kind == "bao_cao_tap_the":
        return [("THỦ TRƯỞNG ĐƠN VỊ", context["signer_name"])]
    return [(context["sign_authority"][0], context["signer_name"])]


def render_pdf(converter: PdfConverter, kind: str, data: dict[str, Any]):
    manifest = load_manifest(kind)
    context = build_context(kind, data["header"], data["body"], data["org"], manifest=manifest)
    template = (TEMPLATES_DIR / f"{kind}.docx").read_bytes()
    return context, converter.convert_docx_to_pdf(render_docx(template, context))


def check_end_block(kind: str, context: dict[str, Any], lines: list[Segment]) -> list[str]:
    problems = []
    for title, name in signatures(kind, context):
        title_line = find_line(lines, title, last=True)
        after = [s for s in lines if s.text == name and (s.page, s.top) > (title_line.page, 0)]
        after = [s for s in after if (s.page, s.top) > (title_line.page, title_line.top)]
        if not after or after[0].page != title_line.page:
            where = f"page {after[0].page + 1}" if after else "nowhere"
            problems.append(f"{title} on page {title_line.page + 1}, {name} on {where}")
            continue
        body = [
            s
            for s in lines
            if s.page == title_line.page
            and s.bottom < title_line.top - 1
            and s.top > layout.MARGINS["top"].default_mm * MM - 2
        ]
        if not body:
            problems.append(f"{title}: no text above the end block on page {title_line.page + 1}")
    items = [s for s in lines if s.text.startswith("- Lưu")]
    if context.get("recipients") and items:
        # Nơi nhận and signature are one block: its last item ("- Lưu: VT…") is printed on
        # the last signature's page, never carried alone to the next one.
        last_title = find_line(lines, signatures(kind, context)[-1][0], last=True)
        if items[-1].page != last_title.page:
            problems.append(f"Nơi nhận ends on page {items[-1].page + 1}, after the signature")
    return problems


def check_rules(kind: str, context: dict[str, Any], pdf, lines: list[Segment]) -> list[str]:
    problems = []
    low, high = layout.ELEMENTS["summary_underline"].line_ratio or (1 / 3, 1 / 2)
    title = " ".join(context[k] for k in ("award_line", "ky") if context.get(k))
    texts = {
        "motto": (layout.MOTTO, (0.97, 1.03)),
        "issuer": (context["issuer"], (low, high)),
        "summary": (title or context["summary"], (low, high)),
    }
    if kind == "giay_khen":
        del texts["issuer"], texts["summary"]
    if "attached_rule" in context:  # the issued Quy chế's title block ends "(Kèm theo …)"
        texts["attached"] = (context["annex_line"], (low, high))
    for rule in rules(pdf):
        for name, (expected, (least, most)) in texts.items():
            above = text_above(rule, lines, expected)
            if above:
                ratio = rule.width / max(s.x1 - s.x0 for s in above)
                if not least - 0.005 <= ratio <= most + 0.005:
                    problems.append(f"line under the {name}: {ratio:.2f} of its text")
                break
        else:
            problems.append(f"a line under no known text on page {rule.page + 1} at {rule.top:.0f}")
    return problems


@pytest.mark.parametrize(("kind", "length", "recipient_count"), list(cases()))
def test_end_block_stays_whole_and_lines_fit_their_text(
    converter: PdfConverter, kind: str, length: int, recipient_count: int
) -> None:
    seed = LENGTHS.index(length) if length in LENGTHS else length
    context, pdf_bytes = render_pdf(converter, kind, inputs(kind, length, recipient_count, seed))
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        lines = segments(pdf)
        problems = check_end_block(kind, context, lines) + check_rules(kind, context, pdf, lines)
        assert not any(s.text.startswith("ST ") or s.text == "ST" for s in lines), "STT wraps"
    assert not problems, f"{kind}, {length} paragraphs, {recipient_count} recipients: {problems}"


def page_numbers(pdf: pdfplumber.PDF) -> list[str]:
    """Return what each page prints above the top margin: its number, or nothing."""
    return [
        " ".join(w["text"] for w in page.extract_words() if w["bottom"] < 45) for page in pdf.pages
    ]


@pytest.mark.parametrize(
    ("kind", "title_word"),
    [("quyet_dinh", "SÁCH"), ("quyet_dinh_chung", "SÁCH"), ("quyet_dinh_ban_hanh", "CHẾ")],
)
def test_a_quyet_dinh_s_annex_is_numbered_on_its_own(
    converter: PdfConverter, kind: str, title_word: str
) -> None:
    """NĐ 30 numbers each phụ lục's pages separately, without a number on its first page;
    a document issued with a Quyết định (its Quy chế) is numbered the same way."""
    data = inputs(kind, 8, 5, 0)
    body = data["body"]
    if kind == "quyet_dinh_ban_hanh":
        body["kem_theo_noi_dung"] = paragraphs(40, 1)
    else:
        name = "danh_sach" if kind == "quyet_dinh" else "thanh_vien"
        body[name] = [dict(body[name][i % len(body[name])]) for i in range(120)]
    _, pdf_bytes = render_pdf(converter, kind, data)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        numbers = page_numbers(pdf)
        starts = [
            index
            for index, page in enumerate(pdf.pages)
            if any(w["text"] == title_word and w["top"] < 160 for w in page.extract_words())
        ]
    assert len(starts) == 1, numbers
    annex = starts[0]
    assert annex >= 2 and len(numbers) - annex >= 3, numbers
    assert numbers[:annex] == ["", *(str(n) for n in range(2, annex + 1))]
    assert numbers[annex:] == ["", *(str(n) for n in range(2, len(numbers) - annex + 1))]


def test_a_quyet_dinh_without_its_optional_list_keeps_its_page_numbers(
    converter: PdfConverter,
) -> None:
    """The list's section goes with the list; the decision's pages are still numbered."""
    data = inputs("quyet_dinh_chung", 34, 13, 2)
    data["body"]["thanh_vien"] = []
    _, pdf_bytes = render_pdf(converter, "quyet_dinh_chung", data)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        numbers = page_numbers(pdf)
        text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(numbers) >= 3 and "DANH SÁCH" not in text
    assert numbers == ["", *(str(n) for n in range(2, len(numbers) + 1))]
