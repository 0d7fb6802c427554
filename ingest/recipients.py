"""Nơi nhận items and the signature block (quyền hạn, chức vụ, họ tên), §1.8-1.9."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from ingest.patterns import NOI_NHAN
from ingest.reading import DocLine

_ITEM = re.compile(r"^\s*[-+•*–]\s*")
_AUTHORITY = re.compile(r"^(?:TM|KT|Q|TL|TUQ)\s*\.", re.IGNORECASE)
_POSITION = re.compile(
    r"HIỆU\s+TRƯỞNG|GIÁM\s+ĐỐC|CHỦ\s+TỊCH|TRƯỞNG\s+(?:PHÒNG|BAN|KHOA|ĐOÀN)|BÍ\s+THƯ|"
    r"TỔNG\s+PHỤ\s+TRÁCH|TỔ\s+TRƯỞNG|CHÁNH\s+VĂN\s+PHÒNG|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|BỘ\s+TRƯỞNG|"
    r"THỦ\s+TRƯỞNG|GIÁM\s+HIỆU|CHỦ\s+NHIỆM|TRƯỞNG|PHÓ\s+\w+|THƯ\s+KÝ|CHỦ\s+TỌA|NGƯỜI\s+LẬP"
)
_NOTE = re.compile(
    r"^\(?\s*(?:đã\s+ký|ký|kí|ký\s+tên|chữ\s+ký|đóng\s+dấu|ký,|\[?daky\]?|signed)\b.*$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\.?$|^[A-ZĐ]\.$")


@dataclass
class Closing:
    """What the closing block yields."""

    recipients: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    signer_title: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    sources: dict[str, dict[str, int]] = field(default_factory=dict)


def clean_item(text: str) -> str:
    """Strip the leading dash and the closing ``;``/``.`` of a Nơi nhận item."""
    text = _ITEM.sub("", text).strip()
    return re.sub(r"[;.,:]+\s*$", "", text).strip()


def parse_recipients(left: list[DocLine]) -> list[tuple[str, dict[str, int]]]:
    """Return the Nơi nhận items; wrapped item lines are joined to their item."""
    items: list[list] = []
    for line in left:
        text = line.text.strip()
        label = NOI_NHAN.match(text)
        if label:
            text = text[label.end() :].strip()
            if not text:
                continue
        ended = bool(items) and re.search(r"[;.]\s*$", items[-1][0])
        if _ITEM.match(text) or not items or ended:
            items.append([text, line.source()])
        else:
            items[-1][0] = f"{items[-1][0]} {text}"
    result = []
    for text, source in items:
        cleaned = clean_item(text)
        if cleaned:
            result.append((cleaned, source))
    return result


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= len(letters) * 0.8


def _is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words)


def parse_signature(right: list[DocLine], closing: Closing) -> None:
    """Fill the signer fields from the right column of the closing block."""
    titles: list[DocLine] = []
    for line in right:
        text = line.text.strip()
        if not text or _NOTE.match(text.strip("()[] ")):
            continue
        is_title = bool(_AUTHORITY.match(text) or _POSITION.search(text))
        if titles and _is_upper(text) and not is_title and 2 <= len(text.split()) <= 6:
            closing.signer_name = text  # names are sometimes printed in capitals
            closing.sources["signer_name"] = line.source()
            break
        if _is_upper(text) and not closing.signer_name:
            if not titles and not is_title:
                continue
            titles.append(line)
            continue
        if titles and _is_name(text):
            closing.signer_name = text
            closing.sources["signer_name"] = line.source()
            break
    if not titles:
        return
    taken = [titles[0]]
    for line in titles[1:]:
        # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH": every authority line and
        # the position under them, as printed (the settled contract).
        if not _AUTHORITY.match(taken[-1].text.strip()):
            break
        taken.append(line)
    closing.signer_title = " ".join(x.text.strip() for x in taken)
    closing.signer_position = titles[-1].text.strip()
    closing.sources["signer_title"] = titles[0].source()


def parse_closing(left: list[DocLine], right: list[DocLine], tail: list[DocLine]) -> Closing:
    """Parse the closing block; without one, look for a signature in the last body lines.

    Args:
        left: Nơi nhận column.
        right: signature column.
        tail: the last lines of the body, used when the document has no Nơi nhận.
    """
    closing = Closing()
    left, moved = _separate_signature(left)
    right = moved + right if moved else right
    closing.recipients = parse_recipients(left)
    if right:
        parse_signature(right, closing)
    if closing.signer_title is None and tail:
        parse_signature(tail, closing)
    return closing


def _separate_signature(left: list[DocLine]) -> tuple[list[DocLine], list[DocLine]]:
    # Single-column layouts print the signature under the list: an upper-case chức vụ line
    # and the name after it are not Nơi nhận items.
    kept: list[DocLine] = []
    moved: list[DocLine] = []
    for line in left:
        text = line.text.strip()
        if _ITEM.match(text) or NOI_NHAN.match(text):
            kept.append(line)
            continue
        signature_like = _is_upper(text) and (_AUTHORITY.match(text) or _POSITION.search(text))
        if signature_like or (moved and (_is_name(text) or _NOTE.match(text.strip("()[] ")))):
            moved.append(line)
        else:
            kept.append(line)
    return kept, moved
