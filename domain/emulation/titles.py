"""Emulation titles (danh hiệu thi đua) and commendation forms (hình thức khen thưởng).

Luật Thi đua, khen thưởng 2022: Điều 19 (individual titles), Điều 20 (collective titles);
forms relevant to schools per domain-rules.md §2.2 (Giấy khen, Bằng khen, Kỷ niệm chương,
Huân chương). The codes are stable ASCII keys stored in the database and in rule-set data;
never reuse or rename one. Which titles a period may award is rule-set data
(``RuleSet.titles``): e.g. the district chairman's Giấy khen ends with the district level
on 01/7/2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.emulation.errors import UnknownTitleError

Scope = Literal["individual", "collective", "both"]
Kind = Literal["danh_hieu", "hinh_thuc"]
Level = Literal["co_so", "bo_nganh_tinh", "nha_nuoc"]

LEVEL_LABELS: dict[str, str] = {
    "co_so": "cơ sở",
    "bo_nganh_tinh": "bộ, ban, ngành, tỉnh",
    "nha_nuoc": "Nhà nước",
}

SCOPE_LABELS: dict[str, str] = {
    "individual": "cá nhân",
    "collective": "tập thể",
    "both": "cá nhân và tập thể",
}


@dataclass(frozen=True)
class Title:
    """A danh hiệu thi đua or a hình thức khen thưởng.

    Attributes:
        code: stable ASCII key (``"CSTDCS"``).
        name: Vietnamese name as written in documents, without quotes.
        abbr: Vietnamese abbreviation for tables (``"CSTĐCS"``).
        scope: who receives it: ``"individual"``, ``"collective"`` or ``"both"``.
        kind: ``"danh_hieu"`` (emulation title) or ``"hinh_thuc"`` (commendation form).
        level: ``"co_so"``, ``"bo_nganh_tinh"`` or ``"nha_nuoc"``.
        basis: the clause that creates it.
    """

    code: str
    name: str
    abbr: str
    scope: Scope
    kind: Kind
    level: Level
    basis: str

    @property
    def quoted_name(self) -> str:
        """Return the name in Vietnamese quotes, as titles are cited: “Lao động tiên tiến”."""
        return f"“{self.name}”"

    def applies_to(self, scope: Literal["individual", "collective"]) -> bool:
        """Return True when the title may be given to ``scope``."""
        return self.scope in (scope, "both")


_LAW = "Luật Thi đua, khen thưởng 2022"
_TT29 = "Thông tư 29/2023/TT-BGDĐT"

_TITLES: tuple[Title, ...] = (
    # Individual titles — Luật Điều 19.
    Title("LDTT", "Lao động tiên tiến", "LĐTT", "individual", "danh_hieu", "co_so",
          f"{_LAW}, Điều 19, Điều 24"),
    Title("CSTDCS", "Chiến sĩ thi đua cơ sở", "CSTĐCS", "individual", "danh_hieu", "co_so",
          f"{_LAW}, Điều 19, Điều 23"),
    Title("CSTD_BO", "Chiến sĩ thi đua cấp bộ, ban, ngành", "CSTĐ cấp bộ", "individual",
          "danh_hieu", "bo_nganh_tinh", f"{_LAW}, Điều 19, Điều 22"),
    Title("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", "CSTĐ cấp tỉnh", "individual",
          "danh_hieu", "bo_nganh_tinh", f"{_LAW}, Điều 19, Điều 22"),
    Title("CSTDTQ", "Chiến sĩ thi đua toàn quốc", "CSTĐTQ", "individual", "danh_hieu",
          "nha_nuoc", f"{_LAW}, Điều 19, Điều 21"),
    # Collective titles — Luật Điều 20.
    Title("TTLDTT", "Tập thể lao động tiên tiến", "TTLĐTT", "collective", "danh_hieu",
          "co_so", f"{_LAW}, Điều 20, Điều 28"),
    Title("TTLDXS", "Tập thể lao động xuất sắc", "TTLĐXS", "collective", "danh_hieu",
          "bo_nganh_tinh", f"{_LAW}, Điều 20"),
    Title("CTD_BO", "Cờ thi đua cấp bộ, ban, ngành", "Cờ thi đua bộ", "collective",
          "danh_hieu", "bo_nganh_tinh", f"{_LAW}, Điều 20"),
    Title("CTD_TINH", "Cờ thi đua cấp tỉnh", "Cờ thi đua tỉnh", "collective", "danh_hieu",
          "bo_nganh_tinh", f"{_LAW}, Điều 20"),
    Title("CTD_CP", "Cờ thi đua của Chính phủ", "Cờ thi đua Chính phủ", "collective",
          "danh_hieu", "nha_nuoc", f"{_LAW}, Điều 20"),
    # Commendation forms used by schools — domain-rules.md §2.2, §2.3, §2.4.
    Title("GIAY_KHEN", "Giấy khen của Hiệu trưởng, Thủ trưởng đơn vị", "GK", "both",
          "hinh_thuc", "co_so", f"{_LAW}; {_TT29}, Điều 11"),
    Title("GIAY_KHEN_UBND_XA", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "GK UBND xã",
          "both", "hinh_thuc", "co_so", f"{_LAW}; Nghị định 129/2025/NĐ-CP, Điều 59"),
    Title("GIAY_KHEN_GD_SO", "Giấy khen của Giám đốc Sở Giáo dục và Đào tạo", "GK Sở GDĐT",
          "both", "hinh_thuc", "co_so", f"{_LAW}, Điều 80 khoản 1"),
    Title("GIAY_KHEN_UBND_HUYEN", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện",
          "GK UBND huyện", "both", "hinh_thuc", "co_so",
          f"{_LAW} (cấp huyện chấm dứt từ 01/7/2025)"),
    Title("BK_UBND_TINH", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "BK UBND tỉnh",
          "both", "hinh_thuc", "bo_nganh_tinh", f"{_LAW}; quy định thi đua của tỉnh"),
    Title("BK_BO_GDDT", "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo", "BK Bộ GDĐT",
          "both", "hinh_thuc", "bo_nganh_tinh", f"{_LAW}; {_TT29}, Điều 12"),
    Title("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "BK TTg", "both", "hinh_thuc",
          "nha_nuoc", _LAW),
    Title("KNC_GD", "Kỷ niệm chương “Vì sự nghiệp giáo dục”", "KNC", "individual",
          "hinh_thuc", "bo_nganh_tinh", f"{_TT29}, Điều 8"),
    Title("HCLD", "Huân chương Lao động", "HCLĐ", "both", "hinh_thuc", "nha_nuoc", _LAW),
)  # fmt: skip

TITLES: dict[str, Title] = {title.code: title for title in _TITLES}


def get_title(code: str) -> Title:
    """Return the title or form with ``code``.

    Raises:
        UnknownTitleError: if no title has that code.
    """
    try:
        return TITLES[code]
    except KeyError:
        raise UnknownTitleError(
            f"Không có danh hiệu thi đua hay hình thức khen thưởng mã “{code}”."
        ) from None


def individual_titles() -> list[Title]:
    """Return the danh hiệu thi đua for individuals (Luật 2022, Điều 19), lowest first."""
    return [t for t in _TITLES if t.kind == "danh_hieu" and t.scope == "individual"]


def collective_titles() -> list[Title]:
    """Return the danh hiệu thi đua for collectives (Luật 2022, Điều 20), lowest first."""
    return [t for t in _TITLES if t.kind == "danh_hieu" and t.scope == "collective"]


def commendation_forms() -> list[Title]:
    """Return the hình thức khen thưởng (Giấy khen, Bằng khen, Kỷ niệm chương, …)."""
    return [t for t in _TITLES if t.kind == "hinh_thuc"]
