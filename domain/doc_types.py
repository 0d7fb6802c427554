"""Document types of Nghị định 30/2020/NĐ-CP (Điều 7) and their abbreviations (Phụ lục III).

One table, used by forms, templates, the register, the parser and the compliance checker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocType:
    """A kind of administrative document.

    Attributes:
        code: abbreviation used in the ký hiệu (``"KH"``); ``"CV"`` for a công văn, which
            by law has no type abbreviation and no type-name line.
        name: the tên loại as printed upper-case in the header (``"KẾ HOẠCH"``); empty for
            a công văn.
        label: the name as used in running text and UI (``"Kế hoạch"``).
        has_type_in_symbol: False for công văn (ký hiệu is ``<body>-<unit>``).
        has_date_line: False for Biên bản (Mẫu 1.9 shows no date in the header).
    """

    code: str
    name: str
    label: str
    has_type_in_symbol: bool = True
    has_date_line: bool = True


_TYPES: tuple[DocType, ...] = (
    DocType("NQ", "NGHỊ QUYẾT", "Nghị quyết"),
    DocType("QĐ", "QUYẾT ĐỊNH", "Quyết định"),
    DocType("CT", "CHỈ THỊ", "Chỉ thị"),
    DocType("QC", "QUY CHẾ", "Quy chế"),
    DocType("QyĐ", "QUY ĐỊNH", "Quy định"),
    DocType("TC", "THÔNG CÁO", "Thông cáo"),
    DocType("TB", "THÔNG BÁO", "Thông báo"),
    DocType("HD", "HƯỚNG DẪN", "Hướng dẫn"),
    DocType("CTr", "CHƯƠNG TRÌNH", "Chương trình"),
    DocType("KH", "KẾ HOẠCH", "Kế hoạch"),
    DocType("PA", "PHƯƠNG ÁN", "Phương án"),
    DocType("ĐA", "ĐỀ ÁN", "Đề án"),
    DocType("DA", "DỰ ÁN", "Dự án"),
    DocType("BC", "BÁO CÁO", "Báo cáo"),
    DocType("BB", "BIÊN BẢN", "Biên bản", has_date_line=False),
    DocType("TTr", "TỜ TRÌNH", "Tờ trình"),
    DocType("HĐ", "HỢP ĐỒNG", "Hợp đồng"),
    DocType("CĐ", "CÔNG ĐIỆN", "Công điện"),
    DocType("BGN", "BẢN GHI NHỚ", "Bản ghi nhớ"),
    DocType("BTT", "BẢN THỎA THUẬN", "Bản thỏa thuận"),
    DocType("GUQ", "GIẤY ỦY QUYỀN", "Giấy ủy quyền"),
    DocType("GM", "GIẤY MỜI", "Giấy mời"),
    DocType("GGT", "GIẤY GIỚI THIỆU", "Giấy giới thiệu"),
    DocType("GNP", "GIẤY NGHỈ PHÉP", "Giấy nghỉ phép"),
    DocType("PG", "PHIẾU GỬI", "Phiếu gửi"),
    DocType("PC", "PHIẾU CHUYỂN", "Phiếu chuyển"),
    DocType("PB", "PHIẾU BÁO", "Phiếu báo"),
    DocType("SY", "BẢN SAO Y", "Bản sao y"),
    DocType("TrS", "BẢN TRÍCH SAO", "Bản trích sao"),
    DocType("SL", "BẢN SAO LỤC", "Bản sao lục"),
    DocType("CV", "", "Công văn", has_type_in_symbol=False),
)

DOC_TYPES: dict[str, DocType] = {t.code: t for t in _TYPES}


def get_doc_type(code: str) -> DocType:
    """Return the type for an abbreviation such as ``"KH"`` or ``"TTr"`` (exact case).

    Raises:
        KeyError: if the code is not in Phụ lục III (nor ``"CV"``).
    """
    return DOC_TYPES[code]


def doc_type_by_name(name: str) -> DocType | None:
    """Find a type by its printed name, tolerant of case and of ``HÒA``/``HOÀ`` spellings."""
    wanted = _name_key(name)
    for doc_type in _TYPES:
        if doc_type.name and _name_key(doc_type.name) == wanted:
            return doc_type
    return None


def _name_key(name: str) -> str:
    # Old-style tone placement ("THOẢ") and new-style ("THỎA") must compare equal.
    return " ".join(name.upper().replace("OẢ", "ỎA").replace("OÀ", "ÒA").split())
