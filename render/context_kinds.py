"""Per-kind computed variables (vote percentages, Nam/Nữ columns, upper-case titles).

Each enricher receives the context built from the manifest (values already formatted as
text) and the raw body fields, and adds the lines its template prints.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from domain.dates import format_clock
from domain.dates import format_short_date
from domain.names import position_title
from domain.names import strip_honorific
from domain.text import clean_line
from domain.text import upper_vi
from render.errors import RenderError
from render.values import parse_date


def percent_text(part: int, total: int) -> str:
    """Return a Vietnamese percentage with a decimal comma: ``9, 11`` → ``"81,82%"``."""
    if total <= 0:
        return ""
    value = f"{part * 100 / total:.2f}".rstrip("0").rstrip(".")
    return value.replace(".", ",") + "%"


def _int(value: Any, label: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise RenderError(f"“{label}” phải là số nguyên.") from exc


def enrich_bien_ban(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Add ``attendance_line``, per candidate ``votes`` ("9/11") and ``percent``, the time
    the meeting ended ("16 giờ 30") and the signers' names without "Ông"/"Bà"."""
    # The closing sentence is the template's; older minutes stored it whole.
    ended = context["ket_thuc"].split(" cùng ngày", 1)[0].rstrip(" .;,")
    context["ket_thuc"] = format_clock(ended)
    context["chu_toa_name"] = strip_honorific(context["chu_toa"])
    context["thu_ky_name"] = strip_honorific(context["thu_ky"])
    total = _int(body.get("so_thanh_vien"), "Tổng số thành viên Hội đồng")
    present = _int(body.get("so_co_mat"), "Số thành viên có mặt")
    if total <= 0 or not 0 <= present <= total:
        raise RenderError("Số thành viên có mặt phải từ 0 đến tổng số thành viên Hội đồng.")
    context["attendance_line"] = (
        f"{present}/{total} thành viên Hội đồng ({percent_text(present, total)})"
    )
    for row, raw in zip(context["ung_vien"], body.get("ung_vien") or (), strict=True):
        votes = _int(raw.get("dong_y"), "Số phiếu đồng ý")
        if not 0 <= votes <= total:
            raise RenderError(
                f"Số phiếu đồng ý của “{row['ho_ten']}” vượt quá tổng số thành viên Hội đồng."
            )
        row["votes"] = f"{votes}/{total}"
        row["percent"] = percent_text(votes, total)


def enrich_danh_sach(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Put each person's year of birth in the Nam or the Nữ column."""
    del body
    for row in context["nguoi_de_nghi"]:
        female = row.get("gioi_tinh", "").strip().lower() == "nữ"
        row["nam"] = "" if female else row["nam_sinh"]
        row["nu"] = row["nam_sinh"] if female else ""


def enrich_bao_cao(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Add the upper-case "ĐỀ NGHỊ TẶNG …" title line."""
    del body
    context["award_line"] = upper_vi(f"Đề nghị tặng {context['danh_hieu']}")


def enrich_giay_khen(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Add the awarder's title in capitals and the decision reference line."""
    context["awarder_line"] = upper_vi(context["nguoi_khen"])
    decided = parse_date(body.get("ngay_quyet_dinh"), "Ngày quyết định")
    number = clean_line(body.get("so_quyet_dinh"))
    context["decision_line"] = f"Quyết định số {number}" + (
        f", ngày {format_short_date(decided)}" if decided else ""
    )
    context["golden_book_line"] = (
        f"Số sổ vàng: {context['so_vang']}" if context.get("so_vang") else ""
    )


def enrich_ke_hoach(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Number the plan's sections: "I. MỤC ĐÍCH, YÊU CẦU"."""
    del body
    for row in context["phan"]:
        row["heading_line"] = f"{row['number']}. {upper_vi(row['tieu_de'])}"


def enrich_quyet_dinh(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Add the deciding authority in capitals and the annex's "(Kèm theo …)" line."""
    del body
    context["tham_quyen"] = position_title(context["tham_quyen"])
    title = context["tieu_de_danh_sach"]
    context["tieu_de_danh_sach"] = title[:1].upper() + title[1:]
    context["authority_line"] = upper_vi(context["tham_quyen"])
    number = context["number_line"].removeprefix("Số:").strip() or "     "
    date_part = f" {context['doc_date']}" if context["doc_date"] else ""
    context["annex_line"] = (
        f"(Kèm theo Quyết định số {number}{date_part} của {context['tham_quyen']})"
    )


# The emulation kinds' enrichers; the general kinds' (render.context_general, built on these)
# join them in render.context, so that the arrows point one way: context → context_general →
# context_kinds.
KIND_ENRICHERS: dict[str, Callable[[dict[str, Any], Mapping[str, Any]], None]] = {
    "bien_ban": enrich_bien_ban,
    "danh_sach": enrich_danh_sach,
    "bao_cao_ca_nhan": enrich_bao_cao,
    "bao_cao_tap_the": enrich_bao_cao,
    "giay_khen": enrich_giay_khen,
    "ke_hoach": enrich_ke_hoach,
    "quyet_dinh": enrich_quyet_dinh,
}
