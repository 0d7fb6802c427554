"""Regular expressions for the fixed parts of an NĐ 30 document, shared by several modules."""

from __future__ import annotations

import re

# Quốc hiệu / Tiêu ngữ (both "HÒA" and "HOÀ" spellings, any dash) and the Party header.
QUOC_HIEU = re.compile(
    r"C[ỘOÔ]NG\s+H[ÒOÓỎ][AÀÁ]\s+X[ÃA]\s+H[ỘOÔ]I\s+CH[ỦU]\s+NGH[ĨI]A(?:\s+VI[ỆE]T)?(?:\s+NAM)?",
    re.IGNORECASE,
)
TIEU_NGU = re.compile(r"Độc\s+lập\s*[-–—]*\s*Tự\s+do\s*[-–—]*\s*Hạnh\s+phúc", re.IGNORECASE)
PARTY = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
UNION = re.compile(
    r"^(?:ĐOÀN\s+TNCS\s+HỒ\s+CHÍ\s+MINH|TỔNG\s+LIÊN\s+ĐOÀN\s+LAO\s+ĐỘNG\s+VIỆT\s+NAM)$"
)
# "<Địa danh>, ngày 08 tháng 3 năm 2023" (day, month or year may be blank in drafts).
# A handwritten day or month that OCR cannot read ("ngày Ø2 thángØ") leaves that part blank.
PLACE_DATE = re.compile(
    r"(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ.\- ]{0,40}?)\s*,\s*ngày\s*(?:(?P<day>\d{1,2})(?!\d)|\S{1,4}?)?"
    r"\s*[.…]*\s*tháng\s*(?:(?P<month>\d{1,2})(?!\d)|\S{1,4}?)?\s*[.…]*\s*năm\s*(?P<year>\d{4})?",
    re.IGNORECASE,
)
DATE_LINE = re.compile(r",?\s*ngày\s*[\d.…]*\s*tháng\s*[\d.…]*\s*năm\s*[\d.…]*", re.IGNORECASE)
SO_LINE = re.compile(r"^\s*(?:Số|SỐ)\s*[:.]?\s*(?P<rest>.*)$")
VV_LINE = re.compile(r"^\s*V/v\.?\s*(?P<rest>.*)$", re.IGNORECASE)
NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:?", re.IGNORECASE)
KINH_GUI = re.compile(r"^\s*Kính\s+gửi\s*:?", re.IGNORECASE)
# Lines that open the body: căn cứ, headings, list items.
BODY_START = re.compile(
    r"^\s*(?:Căn\s+cứ|Thực\s+hiện|Kính\s+gửi|Theo\s+đề\s+nghị|Phần\s+[IVX\d]|Chương\s+[IVX\d]|"
    r"Điều\s+\d|[IVX]{1,5}\s*[.)/]|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s|[-+•*]\s)",
    re.IGNORECASE,
)
LIST_MARK = re.compile(
    r"^\s*(?:[-+•*–]\s*|[IVX]{1,5}\s*[.)/]\s*|\d{1,2}(?:\.\d{1,2})*\s*[.),]\s*|[a-zđ]\s*\)\s*)"
)
