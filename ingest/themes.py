"""Names of phong trào thi đua, cuộc vận động and chủ đề quoted in the text (§3.4)."""

from __future__ import annotations

import difflib
import re

from domain.text import fold
from ingest.reading import Paragraph

_QUOTE = re.compile(r"[“\"«]\s*(?P<name>[^”\"»“]{3,250}?)\s*[”\"»]")
_POSITIVE = re.compile(
    # Only campaigns and themes: a programme's, a contest's or a project's title is not one
    # ("Chương trình “01 ngày làm sinh viên”", "Đề án “…”").
    r"phong\s+trào|thi\s+đua|cuộc\s+vận\s+động|vận\s+động|chủ\s+đề|"
    r"đợt\s+thi\s+đua|mô\s+hình|việc$|khẩu\s+hiệu",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"mục\s+tiêu|yêu\s+cầu|khen\s+thưởng|danh\s+hiệu|tiêu\s+chí|nội\s+dung|tên\s+gọi|"
    r"gọi\s+là|được\s+gọi|câu|bài|tác\s+phẩm|cuốn|sách|website|trang",
    re.IGNORECASE,
)
_LINK = re.compile(r"^[\s,;:và/\-–]*(?:và|hoặc)?[\s,;:]*$")
_WINDOW = 90


def find_themes(paragraphs: list[Paragraph]) -> list[tuple[str, dict[str, int]]]:
    """Return ``(name, source)`` for each quoted campaign name, each name once."""
    found: list[tuple[str, dict[str, int]]] = []
    for paragraph in paragraphs:
        text = paragraph.text
        previous_end = 0
        previous_ok = False
        for match in _QUOTE.finditer(text):
            before = text[max(previous_end, match.start() - _WINDOW) : match.start()]
            between = text[previous_end : match.start()]
            if previous_end and (_LINK.match(between) or _is_list_link(between)):
                ok = previous_ok
            else:
                ok = _is_theme_context(before)
            previous_end, previous_ok = match.end(), ok
            name = _clean(match["name"])
            if ok and name and not _seen(name, found):
                found.append((name, paragraph.source_at(match.start())))
    return found


def _is_list_link(between: str) -> bool:
    # '… kiểu mẫu” giai đoạn 2021 - 2025; “Vì người nghèo …': a suffix, then the next item.
    return (
        len(between) <= 70
        and not re.search(r"\.\s", between)
        and bool(re.search(r"[;,]\s*$", between))
        and not _NEGATIVE.search(between)
    )


def _is_theme_context(before: str) -> bool:
    # The keyword nearest to the opening quote decides.
    before = before.rstrip(" :")
    positive = [m.end() for m in _POSITIVE.finditer(before)]
    negative = [m.end() for m in _NEGATIVE.finditer(before)]
    if not positive:
        return False
    return not negative or max(positive) >= max(negative)


def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,;:*_")
    if len(name) < 3 or not any(c.isalpha() for c in name):
        return ""
    return name


def _seen(name: str, found: list[tuple[str, dict[str, int]]]) -> bool:
    key = fold(name)
    return any(_similar(key, fold(other)) for other, _ in found)


def _similar(a: str, b: str) -> bool:
    # The quick ratios are upper bounds of ratio(): most pairs are refused by them, without
    # the matching blocks' search that ratio() does.
    matcher = difflib.SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= 0.92
        and matcher.quick_ratio() >= 0.92
        and matcher.ratio() >= 0.92
    )
