"""Computed variables of the general kinds: Quyết định articles, the closing "Theo đề nghị
của … ." line, Báo cáo parts, the lines of a document issued with a Quyết định.

The form asks for the proposer's name only ("Đơn vị/người đề nghị"); the words "Theo đề nghị
của" are the template's, so the clerk never types them and the document never prints a
sentence without them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docxtpl import RichText

from domain import layout
from domain.recipients import DECISION_FIRST_ITEM
from domain.text import clean_line
from domain.text import upper_vi
from render.build import measure
from render.context_kinds import enrich_ke_hoach
from render.context_kinds import enrich_quyet_dinh
from render.engine import split_paragraphs
from render.errors import RenderError

PROPOSER_PREFIX = "Theo đề nghị của"
# "Chương I", "Mục 2" head a chapter or section of an issued Quy chế; "Điều 3." an article.
_CHAPTER = re.compile(r"^(Chương|Mục)\s+[IVXLCDM\d]+\b", re.IGNORECASE)
_ARTICLE = re.compile(r"^Điều\s+\d+\s*\.")


def close_with_proposer(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """End the căn cứ lines with "Theo đề nghị của <proposer>." (Mẫu 1.2, 1.3)."""
    proposer = clean_line(body.get("de_nghi_cua"))
    if proposer.lower().startswith(PROPOSER_PREFIX.lower()):
        proposer = proposer[len(PROPOSER_PREFIX) :].strip()
    proposer = proposer.rstrip(" .;,")
    if not proposer:
        return
    lines = context["can_cu"]
    if lines:
        lines[-1] = lines[-1].rstrip(" ;.,") + ";"
    lines.append(f"{PROPOSER_PREFIX} {proposer}.")


def number_articles(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Turn the articles into paragraphs, the first of each led by "Điều N. "; the Nơi nhận's
    "Như Điều 3" names the last article, the one that says who carries the decision out."""
    del body
    paragraphs = []
    for number, row in enumerate(context["dieu"], start=1):
        for index, text in enumerate(split_paragraphs(row["noi_dung"])):
            paragraphs.append({"lead": f"Điều {number}. " if index == 0 else "", "text": text})
    context["articles"] = paragraphs
    count = len(context["dieu"])
    recipients = context["recipients"]
    if recipients and recipients[0] == f"- {DECISION_FIRST_ITEM};":
        recipients[0] = f"- Như Điều {count};"


def enrich_decision(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """A general Quyết định: authority line, annex line, articles, the proposer's line."""
    context.setdefault("tieu_de_danh_sach", "")  # a Quyết định ban hành has no list
    enrich_quyet_dinh(context, body)
    number_articles(context, body)
    close_with_proposer(context, body)
    if context.get("thanh_vien") and not context.get("tieu_de_danh_sach"):
        raise RenderError("Chưa nhập: Tiêu đề danh sách kèm theo.")


def enrich_issuing_decision(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """A Quyết định ban hành: as :func:`enrich_decision`, and the issued document's type
    line, its lines by style and the short line under its title block."""
    enrich_decision(context, body)
    context["attached_type_line"] = upper_vi(context["kem_theo_loai"])
    context["attached_lines"] = styled_lines(context["kem_theo_noi_dung"])
    size = float(layout.ELEMENTS["summary"].size_default or 14)
    length = measure.rule_length_mm(
        [context["annex_line"]], measure.text_box_mm(landscape=False), size, italic=True
    )
    rule = RichText()
    rule.xml = measure.rule_run_xml(length, 3)
    context["attached_rule"] = rule


def styled_lines(text: str) -> list[dict[str, str]]:
    """Return the lines of an issued Quy chế with their style: ``chapter`` for "Chương I",
    ``chapter_title`` for the line after it (upper-cased), ``article`` for "Điều 1. …",
    ``text`` for the rest."""
    lines: list[dict[str, str]] = []
    title_next = False
    for line in split_paragraphs(text):
        if _CHAPTER.match(line):
            lines.append({"style": "chapter", "text": line})
            title_next = True
        elif title_next and not _ARTICLE.match(line):
            lines.append({"style": "chapter_title", "text": upper_vi(line)})
            title_next = False
        else:
            title_next = False
            style = "article" if _ARTICLE.match(line) else "text"
            lines.append({"style": style, "text": line})
    return lines


def enrich_report(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Number a Báo cáo's parts: "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"."""
    enrich_ke_hoach(context, body)


GENERAL_ENRICHERS = {
    "bao_cao": enrich_report,
    "quyet_dinh_chung": enrich_decision,
    "quyet_dinh_ban_hanh": enrich_issuing_decision,
}
