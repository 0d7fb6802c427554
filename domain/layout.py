"""Formatting rules of administrative documents as data (Nghị định 30/2020/NĐ-CP, Phụ lục I).

One table, read by the .docx templates (``render/``) to lay documents out and by the
compliance checker (``domain.check``) to verify them, so a rule lives in exactly one place.

Clause references such as ``"Phụ lục I, Phần I, Mục II.1.a"`` point into Phụ lục I of the
decree: Mục I (general rules: paper, margins, font, page numbers), Mục II (main components),
Mục III (other components), Mục V (the sample table giving the example sizes used here as
defaults).

Units: lengths in millimetres, font sizes in points. Word stores page sizes and margins in
twips (1/1440 inch) and font sizes in half-points; :func:`mm_to_twips` and friends convert.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.text import clean_line
from domain.text import upper_vi

# -- Wording -----------------------------------------------------------------------------

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# The decree itself spells "HOÀ" in its sample table and "HÒA" in its text (old and new
# tone placement); the motto's separator is a hyphen, but Word's autocorrect turns " - "
# into an en dash, which clerks never notice. Both are accepted as the same wording.
NATIONAL_TITLE_VARIANTS: tuple[str, ...] = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
)
MOTTO_VARIANTS: tuple[str, ...] = (
    "Độc lập - Tự do - Hạnh phúc",
    "Độc lập – Tự do – Hạnh phúc",
)

CLAUSE_PAPER = "Phụ lục I, Phần I, Mục I.1"
CLAUSE_ORIENTATION = "Phụ lục I, Phần I, Mục I.2"
CLAUSE_MARGINS = "Phụ lục I, Phần I, Mục I.3"
CLAUSE_FONT = "Phụ lục I, Phần I, Mục I.4"
CLAUSE_PAGE_NUMBER = "Phụ lục I, Phần I, Mục I.7"


def is_national_title(text: str) -> bool:
    """Tell whether ``text`` is the Quốc hiệu in an accepted spelling (case-sensitive)."""
    return clean_line(text) in NATIONAL_TITLE_VARIANTS


def is_motto(text: str) -> bool:
    """Tell whether ``text`` is the Tiêu ngữ with the exact wording (``-`` or ``–``)."""
    return clean_line(text) in MOTTO_VARIANTS


def national_title_key(text: str) -> str:
    """Return a comparison key for a Quốc hiệu candidate, tolerant of case and HOÀ/HÒA."""
    return clean_line(upper_vi(text)).replace("HOÀ", "HÒA")


def motto_key(text: str) -> str:
    """Return a comparison key for a Tiêu ngữ candidate, tolerant of case and dashes."""
    text = clean_line(text).replace("–", "-").replace("—", "-")
    return " ".join(text.replace("-", " - ").split()).lower()


# -- Units -------------------------------------------------------------------------------

TWIPS_PER_MM = 1440 / 25.4


def mm_to_twips(mm: float) -> int:
    """Convert millimetres to twips (rounded), the unit of ``w:pgSz`` and ``w:pgMar``."""
    return round(mm * TWIPS_PER_MM)


def twips_to_mm(twips: float) -> float:
    """Convert twips to millimetres."""
    return twips / TWIPS_PER_MM


def pt_to_half_points(pt: float) -> int:
    """Convert points to half-points, the unit of ``w:sz``."""
    return round(pt * 2)


# -- Page --------------------------------------------------------------------------------


class Orientation(StrEnum):
    """Page orientation; values match WordprocessingML ``w:orient``."""

    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


@dataclass(frozen=True)
class PaperRule:
    """Paper size (Mục I.1) and allowed orientations (Mục I.2)."""

    name: str
    width_mm: float
    height_mm: float
    tolerance_mm: float
    default_orientation: Orientation
    clause: str


A4 = PaperRule(
    name="A4",
    width_mm=210.0,
    height_mm=297.0,
    # Word stores A4 as 11906 × 16838 twips (210.0 × 297.0 mm); LibreOffice rounds to
    # 11905/16837. One millimetre absorbs every rounding seen in practice without letting
    # Letter (215.9 × 279.4 mm) through.
    tolerance_mm=1.0,
    default_orientation=Orientation.PORTRAIT,
    clause=CLAUSE_PAPER,
)


@dataclass(frozen=True)
class MarginRule:
    """Allowed range and recommended value of one page margin (Mục I.3)."""

    side: str
    label: str
    min_mm: float
    max_mm: float
    default_mm: float
    clause: str = CLAUSE_MARGINS

    def allows(self, value_mm: float, tolerance_mm: float = 0.5) -> bool:
        """Tell whether a margin is inside the legal range (half a millimetre of rounding)."""
        return self.min_mm - tolerance_mm <= value_mm <= self.max_mm + tolerance_mm


MARGINS: dict[str, MarginRule] = {
    "top": MarginRule("top", "Lề trên", 20.0, 25.0, 20.0),
    "bottom": MarginRule("bottom", "Lề dưới", 20.0, 25.0, 20.0),
    "left": MarginRule("left", "Lề trái", 30.0, 35.0, 30.0),
    "right": MarginRule("right", "Lề phải", 15.0, 20.0, 15.0),
}

# -- Font --------------------------------------------------------------------------------

FONT_NAME = "Times New Roman"
# Metric-compatible replacement LibreOffice uses when Times New Roman is not installed.
# A .docx must still *name* Times New Roman; the substitute is only acceptable in a PDF
# rendered on a server without Microsoft fonts.
FONT_RENDER_SUBSTITUTES: tuple[str, ...] = ("Liberation Serif",)
# "màu đen" (Mục I.4): "auto" is what Word writes for the default (black) colour.
FONT_COLORS_ALLOWED: tuple[str, ...] = ("auto", "000000")

# -- Body paragraph metrics (Mục II.6.e) ---------------------------------------------------

BODY_FIRST_LINE_INDENT_MM: tuple[float, ...] = (10.0, 12.7)
BODY_PARAGRAPH_SPACING_MIN_PT = 6.0
BODY_LINE_SPACING_RANGE: tuple[float, float] = (1.0, 1.5)
CV_SUMMARY_SPACING_PT = 6.0  # gap between "Số:" and "V/v" (Mục II.5.b)

# -- Elements ----------------------------------------------------------------------------


class Alignment(StrEnum):
    """Horizontal alignment; values match WordprocessingML ``w:jc``."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "both"


@dataclass(frozen=True)
class ElementRule:
    """Size and style of one component of the document (one row of Phụ lục I, Mục V).

    ``None`` in a style field means the decree does not prescribe it (e.g. the case of a
    section heading, which mixes "Phần I" and an upper-case title). Rules (horizontal
    lines) have no size; their ``line_ratio`` is the allowed length relative to the text
    line above them.

    Attributes:
        key: identifier used in code, templates and checker findings.
        label: Vietnamese name of the component, as shown to clerks.
        size_min: smallest allowed size in points.
        size_max: largest allowed size in points.
        size_default: size used by the templates (the decree's illustration column).
        bold: True = bold, False = must not be bold.
        italic: True = italic, False = upright.
        uppercase: True = all capitals, False = ordinary case.
        alignment: horizontal alignment of the paragraph.
        clause: where the rule comes from.
        line_ratio: (min, max) length of a horizontal line relative to its text line.
    """

    key: str
    label: str
    size_min: float | None
    size_max: float | None
    size_default: float | None
    bold: bool | None
    italic: bool | None
    uppercase: bool | None
    alignment: Alignment | None
    clause: str
    line_ratio: tuple[float, float] | None = None

    def allows_size(self, size_pt: float) -> bool:
        """Tell whether ``size_pt`` is inside the element's range (always True if unset)."""
        if self.size_min is None or self.size_max is None:
            return True
        return self.size_min <= size_pt <= self.size_max

    @property
    def size_text(self) -> str:
        """Describe the size range in Vietnamese, e.g. ``"12–13"`` or ``"13"``."""
        if self.size_min is None or self.size_max is None:
            return ""
        low, high = _pt(self.size_min), _pt(self.size_max)
        return low if low == high else f"{low}–{high}"

    @property
    def style_text(self) -> str:
        """Describe case and style in the decree's words (e.g. ``"in hoa, đứng, đậm"``)."""
        parts: list[str] = []
        if self.uppercase is True:
            parts.append("in hoa")
        elif self.uppercase is False:
            parts.append("in thường")
        if self.italic is True:
            parts.append("nghiêng")
        elif self.italic is False:
            parts.append("đứng")
        if self.bold is True:
            parts.append("đậm")
        return ", ".join(parts)


def _pt(value: float) -> str:
    return f"{value:g}"


_M2 = "Phụ lục I, Phần I, Mục II"
_M3 = "Phụ lục I, Phần I, Mục III"

_ELEMENTS: tuple[ElementRule, ...] = (
    ElementRule("national_title", "Quốc hiệu", 12, 13, 12, True, False, True,
                Alignment.CENTER, f"{_M2}.1.a"),
    ElementRule("motto", "Tiêu ngữ", 13, 14, 13, True, False, False,
                Alignment.CENTER, f"{_M2}.1.b"),
    ElementRule("motto_underline", "Đường kẻ dưới Tiêu ngữ", None, None, None, None, None,
                None, Alignment.CENTER, f"{_M2}.1.b", line_ratio=(1.0, 1.0)),
    ElementRule("parent_issuer", "Tên cơ quan, tổ chức chủ quản trực tiếp", 12, 13, 12,
                False, False, True, Alignment.CENTER, f"{_M2}.2.b"),
    ElementRule("issuer", "Tên cơ quan, tổ chức ban hành văn bản", 12, 13, 12, True, False,
                True, Alignment.CENTER, f"{_M2}.2.b"),
    ElementRule("issuer_underline", "Đường kẻ dưới tên cơ quan ban hành", None, None, None,
                None, None, None, Alignment.CENTER, f"{_M2}.2.b", line_ratio=(1 / 3, 1 / 2)),
    ElementRule("number_line", "Số, ký hiệu của văn bản", 13, 13, 13, False, False, None,
                Alignment.CENTER, f"{_M2}.3.c"),
    ElementRule("place_date", "Địa danh và thời gian ban hành văn bản", 13, 14, 13, False,
                True, False, Alignment.CENTER, f"{_M2}.4.c"),
    ElementRule("doc_type_name", "Tên loại văn bản", 13, 14, 14, True, False, True,
                Alignment.CENTER, f"{_M2}.5.b"),
    ElementRule("summary", "Trích yếu nội dung văn bản", 13, 14, 14, True, False, False,
                Alignment.CENTER, f"{_M2}.5.b"),
    ElementRule("summary_underline", "Đường kẻ dưới trích yếu", None, None, None, None, None,
                None, Alignment.CENTER, f"{_M2}.5.b", line_ratio=(1 / 3, 1 / 2)),
    ElementRule("cv_summary", "Trích yếu nội dung công văn (V/v)", 12, 13, 12, False, False,
                False, Alignment.CENTER, f"{_M2}.5.b"),
    ElementRule("legal_basis", "Căn cứ ban hành văn bản", 13, 14, 14, None, True, False,
                None, f"{_M2}.6.a"),
    ElementRule("body", "Nội dung văn bản", 13, 14, 14, None, False, None,
                Alignment.JUSTIFY, f"{_M2}.6.e"),
    ElementRule("section_heading", "Tiêu đề phần, chương, mục", 13, 14, 14, True, False,
                None, None, f"{_M2}.6.đ"),
    ElementRule("signature_authority", "Quyền hạn, chức vụ của người ký", 13, 14, 14, True,
                False, True, Alignment.CENTER, f"{_M2}.7.đ"),
    ElementRule("signer_name", "Họ tên người ký", 13, 14, 14, True, False, False,
                Alignment.CENTER, f"{_M2}.7.đ"),
    ElementRule("kinh_gui", "Kính gửi", 13, 14, 14, False, False, False, None,
                f"{_M2}.9.d"),
    ElementRule("recipients_label", "Từ “Nơi nhận”", 12, 12, 12, True, True, False,
                Alignment.LEFT, f"{_M2}.9.d"),
    ElementRule("recipient_item", "Tên nơi nhận", 11, 11, 11, False, False, False,
                Alignment.LEFT, f"{_M2}.9.d"),
    ElementRule("annex_heading", "Từ “Phụ lục” và số thứ tự", 14, 14, 14, True, False, False,
                Alignment.CENTER, f"{_M3}.1.b"),
    ElementRule("annex_reference", "Chỉ dẫn “(Kèm theo …)” của phụ lục", 13, 14, 14, False,
                True, False, Alignment.CENTER, f"{_M3}.1.c"),
    ElementRule("drafter_mark", "Ký hiệu người soạn thảo, số lượng bản", 11, 11, 11, False,
                False, None, None, f"{_M3}.3"),
    ElementRule("page_number", "Số trang", 13, 14, 14, False, False, None,
                Alignment.CENTER, CLAUSE_PAGE_NUMBER),
)  # fmt: skip

ELEMENTS: dict[str, ElementRule] = {rule.key: rule for rule in _ELEMENTS}


def element(key: str) -> ElementRule:
    """Return the rule of one element, e.g. ``element("motto")``.

    Raises:
        KeyError: if ``key`` is not a known element.
    """
    return ELEMENTS[key]


# -- Certificates (Giấy khen) ------------------------------------------------------------

# A Giấy khen is not an administrative document of NĐ 30: its layout comes from the
# emulation decree (NĐ 98/2023 Điều 104; successor article in NĐ 152/2025 unconfirmed):
# A4 landscape, Quốc hiệu + Tiêu ngữ bold with a line under the Tiêu ngữ, "TẶNG" upper
# bold, place/date italic, position upper bold. No sizes are prescribed, no Số line in the
# header, no Nơi nhận.
CLAUSE_CERTIFICATE = "Nghị định 98/2023/NĐ-CP, Điều 104 (mẫu Giấy khen)"
CERTIFICATE_MARKER = "GIẤY KHEN"
CERTIFICATE_ORIENTATION = Orientation.LANDSCAPE

_CERTIFICATE_ELEMENTS: tuple[ElementRule, ...] = (
    ElementRule("national_title", "Quốc hiệu", None, None, 13, True, False, True,
                Alignment.CENTER, CLAUSE_CERTIFICATE),
    ElementRule("motto", "Tiêu ngữ", None, None, 14, True, False, False,
                Alignment.CENTER, CLAUSE_CERTIFICATE),
    ElementRule("motto_underline", "Đường kẻ dưới Tiêu ngữ", None, None, None, None, None,
                None, Alignment.CENTER, CLAUSE_CERTIFICATE, line_ratio=(1.0, 1.0)),
    ElementRule("certificate_awarder", "Chức danh người quyết định khen thưởng", None, None,
                16, True, False, True, Alignment.CENTER, CLAUSE_CERTIFICATE),
    ElementRule("certificate_tang", "Chữ “TẶNG”", None, None, 16, True, False, True,
                Alignment.CENTER, CLAUSE_CERTIFICATE),
    ElementRule("certificate_title", "Tên hình thức khen thưởng (GIẤY KHEN)", None, None,
                28, True, False, True, Alignment.CENTER, CLAUSE_CERTIFICATE),
    ElementRule("place_date", "Địa danh và thời gian", None, None, 14, None, True, False,
                None, CLAUSE_CERTIFICATE),
    ElementRule("signature_authority", "Chức vụ người ký", None, None, 14, True, False, True,
                Alignment.CENTER, CLAUSE_CERTIFICATE),
    ElementRule("signer_name", "Họ tên người ký", None, None, 14, True, False, False,
                Alignment.CENTER, CLAUSE_CERTIFICATE),
)  # fmt: skip

CERTIFICATE_ELEMENTS: dict[str, ElementRule] = {rule.key: rule for rule in _CERTIFICATE_ELEMENTS}

# Default certificate margins (not prescribed; the decorative border needs room).
CERTIFICATE_MARGINS_MM: dict[str, float] = {"top": 15.0, "bottom": 15.0, "left": 20.0,
                                            "right": 20.0}  # fmt: skip
