"""Splitting a round's results by who decides them (issue 9: a dossier that splits by
authority).

The organization's own head gets one Quyết định (and the Giấy khen batch) for what the law
lets the head confer; every other decision maker gets a proposal set of its own: a Tờ trình
and the Danh sách kèm theo, addressed through the direct superior. The council's Biên bản
covers every vote of the meeting; approved sáng kiến get their own Quyết định công nhận (or a
proposal when the head does not recognise them), điển hình tiên tiến their own list.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.emulation.authority import HEAD
from domain.emulation.authority import Decider
from domain.emulation.authority import decider_kinds
from domain.emulation.settings import OrgSettings
from services.dossier.nominees import Nominee
from services.dossier.nominees import RoundFacts

BIEN_BAN = "bien_ban"
OWN_DECISION = f"quyet_dinh:{HEAD}"
INITIATIVES = "SANG_KIEN"
EXEMPLARY = "danh_sach:DIEN_HINH"
# The Giấy khen a head confers is printed by the batch; other titles have no certificate
# made by the organization (a superior's Bằng khen or Giấy khen is printed by that superior).
CERTIFICATE_TITLES = frozenset({"GIAY_KHEN"})


@dataclass(frozen=True)
class Part:
    """One document of the dossier.

    Attributes:
        key: stable within a dossier ("to_trinh:CT_UBND_TINH"), stored on the document so
            a regenerated dossier updates its own drafts.
        kind: the document kind (template).
        nominees: whom it names.
        decider: who decides what it is about (None for the Biên bản and the lists).
        attached_to: the part this one is annexed to (a Danh sách to its Tờ trình).
    """

    key: str
    kind: str
    nominees: tuple[Nominee, ...]
    decider: Decider | None = None
    attached_to: str | None = None

    @property
    def submission_ids(self) -> list[int]:
        return [n.submission_id for n in self.nominees]


def plan_parts(facts: RoundFacts, settings: OrgSettings) -> list[Part]:
    """The dossier's documents, in the order they are made and signed."""
    parts: list[Part] = []
    if facts.voted:
        parts.append(Part(BIEN_BAN, "bien_ban", tuple(facts.voted)))
    own = tuple(n for n in facts.awarded if n.decider is not None and n.decider.is_head)
    if own:
        parts.append(Part(OWN_DECISION, "quyet_dinh", own, own[0].decider))
    by_decider: dict[str, list[Nominee]] = {}
    for nominee in facts.awarded:
        if nominee.decider is not None and not nominee.decider.is_head:
            by_decider.setdefault(nominee.decider.key, []).append(nominee)
    ranks = decider_kinds()
    for key in sorted(by_decider, key=lambda k: ranks[k].rank):
        group = tuple(by_decider[key])
        proposal = f"to_trinh:{key}"
        parts.append(Part(proposal, "to_trinh", group, group[0].decider))
        parts.append(Part(f"danh_sach:{key}", "danh_sach", group, group[0].decider, proposal))
    if facts.initiatives:
        if settings.head_recognises_initiatives:
            parts.append(Part(f"quyet_dinh:{INITIATIVES}", "quyet_dinh", tuple(facts.initiatives)))
        else:
            parts.append(Part(f"to_trinh:{INITIATIVES}", "to_trinh", tuple(facts.initiatives)))
    if facts.exemplary:
        parts.append(Part(EXEMPLARY, "danh_sach", tuple(facts.exemplary)))
    return parts


def certificate_nominees(parts: list[Part]) -> list[Nominee]:
    """Who gets a Giấy khen printed by the organization: its own decision's Giấy khen."""
    for part in parts:
        if part.key == OWN_DECISION:
            return [n for n in part.nominees if n.title and n.title.code in CERTIFICATE_TITLES]
    return []
