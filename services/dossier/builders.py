"""The header and body fields of each dossier part, derived from the recorded facts.

Nothing here asserts what the records do not say: a nominee below the council threshold is
never counted among those who reached it; a proposal says whom it goes through and who
decides; an annex cites its Tờ trình by number once that is issued; a replacement cites the
document it replaces (NĐ 30/2020: văn bản thay thế).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from domain.dates import format_date_words
from domain.dates import format_short_date
from domain.emulation.authority import Placement
from domain.emulation.titles import Title
from domain.numbering import cite_document
from domain.numbering import format_symbol
from domain.text import clean_line
from services.dossier.names import COUNCIL
from services.dossier.names import count_text
from services.dossier.names import head_title
from services.dossier.names import period_text
from services.dossier.names import who_text
from services.dossier.nominees import Nominee
from services.dossier.plan import BIEN_BAN
from services.dossier.plan import INITIATIVES
from services.dossier.plan import Part
from storage.models import Document
from storage.models import Organization
from storage.models import Round
from storage.models import SubmissionStatus

TYPE_NAMES = {"to_trinh": "Tờ trình", "quyet_dinh": "Quyết định", "bien_ban": "Biên bản"}
TYPE_CODES = {"to_trinh": "TTr", "quyet_dinh": "QĐ", "bien_ban": "BB"}


@dataclass
class DossierInput:
    """What the clerk confirms on the dossier form (the rest comes from the records)."""

    issued_on: datetime.date | None
    org_name: str  # the organization's name as written inside a sentence
    authority: str  # "Hiệu trưởng Trường THCS Mỹ Thạnh"
    kinh_gui: list[str]
    meeting_date: datetime.date
    start_time: str
    end_time: str
    place: str
    chair: str
    chair_position: str
    secretary: str
    secretary_position: str
    members_present: int
    absent: str = ""
    agenda: str = ""
    recipients: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        data["meeting_date"] = self.meeting_date.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DossierInput:
        values = dict(data)
        issued = values.get("issued_on")
        values["issued_on"] = datetime.date.fromisoformat(issued) if issued else None
        values["meeting_date"] = datetime.date.fromisoformat(values["meeting_date"])
        return cls(**values)


@dataclass(frozen=True)
class Context:
    """What every builder reads: the records, the clerk's input, and the dossier's other
    documents (by part key) so that parts can cite one another."""

    org: Organization
    round_: Round
    data: DossierInput
    placement: Placement
    council_total: int | None
    documents: Mapping[str, Document]
    replaces: Mapping[str, Document]  # part key → the withdrawn document it replaces

    @property
    def period(self) -> str:
        return period_text(self.round_)

    def symbol(self, kind: str) -> str:
        return format_symbol(TYPE_CODES[kind], self.org.abbrev)

    def reference(self, part_key: str, kind: str) -> str:
        """ "Tờ trình số 02/TTr-THCSMT ngày 03/06/2026" once issued, else with a blank number."""
        return document_reference(self.documents.get(part_key), kind, self.symbol(kind))

    def superior(self) -> str:
        return self.data.kinh_gui[0] if self.data.kinh_gui else ""


def document_reference(document: Document | None, kind: str, symbol: str) -> str:
    if document is not None and document.number is not None and document.issued_date:
        return cite_document(
            TYPE_NAMES[kind], document.number, document.symbol or symbol, document.issued_date
        )
    return cite_document(TYPE_NAMES[kind], None, symbol)


def title_name(title: Title | None) -> str:
    """The head's own Giấy khen is printed "Giấy khen" in its own documents."""
    if title is None:
        return ""
    return "Giấy khen" if title.code == "GIAY_KHEN" else title.name


def _signer(ctx: Context) -> dict[str, Any]:
    return {
        "date": ctx.data.issued_on.isoformat() if ctx.data.issued_on else None,
        "signer_authority": "",
        "signer_collective": "",
        "signer_position": head_title(ctx.org),
        "signer_name": clean_line(ctx.org.head_name),
    }


def _groups(nominees: tuple[Nominee, ...]) -> list[tuple[Title, int, int]]:
    """(title, collectives, individuals) per title, in the nominees' order."""
    counts: dict[str, list[int]] = {}
    titles: dict[str, Title] = {}
    for nominee in nominees:
        assert nominee.title is not None
        titles[nominee.title.code] = nominee.title
        pair = counts.setdefault(nominee.title.code, [0, 0])
        pair[0 if nominee.collective else 1] += 1
    return [(titles[code], pair[0], pair[1]) for code, pair in counts.items()]


def _action(nominees: tuple[Nominee, ...]) -> str:
    """ "công nhận danh hiệu thi đua" / "tặng Bằng khen của …" / both."""
    kinds = {n.title.kind for n in nominees if n.title}
    if kinds == {"danh_hieu"}:
        return "công nhận danh hiệu thi đua"
    if kinds == {"hinh_thuc"}:
        names = sorted({title_name(n.title) for n in nominees}, key=str)
        return "tặng " + ", ".join(names)
    return "công nhận danh hiệu thi đua, tặng hình thức khen thưởng"


def _award_phrase(title: Title) -> str:
    if title.kind == "danh_hieu":
        return f"công nhận danh hiệu {title.quoted_name}"
    return f"tặng {title_name(title)}"


def _vote_sentence(nominee: Nominee) -> str:
    vote = nominee.vote
    assert vote is not None
    return (
        f"{nominee.name} (đề nghị {nominee.title.quoted_name if nominee.title else ''}): "
        f"{nominee.votes_for}/{nominee.council_total} thành viên Hội đồng đồng ý "
        f"({vote.percent_text}), chưa đạt mức {vote.threshold.describe()}"
    )


def _replacement(ctx: Context, part: Part) -> str:
    replaced = ctx.replaces.get(part.key)
    if replaced is None:
        return ""
    reference = document_reference(replaced, part.kind, replaced.symbol or ctx.symbol(part.kind))
    return f"{TYPE_NAMES[part.kind]} này thay thế {reference}."


# -- Biên bản -----------------------------------------------------------------------------


def _result_label(nominee: Nominee) -> str:
    approved = nominee.status == SubmissionStatus.APPROVED.value
    if nominee.passed:
        return "Đạt" if approved else "Đạt, không đề nghị"
    return "Chưa đạt, vẫn đề nghị" if approved else "Không đạt"


def bien_ban_fields(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    """The council's minutes: every vote of the meeting, with its result against the rule
    set; the conclusions are counted from those results."""
    data = ctx.data
    header = {
        "date": data.meeting_date.isoformat(),
        "summary": f"Họp xét danh hiệu thi đua, khen thưởng {ctx.period}",
        "recipients": ["Thành viên Hội đồng"],
    }
    lines = [data.agenda] if clean_line(data.agenda) else []
    passed = tuple(n for n in part.nominees if n.passed and n.status == "approved")
    if passed:
        lines.append(
            "Theo kết quả bỏ phiếu, Hội đồng thống nhất đề nghị các tập thể, cá nhân đạt tỷ "
            "lệ phiếu đồng ý theo quy định: "
            + "; ".join(
                f"“{title_name(title)}”: {who_text(c, i)}" for title, c, i in _groups(passed)
            )
            + "."
        )
    below = [n for n in part.nominees if not n.passed]
    for nominee in below:
        if nominee.status == "approved":
            lines.append(
                f"{_vote_sentence(nominee)}. Chủ tọa kết luận vẫn đề nghị, lý do: "
                f"{nominee.override.rstrip('. ')}."
            )
        else:
            lines.append(f"{_vote_sentence(nominee)}; Hội đồng không đề nghị.")
    body = {
        "thoi_gian_bat_dau": f"{data.start_time}, {format_date_words(data.meeting_date)}",
        "dia_diem": data.place,
        "so_thanh_vien": ctx.council_total,
        "so_co_mat": data.members_present,
        "vang_mat": data.absent,
        "chu_toa": data.chair,
        "chu_toa_chuc_vu": data.chair_position,
        "thu_ky": data.secretary,
        "thu_ky_chuc_vu": data.secretary_position,
        "noi_dung": "\n".join(lines),
        "ung_vien": [
            {
                "ho_ten": n.name,
                "chuc_vu": n.position_unit,
                "danh_hieu": title_name(n.title),
                "dong_y": n.votes_for,
                "ket_qua": _result_label(n),
            }
            for n in part.nominees
        ],
        "ket_thuc": data.end_time,
    }
    return header, body


# -- The organization's own Quyết định ------------------------------------------------------


def _council_basis(ctx: Context) -> str:
    minutes = ctx.documents.get(BIEN_BAN)
    if minutes is not None and minutes.number is not None and minutes.issued_date:
        return cite_document("Biên bản", minutes.number, minutes.symbol, minutes.issued_date)
    return f"Biên bản họp ngày {format_short_date(ctx.data.meeting_date)}"


def own_decision_fields(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    """The head's Quyết định: only what the head may confer (part.nominees)."""
    awards = "; ".join(
        f"{_award_phrase(title)} cho {who_text(c, i)}" for title, c, i in _groups(part.nominees)
    )
    action = _action(part.nominees)
    closing = "Quyết định có hiệu lực kể từ ngày ký."
    replacement = _replacement(ctx, part)
    if replacement:
        closing = f"Quyết định có hiệu lực kể từ ngày ký. {replacement}"
    header = _signer(ctx) | {
        "summary": f"Về việc {action} {ctx.period}",
        "recipients": ctx.data.recipients,
    }
    body = {
        "tham_quyen": ctx.data.authority,
        "theo_de_nghi": f"{COUNCIL} {ctx.data.org_name} tại {_council_basis(ctx)}",
        "dieu_1": (
            f"{awards[:1].upper()}{awards[1:]} {ctx.period}; có tên trong danh sách kèm theo."
        ),
        "dieu_2": (
            "Các tập thể, cá nhân có tên tại Điều 1 được hưởng tiền thưởng theo quy định hiện "
            "hành.\nNguồn kinh phí: quỹ thi đua, khen thưởng của đơn vị."
        ),
        "dieu_3": (
            f"{closing} Văn phòng, Kế toán và các tập thể, cá nhân có tên tại Điều 1 chịu "
            "trách nhiệm thi hành Quyết định này./."
        ),
        "tieu_de_danh_sach": f"Danh sách tập thể, cá nhân được {action} {ctx.period}",
        "danh_sach": [
            {
                "ho_ten": n.name,
                "chuc_vu": n.position_unit,
                "hinh_thuc": title_name(n.title),
                "ghi_chu": "Tập thể" if n.collective else "",
            }
            for n in part.nominees
        ],
    }
    return header, body


def initiatives_decision_fields(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    """Quyết định công nhận sáng kiến cấp cơ sở (the head recognises, Điều lệ Sáng kiến)."""
    replacement = _replacement(ctx, part)
    closing = "Quyết định có hiệu lực kể từ ngày ký." + (f" {replacement}" if replacement else "")
    header = _signer(ctx) | {
        "summary": f"Về việc công nhận sáng kiến cấp cơ sở {ctx.period}",
        "recipients": ctx.data.recipients,
        "legal_basis_kind": "QD_SANG_KIEN",
    }
    body = {
        "tham_quyen": ctx.data.authority,
        "theo_de_nghi": f"{COUNCIL} {ctx.data.org_name}",
        "dieu_1": (
            f"Công nhận {count_text(len(part.nominees))} sáng kiến cấp cơ sở {ctx.period}; "
            "có tên trong danh sách kèm theo."
        ),
        "dieu_2": (
            "Tác giả các sáng kiến có tên tại Điều 1 được hưởng quyền lợi theo Điều lệ Sáng "
            "kiến và quy chế của đơn vị; sáng kiến được công nhận là căn cứ xét danh hiệu thi "
            "đua theo Luật Thi đua, khen thưởng."
        ),
        "dieu_3": (
            f"{closing} Văn phòng và các tác giả có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này./."
        ),
        "tieu_de_danh_sach": f"Danh sách sáng kiến được công nhận cấp cơ sở {ctx.period}",
        "danh_sach": [
            {
                "ho_ten": str(n.extra.get("authors") or ""),
                "chuc_vu": n.unit,
                "hinh_thuc": f"Sáng kiến “{n.name}”",
                "ghi_chu": str(n.extra.get("field") or ""),
            }
            for n in part.nominees
        ],
    }
    return header, body


# -- Proposals upward -----------------------------------------------------------------------


def proposal_fields(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Tờ trình to the decision maker of ``part``, through the direct superior."""
    if part.key.endswith(INITIATIVES):
        return _initiatives_proposal(ctx, part)
    decider = part.decider
    assert decider is not None
    org_name = ctx.data.org_name
    superior = ctx.superior()
    action = _action(part.nominees)
    passed = tuple(n for n in part.nominees if n.passed)
    below = [n for n in part.nominees if not n.passed]
    council = ctx.council_total or 0
    paragraphs = [
        f"Ngày {format_short_date(ctx.data.meeting_date)}, {COUNCIL} {org_name} đã họp, bình "
        f"xét thi đua, khen thưởng {ctx.period}; tỷ lệ phiếu đồng ý tính trên tổng số "
        f"{count_text(council)} thành viên Hội đồng."
    ]
    if passed:
        paragraphs.append(
            f"{who_text(*_split(passed)).capitalize()} dưới đây đạt tỷ lệ phiếu đồng ý theo "
            "quy định."
        )
    for nominee in below:
        paragraphs.append(
            f"Riêng {_vote_sentence(nominee)}; đơn vị vẫn đề nghị vì: "
            f"{nominee.override.rstrip('. ')}."
        )
    if decider.is_superior or not superior:
        paragraphs.append(f"{org_name} kính trình {decider.name} xem xét, {action} như sau:")
        closing = f"Kính trình {decider.name} xem xét, quyết định./."
    else:
        paragraphs.append(
            f"{org_name} kính đề nghị {superior} xem xét, trình {decider.name} {action} như sau:"
        )
        closing = f"Kính đề nghị {superior} xem xét, trình {decider.name} quyết định./."
    replacement = _replacement(ctx, part)
    if replacement:
        paragraphs.append(replacement)
    header = _signer(ctx) | {
        "summary": f"Về việc đề nghị {action} {ctx.period}",
        "kinh_gui": ctx.data.kinh_gui,
        "recipients": ctx.data.recipients,
        "can_cu": [f"{_council_basis(ctx)} của {COUNCIL} {org_name}"],
        "decider": decider.name,  # not printed: the dossier page says whom it goes to
    }
    body = {
        "theo_de_nghi": "",
        "noi_dung": "\n".join(paragraphs),
        "de_nghi": [
            {
                "hinh_thuc": title.name,
                "tap_the": str(c) if c else "",
                "ca_nhan": str(i) if i else "",
                "ghi_chu": _below_note(part.nominees, title),
            }
            for title, c, i in _groups(part.nominees)
        ],
        "ket_luan": f"(Có danh sách trích ngang và hồ sơ kèm theo)\n{closing}",
    }
    return header, body


def _split(nominees: tuple[Nominee, ...]) -> tuple[int, int]:
    collectives = sum(1 for n in nominees if n.collective)
    return collectives, len(nominees) - collectives


def _below_note(nominees: tuple[Nominee, ...], title: Title) -> str:
    below = sum(1 for n in nominees if n.title == title and not n.passed)
    return f"{count_text(below)} trường hợp chưa đạt tỷ lệ phiếu" if below else ""


def _initiatives_proposal(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    superior = ctx.superior()
    header = _signer(ctx) | {
        "summary": f"Về việc đề nghị công nhận sáng kiến {ctx.period}",
        "kinh_gui": ctx.data.kinh_gui,
        "recipients": ctx.data.recipients,
    }
    body = {
        "theo_de_nghi": "",
        "noi_dung": (
            f"{ctx.data.org_name} đã tổng hợp {count_text(len(part.nominees))} sáng kiến được "
            f"áp dụng tại đơn vị {ctx.period}.\n{ctx.data.org_name} kính đề nghị {superior} "
            "xem xét, công nhận các sáng kiến sau:"
        ),
        "de_nghi": [
            {
                "hinh_thuc": f"Sáng kiến “{n.name}”",
                "tap_the": "",
                "ca_nhan": "",
                "ghi_chu": str(n.extra.get("authors") or ""),
            }
            for n in part.nominees
        ],
        "ket_luan": (
            f"(Có hồ sơ sáng kiến kèm theo)\nKính đề nghị {superior} xem xét, quyết định./."
        ),
    }
    return header, body


def annex_fields(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Danh sách trích ngang annexed to a Tờ trình (or the điển hình tiên tiến list)."""
    if part.attached_to is None:
        return _exemplary_list(ctx, part)
    decider = part.decider
    assert decider is not None
    header = _signer(ctx) | {
        "summary": (
            f"Tập thể, cá nhân đề nghị {decider.name} {_action(part.nominees)} {ctx.period}"
        ),
        "decider": decider.name,
    }
    body = {
        "kem_theo": f"{ctx.reference(part.attached_to, 'to_trinh')} của {ctx.data.org_name}",
        "nguoi_de_nghi": [
            {
                "ho_ten": n.name,
                "nam_sinh": n.birth_year,
                "gioi_tinh": n.gender,
                "chuc_vu": n.position_unit,
                "danh_hieu": n.title.name if n.title else "",
                "thanh_tich": n.achievements,
                "ghi_chu": _annex_note(n),
            }
            for n in part.nominees
        ],
    }
    return header, body


def _annex_note(nominee: Nominee) -> str:
    notes = ["Tập thể"] if nominee.collective else []
    if not nominee.passed and nominee.vote is not None:
        notes.append(
            f"Chưa đạt tỷ lệ phiếu ({nominee.votes_for}/{nominee.council_total}, "
            f"{nominee.vote.percent_text})"
        )
    return "; ".join(notes)


def _exemplary_list(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    header = _signer(ctx) | {"summary": f"Điển hình tiên tiến {ctx.period}"}
    body = {
        "kem_theo": "",
        "nguoi_de_nghi": [
            {
                "ho_ten": n.name,
                "nam_sinh": n.birth_year,
                "gioi_tinh": n.gender,
                "chuc_vu": n.position_unit,
                "danh_hieu": str(n.extra.get("field") or "Điển hình tiên tiến"),
                "thanh_tich": n.achievements,
                "ghi_chu": "Tập thể" if n.collective else "",
            }
            for n in part.nominees
        ],
    }
    return header, body


def fields_for(ctx: Context, part: Part) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (header, body) of any part."""
    if part.kind == "bien_ban":
        return bien_ban_fields(ctx, part)
    if part.kind == "quyet_dinh":
        if part.key.endswith(INITIATIVES):
            return initiatives_decision_fields(ctx, part)
        return own_decision_fields(ctx, part)
    if part.kind == "to_trinh":
        return proposal_fields(ctx, part)
    return annex_fields(ctx, part)
