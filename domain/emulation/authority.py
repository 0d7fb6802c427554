"""Who may confer which title or form (thẩm quyền quyết định khen thưởng), by period.

Luật Thi đua, khen thưởng 2022, Điều 80 gives each decision maker a list: the head of a
cơ quan chuyên môn of the province (Giám đốc Sở GD&ĐT) and, until 30/6/2025, the district
chairman confer "Tập thể lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Lao động tiên
tiến" and their Giấy khen; the commune chairman only "Lao động tiên tiến" and Giấy khen.
From 01/7/2025 the district level is gone and NĐ 129/2025 Điều 59 gives the commune
chairman the district's list. A school principal confers only the school's Giấy khen
(TT 29/2023/TT-BGDĐT Điều 11); whether a province delegates more to principals is
unconfirmed, so it is an organisation setting (``head_confers``), never a default.

Everything is data in ``domain/data/authority.json``. An organisation says what it is and
who its direct superior is (:class:`Placement`); :func:`decider_for` then names, for one
title on one date, who decides it: the head of the organisation itself (the dossier makes
its own Quyết định), or someone above (the dossier makes a Tờ trình). Proposals always go
through the direct superior (Luật Điều 84: the level that manages the organisation
proposes upward), so a Bằng khen of the provincial chairman is addressed to the commune
chairman "để trình" the provincial chairman.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any

from domain.emulation.errors import AuthorityError
from domain.emulation.errors import RuleDataError
from domain.emulation.titles import get_title
from domain.text import clean_line

HEAD = "HEAD"


@dataclass(frozen=True)
class DeciderKind:
    key: str
    label: str  # "Chủ tịch Ủy ban nhân dân cấp xã"
    title: str  # the office before a place name: "Chủ tịch Ủy ban nhân dân"
    generic: str  # when the place is not known
    fixed: str  # national offices: "Thủ tướng Chính phủ"
    rank: int


@dataclass(frozen=True)
class SuperiorKind:
    key: str
    label: str
    decider: str  # DeciderKind key of the superior's decision maker
    address: str  # "decider" (Kính gửi: Chủ tịch …) or "body" (Kính gửi: Sở …)
    effective_to: date | None


@dataclass(frozen=True)
class Period:
    id: str
    effective_from: date
    effective_to: date | None
    basis: str
    powers: Mapping[str, tuple[str, ...]]

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class Placement:
    """Where an organisation sits: its own name and head, its province, its direct superior.

    ``superior_decider`` and ``superior_address`` are what the clerk confirmed for the
    superior's decision maker ("Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh") and the Kính gửi
    line; empty means "derive from the superior's kind and name".
    """

    org_name: str  # running text: "Trường THCS Mỹ Thạnh"
    head_title: str  # "Hiệu trưởng"
    province: str = ""  # "tỉnh Đồng Tháp"
    superior_kind: str = ""
    superior_name: str = ""  # "Ủy ban nhân dân xã Mỹ Thạnh"
    superior_decider: str = ""
    superior_address: str = ""
    org_kind: str = ""


@dataclass(frozen=True)
class Decider:
    """Who decides one title for one organisation.

    Attributes:
        key: a :class:`DeciderKind` key (``"HEAD"`` for the organisation's own head).
        name: as written in documents: "Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp".
        is_head: the organisation's head decides (its own Quyết định).
        is_superior: the direct superior's decision maker decides.
        basis: the clause that gives the power.
    """

    key: str
    name: str
    is_head: bool
    is_superior: bool
    basis: str


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("domain").joinpath("data/authority.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@functools.cache
def decider_kinds() -> Mapping[str, DeciderKind]:
    kinds = {}
    for key, entry in _data()["deciders"].items():
        kinds[key] = DeciderKind(
            key=key,
            label=entry["label"],
            title=entry.get("title", ""),
            generic=entry.get("generic", entry["label"]),
            fixed=entry.get("fixed", ""),
            rank=int(entry["rank"]),
        )
    return MappingProxyType(kinds)


@functools.cache
def superior_kinds() -> Mapping[str, SuperiorKind]:
    kinds = {}
    for key, entry in _data()["superiors"].items():
        if entry["decider"] not in decider_kinds():
            raise RuleDataError(f"Cấp trên “{key}” có người quyết định không hợp lệ.")
        kinds[key] = SuperiorKind(
            key=key,
            label=entry["label"],
            decider=entry["decider"],
            address=entry["address"],
            effective_to=_date(entry.get("effective_to")),
        )
    return MappingProxyType(kinds)


def org_kinds() -> Mapping[str, str]:
    """Kinds of organisation (trường mầm non … Sở GD&ĐT): key → Vietnamese label."""
    return MappingProxyType(dict(_data()["org_kinds"]))


@functools.cache
def periods() -> tuple[Period, ...]:
    result = []
    for entry in _data()["periods"]:
        powers = {}
        for decider, codes in entry["powers"].items():
            if decider not in decider_kinds():
                raise RuleDataError(f"Thẩm quyền “{decider}” không có trong danh mục.")
            powers[decider] = tuple(get_title(code).code for code in codes)
        result.append(
            Period(
                id=entry["id"],
                effective_from=date.fromisoformat(entry["effective_from"]),
                effective_to=_date(entry.get("effective_to")),
                basis=entry["basis"],
                powers=MappingProxyType(powers),
            )
        )
    return tuple(result)


def period_for(day: date) -> Period:
    """The period of powers in force on ``day``.

    Raises:
        AuthorityError: before the Law of 2022 took effect.
    """
    for period in periods():
        if period.covers(day):
            return period
    raise AuthorityError(
        f"Chưa có dữ liệu thẩm quyền khen thưởng cho ngày {day:%d/%m/%Y} "
        "(Luật Thi đua, khen thưởng 2022 có hiệu lực từ 01/01/2024)."
    )


def superiors_on(day: date) -> dict[str, str]:
    """Superior kinds that exist on ``day`` (no district level after 30/6/2025)."""
    return {
        key: kind.label
        for key, kind in superior_kinds().items()
        if kind.effective_to is None or day <= kind.effective_to
    }


def default_superior_decider(superior_kind: str, superior_name: str) -> str:
    """The superior's decision maker as written in documents, from its kind and name.

    "Ủy ban nhân dân xã Mỹ Thạnh" → "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh";
    "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp" → "Giám đốc Sở Giáo dục và Đào tạo tỉnh Đồng
    Tháp"; a Phòng GD&ĐT forwards to the district chairman, whose name the clerk types.
    """
    kind = superior_kinds().get(superior_kind)
    name = clean_line(superior_name)
    if kind is None:
        return ""
    decider = decider_kinds()[kind.decider]
    if decider.fixed:
        return decider.fixed
    if superior_kind in ("ubnd_xa", "ubnd_huyen", "ubnd_tinh") and name:
        return f"Chủ tịch {name}"
    if superior_kind == "so_gddt" and name:
        return f"Giám đốc {name}"
    if superior_kind == "phong_gddt" and name:
        place = _place_after(name, "Phòng Giáo dục và Đào tạo")
        return f"Chủ tịch Ủy ban nhân dân {place}" if place else decider.generic
    return decider.generic


def default_superior_address(superior_kind: str, superior_name: str, decider: str = "") -> str:
    """The Kính gửi line of a proposal to the superior: its decision maker for an Ủy ban
    (a person holds the power), the body itself for a Sở or a Phòng (a Phòng has no
    "Chủ tịch")."""
    kind = superior_kinds().get(superior_kind)
    name = clean_line(superior_name)
    if kind is None:
        return name
    if kind.address == "body" and name:
        return name
    return clean_line(decider) or default_superior_decider(superior_kind, name)


def _place_after(name: str, prefix: str) -> str:
    return name[len(prefix) :].strip() if name.startswith(prefix) else ""


def confers(decider: str, title_code: str, day: date) -> bool:
    return title_code in period_for(day).powers.get(decider, ())


def decider_for(
    title_code: str,
    day: date,
    placement: Placement,
    *,
    head_confers: Iterable[str] = (),
) -> Decider:
    """Who decides ``title_code`` for the organisation on ``day``.

    The organisation's head first (the law's list, plus what the organisation's settings
    say its province delegates), then the direct superior's decision maker, then the
    higher offices in rank order.

    Raises:
        UnknownTitleError: an unknown code.
        AuthorityError: nobody in force may confer it on that day (e.g. the district
            chairman's Giấy khen after 30/6/2025), or the organisation has not said who its
            superior is and the title needs one.
    """
    title = get_title(title_code)
    period = period_for(day)
    extra = set(head_confers)
    if title.code in period.powers.get(HEAD, ()) or title.code in extra:
        basis = period.basis if title.code not in extra else "Phân cấp của tỉnh (cài đặt đơn vị)"
        return Decider(HEAD, f"{placement.head_title} {placement.org_name}", True, False, basis)
    holders = [key for key, codes in period.powers.items() if title.code in codes]
    if not holders:
        raise AuthorityError(
            f"Từ ngày {period.effective_from:%d/%m/%Y}, không còn cấp nào có thẩm quyền tặng "
            f"{title.quoted_name} (cấp huyện đã chấm dứt hoạt động từ 01/7/2025). Hãy chọn "
            "hình thức tương ứng của cấp hiện hành."
        )
    superior = superior_kinds().get(placement.superior_kind)
    if superior is not None and superior.decider in holders:
        name = clean_line(placement.superior_decider) or default_superior_decider(
            superior.key, placement.superior_name
        )
        return Decider(superior.decider, name, False, True, period.basis)
    kinds = decider_kinds()
    ranked = sorted(holders, key=lambda key: kinds[key].rank)
    if superior is None and kinds[ranked[0]].rank < kinds["CT_UBND_TINH"].rank:
        raise AuthorityError(
            f"Chưa xác định được ai quyết định {title.quoted_name}: đơn vị chưa khai báo cấp "
            "trên trực tiếp. Hãy nhập ở Quản trị → Sửa thông tin cơ quan."
        )
    local = [key for key in ranked if kinds[key].rank < kinds["CT_UBND_TINH"].rank]
    if len(local) > 1:
        # E.g. CSTĐCS of a commune school before 01/7/2025: the district chairman or a Giám
        # đốc Sở, depending on who manages the school; the superior declared is neither.
        offices = " hoặc ".join(kinds[key].label for key in local)
        raise AuthorityError(
            f"{title.quoted_name} thuộc thẩm quyền của {offices}, không phải của cấp trên "
            "trực tiếp đã khai báo. Hãy kiểm tra cấp trên trực tiếp ở Quản trị → Sửa thông "
            "tin cơ quan."
        )
    chosen = kinds[ranked[0]]
    return Decider(chosen.key, _office_name(chosen, placement), False, False, period.basis)


def _office_name(kind: DeciderKind, placement: Placement) -> str:
    if kind.fixed:
        return kind.fixed
    province = clean_line(placement.province)
    if kind.key in ("CT_UBND_TINH", "GD_SO") and province:
        return f"{kind.title} {province}"
    return kind.generic


def powers_table(day: date) -> list[tuple[str, list[str]]]:
    """(decision maker, titles) in rank order, for the README and the clerk's page."""
    period = period_for(day)
    kinds = decider_kinds()
    rows = []
    for key in sorted(period.powers, key=lambda k: kinds[k].rank):
        rows.append((kinds[key].label, [get_title(code).name for code in period.powers[key]]))
    return rows
