"""How sure the parser is of each field: where it was read and whether the cues agree.

Each contract field gets ``{"score": 0..1, "level": "high" | "medium" | "low", "via": …,
"why": …}``: ``via`` says how the value was found (``text`` layer, ``ocr``, a signature
``widget``, the ``body`` when the header had none, ``none`` when nothing was found) and
``why`` is a short Vietnamese reason shown to the clerk, so that the doubtful fields are
checked first. Nothing here changes a value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from domain.text import fold
from ingest.gazetteer import PROVINCES
from ingest.reading import DocLine
from ingest.reading import Document
from ingest.syllables import layer_quality

SCALARS = (
    "doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "issued_date",
    "title", "period", "signer_title", "signer_name",
)  # fmt: skip
LISTS = ("references", "themes", "deadlines", "recipients")
_HIGH, _MEDIUM = 0.85, 0.6


def _level(score: float) -> str:
    return "high" if score >= _HIGH else "medium" if score >= _MEDIUM else "low"


def _line_at(doc: Document, source: dict | None) -> DocLine | None:
    if not source:
        return None
    for line in doc.lines:
        if line.page == source.get("page") and line.line == source.get("line"):
            return line
    return None


def _reading(line: DocLine | None) -> tuple[str, float]:
    """How a line was read and how sure that reading is (OCR word confidence)."""
    if line is None or line.raw is None:
        return "text", 0.95
    meta = line.raw.meta
    if meta.get("ocr"):
        confidence = meta.get("confidence")
        return "ocr", 0.8 if confidence is None else max(0.0, min(1.0, confidence / 100.0))
    if meta.get("widget"):
        return "widget", 0.95
    return "text", 0.97


def _spelling(value: str) -> float:
    """Share of the value's words that are Vietnamese syllables (1.0 for codes and numbers)."""
    quality = layer_quality(value)
    if quality.words < 2:
        return 1.0
    return max(0.0, quality.valid - quality.junk)


def field_confidence(
    values: dict[str, Any], doc: Document, signatures: list[dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Return the confidence of every contract field of ``values`` (see the module doc)."""
    sources = values.get("sources") or {}
    signatures = signatures or []
    scanned = any(x.raw is not None and x.raw.meta.get("ocr") for x in doc.lines)
    out: dict[str, dict[str, Any]] = {}
    for key in SCALARS:
        value = values.get(key)
        line = _line_at(doc, sources.get(key)) if isinstance(sources, dict) else None
        via, score = _reading(line)
        reasons: list[str] = []
        if value in (None, ""):
            # A blank field is doubtful on a scan (a handwritten number, a smudged date) or
            # where every document has one; elsewhere the document simply has none.
            doubtful = scanned or key in ("doc_type", "symbol", "issuer", "title")
            out[key] = {
                "score": 0.5 if doubtful else 0.9,
                "level": "medium" if doubtful else "high",
                "via": "none",
                "why": "Không đọc được trên văn bản; hãy đối chiếu với ảnh trang."
                if scanned
                else "Không có trên văn bản.",
            }
            continue
        if via == "ocr":
            reasons.append("đọc bằng nhận dạng chữ (OCR)")
        if line is None and key in ("issuer",):
            via = "body"
            score = min(score, 0.75)
            reasons.append("lấy từ câu trong nội dung, không có ở phần đầu")
        text = str(value)
        if key in ("issuer", "parent_issuer", "title", "signer_title", "signer_name", "place"):
            spelling = _spelling(text)
            if spelling < 0.9:
                reasons.append("có chữ không phải tiếng Việt")
            score *= 0.5 + 0.5 * spelling
        score = _agreement(key, text, values, signatures, score, reasons)
        score = round(max(0.0, min(1.0, score)), 2)
        out[key] = {
            "score": score,
            "level": _level(score),
            "via": via,
            "why": "; ".join(reasons) or "Đọc từ lớp chữ của văn bản.",
        }
    for key in LISTS:
        items = values.get(key) or []
        item_sources = [i.get("source") for i in items if isinstance(i, dict)]
        if key in ("recipients", "themes"):
            item_sources = list(values.get(f"{key[:-1]}_sources") or [])
        lines = [_line_at(doc, s) for s in item_sources]
        readings = [_reading(x) for x in lines if x is not None]
        ocr = [c for via, c in readings if via == "ocr"]
        score = (sum(ocr) / len(ocr)) * 0.9 if ocr else 0.9
        reasons = ["đọc bằng nhận dạng chữ (OCR)"] if ocr else []
        if key == "recipients" and items:
            spelling = _spelling(" ".join(str(i) for i in items))
            score *= 0.5 + 0.5 * spelling
            if spelling < 0.9:
                reasons.append("có chữ không phải tiếng Việt")
        score = round(max(0.0, min(1.0, score)), 2)
        out[key] = {
            "score": score,
            "level": _level(score),
            "via": "ocr" if ocr else "text",
            "why": "; ".join(reasons) or "Đọc từ lớp chữ của văn bản.",
        }
    return out


def _agreement(
    key: str,
    text: str,
    values: dict[str, Any],
    signatures: list[dict[str, Any]],
    score: float,
    reasons: list[str],
) -> float:
    """Raise or lower ``score`` by how well other cues agree with the value."""
    symbol = str(values.get("symbol") or "")
    if key == "number":
        if not re.fullmatch(r"\d{1,5}", text):
            reasons.append("số không rõ")
            return score * 0.5
        return score
    if key == "doc_type":
        head = re.split(r"[-/]", symbol)[-2:] if symbol else []
        if symbol and text != "CV" and text not in re.split(r"[-/]", symbol):
            reasons.append("loại văn bản không khớp ký hiệu")
            return score * 0.8
        return min(1.0, score + 0.03) if head else score
    if key == "symbol":
        if not re.fullmatch(
            r"(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9&.]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9&.]*)*", text
        ):
            reasons.append("ký hiệu có ký tự lạ")
            return score * 0.6
        return score
    if key == "issued_date":
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return 0.3
        if value > date.today():
            reasons.append("ngày ở tương lai")
            score *= 0.6
        signed = [str(s.get("time") or "")[:10] for s in signatures if s.get("time")]
        if signed:
            days = [abs((date.fromisoformat(s) - value).days) for s in signed if s[:4].isdigit()]
            if days and min(days) <= 10:
                reasons.append("khớp thời gian ký số")
                score = min(1.0, score + 0.1)
            elif days:
                reasons.append("khác xa thời gian ký số")
                score *= 0.7
        return score
    if key == "place":
        issuer = fold(
            str(values.get("issuer") or "") + " " + str(values.get("parent_issuer") or "")
        )
        if fold(text) in issuer or any(fold(p) == fold(text) for p in PROVINCES):
            return min(1.0, score + 0.03)
        return score * 0.95
    if key == "signer_name":
        signers = [fold(str(s.get("signer") or s.get("name") or "")) for s in signatures]
        if fold(text) in signers:
            reasons.append("khớp người ký số")
            return min(1.0, score + 0.1)
        return score
    return score
