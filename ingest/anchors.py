"""Put the fixed phrases of an NĐ 30 document back into OCR'd lines.

The parser finds the header columns, the title, the Nơi nhận block and the signer by fixed
phrases (Quốc hiệu, Tiêu ngữ, "Nơi nhận:", "KT. CHỦ TỊCH" …). OCR spells them with slips
("CỘNG HÒA XÃ HỌI CHÚ NGHĨA", "Noi nhận", "GIÁM ĐÓC"); here each OCR'd line is compared
with those phrases by edit distance over syllables and, where it is close enough, the
phrase is written back as printed, word by word, keeping the words' positions.
"""

from __future__ import annotations

import re

from domain.text import fold
from ingest.layout import RawLine
from ingest.layout import Segment
from ingest.syllables import edit_distance
from ingest.syllables import is_syllable
from ingest.syllables import layer_quality
from ingest.syllables import split_tone
from ingest.syllables import syllables

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
# Phrases found anywhere in a line (the header shares its rows with the other column).
_INLINE = (QUOC_HIEU, TIEU_NGU)
# Phrases that are a whole segment by themselves: positions, authorities, type names.
_POSITIONS = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG",
    "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG",
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "BÍ THƯ", "PHÓ BÍ THƯ",
    "CHỦ TỌA", "THƯ KÝ", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "CỤC TRƯỞNG", "VỤ TRƯỞNG",
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. CHỦ TỊCH", "KT. GIÁM ĐỐC", "TL. GIÁM ĐỐC",
    "KT. HIỆU TRƯỞNG", "KT. TRƯỞNG PHÒNG", "KT. CHÁNH VĂN PHÒNG", "KT. BỘ TRƯỞNG",
    "KT. THỦ TƯỚNG", "TM. BAN CHẤP HÀNH", "TM. BAN THƯỜNG VỤ", "TM. HỘI ĐỒNG",
    "ỦY BAN NHÂN DÂN",
    "KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "THÔNG BÁO", "BÁO CÁO", "HƯỚNG DẪN", "TỜ TRÌNH",
    "CHƯƠNG TRÌNH", "BIÊN BẢN", "GIẤY MỜI", "NGHỊ QUYẾT", "CÔNG ĐIỆN",
)  # fmt: skip
# Phrases that open a line.
_OPENERS = ("Nơi nhận:", "Kính gửi:")
# "Sổ: 12/…", "S6; 12/…": the Số label misread; the line still has its slash.
# "Sôz4† /CT-UBND": a handwritten number glued to the label, no colon between them.
_SO = re.compile(r"^S[ốổỗôóòồơo6](?:\s*[:;.,]\s*(?=[^/]{0,12}/)|(?=\S{0,3}\d[^/]{0,8}/\s*[A-ZĐ]))")
_NHAN = re.compile(r"^(?:\S{1,4}\s+)?nh[ậạâa]n\s*:", re.IGNORECASE)
# Words that make "… nhận:" a phrase of the body rather than a damaged "Nơi nhận:".
_NHAN_VERBS = {"tiep", "xac", "ghi", "cong", "thua", "da", "duoc", "tam", "biet", "giao", "ky"}
_DATE_WORDS = {"ngay": "ngày", "thang": "tháng", "nam": "năm"}


def _limit(phrase: str, tolerance: float) -> int:
    return max(1, round(len("".join(syllables(phrase))) * tolerance))


def _match(words: list[str], phrase: str, tolerance: float) -> bool:
    want = " ".join(syllables(phrase))
    got = " ".join(syllables(" ".join(words)))
    if not got or not want:
        return False
    return edit_distance(got, want, _limit(phrase, tolerance)) <= _limit(phrase, tolerance)


def _rewrite(segment: Segment, start: int, end: int, phrase: str) -> None:
    """Replace words ``start:end`` of ``segment`` by ``phrase``, spread over their boxes."""
    words = segment.words or [(segment.text, segment.x0, segment.x1)]
    target = phrase.split()
    span = words[start:end]
    x0, x1 = span[0][1], span[-1][2]
    step = (x1 - x0) / max(len(target), 1)
    new = [(w, x0 + i * step, x0 + (i + 1) * step) for i, w in enumerate(target)]
    flags = segment.bold_words
    if flags is not None and len(flags) == len(words):
        bold = any(flags[start:end])
        segment.bold_words = flags[:start] + [bold] * len(new) + flags[end:]
    segment.words = words[:start] + new + words[end:]
    segment.text = " ".join(w[0] for w in segment.words)


def _fix_inline(segment: Segment, phrase: str) -> bool:
    words = segment.words or [(segment.text, segment.x0, segment.x1)]
    size = len(phrase.split())
    first = syllables(phrase)[0]
    for start in range(len(words)):
        head = syllables(words[start][0])
        if not head or edit_distance(head[0], first, 1) > 1:
            continue  # the phrase starts at its own first word, not at a neighbour's
        for count in (size, size - 1, size + 1):
            if count < 2 or start + count > len(words):
                continue
            texts = [w[0] for w in words[start : start + count]]
            if fold(" ".join(texts)) == fold(phrase):
                if " ".join(texts) != phrase:
                    _rewrite(segment, start, start + count, phrase)
                return True
            if _match(texts, phrase, 0.2):
                _rewrite(segment, start, start + count, phrase)
                return True
    return False


def repair_line(line: RawLine) -> None:
    """Write the fixed NĐ 30 phrases back into one OCR'd line (in place)."""
    for segment in line.segments:
        if "ĐĐ" in segment.text:
            # OCR doubles the stroke of Đ ("GD&ĐĐT", "QĐĐ-TTg"); no word has two in a row.
            segment.text = segment.text.replace("ĐĐ", "Đ")
            segment.words = [(w.replace("ĐĐ", "Đ"), a, b) for w, a, b in segment.words]
        if not segment.words:
            segment.words = [(w, segment.x0, segment.x1) for w in segment.text.split()] or [
                (segment.text, segment.x0, segment.x1)
            ]
        so = _SO.match(segment.text)
        if so and not segment.text.startswith("Số"):
            rest = segment.text[so.end() :]
            segment.text = "Số: " + rest
            segment.words = [(w, segment.x0, segment.x1) for w in segment.text.split()]
        for phrase in _INLINE:
            _fix_inline(segment, phrase)
        nhan = _NHAN.match(segment.text)
        if nhan and fold(nhan.group(0).split()[0]) in _NHAN_VERBS:
            nhan = None  # "Tiếp nhận: 49, …", "Xác nhận: …": a verb, not the label
        if nhan:
            # "nự nhận: KT. CHỦ TỊCH", "„ nhận:": the label's first word lost to the stamp.
            _rewrite(segment, 0, len(nhan.group(0).split()), "Nơi nhận:")
        texts = [w[0] for w in segment.words]
        for phrase in _OPENERS:
            size = len(phrase.split())
            if len(texts) >= size and _match(texts[:size], phrase, 0.25):
                if " ".join(texts[:size]).rstrip(":") != phrase.rstrip(":"):
                    _rewrite(segment, 0, size, phrase)
                break
        letters = [c for c in segment.text if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) >= len(letters) * 0.7:
            # "CHANH VAN Ă PHONG ˆ": single marks of the signature between the words.
            closest = _closest_position([t for t in texts if len(t) > 1 or t in "-."])
            if closest is not None and _misspelt(segment.text, closest):
                _rewrite(segment, 0, len(texts), closest)
        _fix_date_words(segment)


def _misspelt(text: str, phrase: str) -> bool:
    """True unless ``text`` is ``phrase`` or one of its accepted spellings ("UỶ" for "ỦY")."""
    if fold(text) != fold(phrase):
        return True
    tones = [split_tone(w)[1] for w in text.split()]
    return tones != [split_tone(w)[1] for w in phrase.split()]


def _closest_position(texts: list[str]) -> str | None:
    """The position, authority or type name a whole segment spells, if any (closest wins)."""
    got = " ".join(syllables(" ".join(texts)))
    if not got:
        return None
    best: tuple[int, int, str] | None = None
    for phrase in _POSITIONS:
        size = len(phrase.split())
        if not size - 1 <= len(texts) <= size + 1:
            continue
        limit = _limit(phrase, 0.2)
        distance = edit_distance(got, " ".join(syllables(phrase)), limit)
        if distance <= limit:
            rank = (distance, abs(size - len(texts)), phrase)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


def _fix_date_words(segment: Segment) -> None:
    """ "ngảy 15 thảng 4 nấm 2020": the words of the date line, before their numbers."""
    words = segment.words
    if not re.search(r"\d{4}", segment.text):
        return
    changed = False
    for index, (text, x0, x1) in enumerate(words):
        if not text[:1].islower():
            continue  # "Quảng Nam, ngày …": a capital word is a name, never "năm"
        near = words[index + 1][0] if index + 1 < len(words) else ""
        if not re.match(r"^[\d.…_]", near):
            continue
        key = fold(text).strip(",.")
        for base, proper in _DATE_WORDS.items():
            if text != proper and len(key) == len(base) and edit_distance(key, base, 1) <= 1:
                words[index] = (proper, x0, x1)
                changed = True
                break
    if changed:
        segment.text = " ".join(w[0] for w in words)


def is_noise(line: RawLine) -> bool:
    """True for an OCR'd line that is a stamp, a signature or a smudge, not printed text.

    Tesseract reads the red stamp and the signature's strokes as short rows of symbols and
    odd letters ("SẠN nh)", "$\\ #Amd đv", "TH TT ẤT TÌỈ TY HT TƯ"); it is unsure of them
    (low word confidence) and they spell few Vietnamese syllables.
    """
    text = line.text
    if text.strip() in ("-", "–", "—"):
        return False  # the dash of a joint issuer ("BAN … -" / "SỞ …"), on a row of its own
    words = text.split()
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2:
        return not re.search(r"\d", text) or len(text) < 2
    confidence = line.meta.get("confidence")
    quality = layer_quality(text)
    real = sum(1 for w in words if is_syllable(w.strip(".,;:()")) and len(w) > 1)
    if confidence is not None and confidence < 35 and real <= len(words) / 2:
        return True
    symbols = sum(
        1 for ch in text if not ch.isalnum() and not ch.isspace() and ch not in ".,;:()-/"
    )
    return symbols >= max(2, letters / 2) or (quality.junk > 0.4 and real == 0)


def repair_ocr_lines(lines: list[RawLine]) -> list[RawLine]:
    """Repair every OCR'd line of ``lines`` and drop the noise lines among them."""
    kept = []
    for line in lines:
        if line.meta.get("ocr"):
            if is_noise(line):
                continue
            repair_line(line)
        kept.append(line)
    return kept
