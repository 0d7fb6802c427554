"""Names OCR loses the diacritics of in bold capitals: provinces and the usual header bodies.

A header line such as "TINH QUANG NGAI" or "SO GIAO DUC VA DAO TAO" is compared without
diacritics with these names; when it is one of them, the name is written back as printed.
"""

from __future__ import annotations

from domain.text import fold
from ingest.syllables import edit_distance

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn",
    "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái", "Hồ Chí Minh",
)  # fmt: skip
_BODIES = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "SỞ TƯ PHÁP", "SỞ TÀI CHÍNH",
    "SỞ NỘI VỤ", "VĂN PHÒNG", "CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ",
)  # fmt: skip


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for province in PROVINCES:
        upper = province.upper()
        for prefix in ("TỈNH ", "THÀNH PHỐ ", "TP. ", ""):
            names.setdefault(fold(prefix + upper), prefix + upper)
            for body in ("ỦY BAN NHÂN DÂN ", "UBND "):
                names.setdefault(fold(body + prefix + upper), body + prefix + upper)
    for body in _BODIES:
        names.setdefault(fold(body), body)
    return names


_NAMES = _names()


def restore_name(text: str) -> str:
    """Return ``text`` with its diacritics when, without them, it is a known header name."""
    key = fold(text).replace("uy ban", "uy ban")
    key = key.strip(" .,")
    known = _NAMES.get(key)
    if known is None and len(key) >= 10:
        # "TINH QUANG NGÁẢI": one letter too many or wrong; only when one name is that close.
        near = [name for k, name in _NAMES.items() if edit_distance(key, k, 1) <= 1]
        known = near[0] if len(near) == 1 else None
    if known is None or not text.isupper():
        return text
    return known
