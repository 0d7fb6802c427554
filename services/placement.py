"""Where an organization sits — its kind, province and direct superior — and what follows.

One place builds the :class:`~domain.emulation.authority.Placement` of an organization
(the admin page shows who decides each title; the dossier chooses between a Quyết định of
its own and a Tờ trình upward from it), so both read the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.emulation import authority
from domain.emulation.authority import Placement
from domain.emulation.errors import EmulationError
from domain.emulation.settings import coerce_settings
from domain.emulation.titles import get_title
from domain.names import position_title
from domain.names import running_name
from domain.text import clean_line
from storage.models import Organization

# The titles and forms a school meets every year, in the order the admin page lists them.
COMMON_TITLES = ("LDTT", "CSTDCS", "TTLDTT", "TTLDXS", "GIAY_KHEN", "BK_UBND_TINH", "BK_BO_GDDT")
# What the "delegated LĐTT" checkbox writes into OrgSettings.head_confers.
DELEGABLE = "LDTT"


def placement_of(org: Organization) -> Placement:
    """The organization's placement, with its name and head as running text."""
    return Placement(
        org_name=running_name(org.name),
        head_title=position_title(org.head_title) or "Hiệu trưởng",
        province=clean_line(org.province),
        superior_kind=org.superior_kind or "",
        superior_name=running_name(org.superior_name),
        superior_decider=running_name(org.superior_decider),
        superior_address=running_name(org.superior_address),
        org_kind=org.org_kind or "",
    )


def apply_placement(
    org: Organization,
    *,
    org_kind: str,
    province: str,
    superior_kind: str,
    superior_name: str,
    superior_decider: str,
    superior_address: str,
) -> None:
    """Store what the admin typed; a blank decider or Kính gửi line is derived.

    A derived value must follow the superior when the admin later changes it, while a
    value the admin typed must stay: so a posted value that equals what was derived from
    the previous superior counts as derived, and is derived again from the new one.
    """
    # Stored as running text, so that every document writes the superior the same way.
    superior_name = running_name(superior_name)
    superior_decider = running_name(superior_decider)
    superior_address = running_name(superior_address)
    old_decider = authority.default_superior_decider(org.superior_kind, org.superior_name)
    old_address = authority.default_superior_address(
        org.superior_kind, org.superior_name, org.superior_decider
    )
    decider = clean_line(superior_decider)
    if not decider or decider == old_decider:
        decider = authority.default_superior_decider(superior_kind, superior_name)
    address = clean_line(superior_address)
    if not address or address == old_address:
        address = authority.default_superior_address(superior_kind, superior_name, decider)
    org.org_kind = org_kind or ""
    org.province = clean_line(province)
    org.superior_kind = superior_kind or ""
    org.superior_name = superior_name
    org.superior_decider = decider
    org.superior_address = address


def head_powers(settings: dict[str, Any]) -> tuple[bool, bool]:
    """(the province delegates LĐTT to the head, the head recognises initiatives)."""
    return (
        DELEGABLE in (settings.get("head_confers") or ()),
        bool(settings.get("head_recognises_initiatives", True)),
    )


def with_head_powers(
    settings: dict[str, Any], *, confers_ldtt: bool, recognises_initiatives: bool
) -> dict[str, Any]:
    """Return the organization's settings with the head's powers set, other keys kept.

    Other delegated codes (written by hand in the settings) survive unticking LĐTT.
    """
    updated = dict(settings)
    codes = [code for code in (updated.get("head_confers") or ()) if code != DELEGABLE]
    if confers_ldtt:
        codes.append(DELEGABLE)
    if codes:
        updated["head_confers"] = codes
    else:
        updated.pop("head_confers", None)
    updated["head_recognises_initiatives"] = bool(recognises_initiatives)
    return updated


@dataclass(frozen=True)
class DecisionRow:
    """Who decides one title for the organization, in words for the admin page.

    Attributes:
        title: the title's name: "Chiến sĩ thi đua cơ sở".
        decider: "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"; empty when ``problem`` says why.
        action: what the organization does: its own Quyết định, or a Tờ trình to whom.
        basis: the clause giving the power.
        problem: why nobody can be named (an AuthorityError's message).
    """

    code: str
    title: str
    decider: str = ""
    action: str = ""
    basis: str = ""
    problem: str = ""


def who_decides(
    org: Organization, day: date, codes: tuple[str, ...] = COMMON_TITLES
) -> list[DecisionRow]:
    """For each title, who decides it for ``org`` on ``day`` and what the organization does."""
    placement = placement_of(org)
    try:
        head_confers = coerce_settings(org.settings).head_confers
    except EmulationError:
        head_confers = frozenset()  # a broken setting must not hide the law's answer
    rows = []
    for code in codes:
        title = get_title(code).name
        try:
            decider = authority.decider_for(code, day, placement, head_confers=head_confers)
        except EmulationError as exc:
            rows.append(DecisionRow(code, title, problem=exc.message))
            continue
        rows.append(
            DecisionRow(code, title, decider.name, _action(decider, placement), decider.basis)
        )
    return rows


def _action(decider: authority.Decider, placement: Placement) -> str:
    if decider.is_head:
        return "Đơn vị tự ra quyết định."
    address = placement.superior_address or authority.default_superior_address(
        placement.superior_kind, placement.superior_name, placement.superior_decider
    )
    if decider.is_superior:
        return f"Đơn vị lập tờ trình, kính gửi: {address}."
    if address:
        # Luật Điều 84: proposals go through the level that manages the organization.
        return f"Đơn vị lập tờ trình gửi cấp trên trực tiếp (kính gửi: {address}) để trình."
    return "Đơn vị đề nghị qua cấp trên trực tiếp."


def powers_basis(day: date) -> str:
    """The clauses giving the powers in force on ``day`` (empty before the Law of 2022)."""
    try:
        return authority.period_for(day).basis
    except EmulationError:
        return ""
