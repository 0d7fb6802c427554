"""Kính gửi and Nơi nhận (NĐ 30/2020, Phụ lục I, II.9).

Nơi nhận items are printed one per line: ``"- Sở GDĐT (để b/c);"``, and the last one is
``"- Lưu: VT, <drafting unit>."``. For a công văn, and for a tờ trình or báo cáo sent to a
superior, the first item is ``"- Như trên;"`` (it stands for the Kính gửi addressees);
a Quyết định usually starts with ``"- Như Điều 3;"`` (the article naming who executes it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.doc_types import DocType
from domain.text import clean_line

LABEL_NOI_NHAN = "Nơi nhận:"
LABEL_KINH_GUI = "Kính gửi:"
AS_ABOVE = "Như trên"
ARCHIVE = "Lưu"
ARCHIVE_CLERK = "VT"  # văn thư, always the first archive holder

# Types whose Nơi nhận starts with "Như trên" when they carry a Kính gửi (Mục II.9.b).
AS_ABOVE_TYPES = frozenset({"CV", "TTr", "BC"})
# Practice, not decree: the Quyết định's execution article is usually Điều 3 (Mẫu 1.2).
DECISION_FIRST_ITEM = "Như Điều 3"

_BULLET = re.compile(r"^\s*[-–—•+]\s*")
_ARCHIVE_ITEM = re.compile(r"^Lưu\s*:", re.IGNORECASE)


def default_first_item(doc_type: DocType, has_kinh_gui: bool = True) -> str | None:
    """Return the customary first Nơi nhận item for a type, or ``None``.

    Args:
        doc_type: the document type.
        has_kinh_gui: whether the document has a Kính gửi block (a báo cáo to no superior
            has none, and then no "Như trên").
    """
    if doc_type.code in AS_ABOVE_TYPES and (has_kinh_gui or doc_type.code == "CV"):
        return AS_ABOVE
    if doc_type.code == "QĐ":
        return DECISION_FIRST_ITEM
    return None


def strip_item(text: str) -> str:
    """Return an item without its leading dash and trailing ``;`` or ``.``."""
    text = _BULLET.sub("", clean_line(text), count=1)
    return text.rstrip(" ;.").strip()


def archive_item(unit: str = "", copies: int | None = None) -> str:
    """Return the last item, e.g. ``"- Lưu: VT, TCCB."`` or ``"- Lưu: VT."``.

    Args:
        unit: abbreviation of the drafting unit (e.g. ``"VP"``); Biên bản uses ``"Hồ sơ"``.
        copies: number of archived copies, written ``"(02 bản)"`` (the decree allows the
            count but shows no example; this spelling is common practice).
    """
    holders = [ARCHIVE_CLERK]
    unit = clean_line(unit)
    if unit:
        holders.append(unit)
    text = f"- {ARCHIVE}: {', '.join(holders)}"
    if copies:
        text += f" ({copies:02d} bản)"
    return text + "."


def noi_nhan_lines(
    recipients: Sequence[str],
    *,
    first_item: str | None = None,
    archive_unit: str = "",
    archive_copies: int | None = None,
) -> list[str]:
    """Return the Nơi nhận block: the label, then ``"- item;"`` lines, then the archive line.

    Items the clerk typed with or without dashes and punctuation are normalised; empty
    items and duplicates are dropped; an archive item the clerk typed replaces the default
    one and is moved to the end.

    Args:
        recipients: the addressees, in order.
        first_item: an item forced to the top (see :func:`default_first_item`).
        archive_unit: drafting unit for the archive line.
        archive_copies: number of archived copies.

    Returns:
        Lines such as ``["Nơi nhận:", "- Như trên;", "- Sở GDĐT (để b/c);", "- Lưu: VT, VP."]``.
    """
    items: list[str] = []
    archive: str | None = None
    for raw in ([first_item] if first_item else []) + list(recipients):
        item = strip_item(raw)
        if not item:
            continue
        if _ARCHIVE_ITEM.match(item):
            archive = f"- {item}."
            continue
        if item not in items:
            items.append(item)
    lines = [LABEL_NOI_NHAN] + [f"- {item};" for item in items]
    lines.append(archive or archive_item(archive_unit, archive_copies))
    return lines


def kinh_gui_lines(recipients: Sequence[str]) -> list[str]:
    """Return the Kính gửi block (Mục II.9.d).

    One addressee stays on the "Kính gửi:" line; several go one per line, each starting
    with ``"- "`` and ending with ``";"``, the last with ``"."``.

    Raises:
        ValueError: if there is no addressee.
    """
    names = [strip_item(r) for r in recipients]
    names = [n for n in names if n]
    if not names:
        raise ValueError("Chưa có cơ quan, tổ chức hoặc cá nhân nhận văn bản (Kính gửi).")
    if len(names) == 1:
        return [f"{LABEL_KINH_GUI} {names[0]}"]
    body = [f"- {name};" for name in names[:-1]] + [f"- {names[-1]}."]
    return [LABEL_KINH_GUI, *body]


def noi_nhan_item_problems(items: Sequence[str]) -> list[tuple[int, str]]:
    """Check printed Nơi nhận items (without the label) against Mục II.9.d.

    Returns:
        ``(index, Vietnamese problem)`` pairs; index ``-1`` concerns the list as a whole.
    """
    lines = [clean_line(i) for i in items if clean_line(i)]
    if not lines:
        return [(-1, "Nơi nhận không có tên cơ quan, tổ chức, cá nhân nào.")]
    found: list[tuple[int, str]] = []
    last = len(lines) - 1
    for index, line in enumerate(lines):
        if not line.startswith("-"):
            found.append((index, "Mỗi nơi nhận bắt đầu bằng gạch đầu dòng (-)."))
        if index < last and not line.endswith(";"):
            found.append((index, "Cuối mỗi dòng nơi nhận có dấu chấm phẩy (;)."))
    final = strip_item(lines[last])
    if not _ARCHIVE_ITEM.match(final):
        found.append((last, "Dòng cuối cùng của nơi nhận là “- Lưu: VT, …”."))
    else:
        if ARCHIVE_CLERK not in re.split(r"[\s,:.()]+", final):
            found.append((last, "Dòng lưu phải có chữ viết tắt “VT” (Văn thư)."))
    if not lines[last].endswith("."):
        found.append((last, "Dòng cuối cùng của nơi nhận kết thúc bằng dấu chấm (.)."))
    return found
