"""Nơi nhận items and the signature block (quyền hạn, chức vụ, họ tên), §1.8-1.9."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from domain.text import fold
from ingest.patterns import NOI_NHAN
from ingest.reading import DocLine
from ingest.syllables import is_syllable

# A Nơi nhận item opens with a dash; OCR reads that dash as "~", "“", "„" or "=" too.
_ITEM = re.compile(r"^\s*(?:[-+•*–—~=„]|[“\"'‘](?=\s*[A-ZĐÀ-Ỹ]))\s*")
# NĐ 30: the file copy ("Lưu: VT, …") is the last item of Nơi nhận.
_ENDED = re.compile(r"^\s*(?:[-+•*–]\s*)?Lưu\b", re.IGNORECASE)
_ATTACHED = re.compile(
    r"^\s*(?:Đính\s+kèm|Tài\s+liệu\s+kèm\s+theo|File\s+đính\s+kèm)\b", re.IGNORECASE
)
_AUTHORITY = re.compile(r"^(?:TM|KT|Q|TL|TUQ)\s*\.", re.IGNORECASE)
_AUTHORITY_ANY = re.compile(r"(?<!\w)(?:TM|KT|TL|TUQ)\s*\.")
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
    head, sep, tail = text.rpartition(";")
    if sep and head and _speck(tail):
        text = head  # "Báo Quảng Ngãi; \\", "…tỉnh; lÍ=l": a stamp's speck after the item
    text = re.sub(r"(?<=[.;)])\s+[^\W\d_]$", "", text)  # "… KT&KĐCL). í": a speck after the end
    return re.sub(r"[;.,:]+\s*$", "", text).strip()


def _speck(text: str) -> bool:
    """True for what a stamp leaves after an item: no word, or marks no item is written with."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
    return not words or bool(re.search(r"[^\w\s.,;:()/&+\-–]", text))


def parse_recipients(left: list[DocLine]) -> list[tuple[str, dict[str, int]]]:
    """Return the Nơi nhận items; wrapped item lines are joined to their item."""
    items: list[list] = []
    dashed = sum(1 for line in left if _ITEM.match(line.text.strip()))
    for line in left:
        text = line.text.strip()
        if items and _ENDED.match(items[-1][0]) and re.search(r"[.;]\s*$", items[-1][0]):
            break  # "- Lưu: VT, KT." closes the list; a typist's mark or a note may follow
        if _ATTACHED.match(text):
            break  # "Đính kèm: …" lists attachments, not recipients
        label = NOI_NHAN.match(text)
        if label:
            text = text[label.end() :].strip()
            if not text:
                continue
        ocr = line.raw is not None and line.raw.meta.get("ocr")
        if ocr and not items and dashed >= 3 and not _ITEM.match(text):
            continue  # what is left of a misread "Nơi nhận:" label before the first item
        ended = bool(items) and re.search(r"[;.]\s*$", items[-1][0])
        if dashed >= 3 and items and not ocr:
            # Every item has its dash: an undashed line wraps the one above (OCR, though,
            # loses dashes, so on a scan an item that ended with ";" stays ended).
            ended = False
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


# Family names of most Vietnamese: a name line that starts with one is the signer's.
_SURNAMES = set(
    """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đoàn vương
    trịnh trương đinh lâm phùng mai tô hà tạ lương lưu quách cao thái châu kiều văn nông lò
    triệu âu tăng la khúc chu bạch đàm tống giang hứa thân kim từ diệp mạc lại ninh vi hầu
    quan nghiêm phí hàn doãn lã lạc thạch ông danh lục tôn nhữ viên y h' ksor rơ""".split()
)


def _strict_name(text: str) -> bool:
    """A person's name: 2-6 words, each a Vietnamese syllable or an initial, in name case."""
    words = text.split()
    if not 2 <= len(words) <= 6 or _AUTHORITY.match(text) or _POSITION.search(text.upper()):
        return False
    title_case = all(_NAME_WORD.match(w) for w in words)
    upper = all(w.isupper() for w in words)
    if not (title_case or upper):
        return False
    if upper and words[0].lower() not in _SURNAMES:
        return False  # "VÀ VÉ": capitals that spell syllables are not yet a name
    return all(is_syllable(w.rstrip(".")) or re.fullmatch(r"[A-ZĐ]\.", w) for w in words)


def _surname_keys() -> dict[str, str]:
    keys: dict[str, list[str]] = {}
    for name in _SURNAMES:
        keys.setdefault(fold(name), []).append(name)
    return {k: v[0] for k, v in keys.items() if len(v) == 1}


_SURNAME_BY_KEY = _surname_keys()
_MIDDLE = {"van": "Văn", "thi": "Thị"}


def _respell_name(text: str) -> str:
    """ "Nguyên Hoàng Giang" → "Nguyễn Hoàng Giang": OCR's slip on a family name's tone.

    Only the family name (and a middle "Văn"/"Thị") is respelt, and only when, without its
    diacritics, it is one known family name; given names stay as read.
    """
    words = text.split()
    if len(words) < 2:
        return text
    known = _SURNAME_BY_KEY.get(fold(words[0]))
    if known and words[0].lower() != known:
        words[0] = known[:1].upper() + known[1:] if words[0][:1].isupper() else known
        if words[0].isupper() or text.isupper():
            words[0] = words[0].upper()
    if (
        len(words) > 2
        and fold(words[1]) in _MIDDLE
        and words[1][:1].isupper()
        and not text.isupper()
    ):
        words[1] = _MIDDLE[fold(words[1])]
    return " ".join(words)


def _without_specks(line: DocLine) -> DocLine:
    """An OCR'd line without the stray single letters a signature stroke leaves in it."""
    if line.raw is None or not line.raw.meta.get("ocr"):
        return line
    words = [w for w in line.text.split() if _kept_word(w)]
    text = " ".join(words)
    if words and not _POSITION.search(text.upper()) and _strict_name(_respell_name(text)):
        text = _respell_name(text)
    return replace(line, text=text) if words else line


def _kept_word(word: str) -> bool:
    """A word of an OCR'd signature line that is not a speck of the pen or the stamp.

    Single marks go ("Ầ", "4", ":"), and so do tokens mixing letters with digits or symbols
    that spell no syllable ("x7x", "*Z”"): the strokes a signature leaves between a name's
    words.
    """
    if len(word) == 1:
        return word.isupper() and word.isalpha()
    bare = word.strip(".,;:")
    return bare.isalpha() or is_syllable(bare)


def _pick_name(lines: list[DocLine]) -> DocLine | None:
    lines = [_without_specks(x) for x in lines]
    names = [x for x in lines if _strict_name(x.text.strip())]
    if not names:
        return None
    scanned = any(x.raw is not None and x.raw.meta.get("ocr") for x in lines)
    if scanned:
        # OCR reads the signature and the stamp as stray words; the name is printed last.
        known = [x for x in names if x.text.split()[0].lower() in _SURNAMES]
        # Most names have three words or more; two capitals ("LÒ RA") are often a speck.
        full = [x for x in known if len(x.text.split()) >= 3]
        return (full or known or names)[-1]
    known = [x for x in names if x.text.split()[0].lower() in _SURNAMES]
    return (known or names)[0]


def _right_hand_signer(lines: list[DocLine]) -> list[DocLine]:
    """Two signers side by side ("HỘI CHA MẸ HỌC SINH" | "BÍ THƯ ĐOÀN TRƯỜNG", "THƯ KÝ" |
    "CHỦ TỌA"): the issuer's signer stands on the right, as NĐ 30 places the signature;
    from that row on, only the right half of each line is the signature."""
    for index, line in enumerate(lines):
        raw = line.raw
        if raw is None or len(raw.segments) < 2 or not raw.page_width:
            continue
        middle = raw.page_width / 2
        first, last = raw.segments[0], raw.segments[-1]
        positions = [s for s in (first, last) if _POSITION.search(s.text.upper())]
        if not (
            first.x1 < middle * 1.1
            and last.x0 >= middle * 0.9
            and _is_upper(first.text)
            and _is_upper(last.text)
            and positions
        ):
            continue
        kept = lines[:index]
        for later in lines[index:]:
            if later.raw is None or later.raw.page_width != raw.page_width:
                kept.append(later)
                continue
            halves = [s.text for s in later.raw.segments if s.x0 >= middle * 0.9]
            if halves:
                kept.append(replace(later, text=" ".join(halves)))
        return kept
    return lines


def parse_signature(right: list[DocLine], closing: Closing) -> None:
    """Fill the signer fields from the right column of the closing block."""
    lines = [x for x in right if x.text.strip() and not _NOTE.match(x.text.strip().strip("()[] "))]
    lines = _right_hand_signer(lines)
    start = None
    for index, line in enumerate(lines):
        text = line.text.strip()
        if _is_upper(text) and (_AUTHORITY.match(text) or _POSITION.search(text)):
            start = index
            break
        following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
        if _is_upper(text) and _is_upper(following) and _POSITION.fullmatch(f"{text} {following}"):
            # "CHỦ" / "TỊCH": a scan's wide letter spacing splits the position in two rows.
            lines = [*lines[:index], replace(line, text=f"{text} {following}"), *lines[index + 2 :]]
            start = index
            break
    if start is None:
        if any(x.raw is not None and x.raw.meta.get("ocr") for x in lines):
            # A scan whose position line is lost under the signature or the stamp: the
            # name printed under them is still the signer's.
            name = _pick_name(lines)
            if name is not None:
                closing.signer_name = name.text.strip()
                closing.sources["signer_name"] = name.source()
        return
    taken = [lines[start]]
    end = start + 1
    # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH": every authority line and the
    # position under them, as printed (the settled contract).
    while end < len(lines) and _AUTHORITY.match(taken[-1].text.strip()):
        below = lines[end]
        if below.raw is not None and below.raw.meta.get("ocr"):
            # "KT. CHỦ TỊCH" / "Ầ" / "4" / "PHÓ CHỦ TỊCH": specks of the stamp between the lines.
            ahead = lines[end : end + 4]
            title_line = next(
                (x for x in ahead if _POSITION.search(x.text) or _AUTHORITY.match(x.text.strip())),
                None,
            )
            if title_line is not None and title_line is not below:
                end = lines.index(title_line)
                below = title_line
        if not _is_upper(below.text):
            break
        taken.append(below)
        end += 1
    parts = []
    for line in taken:
        text = line.text.strip()
        found = _AUTHORITY_ANY.search(text) or _POSITION.search(text)
        if line.raw is not None and line.raw.meta.get("ocr"):
            if found and found.start():
                text = text[found.start() :]  # "| ZếĐÁN À CHỦ TỊCH": the stamp read before it
            words = text.split()
            while len(words) > 1 and not is_syllable(words[-1].strip(".,")):
                words.pop()  # "KT. CHỦ TỊCH Ầ": a speck of the stamp after it
            text = " ".join(words)
        parts.append(text)
    closing.signer_title = " ".join(parts)
    closing.signer_position = taken[-1].text.strip()
    closing.sources["signer_title"] = taken[0].source()
    rest = lines[end:]
    name = _pick_name(rest)
    scanned = any(x.raw is not None and x.raw.meta.get("ocr") for x in rest)
    if name is None and not scanned:
        # Names printed in capitals, or with letters a strict test refuses ("Nguyễn Thị
        # Thu Hà (ký)"): the first name-shaped line after the title, as before.
        for line in rest:
            text = line.text.strip()
            upper_name = _is_upper(text) and 2 <= len(text.split()) <= 6
            if _is_name(text) or (upper_name and not _POSITION.search(text)):
                name = line
                break
    if name is not None:
        closing.signer_name = name.text.strip()
        closing.sources["signer_name"] = name.source()


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
        name, source = closing.signer_name, closing.sources.get("signer_name")
        parse_signature(tail, closing)
        if name is not None:
            # The name under the signature column stands; the body's tail only adds the
            # position the stamp hid there.
            closing.signer_name = name
            closing.sources["signer_name"] = source  # type: ignore[assignment]  # set with the name
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
