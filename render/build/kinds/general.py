"""Fields shared by the general kinds (Thông báo, Báo cáo, Quyết định, Tờ trình...)."""

from __future__ import annotations

from typing import Any

from render.build.kinds.common import column
from render.build.kinds.common import field


def changed(fields: list[dict[str, Any]], name: str, **changes: Any) -> list[dict[str, Any]]:
    """Return ``fields`` with the field ``name`` updated by ``changes`` (a copy)."""
    return [{**item, **changes} if item["name"] == name else item for item in fields]


def own_can_cu(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make the căn cứ field the clerk's own list: a general document cites what its matter
    rests on, so no list of laws is added to it."""
    return changed(
        fields,
        "can_cu",
        label="Căn cứ",
        help="Mỗi dòng một căn cứ, ghi đủ loại văn bản, số, ngày ban hành, cơ quan ban hành "
        "và trích yếu; có thể bỏ chữ “Căn cứ” ở đầu dòng.",
    )


def sections_field(label: str) -> dict[str, Any]:
    """Return the list of a body's parts: a heading and its text, numbered I, II, III."""
    return field(
        "phan",
        label,
        "list",
        required=True,
        numbering="roman",
        help_="Mỗi phần được đánh số La Mã (I, II, III...) tự động.",
        columns=[
            column("tieu_de", "Tiêu đề phần", required=True),
            column("noi_dung", "Nội dung", "textarea", required=True),
        ],
    )


def authority_field() -> dict[str, Any]:
    """Return the Quyết định's "Thẩm quyền ban hành" field."""
    return field(
        "tham_quyen",
        "Thẩm quyền ban hành",
        required=True,
        help_="Chức vụ người đứng đầu, ví dụ “Hiệu trưởng Trường THCS Mỹ Thạnh”; in hoa "
        "dưới trích yếu.",
    )


def proposer_field() -> dict[str, Any]:
    """Return the field of who proposed the decision (the variable part only)."""
    return field(
        "de_nghi_cua",
        "Đơn vị/người đề nghị",
        help_="Chỉ ghi tên, ví dụ “Tổ trưởng Tổ Văn phòng”; văn bản in “Theo đề nghị của "
        "Tổ trưởng Tổ Văn phòng.” sau các căn cứ.",
    )


def articles_field() -> dict[str, Any]:
    """Return the Quyết định's articles, numbered Điều 1, Điều 2... when printed."""
    return field(
        "dieu",
        "Các điều của quyết định",
        "list",
        required=True,
        help_="Mỗi dòng của bảng là một điều, được đánh số “Điều 1.”, “Điều 2.”... tự động; "
        "điều cuối kết thúc bằng “./.”.",
        columns=[column("noi_dung", "Nội dung điều", "textarea", required=True)],
    )


def decision_fields() -> list[dict[str, Any]]:
    """Return the fields every Quyết định asks for: authority, proposer, articles."""
    return [authority_field(), proposer_field(), articles_field()]
