"""How names and titles are written in running text (NĐ 30/2020, Phụ lục II).

One set of Vietnamese text rules for every document, the dossier, the plan drafts and the
checker. Headers print the issuing body upper-case ("TRƯỜNG THCS MỸ THẠNH"); a sentence
writes it with the capitals of Phụ lục II: the first letter of the words naming the kind
of body and its field ("Sở Giáo dục và Đào tạo", "Hội đồng Thi đua - Khen thưởng"), the
administrative unit in lower case before its proper name ("Ủy ban nhân dân xã Mỹ Thạnh"),
every word of a proper name capitalised, abbreviations kept ("Trường THCS Mỹ Thạnh").
Position titles follow the same rules ("HIỆU TRƯỞNG" → "Hiệu trưởng").

The other text rules live next to the element they format: "Số: 05/KH-THCSMT" in
:mod:`domain.numbering`, dates in :mod:`domain.dates`, the signing authority
("KT. HIỆU TRƯỞNG") in :mod:`domain.signature`.
"""

from __future__ import annotations

import re

from domain.text import clean_line
from domain.text import fold

# Words written the same in every position: the kind of body and its field, positions.
# Keys are lower-case word sequences; longest match wins.
_PHRASES: dict[tuple[str, ...], str] = {
    tuple(key.split(" ")): value
    for key, value in (
        ("ủy ban nhân dân", "Ủy ban nhân dân"),
        ("uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("hội đồng nhân dân", "Hội đồng nhân dân"),
        ("hội đồng", "Hội đồng"),
        ("giáo dục và đào tạo", "Giáo dục và Đào tạo"),
        ("giáo dục nghề nghiệp - giáo dục thường xuyên",
         "Giáo dục nghề nghiệp - Giáo dục thường xuyên"),
        ("giáo dục thường xuyên", "Giáo dục thường xuyên"),
        ("trung học cơ sở", "Trung học cơ sở"),
        ("trung học phổ thông", "Trung học phổ thông"),
        ("tiểu học", "Tiểu học"),
        ("mầm non", "Mầm non"),
        ("mẫu giáo", "Mẫu giáo"),
        ("phổ thông dân tộc nội trú", "Phổ thông dân tộc nội trú"),
        ("phổ thông dân tộc bán trú", "Phổ thông dân tộc bán trú"),
        ("thi đua - khen thưởng", "Thi đua - Khen thưởng"),
        ("văn hóa - xã hội", "Văn hóa - Xã hội"),
        ("văn hoá - xã hội", "Văn hóa - Xã hội"),
        ("tài chính - kế hoạch", "Tài chính - Kế hoạch"),
        ("nội vụ", "Nội vụ"),
        ("công đoàn", "Công đoàn"),
        ("ban giám hiệu", "Ban Giám hiệu"),
        ("văn phòng", "Văn phòng"),
        ("liên đội", "Liên đội"),
        ("chi bộ", "Chi bộ"),
        ("phó hiệu trưởng", "Phó Hiệu trưởng"),
        ("hiệu trưởng", "Hiệu trưởng"),
        ("phó chủ tịch", "Phó Chủ tịch"),
        ("chủ tịch", "Chủ tịch"),
        ("phó giám đốc", "Phó Giám đốc"),
        ("giám đốc", "Giám đốc"),
        ("phó trưởng phòng", "Phó Trưởng phòng"),
        ("trưởng phòng", "Trưởng phòng"),
        ("phó trưởng ban", "Phó Trưởng ban"),
        ("trưởng ban", "Trưởng ban"),
        ("tổ trưởng", "Tổ trưởng"),
        ("tổ phó", "Tổ phó"),
        ("thủ trưởng", "Thủ trưởng"),
        ("bộ trưởng", "Bộ trưởng"),
        ("thư ký", "Thư ký"),
        # Special names (Phụ lục II): the generic noun is capitalised.
        ("thành phố hồ chí minh", "Thành phố Hồ Chí Minh"),
        ("thủ đô hà nội", "Thủ đô Hà Nội"),
    )
}  # fmt: skip
_LONGEST_PHRASE = max(len(key) for key in _PHRASES)
# Titles that name the body they head when a name follows: "Trưởng phòng" alone, but
# "Trưởng Phòng Giáo dục và Đào tạo".
_BEFORE_BODY = frozenset(
    key for key in _PHRASES if key[-1] in ("phòng", "ban") and key[0] in ("trưởng", "phó")
)
# Administrative units: a common noun before the proper name ("xã Mỹ Thạnh"), capitalised
# before a number ("Quận 1", "Phường 5").
_UNITS: tuple[tuple[str, ...], ...] = (
    ("thành", "phố"), ("thị", "trấn"), ("thị", "xã"), ("xã",), ("phường",), ("huyện",),
    ("quận",), ("tỉnh",),
)  # fmt: skip
_EXPANDED = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}
_CONNECTIVES = frozenset({"và", "của"})
HONORIFICS: tuple[str, ...] = ("Đồng chí", "Đ/c", "đ/c", "Ông", "Bà", "Thầy", "Cô", "Anh", "Chị")
_HONORIFIC = re.compile(
    r"^(?P<word>" + "|".join(re.escape(h) for h in HONORIFICS) + r")\.?\s+(?=\S+\s+\S)",
    re.IGNORECASE,
)
# "Ông" is also a family name ("Ông Văn Tùng", "Ông Ích Khiêm"): it is taken for an
# honorific only before a common family name, because cutting a signer's real name is worse
# than leaving a "Ông" the clerk will see on the draft.
_SURNAME_AFTER_ONG = frozenset(
    fold(name)
    for name in (
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào "
        "Trương Lâm Mai Trịnh Đoàn Lương Cao Hà Tạ Tô Châu Quách Thái Từ Lưu Chu Kiều Triệu "
        "Vương Tăng Mạc Khổng Thân Tôn La Lại Lã Hứa Nông Lò Hầu Quan Ông Cù Diệp "
        "Giang Khúc Kim Lục Mã Nghiêm Ninh Phí Phùng Quang Sơn Thạch Tống Trình Viên Âu Bạch"
    ).split()
)


def running_name(name: str | None) -> str:
    """Return an organization's name as written inside a sentence.

    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" → "Phòng Giáo dục và Đào tạo"; "UBND XÃ MỸ THẠNH" → "Ủy
    ban nhân dân xã Mỹ Thạnh"; "TRƯỜNG THCS MỸ THẠNH" → "Trường THCS Mỹ Thạnh"; a name typed
    with every word capitalised ("Phòng Giáo Dục và Đào Tạo") is normalised the same way.
    Any other mixed-case name is kept as typed (the clerk wrote it on purpose).
    """
    text = clean_line(name)
    if not text or not _needs_rewrite(text):
        return text
    words = text.split(" ")
    out: list[str] = []
    proper = False  # inside the proper name that follows an administrative unit
    index = 0
    while index < len(words):
        word = words[index]
        if word.upper() in _EXPANDED:
            out.append(_EXPANDED[word.upper()])
            index, proper = index + 1, False
            continue
        if not proper:
            phrase, size = _phrase_at(words, index)
            if phrase:
                out.append(phrase)
                index += size
                continue
        unit = _unit_at(words, index)
        if unit:
            following = words[index + unit] if index + unit < len(words) else ""
            text_unit = " ".join(w.lower() for w in words[index : index + unit])
            out.append(_capital(text_unit) if following[:1].isdigit() else text_unit)
            index, proper = index + unit, True
            continue
        out.append(_word(word, first=not out))
        index += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def position_title(title: str | None) -> str:
    """Return a position title as written in a sentence or a signature's name line:
    "HIỆU TRƯỞNG" → "Hiệu trưởng", "PHÓ HIỆU TRƯỞNG" → "Phó Hiệu trưởng"."""
    return running_name(title)


def strip_honorific(name: str | None) -> str:
    """Return a person's name without "Ông", "Bà", "Thầy", "Cô", "Đ/c" in front.

    A signature prints the name only (Phụ lục I, Mục II.7): "Ông Nguyễn Văn An" → "Nguyễn
    Văn An". A name of two words is kept ("Ông Ích" could be a family name), and "Ông" stays
    unless a common family name follows it ("Ông Văn Tùng" is a name).
    """
    text = clean_line(name)
    match = _HONORIFIC.match(text)
    if not match:
        return text
    rest = text[match.end() :]
    if fold(match["word"]) == "ong" and fold(rest.split(" ", 1)[0]) not in _SURNAME_AFTER_ONG:
        return text
    return rest


def _needs_rewrite(text: str) -> bool:
    """Upper-case text, or every word capitalised ("Phòng Giáo Dục và Đào Tạo")."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    words = [w for w in text.split(" ") if _has_vowel(w) and w.lower() not in _CONNECTIVES]
    return len(words) > 1 and all(w[:1].isupper() for w in words)


def _phrase_at(words: list[str], index: int) -> tuple[str, int]:
    for size in range(min(_LONGEST_PHRASE, len(words) - index), 0, -1):
        key = tuple(w.lower() for w in words[index : index + size])
        if key in _PHRASES and not (key in _BEFORE_BODY and index + size < len(words)):
            return _PHRASES[key], size
    return "", 0


def _unit_at(words: list[str], index: int) -> int:
    for unit in _UNITS:
        key = tuple(w.lower() for w in words[index : index + len(unit)])
        # A unit names a place only when something follows it.
        if key == unit and index + len(unit) < len(words):
            return len(unit)
    return 0


def _word(word: str, *, first: bool) -> str:
    if "&" in word or not _has_vowel(word):
        return word.upper()  # an abbreviation: THCS, GD&ĐT, TH
    if not first and word.lower() in _CONNECTIVES:
        return word.lower()
    return _capital(word)


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _has_vowel(word: str) -> bool:
    return any(ch in "aeiouy" for ch in fold(word))
