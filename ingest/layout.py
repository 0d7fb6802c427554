"""Line model shared by every reader: positioned segments of text, grouped into lines.

PDF words, OCR words, DOCX paragraphs and plain-text lines all become :class:`RawLine`
objects, so column splitting and paragraph building are written once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from domain.text import nfc

# A run of rule characters drawn as text ("_____", "-------", "=====") is a horizontal line.
_RULE = re.compile(r"^[_\-–—=‒―~.·•*]{3,}$")
_RULE_INSIDE = re.compile(r"_{3,}|-{5,}|={4,}")
# OCR and some PDF fonts give the Icelandic eth (U+00D0) for the Vietnamese Đ (U+0110).
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " ", "\u2007": " ", "\u202f": " "})
_SPACES = re.compile(r"[ \t\u00a0]+")
_PUNCT_ONLY = re.compile(r"^[-–—_=.·•~*,:;|]+$")


@dataclass
class Segment:
    """A run of words on one line with no wide gap inside it."""

    text: str
    x0: float
    x1: float
    words: list[tuple[str, float, float]] = field(default_factory=list)
    bold_words: list[bool] | None = None  # parallel to ``words`` when the font is known

    def split_at(
        self, boundary: float, min_gap: float = 0.0
    ) -> tuple[Segment | None, Segment | None]:
        """Split the segment's words at the x position ``boundary`` (left, right).

        The cut is only made where the gap between the two words around the boundary is at
        least ``min_gap`` wide; otherwise the whole segment is returned on the left.
        """
        words = self.words or [(self.text, self.x0, self.x1)]
        flags = self.bold_words if self.bold_words and len(self.bold_words) == len(words) else None
        left = [i for i, w in enumerate(words) if w[1] < boundary]
        right = [i for i, w in enumerate(words) if w[1] >= boundary]
        if left and right and words[right[0]][1] - words[left[-1]][2] < min_gap:
            return self, None

        def build(part: list[int]) -> Segment | None:
            if not part:
                return None
            chosen = [words[i] for i in part]
            return Segment(
                " ".join(w[0] for w in chosen),
                chosen[0][1],
                chosen[-1][2],
                chosen,
                [flags[i] for i in part] if flags else None,
            )

        return build(left), build(right)

    def is_bold(self) -> bool | None:
        """True when most of the segment's letters are bold; None when the font is unknown."""
        if not self.bold_words or len(self.bold_words) != len(self.words):
            return None
        bold = sum(len(w[0]) for w, b in zip(self.words, self.bold_words, strict=True) if b)
        return bold * 2 > sum(len(w[0]) for w in self.words)


@dataclass
class RawLine:
    """One physical line of a page.

    Attributes:
        page: 1-based page number.
        segments: runs of text separated by wide gaps (tab stops, table columns).
        top: vertical position (PDF points, or the line index for text input).
        size: font size in points, 0 when unknown.
        bold: True when most characters are bold.
        page_width: width of the page in the same unit as the x positions.
        column: ``"left"``/``"right"`` when the reader knows the table cell it came from.
        gap_before: True when a blank line or a paragraph gap precedes the line.
        rule_after: True when a horizontal rule follows the line.
    """

    page: int
    segments: list[Segment]
    top: float = 0.0
    size: float = 0.0
    bold: bool = False
    page_width: float = 0.0
    column: str | None = None
    gap_before: bool = False
    rule_after: bool = False
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Return the line's text with single spaces."""
        return " ".join(s.text for s in self.segments if s.text)

    @property
    def x0(self) -> float:
        """Return the left edge of the line."""
        return self.segments[0].x0 if self.segments else 0.0

    @property
    def x1(self) -> float:
        """Return the right edge of the line."""
        return self.segments[-1].x1 if self.segments else 0.0


def clean_text(value: str) -> str:
    """NFC-normalise, map look-alike letters and collapse spaces."""
    return _SPACES.sub(" ", nfc(value).translate(_LOOKALIKES)).strip()


def is_rule(text: str) -> bool:
    """Return True when ``text`` is only a drawn horizontal line."""
    compact = text.replace(" ", "")
    return bool(compact) and bool(_RULE.match(compact))


# Words repeat ("và", "của", "năm"): each word's cleaning and rule test is computed once
# (pure functions of the text; a page of a PDF has ~500 words, a few hundred distinct).
_clean_word = functools.lru_cache(maxsize=16384)(clean_text)
_is_rule_word = functools.lru_cache(maxsize=16384)(is_rule)


def strip_rules(text: str) -> str:
    """Remove rule runs embedded in a line (``"Số: 12/KH ______"``)."""
    return _SPACES.sub(" ", _RULE_INSIDE.sub(" ", text)).strip()


@dataclass(slots=True)
class Word:
    """A positioned word from a PDF or from OCR."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0
    bold: bool = False
    confidence: float = -1.0  # OCR's word confidence 0-100; -1 for a text layer


def words_to_lines(
    words: Iterable[Word], page: int, page_width: float, gap_factor: float = 2.2
) -> list[RawLine]:
    """Group positioned words into lines (top to bottom) and lines into segments.

    Args:
        words: words of one page, in any order.
        page: 1-based page number stored on each line.
        page_width: width of the page, kept for column decisions.
        gap_factor: a horizontal gap wider than this many font heights starts a segment.

    Returns:
        The page's lines in reading order; rule-only lines are dropped and flagged on the
        line above them.
    """
    ordered = sorted((w for w in words if w.text.strip()), key=lambda w: (w.top, w.x0))
    heights = [w.bottom - w.top for w in ordered]
    typical = _median(heights) or 10.0
    rows: list[list[Word]] = []
    spans: list[list[float]] = []  # [center, top, bottom] of each row
    half_typical = typical * 0.5
    for word in ordered:
        center = (word.top + word.bottom) / 2
        height = word.bottom - word.top
        if height < 1.0:
            height = 1.0
        small = height < typical * 0.6  # dashes, dots: their box sits mid-line
        reach = (height if height > half_typical else half_typical) * 0.45
        # Compare with the last few rows: the two header columns sit on slightly
        # different baselines, and OCR boxes jitter.
        for idx in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            row_center, row_top, row_bottom = spans[idx]
            close = abs(row_center - center) <= reach
            inside = small and row_top <= center <= row_bottom
            if close or inside:
                rows[idx].append(word)
                if not small:
                    if word.top < row_top:
                        spans[idx][1] = word.top
                    if word.bottom > row_bottom:
                        spans[idx][2] = word.bottom
                break
        else:
            rows.append([word])
            spans.append([center, word.top, word.bottom])
    lines: list[RawLine] = []
    prev_bottom: float | None = None
    pending_gap = False
    for row in _merge_fragments(sorted(rows, key=lambda r: min(w.top for w in r))):
        row.sort(key=lambda w: w.x0)
        size = _median([w.size or (w.bottom - w.top) for w in row])
        top = min(w.top for w in row)
        bottom = max(w.bottom for w in row)
        kept = [w for w in row if not _is_rule_word(w.text)]
        if kept and all(_PUNCT_ONLY.match(w.text) for w in kept):
            kept = []
        gap = prev_bottom is not None and top - prev_bottom > size * 0.9
        prev_bottom = bottom
        if not kept:
            # A rule is drawn wide; a lone speck ("-", "." read from a scan's dust between two
            # title lines) marks nothing.
            if lines and max(w.x1 for w in row) - min(w.x0 for w in row) >= size * 2.5:
                lines[-1].rule_after = True
            pending_gap = True
            continue
        segments = _segments(kept, size * gap_factor)
        bold_chars = sum(len(w.text) for w in kept if w.bold)
        lines.append(
            RawLine(
                page=page,
                segments=segments,
                top=top,
                size=size,
                bold=bold_chars * 2 > sum(len(w.text) for w in kept),
                page_width=page_width,
                gap_before=gap or pending_gap,
                meta={"bottom": bottom},  # for the review page's line boxes
            )
        )
        confidences = [w.confidence for w in kept if w.confidence >= 0]
        if confidences:
            lines[-1].meta["confidence"] = sum(confidences) / len(confidences)
        pending_gap = False
    return lines


def _merge_fragments(rows: list[list[Word]]) -> list[list[Word]]:
    """Put a row of one or two words back into the row it sits inside.

    On a slightly tilted scan the last word of a line ("qua", "an") sits a little lower
    than its line's first word and ends up as a row of its own; it lies within that
    line's height and beside, not under, its words.
    """
    merged: list[list[Word]] = []
    for row in rows:
        target = None
        if len(row) <= 2:
            top, bottom = min(w.top for w in row), max(w.bottom for w in row)
            for candidate in merged[-3:]:
                c_top = min(w.top for w in candidate)
                c_bottom = max(w.bottom for w in candidate)
                overlap = min(bottom, c_bottom) - max(top, c_top)
                side = all(w.x1 <= c.x0 or w.x0 >= c.x1 for w in row for c in candidate)
                if side and overlap >= 0.7 * min(bottom - top, c_bottom - c_top):
                    target = candidate
        if target is not None:
            target.extend(row)
        else:
            merged.append(row)
    return merged


def _segments(words: list[Word], max_gap: float) -> list[Segment]:
    segments: list[Segment] = []
    for word in words:
        text = _clean_word(word.text)
        if segments and word.x0 - segments[-1].x1 <= max_gap:
            last = segments[-1]
            last.text = f"{last.text} {text}"
            last.x1 = word.x1
            last.words.append((text, word.x0, word.x1))
            if last.bold_words is not None:
                last.bold_words.append(word.bold)
        else:
            segments.append(
                Segment(text, word.x0, word.x1, [(text, word.x0, word.x1)], [word.bold])
            )
    return segments


def _median(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


_TEXT_GAP = re.compile(r"\t+| {3,}")


def text_to_lines(lines: Iterable[str], page: int = 1) -> list[RawLine]:
    """Turn plain-text lines into :class:`RawLine` objects; x positions are columns.

    Tabs and runs of three or more spaces separate segments (the way clerks lay out the
    two header columns in e-mails). Blank lines set ``gap_before`` on the next line.
    """
    result: list[RawLine] = []
    gap = False
    raw = [line.expandtabs(8).rstrip() for line in lines]
    width = float(max((len(x) for x in raw), default=80)) or 80.0
    for index, line in enumerate(raw):
        if not line.strip():
            gap = True
            continue
        if is_rule(line):
            if result:
                result[-1].rule_after = True
            gap = True
            continue
        segments: list[Segment] = []
        pos = 0
        for match in _TEXT_GAP.finditer(line + "   "):
            chunk = line[pos : match.start()]
            if chunk.strip():
                start = pos + len(chunk) - len(chunk.lstrip())
                words = [
                    (clean_text(w.group(0)), float(pos + w.start()), float(pos + w.end()))
                    for w in re.finditer(r"\S+", chunk)
                ]
                segments.append(
                    Segment(clean_text(chunk), float(start), float(match.start()), words)
                )
            pos = match.end()
        segments = [s for s in segments if s.text and not is_rule(s.text)]
        if not segments:
            continue
        result.append(
            RawLine(
                page=page, segments=segments, top=float(index), page_width=width, gap_before=gap
            )
        )
        gap = False
    return result
