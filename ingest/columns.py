"""Split the two-column parts of an NĐ 30 document: the header and the closing block.

The header (cơ quan | quốc hiệu) and the closing block (nơi nhận | chữ ký) are printed
side by side; extracted line by line they interleave. The column edge is found from the
fixed phrases of the right column (Quốc hiệu, Tiêu ngữ, the place-date line), then every
line is cut at that edge word by word.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.layout import RawLine
from ingest.layout import Segment
from ingest.patterns import DATE_LINE
from ingest.patterns import NOI_NHAN
from ingest.patterns import PARTY
from ingest.patterns import QUOC_HIEU
from ingest.patterns import SO_LINE
from ingest.patterns import TIEU_NGU
from ingest.patterns import VV_LINE

# A place name: capitalised words ("Mỹ Phước", "TP. Hồ Chí Minh", "Quận 1") before ", ngày".
_PLACE_WORD = r"(?:TP\.|Tp\.|TX\.|[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\.?|\d{1,2}|phố|xã|trấn)"
_PLACE_START = re.compile(
    rf"(?<!\S){_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,5}}\s*,\s*ngày(?=[\s\d.…]|$)"
)
_RIGHT_MARKERS = (QUOC_HIEU, TIEU_NGU, PARTY, _PLACE_START)


def is_left(line: RawLine, segment: Segment) -> bool:
    width = line.page_width or 100.0
    center = (segment.x0 + segment.x1) / 2
    return segment.x0 < width * 0.35 and center < width * 0.5


def _split_text(text: str) -> tuple[str, str]:
    """Split a line at the first right-column marker found after its start."""
    best = None
    for marker in _RIGHT_MARKERS:
        match = marker.search(text)
        if match and match.start() > 0 and (best is None or match.start() < best):
            best = match.start()
    if best is None:
        return text, ""
    return text[:best].strip(" ,"), text[best:].strip()


def _classify(line: RawLine, segment: Segment, first: bool) -> str:
    text = segment.text
    if any(m.match(text) for m in _RIGHT_MARKERS[:3]) or DATE_LINE.search(text):
        if not SO_LINE.match(text):
            return "right"
    if SO_LINE.match(text) or VV_LINE.match(text):
        return "left"
    width = line.page_width or 100.0
    if not first:
        return "right" if segment.x0 > width * 0.3 else "left"
    return "left" if is_left(line, segment) else "right"


def _column_boundary(raw: list[RawLine]) -> float | None:
    """Return the x where the right header column starts, from its fixed phrases.

    Candidates are the first word of the Quốc hiệu, the Tiêu ngữ or the Party name when
    something stands to its left on the same line, and a place-date segment that is not
    the first segment of its line.
    """
    starts: list[float] = []
    for line in raw:
        for index, segment in enumerate(line.segments):
            words = segment.words or [(segment.text, segment.x0, segment.x1)]
            for word_index, word in enumerate(words):
                if index == 0 and word_index == 0:
                    continue
                tail = " ".join(w[0] for w in words[word_index:])
                if QUOC_HIEU.match(tail) or TIEU_NGU.match(tail) or PARTY.match(tail):
                    starts.append(word[1])
                    break
                if word_index == 0 and index > 0 and _PLACE_START.match(tail):
                    starts.append(word[1])
                    break
    if not starts:
        return None
    return min(starts) - 1.0


Column = list[tuple[RawLine, str]]


def split_header(raw: list[RawLine]) -> tuple[Column, Column]:
    left: list[tuple[RawLine, str]] = []
    right: list[tuple[RawLine, str]] = []
    boundary = _column_boundary(raw)
    for line in raw:
        if line.column in ("left", "right"):
            (left if line.column == "left" else right).append((line, line.text))
            continue
        left_parts: list[str] = []
        right_parts: list[str] = []
        left_bold: list[bool | None] = []
        segments = line.segments
        if boundary is not None:
            # Cut at the column edge found from the Quốc hiệu: narrow columns leave gaps
            # too small to tell the columns apart on some lines.
            cut: list[Segment] = []
            for segment in segments:
                # A wider-than-a-space gap at the edge: two cells that happen to be close.
                min_gap = line.size * 0.6 if line.size else 2.0  # text: columns of chars
                before, after = segment.split_at(boundary, min_gap)
                cut += [x for x in (before, after) if x is not None]
            segments = cut
        for index, segment in enumerate(segments):
            if boundary is not None and not SO_LINE.match(segment.text):
                side = "left" if segment.x0 < boundary else "right"
            else:
                side = _classify(line, segment, index == 0)
            text = segment.text
            if side == "left":
                head, tail = _split_text(text)
                left_parts.append(head)
                left_bold.append(segment.is_bold())
                if tail:
                    right_parts.append(tail)
            else:
                right_parts.append(text)
        left_text = " ".join(p for p in left_parts if p)
        right_text = " ".join(p for p in right_parts if p)
        # A wrapped Quốc hiệu ("… VIỆT" / "NAM") continues in the right column.
        if left_text in ("NAM", "VIỆT NAM") and right and not right_text:
            previous, text = right[-1]
            if QUOC_HIEU.search(text) and not text.endswith("NAM"):
                right[-1] = (previous, f"{text} {left_text}")
                continue
        if left_text:
            known = [b for b in left_bold if b is not None]
            if known and right_text and any(known) != line.bold:
                # The line's weight was decided by both columns: keep the left cell's own.
                line = replace(line, bold=any(known))
            left.append((line, left_text))
        if right_text:
            if right and _continues(right[-1][1], right_text):
                right[-1] = (right[-1][0], f"{right[-1][1]} {right_text}")
            else:
                right.append((line, right_text))
    return left, right


def _continues(previous: str, text: str) -> bool:
    """Return True when a right-column line is the wrapped tail of the line above."""
    if QUOC_HIEU.search(previous) and not previous.rstrip().endswith("NAM"):
        return text.startswith(("VIỆT", "NAM"))
    if DATE_LINE.search(previous) and not re.search(r"năm\s*\d{4}", previous):
        return bool(re.match(r"^\d{4}\b", text))
    return False


def split_closing(raw: list[RawLine]) -> tuple[Column, Column]:
    left: list[tuple[RawLine, str]] = []
    right: list[tuple[RawLine, str, list[tuple[float, str]]]] = []
    # Where the signature column starts: its lines are the ones standing alone on the right.
    starts = sorted(
        s.x0
        for line in raw
        for i, s in enumerate(line.segments)
        if line.column is None
        and line.page_width
        and (i > 0 or s.x0 > line.page_width * 0.45)
        and not NOI_NHAN.match(s.text)
        and not re.match(r"^[-+•*–]", s.text)
    )
    boundary = starts[len(starts) // 4] - 1.0 if starts else None
    for line in raw:
        if line.column == "left":
            left.append((line, line.text))
            continue
        if line.column == "right":
            right.append((line, line.text, []))
            continue
        width = line.page_width or 100.0
        segments = line.segments
        if boundary is not None and line.size:
            # "Nơi nhận:  CHỦ TỊCH" read as one run on a scan: cut at the column's edge where
            # the gap is wider than a space.
            cut: list[Segment] = []
            for segment in segments:
                head, tail = segment.split_at(boundary, line.size * 0.6)
                cut += [x for x in (head, tail) if x is not None]
            segments = cut
        left_parts: list[str] = []
        right_parts: list[Segment] = []
        for index, segment in enumerate(segments):
            text = segment.text
            is_item = bool(re.match(r"^[-+•*–]", text)) or NOI_NHAN.match(text)
            if index == 0 and (is_item or segment.x0 < width * 0.3):
                left_parts.append(text)
            elif line.meta.get("ocr") and boundary is not None and segment.x1 < boundary:
                # "- CT," … "PCT UBND tỉnh;": OCR lost a word and left a gap inside an item;
                # the piece ends before the signature column, so it is still Nơi nhận.
                left_parts.append(text)
            else:
                right_parts.append(segment)
        if left_parts:
            left.append((line, " ".join(left_parts)))
        if right_parts:
            text = " ".join(s.text for s in right_parts)
            previous = right[-1][0] if right else None
            if (
                previous is not None
                and line.meta.get("ocr")
                and previous.meta.get("ocr")
                and _same_row(previous, line)
                and _has_word(text)
                and _has_word(right[-1][1])
            ):
                # "Hoàng" / "Trần … Tuấn": OCR boxes of one printed row that jitter into two
                # rows; their words are put back in order across the row.
                words = sorted(
                    [(s.x0, s.text) for s in right_parts] + right[-1][2],
                )
                right[-1] = (previous, " ".join(w for _, w in words), words)
            else:
                right.append((line, text, [(s.x0, s.text) for s in right_parts]))
    return left, [(line, text) for line, text, _ in right]


def _has_word(text: str) -> bool:
    """True when ``text`` holds a word of two letters or more (not only specks)."""
    return any(sum(c.isalpha() for c in w) >= 2 for w in text.split())


def _same_row(a: RawLine, b: RawLine) -> bool:
    """True when two lines overlap vertically by most of the shorter one's height."""
    a_bottom = float(a.meta.get("bottom") or a.top + (a.size or 12.0))
    b_bottom = float(b.meta.get("bottom") or b.top + (b.size or 12.0))
    overlap = min(a_bottom, b_bottom) - max(a.top, b.top)
    return overlap >= 0.6 * min(a_bottom - a.top, b_bottom - b.top)
